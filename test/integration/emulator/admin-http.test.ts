import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILES, startEmulator, type RunningEmulator } from "../../../emulator";
import { codeOf, rawRequest, signedCall } from "./support/raw-client";
import { DOWNLOAD_BODY, DOWNLOAD_TOKEN, tinyBackendFactory } from "./support/tiny-backend";

describe("admin surface over HTTP (/_emulator/, no auth)", () => {
  let emu: RunningEmulator;
  const tiny = tinyBackendFactory();
  beforeAll(async () => {
    emu = await startEmulator({ backend: tiny.create, throttle: false, log: () => {} });
  });
  afterAll(() => emu.close());

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await rawRequest(emu.port, { method, path, ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}) });
    return { status: res.status, json: JSON.parse(res.text) as Record<string, unknown> };
  };

  it("GET /_emulator/health", async () => {
    const r = await call("GET", "/_emulator/health");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, baseUrl: emu.url });
  });

  it("clock: GET, advance by query or body, set", async () => {
    const t0 = Date.parse((await call("GET", "/_emulator/clock")).json["now"] as string);
    const adv = await call("POST", "/_emulator/clock/advance?seconds=86400");
    expect(Date.parse(adv.json["now"] as string) - t0).toBeGreaterThanOrEqual(86_400_000);
    const adv2 = await call("POST", "/_emulator/clock/advance", { seconds: 60 });
    expect(Date.parse(adv2.json["now"] as string) - t0).toBeGreaterThanOrEqual(86_460_000);
    expect((await call("GET", "/_emulator/clock")).json["offsetMs"]).toBeGreaterThanOrEqual(86_459_000);
    const set = await call("POST", "/_emulator/clock/set", { time: new Date().toISOString() });
    expect(Math.abs(Date.parse(set.json["now"] as string) - Date.now())).toBeLessThan(5000);
    const bad = await call("POST", "/_emulator/clock/advance?seconds=-5");
    expect(bad.status).toBe(400);
    const missing = await call("POST", "/_emulator/clock/advance");
    expect(missing.status).toBe(400);
    expect((missing.json["error"] as { message: string }).message).toContain("seconds");
  });

  it("faults: POST a rule or an array, GET, DELETE; the rule applies to API calls", async () => {
    const added = await call("POST", "/_emulator/faults", [
      { action: "DescribeCertificates", kind: "error", code: "FailedOperation.SystemError", times: 1 },
      { action: "*", kind: "latency", ms: 1, times: "always" },
    ]);
    expect(added.status).toBe(200);
    expect((added.json["faults"] as unknown[]).length).toBe(2);
    expect(codeOf(await signedCall(emu.port, { action: "DescribeCertificates" }))).toBe("FailedOperation.SystemError");
    expect((await call("GET", "/_emulator/faults")).json["faults"]).toEqual([expect.objectContaining({ remaining: "always" })]);
    expect((await call("DELETE", "/_emulator/faults")).json).toEqual({ faults: [] });
    expect(emu.admin.faults()).toEqual([]);
  });

  it("faults: a malformed rule is a 400 that says what is wrong", async () => {
    const r = await call("POST", "/_emulator/faults", { action: "X", kind: "explode" });
    expect(r.status).toBe(400);
    expect((r.json["error"] as { message: string }).message).toContain("kind");
    const r2 = await call("POST", "/_emulator/faults", { action: "X", kind: "error" });
    expect((r2.json["error"] as { message: string }).message).toContain("code");
  });

  it("calls: counts per service.Action and ok-only counts; DELETE resets", async () => {
    await call("DELETE", "/_emulator/calls");
    await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "missing" } });
    await signedCall(emu.port, { service: "dnspod", action: "CreateRecord", body: { Domain: "a.com", RecordType: "TXT", RecordLine: "默认", Value: "v" } });
    await signedCall(emu.port, { action: "DescribeCertificates", secretKey: "bad" });
    const r = await call("GET", "/_emulator/calls");
    expect(r.json["counts"]).toEqual({ "ssl.DescribeCertificateDetail": 2, "dnspod.CreateRecord": 1, "ssl.DescribeCertificates": 1 });
    expect(r.json["okCounts"]).toEqual({ "ssl.DescribeCertificateDetail": 1, "dnspod.CreateRecord": 1 });
    const calls = r.json["calls"] as Record<string, unknown>[];
    expect(calls.map((c) => c["outcome"])).toEqual(["ok", "FailedOperation.CertificateNotFound", "ok", "AuthFailure.SignatureFailure"]);
    expect(calls[0]).toEqual({ seq: expect.any(Number), time: expect.any(String), service: "ssl", action: "DescribeCertificateDetail", accountId: "acct-1", outcome: "ok", requestId: expect.any(String) });
    expect(calls[3]?.["accountId"]).toBeNull();
    expect(JSON.stringify(calls)).not.toContain("cert0001"); // bodies are never logged
    expect((await call("DELETE", "/_emulator/calls")).json).toEqual({ calls: [], counts: {}, okCounts: {} });
    expect((await call("GET", "/_emulator/calls")).json["counts"]).toEqual({});
  });

  it("seed: a SeedSpec body and a preset", async () => {
    const r = await call("POST", "/_emulator/seed", { certificates: [{ certificateId: "seedA001", domain: "a.example.com", status: 4 }] });
    expect(r.json).toEqual({ certificateIds: ["seedA001"], packageIds: [] });
    expect(emu.admin.inspectCertificate("seedA001")).toMatchObject({ status: 4 });
    const p = await call("POST", "/_emulator/seed/demo");
    expect(p.json).toEqual({ certificateIds: ["demo0001"], packageIds: [] });
    const unknown = await call("POST", "/_emulator/seed/nope");
    expect(unknown.status).toBe(400);
    expect(unknown.json["error"]).toMatchObject({ code: "InvalidParameter" });
  });

  it("admin/<op>: named or positional arguments, mapped to BackendAdmin", async () => {
    const r = await call("POST", "/_emulator/admin/acceptLetter", { certificateId: "demo0001" });
    expect(r).toEqual({ status: 200, json: { result: null } });
    expect(emu.admin.inspectCertificate("demo0001")).toMatchObject({ status: 0 });
    await call("POST", "/_emulator/admin/failReview", { args: ["demo0001", "bad letter"] });
    expect((await call("POST", "/_emulator/admin/inspectCertificate", { certificateId: "demo0001" })).json).toEqual({ result: { status: 2, accountId: "acct-1" } });
    await call("POST", "/_emulator/admin/setIssuanceDelay", { seconds: 5 });
    expect(tiny.instance().state.issuanceDelay).toBe(5);
    const err = await call("POST", "/_emulator/admin/acceptLetter", { certificateId: "nope" });
    expect(err).toEqual({ status: 400, json: { error: { code: "FailedOperation.CertificateNotFound", message: "no certificate nope" } } });
    const wrongArg = await call("POST", "/_emulator/admin/acceptLetter", { certId: "x" });
    expect(wrongArg.status).toBe(400);
    const unknown = await call("POST", "/_emulator/admin/dropDatabase", {});
    expect(unknown.status).toBe(404);
    expect((unknown.json["error"] as { message: string }).message).toContain("acceptLetter");
  });

  it("throttle: POST replaces the configuration", async () => {
    expect((await call("POST", "/_emulator/throttle", { "ssl.DescribeCertificates": 0 })).status).toBe(200);
    expect(codeOf(await signedCall(emu.port, { action: "DescribeCertificates" }))).toBe("RequestLimitExceeded");
    expect((await call("POST", "/_emulator/throttle", false)).status).toBe(200);
    expect(codeOf(await signedCall(emu.port, { action: "DescribeCertificates" }))).toBe("ok");
    expect((await call("POST", "/_emulator/throttle", { x: -1 })).status).toBe(400);
  });

  it("download/<token>: serves the backend's blobs, 404 otherwise", async () => {
    const http = await import("node:http");
    const body = await new Promise<{ status: number; type: string | undefined; data: Buffer }>((resolve, reject) => {
      http.get(`${emu.url}/_emulator/download/${DOWNLOAD_TOKEN}`, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], data: Buffer.concat(chunks) }));
      }).on("error", reject);
    });
    expect(body).toEqual({ status: 200, type: "application/zip", data: DOWNLOAD_BODY });
    expect((await call("GET", "/_emulator/download/unknown")).status).toBe(404);
  });

  it("rules: GET reads the switches, POST overrides some or resets to a profile, bad switches are 400 naming them", async () => {
    const initial = await call("GET", "/_emulator/rules");
    expect(initial.status).toBe(200);
    expect(initial.json).toEqual({ profile: "default", rules: PROFILES.default });
    const one = await call("POST", "/_emulator/rules", { secondRenewal: "accepted", linkDelaySeconds: 30 });
    expect(one.json).toEqual({ profile: "default", rules: { ...PROFILES.default, secondRenewal: "accepted", linkDelaySeconds: 30 } });
    const pess = await call("POST", "/_emulator/rules", { profile: "pessimistic", linkSides: "both" });
    expect(pess.json).toEqual({ profile: "pessimistic", rules: { ...PROFILES.pessimistic, linkSides: "both" } });
    expect(emu.admin.rules()).toEqual(pess.json);
    for (const [body, words] of [
      [{ linkDelaySeconds: -1 }, /linkDelaySeconds.*-1/],
      [{ nope: true }, /unknown switch `nope`.*secondRenewal/],
      [{ profile: "grumpy" }, /profile must be one of "default", "pessimistic", got "grumpy"/],
      [[1], /object of switches/],
    ] as const) {
      const r = await call("POST", "/_emulator/rules", body);
      expect(r.status).toBe(400);
      expect((r.json["error"] as { message: string }).message).toMatch(words);
    }
    expect((await call("DELETE", "/_emulator/rules")).status).toBe(405);
    await call("POST", "/_emulator/rules", { profile: "default" });
    expect(emu.admin.rules().rules).toEqual(PROFILES.default);
  });

  it("unknown endpoints are 404, wrong methods 405", async () => {
    expect((await call("GET", "/_emulator/nothing")).status).toBe(404);
    expect((await call("PUT", "/_emulator/calls")).status).toBe(405);
  });
});
