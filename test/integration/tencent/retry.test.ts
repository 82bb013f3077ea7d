/** Retry behaviour through the real SDK: count the requests the server saw. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTencentApiError, isTransportError } from "../../../engine/errors";
import { apisFor, rejection } from "./helpers";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

const renewal = { oldCertificateId: "old12345", productPid: 1013949, packageIds: ["pkg1"], domainCount: 1, periodYears: 1, csrMethod: "online" as const };

describe("retries", () => {
  it("a read throttled twice then answered completes (3 requests)", async () => {
    const before = server.count("DescribeCertificateDetail");
    server.setScript((r) => (r.nth - before <= 2 ? { error: "LimitExceeded.RateLimitExceeded" } : { ok: { CertificateId: "c1", Status: 1 } }));
    const cert = await apisFor(server.url).ssl.getCertificate("c1");
    expect(cert.phase).toBe("issued");
    expect(server.count("DescribeCertificateDetail") - before).toBe(3);
  });

  it("a read on dropped sockets gives up after the configured retries", async () => {
    const before = server.count("DescribePackages");
    server.setScript(() => ({ destroy: true }));
    const e = await rejection(apisFor(server.url, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }).ssl.listPackages());
    expect(isTransportError(e)).toBe(true);
    expect(server.count("DescribePackages") - before).toBe(3);
  });

  it("the paid call hitting a transport error is sent once, and says how to resume", async () => {
    const before = server.count("CreateCertificateByPackage");
    server.setScript(() => ({ destroy: true }));
    const e = await rejection(apisFor(server.url).ssl.renewByPackage(renewal));
    expect(server.count("CreateCertificateByPackage") - before).toBe(1);
    expect(isTransportError(e)).toBe(true);
    expect(e).toMatchObject({ originalCertificateId: "old12345", resumable: true });
    expect(e.message).toContain("The payment may have gone through");
    expect(e.message).toContain("read certificate old12345");
  });

  it("the paid call is not retried even when throttled or on InternalError", async () => {
    for (const code of ["RequestLimitExceeded", "InternalError"]) {
      const before = server.count("CreateCertificateByPackage");
      server.setScript(() => ({ error: code }));
      const e = await rejection(apisFor(server.url).ssl.renewByPackage(renewal));
      expect(isTencentApiError(e)).toBe(true);
      expect(e.code).toBe(code);
      expect(server.count("CreateCertificateByPackage") - before).toBe(1);
    }
  });

  it("a mutating call is retried on throttling (not executed) but not on InternalError (unknown)", async () => {
    let before = server.count("CreateRecord");
    server.setScript((r) => (r.nth - before === 1 ? { error: "RequestLimitExceeded.RequestLimitExceeded" } : { ok: { RecordId: 77 } }));
    const id = await apisFor(server.url).dns.createRecord({ zone: "example.com", subDomain: "_dnsauth", type: "TXT", value: "v" });
    expect(id).toBe(77);
    expect(server.count("CreateRecord") - before).toBe(2);

    before = server.count("CertificateOrderSubmit");
    server.setScript(() => ({ error: "InternalError.BackendResponseError" }));
    const e = await rejection(apisFor(server.url).ssl.submitOrder("new1", "DNS"));
    expect(isTencentApiError(e)).toBe(true);
    expect(server.count("CertificateOrderSubmit") - before).toBe(1);
  });

  it("a mutating call whose connection was refused reports that nothing was sent", async () => {
    // (That such failures are retried for mutating calls is pinned in the unit tests of the policy.)
    const dead = await startScriptedServer();
    const url = dead.url;
    await dead.close();
    const e = await rejection(apisFor(url, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }).ssl.cancelOrder("c1"));
    expect(isTransportError(e)).toBe(true);
    expect(e.message).toContain("the request was not sent");
  });
});
