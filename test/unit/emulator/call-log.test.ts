import { describe, expect, it } from "vitest";
import { callKey, createCallLog } from "../../../emulator/call-log";

describe("call log", () => {
  const entry = (action: string, outcome: string) => ({ time: "2025-01-01T00:00:00.000Z", service: "ssl" as const, action, accountId: "a", outcome, requestId: "r" });

  it("records calls with a sequence number and counts per service.Action, all and ok-only", () => {
    const log = createCallLog();
    log.record(entry("CreateCertificateByPackage", "ok"));
    log.record(entry("CreateCertificateByPackage", "InternalError"));
    log.record({ ...entry("CreateRecord", "ok"), service: "dnspod" });
    const snap = log.snapshot();
    expect(snap.calls.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(snap.counts).toEqual({ "ssl.CreateCertificateByPackage": 2, "dnspod.CreateRecord": 1 });
    expect(snap.okCounts).toEqual({ "ssl.CreateCertificateByPackage": 1, "dnspod.CreateRecord": 1 });
    expect(log.count("ssl.CreateCertificateByPackage")).toBe(2);
    expect(log.count("ssl.CreateCertificateByPackage", true)).toBe(1);
  });

  it("reset clears calls and counts but sequence numbers keep growing", () => {
    const log = createCallLog();
    log.record(entry("A", "ok"));
    log.reset();
    expect(log.snapshot()).toEqual({ calls: [], counts: {}, okCounts: {} });
    expect(log.record(entry("A", "ok")).seq).toBe(2);
  });

  it("keeps at most maxEntries calls while counts stay exact", () => {
    const log = createCallLog(100);
    for (let i = 0; i < 250; i++) log.record(entry("A", "ok"));
    const snap = log.snapshot();
    expect(snap.calls.length).toBeLessThanOrEqual(100);
    expect(snap.calls.at(-1)?.seq).toBe(250);
    expect(snap.counts["ssl.A"]).toBe(250);
  });

  it("names unroutable calls with `?`", () => {
    expect(callKey(null, "X")).toBe("?.X");
  });
});
