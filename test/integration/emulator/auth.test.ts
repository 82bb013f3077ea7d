import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { canonicalRequest, signRequest, stringToSign, tc3Signature, utcDate } from "../../../emulator/tc3";
import { codeOf, rawRequest, signedCall } from "./support/raw-client";
import { sdkFailure, sslClient, UUID_RE } from "./support/sdk";
import { ACCOUNT, createTinyBackend, TEMP_ACCOUNT } from "./support/tiny-backend";

describe("TC3-HMAC-SHA256 verification against the real Tencent SDK", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ backend: createTinyBackend, throttle: false, log: () => {} });
  });
  afterAll(() => emu.close());

  it("accepts a request the SDK signed (host without port, scope service `ssl`)", async () => {
    const res = await sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001" });
    expect(res.CertificateId).toBe("cert0001");
    expect(res.Status).toBe(1);
    expect(res.RequestId).toMatch(UUID_RE);
  });

  it("wrong SecretKey -> AuthFailure.SignatureFailure", async () => {
    const f = await sdkFailure(sslClient(emu.port, { secretId: ACCOUNT.secretId, secretKey: "not-the-key" }).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(f.code).toBe("AuthFailure.SignatureFailure");
    expect(f.requestId).toMatch(UUID_RE);
  });

  it("a body changed after signing -> AuthFailure.SignatureFailure", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" }, sendBody: JSON.stringify({ CertificateId: "cert0002" }) });
    expect(res.status).toBe(200);
    expect(codeOf(res)).toBe("AuthFailure.SignatureFailure");
    expect(res.json().Response["RequestId"]).toMatch(UUID_RE);
    // The same request untampered passes: the failure is the tampering.
    const good = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    expect(codeOf(good)).toBe("ok");
  });

  it("signatures are checked against the wall clock: advancing the emulator clock does not lock the SDK out", async () => {
    const later = await startEmulator({ backend: createTinyBackend, throttle: false, log: () => {} });
    try {
      later.admin.advanceClock(30 * 86_400);
      const ok = await sslClient(later.port).DescribeCertificateDetail({ CertificateId: "cert0001" });
      expect(ok.RequestId).toMatch(UUID_RE);
    } finally {
      await later.close();
    }
  });

  it("an old signature (timestamp 301 s ago) -> AuthFailure.SignatureExpire; 290 s ago is still fine", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" }, timestamp: now - 301 });
    expect(codeOf(old)).toBe("AuthFailure.SignatureExpire");
    const recent = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" }, timestamp: now - 290 });
    expect(codeOf(recent)).toBe("ok");
  });

  it("unknown SecretId -> AuthFailure.SecretIdNotFound", async () => {
    const f = await sdkFailure(sslClient(emu.port, { secretId: "AKIDnobody", secretKey: "x" }).DescribeCertificateDetail({ CertificateId: "cert0001" }));
    expect(f.code).toBe("AuthFailure.SecretIdNotFound");
    expect(f.message).toContain("AKIDnobody");
    expect(f.requestId).toMatch(UUID_RE);
  });

  it.each([
    ["missing", undefined],
    ["not TC3", "Basic dXNlcjpwYXNz"],
    ["no Signature", "TC3-HMAC-SHA256 Credential=AKIDtinyPermanent0001/2024-01-01/ssl/tc3_request, SignedHeaders=content-type;host"],
    ["SignedHeaders without host", `TC3-HMAC-SHA256 Credential=AKIDtinyPermanent0001/2024-01-01/ssl/tc3_request, SignedHeaders=content-type, Signature=${"a".repeat(64)}`],
  ])("malformed Authorization (%s) -> AuthFailure.InvalidAuthorization", async (_label, authorization) => {
    const res = await signedCall(emu.port, {
      action: "DescribeCertificateDetail",
      body: { CertificateId: "cert0001" },
      extraHeaders: authorization === undefined ? { Authorization: "" } : { Authorization: authorization },
    });
    expect(codeOf(res)).toBe("AuthFailure.InvalidAuthorization");
    expect(res.json().Response["RequestId"]).toMatch(UUID_RE);
  });

  it("temporary credentials: missing X-TC-Token -> AuthFailure.TokenFailure; wrong token too; the right one passes", async () => {
    const missing = await sdkFailure(sslClient(emu.port, { secretId: TEMP_ACCOUNT.secretId, secretKey: TEMP_ACCOUNT.secretKey }).DescribeCertificates({}));
    expect(missing.code).toBe("AuthFailure.TokenFailure");
    expect(missing.requestId).toMatch(UUID_RE);
    const wrong = await sdkFailure(sslClient(emu.port, { secretId: TEMP_ACCOUNT.secretId, secretKey: TEMP_ACCOUNT.secretKey, token: "other" }).DescribeCertificates({}));
    expect(wrong.code).toBe("AuthFailure.TokenFailure");
    const ok = await sslClient(emu.port, { secretId: TEMP_ACCOUNT.secretId, secretKey: TEMP_ACCOUNT.secretKey, token: "session-token-2" }).DescribeCertificates({});
    expect(ok.TotalCount).toBe(0);
  });

  it("an expired session token -> AuthFailure.TokenFailure", async () => {
    const late = await startEmulator({ backend: createTinyBackend, throttle: false, startTime: new Date("2100-01-02T00:00:00Z"), log: () => {} });
    try {
      const now = Math.floor(Date.now() / 1000);
      const res = await signedCall(late.port, {
        action: "DescribeCertificates",
        secretId: TEMP_ACCOUNT.secretId,
        secretKey: TEMP_ACCOUNT.secretKey,
        token: "session-token-2",
        timestamp: now,
      });
      expect(codeOf(res)).toBe("AuthFailure.TokenFailure");
      expect(res.json().Response["Error"]).toMatchObject({ Message: expect.stringContaining("expired") });
    } finally {
      await late.close();
    }
  });

  it("a credential scope for another service (signed as dnspod, sent to ssl) -> AuthFailure.SignatureFailure", async () => {
    const res = await signedCall(emu.port, {
      action: "DescribeCertificateDetail",
      body: { CertificateId: "cert0001" },
      extraHeaders: { Host: `ssl.tencentcloudapi.com:${emu.port}` },
      service: "dnspod",
      version: "2019-12-05",
    });
    expect(codeOf(res)).toBe("AuthFailure.SignatureFailure");
    expect(res.json().Response["Error"]).toMatchObject({ Message: expect.stringContaining("dnspod") });
  });

  it("a credential date that is not the timestamp's UTC date -> AuthFailure.SignatureFailure", async () => {
    const now = Math.floor(emu.admin.now().getTime() / 1000);
    const headers = signRequest({ secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, service: "ssl", host: `ssl.tencentcloudapi.com:${emu.port}`, action: "DescribeCertificates", version: "2019-12-05", body: "{}", timestamp: now });
    const good = await rawRequest(emu.port, { headers, body: "{}" });
    expect(JSON.parse(good.text).Response.Error).toBeUndefined();
    const forged = (headers["Authorization"] as string).replace(/\/\d{4}-\d{2}-\d{2}\//, "/2001-01-01/");
    const bad = await rawRequest(emu.port, { headers: { ...headers, Authorization: forged }, body: "{}" });
    expect(JSON.parse(bad.text).Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    expect(JSON.parse(bad.text).Response.Error.Message).toContain("2001-01-01");
  });

  it("signs any SignedHeaders list: canonical headers are built for exactly the names listed", async () => {
    const now = Math.floor(emu.admin.now().getTime() / 1000);
    const host = `ssl.tencentcloudapi.com:${emu.port}`;
    const body = JSON.stringify({ CertificateId: "cert0001" });
    const signedHeaders = ["content-type", "host", "x-tc-action"];
    const canonical = canonicalRequest({
      method: "POST",
      path: "/",
      query: "",
      signedHeaders,
      headerValue: (n) => (n === "host" ? "ssl.tencentcloudapi.com" : n === "content-type" ? "application/json" : "describecertificatedetail"),
      body,
    });
    const date = utcDate(now);
    const sig = tc3Signature(ACCOUNT.secretKey, date, "ssl", stringToSign({ timestamp: now, date, service: "ssl", canonicalRequest: canonical }));
    const headers = {
      Authorization: `TC3-HMAC-SHA256 Credential=${ACCOUNT.secretId}/${date}/ssl/tc3_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${sig}`,
      "Content-Type": "application/json",
      Host: host,
      "X-TC-Action": "DescribeCertificateDetail",
      "X-TC-Version": "2019-12-05",
      "X-TC-Timestamp": String(now),
    };
    const ok = await rawRequest(emu.port, { headers, body });
    expect(JSON.parse(ok.text).Response.CertificateId).toBe("cert0001");
    // The signed action header cannot be swapped: X-TC-Action is covered by the signature now.
    const swapped = await rawRequest(emu.port, { headers: { ...headers, "X-TC-Action": "DescribeCertificates" }, body });
    expect(JSON.parse(swapped.text).Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });

  it("echoes X-TC-TraceId, which the SDK copies into the error", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificates", extraHeaders: { "X-TC-TraceId": "trace-abc" } });
    expect(res.headers["x-tc-traceid"]).toBe("trace-abc");
    const f = await sdkFailure(sslClient(emu.port, { secretId: ACCOUNT.secretId, secretKey: "bad" }).DescribeCertificates({}));
    expect(f.traceId).toMatch(UUID_RE);
  });
});
