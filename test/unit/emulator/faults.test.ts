import { describe, expect, it } from "vitest";
import { createFaultScript, faultMessage, parseFaultRule, type FaultRule } from "../../../emulator/faults";

describe("fault script", () => {
  it("applies a rule to the next N matching calls, then drops it", () => {
    const s = createFaultScript();
    s.add({ action: "CreateCertificateByPackage", kind: "error", code: "FailedOperation.NetworkError", times: 2 });
    expect(s.plan("ssl", "DescribeCertificates", "a").fault).toBeUndefined();
    expect(s.plan("ssl", "CreateCertificateByPackage", "a").fault).toMatchObject({ code: "FailedOperation.NetworkError" });
    expect(s.list()).toEqual([expect.objectContaining({ remaining: 1 })]);
    expect(s.plan("ssl", "CreateCertificateByPackage", "a").fault).toBeDefined();
    expect(s.plan("ssl", "CreateCertificateByPackage", "a").fault).toBeUndefined();
    expect(s.list()).toEqual([]);
  });

  it("times defaults to 1; Infinity and \"always\" never run out", () => {
    const s = createFaultScript();
    s.add([
      { action: "A", kind: "reset" },
      { action: "B", kind: "latency", ms: 5, times: Infinity },
      { action: "B", kind: "latency", ms: 7, times: "always" },
    ]);
    expect(s.plan("ssl", "A", "x").fault?.kind).toBe("reset");
    expect(s.plan("ssl", "A", "x").fault).toBeUndefined();
    for (let i = 0; i < 50; i++) expect(s.plan("ssl", "B", "x")).toEqual({ latencyMs: 12 });
    expect(s.list().map((f) => f.remaining)).toEqual(["always", "always"]);
  });

  it("matches service, action `*` and accountId; the first matching terminal rule wins and latency stacks with it", () => {
    const s = createFaultScript();
    s.add([
      { service: "dnspod", action: "*", kind: "http-500" },
      { action: "X", accountId: "acct-2", kind: "non-json" },
      { action: "X", kind: "latency", ms: 10 },
      { action: "X", kind: "error-after-commit", code: "InternalError" },
    ]);
    const p = s.plan("ssl", "X", "acct-1");
    expect(p).toEqual({ latencyMs: 10, fault: expect.objectContaining({ kind: "error-after-commit" }) });
    expect(s.plan("ssl", "X", "acct-2").fault?.kind).toBe("non-json");
    expect(s.plan("dnspod", "CreateRecord", "acct-1").fault?.kind).toBe("http-500");
    expect(s.list()).toEqual([]);
  });

  it("clear() empties the script", () => {
    const s = createFaultScript();
    s.add({ action: "A", kind: "reset", times: 5 });
    s.clear();
    expect(s.plan("ssl", "A", "x").fault).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [null, "must be an object"],
    [{ action: "A", kind: "boom" }, "`kind` must be one of"],
    [{ kind: "reset" }, "`action`"],
    [{ action: "A", kind: "error" }, "`code`"],
    [{ action: "A", kind: "error", code: "has space" }, "`code`"],
    [{ action: "A", kind: "latency" }, "`ms`"],
    [{ action: "A", kind: "latency", ms: -1 }, "`ms`"],
    [{ action: "A", kind: "reset", times: 0 }, "`times`"],
    [{ action: "A", kind: "reset", times: 1.5 }, "`times`"],
    [{ action: "A", kind: "reset", service: "cvm" }, "`service`"],
    [{ action: "A", kind: "reset", code: "X" }, "`code` does not apply"],
    [{ action: "A", kind: "error", code: "X", afterCommit: true }, "`afterCommit` does not apply"],
    [{ action: "A", kind: "reset", extra: 1 }, "unknown field `extra`"],
  ])("rejects %j (%s)", (input, message) => {
    expect(() => parseFaultRule(input)).toThrow(message);
  });

  it("accepts each documented kind", () => {
    const rules: FaultRule[] = [
      { action: "A", kind: "error", code: "FailedOperation.PackageCountLimit", message: "m" },
      { action: "A", kind: "error-after-commit", code: "InternalError" },
      { action: "A", kind: "latency", ms: 100 },
      { action: "A", kind: "reset", afterCommit: true },
      { action: "A", kind: "non-json" },
      { action: "A", kind: "http-500", times: 3 },
    ];
    for (const r of rules) expect(parseFaultRule(r)).toEqual(r);
  });

  it("default message names the code", () => {
    expect(faultMessage({ code: "InternalError" })).toContain("InternalError");
    expect(faultMessage({ code: "InternalError", message: "custom" })).toBe("custom");
  });
});
