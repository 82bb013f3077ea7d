import { describe, expect, it } from "vitest";
import { createTencentBackend } from "../../../../emulator/backend";
import { harness, RENEW_SHOP, START, str } from "./harness";

describe("snapshot and restore", () => {
  it("round-trips through JSON, including the CA, so issued PEM stays identical", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    const pem = (await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" })).CertificatePublicKey;
    h.backend.admin.setIssuanceDelay(7);
    const json = JSON.stringify(h.backend.snapshot());
    const other = createTencentBackend({ now: () => START });
    other.restore(JSON.parse(json));
    const ctx = { service: "ssl" as const, accountId: "demo", now: () => START, baseUrl: "http://x" };
    const d = await other.actions.ssl.DescribeCertificateDetail!({ ...ctx, action: "DescribeCertificateDetail", params: { CertificateId: "DemoShop" } });
    expect(d.CertificatePublicKey).toBe(pem);
    expect((d.CertificateExtra as { RenewOrder: string }).RenewOrder).toBe(id);
    expect(other.admin.settings().issuanceDelaySeconds).toBe(7);
    expect(other.findAccountBySecretId("AKIDEMULATORDEMO000000000000000000000")?.accountId).toBe("demo");
  });

  it("rejects something that is not a snapshot", () => {
    const b = createTencentBackend({ now: () => START });
    expect(() => b.restore({ hello: 1 })).toThrow(/not a backend snapshot/);
  });

  it("seeds 5,000 certificates without generating any key or PEM up front", async () => {
    const b = createTencentBackend({ now: () => START });
    b.admin.seed({ accounts: [{ accountId: "bulk", secretId: "AKIDBULK", secretKey: "k" }], certificates: Array.from({ length: 5000 }, (_, i) => ({ domain: `s${i}.example.com`, expiresInDays: i % 400 })) });
    const ctx = { service: "ssl" as const, accountId: "bulk", now: () => START, baseUrl: "http://x" };
    const list = await b.actions.ssl.DescribeCertificates!({ ...ctx, action: "DescribeCertificates", params: { Limit: 1000, FilterExpiring: 1 } });
    const expiring = Array.from({ length: 5000 }, (_, i) => i % 400).filter((d) => d >= 1 && d <= 30).length;
    expect(list.TotalCount).toBe(expiring); // IsExpiring: 0 < days left <= 30
    const snap = b.snapshot() as { accounts: Record<string, { certificates: Record<string, { material: unknown }> }> };
    expect(Object.values(snap.accounts.bulk!.certificates).every((c) => c.material === null)).toBe(true);
  });

  it("admin errors are explicit", () => {
    const h = harness();
    expect(() => h.backend.admin.acceptLetter("DemoShop")).toThrow(/needs status 8/);
    expect(() => h.backend.admin.seedPreset("nope")).toThrow(/unknown seed preset/);
    expect(() => h.backend.admin.setIssuanceDelay(-1)).toThrow(/>= 0/);
    expect(h.backend.admin.inspectCertificate("nope")).toBeUndefined();
  });
});
