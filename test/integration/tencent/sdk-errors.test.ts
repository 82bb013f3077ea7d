/**
 * Error classification through the REAL Tencent SDK, against a scripted
 * local server that answers the way the gateway can.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthError, isTencentApiError, isTransportError } from "../../../engine/errors";
import { apisFor, rejection, TEST_CREDENTIALS } from "./helpers";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

const noRetry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };

describe("errors the SDK throws, classified", () => {
  it("an API error envelope keeps Code, RequestId and action", async () => {
    server.setScript(() => ({ error: "FailedOperation.CertificateNotFound", message: "证书不存在" }));
    const e = await rejection(apisFor(server.url).ssl.getCertificate("nope1234"));
    expect(isTencentApiError(e)).toBe(true);
    expect(e).toMatchObject({ code: "FailedOperation.CertificateNotFound", action: "DescribeCertificateDetail", httpStatus: 200 });
    expect(e.requestId).toMatch(/^req-\d+$/);
    expect(e.message).toBe(`tencent: DescribeCertificateDetail: FailedOperation.CertificateNotFound: 证书不存在 (RequestId ${String(e.requestId)})`);
  });

  it("AuthFailure.SignatureFailure becomes an AuthError naming the key variable, not the secret", async () => {
    server.setScript(() => ({ error: "AuthFailure.SignatureFailure", message: "The provided credentials could not be validated." }));
    const e = await rejection(apisFor(server.url).ssl.listPackages());
    expect(isAuthError(e)).toBe(true);
    expect(e.code).toBe("AuthFailure.SignatureFailure");
    expect(e.message).toContain("TENCENTCLOUD_SECRET_KEY");
    expect(e.message).not.toContain(TEST_CREDENTIALS.secretKey);
    expect(e.message).not.toContain(TEST_CREDENTIALS.secretId);
  });

  it("AuthFailure.SignatureExpire points at clock skew", async () => {
    server.setScript(() => ({ error: "AuthFailure.SignatureExpire" }));
    const e = await rejection(apisFor(server.url).dns.listRecords("example.com"));
    expect(isAuthError(e)).toBe(true);
    expect(e.message).toMatch(/^tencent: DescribeRecordList: AuthFailure.SignatureExpire: .*clock/);
  });

  it("HTTP 500 becomes a TencentApiError with the status", async () => {
    server.setScript(() => ({ status: 500, body: "upstream exploded" }));
    const e = await rejection(apisFor(server.url, { retry: noRetry }).ssl.getCertificate("c1"));
    expect(isTencentApiError(e)).toBe(true);
    expect(e).toMatchObject({ httpStatus: 500, code: "ClientError.HttpStatusCodeError" });
    expect(e.message).toBe("tencent: DescribeCertificateDetail: HTTP 500 Internal Server Error from the API gateway; the request's outcome is unknown");
  });

  it("a non-JSON body becomes a TransportError", async () => {
    server.setScript(() => ({ raw: "<html>gateway</html>" }));
    const e = await rejection(apisFor(server.url, { retry: noRetry }).ssl.getCertificate("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toMatch(/^tencent: DescribeCertificateDetail: the answer was not JSON/);
  });

  it("JSON without Response becomes a TransportError", async () => {
    server.setScript(() => ({ raw: JSON.stringify({ Something: 1 }) }));
    const e = await rejection(apisFor(server.url, { retry: noRetry }).ssl.getCertificate("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toContain("without a Response envelope");
  });

  it("a dropped socket becomes a TransportError with an unknown outcome", async () => {
    server.setScript(() => ({ destroy: true }));
    const e = await rejection(apisFor(server.url, { retry: noRetry }).ssl.getCertificate("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toMatch(/^tencent: DescribeCertificateDetail: transport error \(.*\); the request's outcome is unknown$/);
  });

  it("an answer slower than the timeout becomes a TransportError", async () => {
    server.setScript(() => ({ hang: true }));
    const started = Date.now();
    const e = await rejection(apisFor(server.url, { retry: noRetry, timeoutSeconds: 0.3 }).ssl.getCertificate("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toContain("no answer within the timeout");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a refused connection says the request was not sent", async () => {
    const closed = await startScriptedServer();
    const url = closed.url;
    await closed.close();
    const e = await rejection(apisFor(url, { retry: noRetry }).ssl.getCertificate("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toContain("the request was not sent");
  });

  it("never puts the request body (a CSR) into a message", async () => {
    server.setScript(() => ({ error: "InvalidParameter.RenewCsrInvalid", message: "bad csr" }));
    const csr = "-----BEGIN CERTIFICATE REQUEST-----\nSECRETISHCSRBODY\n-----END CERTIFICATE REQUEST-----";
    const e = await rejection(
      apisFor(server.url).ssl.renewByPackage({ oldCertificateId: "old1", productPid: 1013949, packageIds: ["p1"], domainCount: 1, periodYears: 1, csrMethod: "upload", csrPem: csr }),
    );
    expect(e.message).not.toContain("SECRETISHCSRBODY");
    expect(JSON.stringify(e)).not.toContain("SECRETISHCSRBODY");
  });
});

describe("SDK wiring", () => {
  it("signs for the real service names and sends Host ssl/dnspod.tencentcloudapi.com:PORT", async () => {
    server.setScript(() => ({ ok: { RecordList: [], RecordCountInfo: { TotalCount: 0 }, Packages: [], TotalCount: 0 } }));
    const apis = apisFor(server.url);
    const before = server.requests.length;
    await apis.ssl.listPackages();
    await apis.dns.listRecords("example.com");
    const [ssl, dns] = server.requests.slice(before);
    const port = new URL(server.url).port;
    expect(ssl?.host).toBe(`ssl.tencentcloudapi.com:${port}`);
    expect(ssl?.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${TEST_CREDENTIALS.secretId}/\\d{4}-\\d{2}-\\d{2}/ssl/tc3_request`));
    expect(dns?.host).toBe(`dnspod.tencentcloudapi.com:${port}`);
    expect(dns?.authorization).toContain("/dnspod/tc3_request");
  });

  it("is not hijacked by http_proxy", async () => {
    server.setScript(() => ({ ok: { Packages: [], TotalCount: 0 } }));
    const saved = process.env.http_proxy;
    process.env.http_proxy = "http://127.0.0.1:9"; // nothing listens there
    try {
      await expect(apisFor(server.url, { retry: noRetry }).ssl.listPackages()).resolves.toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
    }
  });

  it("reaches a localhost URL too", async () => {
    server.setScript(() => ({ ok: { Packages: [], TotalCount: 0 } }));
    const url = server.url.replace("127.0.0.1", "localhost");
    await expect(apisFor(url).ssl.listPackages()).resolves.toEqual([]);
  });

  it("takes TCCERT_ENDPOINT from env when no endpoint is given", async () => {
    server.setScript(() => ({ ok: { Packages: [], TotalCount: 0 } }));
    const before = server.requests.length;
    const { createTencentApis } = await import("../../../tencent");
    const apis = createTencentApis({ credentials: TEST_CREDENTIALS, env: { TCCERT_ENDPOINT: server.url } });
    await apis.ssl.listPackages();
    expect(server.requests.length).toBe(before + 1);
  });
});
