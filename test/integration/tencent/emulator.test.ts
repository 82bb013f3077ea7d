/**
 * `createTencentApis` against the embedded emulator: the same SDK wiring a
 * user gets with `--endpoint` / `TCCERT_ENDPOINT`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthError, isTencentApiError, isTransportError } from "../../../engine/errors";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { createTencentApis, type TencentApis } from "../../../tencent";
import { rejection } from "./helpers";

const DEMO = { secretId: "AKIDEMULATORDEMO000000000000000000000", secretKey: "emulator-demo-secret-key-000000000000" };

let emulator: RunningEmulator;
let apis: TencentApis;
let certificateId: string;
let packageId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "demo" });
  const seeded = emulator.admin.seed({
    certificates: [
      { certificateId: "tcAdpt01", domain: "adapter.example.com", sans: ["www.adapter.example.com"], expiresInDays: 100 },
      { certificateId: "tcAdpt02", domain: "renew.example.com", sans: ["www.renew.example.com"], expiresInDays: 10 },
      { certificateId: "tcAdpt03", domain: "lost.example.com", expiresInDays: 10 },
    ],
    packages: [{ packageId: "pkgAdapter1", total: 100, balance: 42 }],
    zones: [{ zone: "adapter-zone.example" }],
  });
  certificateId = seeded.certificateIds[0] ?? "";
  packageId = seeded.packageIds[0] ?? "";
  apis = createTencentApis({ credentials: DEMO, endpoint: emulator.url, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 }, env: {} });
});

afterAll(async () => {
  await emulator.close();
});

describe("SslApi against the emulator", () => {
  it("lists the seeded certificate with its domains", async () => {
    const page = await apis.ssl.listCertificates({ ids: [certificateId] });
    expect(page.certificates.map((c) => c.certificateId)).toContain(certificateId);
    const row = page.certificates.find((c) => c.certificateId === certificateId);
    expect(row?.domains).toEqual(["adapter.example.com", "www.adapter.example.com"]);
    expect(row?.phase).toBe("issued");
  });

  it("reads the detail: issued, PEM, CN first then SANs, expiry in ~100 days", async () => {
    const c = await apis.ssl.getCertificate(certificateId);
    expect(c.certificateId).toBe(certificateId);
    expect(c.phase).toBe("issued");
    expect(c.paid).toBe(true);
    expect(c.domains).toEqual(["adapter.example.com", "www.adapter.example.com"]);
    expect(c.certificatePem).toContain("-----BEGIN CERTIFICATE-----");
    const days = ((c.notAfter?.getTime() ?? 0) - emulator.admin.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(98);
    expect(days).toBeLessThan(102);
  });

  it("lists usable packages with balances", async () => {
    const pkgs = await apis.ssl.listPackages();
    expect(pkgs.find((p) => p.packageId === packageId)).toMatchObject({ balance: 42, total: 100, status: "usable" });
  });

  it("maps an unknown certificate to a TencentApiError with Code and RequestId", async () => {
    const e = await rejection(apis.ssl.getCertificate("zzzzzzzz"));
    expect(isTencentApiError(e)).toBe(true);
    expect(e.code).toBe("FailedOperation.CertificateNotFound");
    expect(e.requestId).not.toBe("");
    expect(e.message).toMatch(/^tencent: DescribeCertificateDetail: /);
  });

  it("maps a wrong SecretKey to an AuthError", async () => {
    const bad = createTencentApis({ credentials: { ...DEMO, secretKey: "wrong" }, endpoint: emulator.url, env: {} });
    const e = await rejection(bad.ssl.listPackages());
    expect(isAuthError(e)).toBe(true);
    expect(e.code).toBe("AuthFailure.SignatureFailure");
    expect(e.message).not.toContain("wrong");
  });
});

describe("paid renewal against the emulator", () => {
  const count = (action: string): number => emulator.admin.calls().counts[`ssl.${action}`] ?? 0;

  it("renews once and the link shows on both sides", async () => {
    const before = count("CreateCertificateByPackage");
    const newId = await apis.ssl.renewByPackage({
      oldCertificateId: "tcAdpt02",
      productPid: 1013949,
      packageIds: [packageId],
      // The emulator wants the old certificate's DomainNumber ("1": www. comes with the name).
      domainCount: 1,
      periodYears: 1,
      csrMethod: "online",
      algorithmType: "RSA",
      algorithmParam: "2048",
      verifyType: "DNS",
    });
    expect(newId).not.toBe("");
    expect(newId).not.toBe("tcAdpt02");
    expect(count("CreateCertificateByPackage") - before).toBe(1);
    expect((await apis.ssl.getCertificate(newId)).link.originCertificateId).toBe("tcAdpt02");
    expect((await apis.ssl.getCertificate("tcAdpt02")).link.renewOrderId).toBe(newId);
  });

  it("a paid call whose answer is lost after commit is sent once; the link resolves it", async () => {
    emulator.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "reset", afterCommit: true });
    const before = count("CreateCertificateByPackage");
    const e = await rejection(
      apis.ssl.renewByPackage({ oldCertificateId: "tcAdpt03", productPid: 1013949, packageIds: [packageId], domainCount: 1, periodYears: 1, csrMethod: "online" }),
    );
    expect(count("CreateCertificateByPackage") - before).toBe(1);
    expect(isTransportError(e)).toBe(true);
    expect(e).toMatchObject({ resumable: true, originalCertificateId: "tcAdpt03" });
    const old = await apis.ssl.getCertificate("tcAdpt03");
    expect(old.link.renewOrderId).not.toBe("");
  });

  it("a read throttled by the emulator is retried to success", async () => {
    emulator.admin.addFault({ service: "ssl", action: "DescribeCertificateDetail", kind: "error", code: "LimitExceeded.RateLimitExceeded", times: 2 });
    const before = count("DescribeCertificateDetail");
    await expect(apis.ssl.getCertificate(certificateId)).resolves.toMatchObject({ certificateId });
    expect(count("DescribeCertificateDetail") - before).toBe(3);
  });
});

describe("DnsApi against the emulator", () => {
  it("creates, lists and deletes a validation record; deleting twice is fine", async () => {
    const zone = "adapter-zone.example";
    expect(await apis.dns.listRecords(zone, "_dnsauth", "TXT")).toEqual([]);
    const id = await apis.dns.createRecord({ zone, subDomain: "_dnsauth", type: "TXT", value: "adapter-token" });
    expect(id).toBeGreaterThan(0);
    const listed = await apis.dns.listRecords(zone, "_dnsauth", "TXT");
    expect(listed).toEqual([expect.objectContaining({ recordId: id, name: "_dnsauth", type: "TXT", value: "adapter-token", ttl: 600 })]);
    await apis.dns.deleteRecord(zone, id);
    expect(await apis.dns.listRecords(zone, "_dnsauth", "TXT")).toEqual([]);
    await expect(apis.dns.deleteRecord(zone, id)).resolves.toBeUndefined();
  });
});
