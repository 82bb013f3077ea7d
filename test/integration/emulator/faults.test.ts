import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { codeOf, signedCall } from "./support/raw-client";
import { sdkFailure, sslClient, UUID_RE } from "./support/sdk";
import { tinyBackendFactory } from "./support/tiny-backend";

const BUY = { ProductPid: 1013949, PackageIds: ["pkg-1"], DomainCount: "1", Period: 1, OldCertificateId: "cert0001", RenewGenCsrMethod: "online" };

describe("scripted faults", () => {
  let emu: RunningEmulator;
  const tiny = tinyBackendFactory();
  beforeAll(async () => {
    emu = await startEmulator({ backend: tiny.create, throttle: false, log: () => {} });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.admin.clearFaults());

  const purchases = (): number => tiny.instance().state.purchases["acct-1"] ?? 0;

  it("error: the next N matching calls fail with the code, without running the handler; then calls pass", async () => {
    emu.admin.addFault({ action: "CreateCertificateByPackage", kind: "error", code: "FailedOperation.NetworkError", times: 2 });
    const before = purchases();
    for (let i = 0; i < 2; i++) {
      const f = await sdkFailure(sslClient(emu.port).CreateCertificateByPackage(BUY));
      expect(f.code).toBe("FailedOperation.NetworkError");
      expect(f.requestId).toMatch(UUID_RE);
    }
    expect(purchases()).toBe(before);
    await sslClient(emu.port).CreateCertificateByPackage(BUY);
    expect(purchases()).toBe(before + 1);
    expect(emu.admin.faults()).toEqual([]);
  });

  it("error only matches its service and action", async () => {
    emu.admin.addFault({ service: "dnspod", action: "DescribeCertificateDetail", kind: "error", code: "InternalError" });
    await expect(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" })).resolves.toMatchObject({ Status: 1 });
    expect(emu.admin.faults()).toHaveLength(1);
  });

  it("error-after-commit: the state change commits AND the caller gets the error", async () => {
    emu.admin.addFault({ action: "CreateCertificateByPackage", kind: "error-after-commit", code: "InternalError", message: "lost after commit" });
    const before = purchases();
    const okBefore = emu.admin.calls().okCounts["ssl.CreateCertificateByPackage"] ?? 0;
    const f = await sdkFailure(sslClient(emu.port).CreateCertificateByPackage(BUY));
    expect(f.code).toBe("InternalError");
    expect(f.message).toBe("lost after commit");
    expect(purchases()).toBe(before + 1);
    const created = `new${String(before + 1).padStart(5, "0")}`;
    expect(emu.admin.inspectCertificate(created)).toMatchObject({ status: 5 });
    expect(emu.admin.calls().okCounts["ssl.CreateCertificateByPackage"] ?? 0).toBe(okBefore);
    const last = emu.admin.calls().calls.at(-1);
    expect(last).toMatchObject({ action: "CreateCertificateByPackage", outcome: "InternalError" });
  });

  it("latency: delays the answer by ms, and stacks with an error", async () => {
    emu.admin.addFault([
      { action: "DescribeCertificateDetail", kind: "latency", ms: 150 },
      { action: "DescribeCertificateDetail", kind: "error", code: "FailedOperation.CannotGetOrder" },
    ]);
    const t0 = performance.now();
    const f = await sdkFailure(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(f.code).toBe("FailedOperation.CannotGetOrder");
  });

  it("latency with times \"always\" stays in the script", async () => {
    emu.admin.addFault({ action: "DescribeCertificates", kind: "latency", ms: 1, times: "always" });
    for (let i = 0; i < 3; i++) await sslClient(emu.port).DescribeCertificates({});
    expect(emu.admin.faults()).toEqual([expect.objectContaining({ remaining: "always" })]);
  });

  it("latency past the SDK's timeout makes the SDK fail with a transport error", async () => {
    emu.admin.addFault({ action: "DescribeCertificates", kind: "latency", ms: 1500 });
    const { loopbackAgent, sdkHttpProfile } = await import("../../../emulator/sdk-profile");
    const tencentcloud = await import("tencentcloud-sdk-nodejs");
    const client = new tencentcloud.ssl.v20191205.Client({
      credential: { secretId: "AKIDtinyPermanent0001", secretKey: "tiny-secret-key-1" },
      profile: { httpProfile: { ...sdkHttpProfile(emu.port, "ssl", loopbackAgent()), reqTimeout: 1 } },
    });
    const f = await sdkFailure(client.DescribeCertificates({}));
    expect(f.code).toBeUndefined();
    expect(f.message).toMatch(/timeout/i);
  });

  it("reset: the socket is destroyed; the SDK throws a transport error without a code", async () => {
    emu.admin.addFault({ action: "DescribeCertificateDetail", kind: "reset" });
    const f = await sdkFailure(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(f.name).toBe("TencentCloudSDKHttpException");
    expect(f.code).toBeUndefined();
    expect(f.httpCode).toBeUndefined();
    expect(f.message).toMatch(/socket hang up|ECONNRESET/);
    await expect(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" })).resolves.toMatchObject({ Status: 1 });
  });

  it("reset with afterCommit: the purchase commits, the answer is lost", async () => {
    emu.admin.addFault({ action: "CreateCertificateByPackage", kind: "reset", afterCommit: true });
    const before = purchases();
    const f = await sdkFailure(sslClient(emu.port).CreateCertificateByPackage(BUY));
    expect(f.code).toBeUndefined();
    expect(purchases()).toBe(before + 1);
  });

  it("non-json: HTTP 200 with an HTML body; the SDK throws a FetchError (invalid json)", async () => {
    emu.admin.addFault({ action: "DescribeCertificateDetail", kind: "non-json" });
    const f = await sdkFailure(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(f.name).toBe("FetchError");
    expect(f.message).toMatch(/invalid json/i);
    emu.admin.addFault({ action: "DescribeCertificateDetail", kind: "non-json" });
    const raw = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    expect(raw.status).toBe(200);
    expect(raw.headers["content-type"]).toBe("text/html");
    expect(() => JSON.parse(raw.text)).toThrow();
  });

  it("http-500: the SDK throws with httpCode 500 and no code", async () => {
    emu.admin.addFault({ action: "DescribeCertificateDetail", kind: "http-500" });
    const f = await sdkFailure(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(f.httpCode).toBe(500);
    expect(f.code).toBeUndefined();
  });

  it("faults are logged with their outcome", async () => {
    emu.admin.resetCalls();
    emu.admin.addFault([
      { action: "DescribeCertificateDetail", kind: "http-500" },
      { action: "DescribeCertificates", kind: "non-json" },
    ]);
    await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    await signedCall(emu.port, { action: "DescribeCertificates" });
    expect(emu.admin.calls().calls.map((c) => c.outcome)).toEqual(["fault:http-500", "fault:non-json"]);
    expect(emu.admin.calls().okCounts).toEqual({});
  });

  it("faults only touch authenticated calls: a bad signature does not use up a rule", async () => {
    emu.admin.addFault({ action: "DescribeCertificates", kind: "error", code: "InternalError" });
    const bad = await signedCall(emu.port, { action: "DescribeCertificates", secretKey: "wrong" });
    expect(codeOf(bad)).toBe("AuthFailure.SignatureFailure");
    const good = await signedCall(emu.port, { action: "DescribeCertificates" });
    expect(codeOf(good)).toBe("InternalError");
  });
});
