import { describe, expect, it } from "vitest";
import { createCsrForKey, generateLeafKeyPair } from "../../../../crypto/ca";
import { PRICE_POINTS } from "../../../../emulator/backend";
import { arr, harness, obj, RENEW_SHOP, str } from "./harness";

function balance(h: ReturnType<typeof harness>): number {
  return Number(h.backend.admin.inspectPackages("demo")[0]?.balance);
}

describe("CreateCertificateByPackage (renewal)", () => {
  it("pays with points and links the old and new certificates both ways", async () => {
    const h = harness();
    expect(balance(h)).toBe(100);
    const res = await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP });
    const id = str(res.CertificateId);
    expect(id).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(res.CertificateIds).toEqual([id]);
    expect(balance(h)).toBe(100 - PRICE_POINTS.DV.perDomain);

    const oldDetail = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    expect(obj(oldDetail.CertificateExtra).RenewOrder).toBe(id);
    expect(oldDetail.RenewAble).toBe(false);
    const newDetail = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(obj(newDetail.CertificateExtra).OriginCertificateId).toBe("DemoShop");
    expect(newDetail.Domain).toBe("shop.example.com");
    expect(newDetail.CertificatePublicKey).toBeNull();
    expect(newDetail.CertificatePrivateKey).toBe("*******"); // masked until issued, like Tencent's pending examples

    const list = await h.ssl("DescribeCertificates", { CertIds: ["DemoShop"] });
    expect(obj(arr(list.Certificates)[0]).HasRenewOrder).toBe(id);
  });

  it("refuses a second renewal of the same certificate, naming the existing RenewOrder", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    const e = await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP });
    expect(e.code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(e.message).toContain(`RenewOrder ${id}`);
    expect(balance(h)).toBe(99); // nothing paid twice
  });

  it("allows a new renewal once the previous one is cancelled", async () => {
    const h = harness();
    const first = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    await h.ssl("CancelCertificateOrder", { CertificateId: first });
    h.advance(10);
    const second = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect(second).not.toBe(first);
    expect(obj((await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" })).CertificateExtra).RenewOrder).toBe(second);
  });

  it("prices OV at 3 points per domain", async () => {
    const h = harness();
    await h.ssl("CreateCertificateByPackage", { OldCertificateId: "DemoCorp", ProductPid: 1013955, PackageIds: ["DemoPack0001"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "original" });
    expect(balance(h)).toBe(100 - PRICE_POINTS.OV.perDomain);
  });

  it("marks an emptied package as used and spreads the cost over several packages", async () => {
    const h = harness();
    h.backend.admin.seed({ packages: [{ accountId: "demo", packageId: "Tiny00000001", total: 1, balance: 1 }, { accountId: "demo", packageId: "Tiny00000002", total: 5, balance: 5 }] });
    await h.ssl("CreateCertificateByPackage", { OldCertificateId: "DemoCorp", ProductPid: 1013955, PackageIds: ["Tiny00000001", "Tiny00000002"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "original" });
    const pkgs = h.backend.admin.inspectPackages("demo");
    expect(pkgs.find((p) => p.packageId === "Tiny00000001")).toMatchObject({ balance: 0, status: "used" });
    expect(pkgs.find((p) => p.packageId === "Tiny00000002")).toMatchObject({ balance: 3, status: "usable" });
  });

  it("upload: accepts a CSR for the same domains and keeps no private key", async () => {
    const h = harness();
    const key = await generateLeafKeyPair("EC_P384");
    const csr = await createCsrForKey(key, "shop.example.com", ["www.shop.example.com"]);
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP, RenewGenCsrMethod: "upload", RenewCsr: csr })).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" });
    h.advance(60);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(1);
    expect(d.CertificatePrivateKey).toBeNull();
    expect(d.EncryptAlgorithm).toBe("ECC 384");
  });

  describe("errors, before anything is paid", () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["unknown old certificate", { OldCertificateId: "Missing1" }, "FailedOperation.CertificateNotFound"],
      ["not in the 30-day window", { OldCertificateId: "DemoBlog" }, "FailedOperation.InvalidCertificateStatusCode"],
      ["ProductPid of another product", { ProductPid: 1013955 }, "InvalidParameter.ProductPidInvalid"],
      ["unknown ProductPid", { ProductPid: 1 }, "InvalidParameter.ProductPidInvalid"],
      ["Period 2", { Period: 2 }, "InvalidParameter.PeriodInvalid"],
      ["unknown package", { PackageIds: ["Nope"] }, "FailedOperation.PackageNotFound"],
      ["no packages", { PackageIds: [] }, "InvalidParameter.PackageIdsInvalid"],
      ["bad CSR method", { RenewGenCsrMethod: "magic" }, "InvalidParameter.RenewGenCsrMethodInvalid"],
      ["SM2 online key", { RenewAlgorithmType: "SM2", RenewAlgorithmParam: "" }, "InvalidParameter.RenewAlgorithmInvalid"],
      ["RSA 1024", { RenewAlgorithmType: "RSA", RenewAlgorithmParam: "1024" }, "InvalidParameter.RenewAlgorithmInvalid"],
      ["upload without CSR", { RenewGenCsrMethod: "upload" }, "InvalidParameter.RenewCsrInvalid"],
      ["upload with garbage", { RenewGenCsrMethod: "upload", RenewCsr: "CSR" }, "InvalidParameter.RenewCsrInvalid"],
      ["wrong DomainCount", { DomainCount: "5" }, "InvalidParameter.DomainCountInvalid"],
    ];
    for (const [name, patch, code] of cases) {
      it(`${name} -> ${code}`, async () => {
        const h = harness();
        expect((await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP, ...patch })).code).toBe(code);
        expect(balance(h)).toBe(100);
      });
    }

    it("upload with a CSR for other domains -> InvalidParameter.RenewCsrInvalid", async () => {
      const h = harness();
      const csr = await createCsrForKey(await generateLeafKeyPair("EC_P256"), "evil.example.com", []);
      const e = await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP, RenewGenCsrMethod: "upload", RenewCsr: csr });
      expect(e.code).toBe("InvalidParameter.RenewCsrInvalid");
      expect(e.message).toContain("evil.example.com");
    });

    it("an expired package -> FailedOperation.PackageExpired", async () => {
      const h = harness();
      h.backend.admin.seed({ packages: [{ accountId: "demo", packageId: "Old000000001", total: 10, balance: 10, expiresInDays: 1 }] });
      h.advance(2 * 86_400);
      expect((await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP, OldCertificateId: "DemoShop", PackageIds: ["Old000000001"] })).code).toBe("FailedOperation.PackageExpired");
    });

    it("not enough points -> FailedOperation.PackageCountLimit", async () => {
      const h = harness();
      h.backend.admin.seed({ packages: [{ accountId: "demo", packageId: "Low000000001", total: 2, balance: 2 }] });
      const e = await h.code("ssl", "CreateCertificateByPackage", { OldCertificateId: "DemoCorp", ProductPid: 1013955, PackageIds: ["Low000000001"], DomainCount: "1", Period: 1 });
      expect(e.code).toBe("FailedOperation.PackageCountLimit");
      expect(e.message).toContain("costs 3");
    });

    it("a free certificate cannot be renewed with points", async () => {
      const h = harness();
      h.backend.admin.seed({ certificates: [{ accountId: "demo", certificateId: "FreeCert", domain: "free.example.com", paid: false, expiresInDays: 10 }] });
      expect((await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP, OldCertificateId: "FreeCert" })).code).toBe("FailedOperation.InvalidCertificateStatusCode");
    });

    it("a used package -> InvalidParameter.PackageIdsInvalid", async () => {
      const h = harness();
      h.backend.admin.seed({ packages: [{ accountId: "demo", packageId: "Used00000001", total: 10, balance: 10, status: "refund" }] });
      expect((await h.code("ssl", "CreateCertificateByPackage", { ...RENEW_SHOP, PackageIds: ["Used00000001"] })).code).toBe("InvalidParameter.PackageIdsInvalid");
    });
  });

  it("without OldCertificateId buys a new certificate waiting in status 5", async () => {
    const h = harness();
    const res = await h.ssl("CreateCertificateByPackage", { ProductPid: 1013949, PackageIds: ["DemoPack0001"], DomainCount: "1", Period: 1 });
    const id = str(res.CertificateId);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);
    expect(balance(h)).toBe(99);
    await h.ssl("CertificateInfoSubmit", { CertId: id, GenCsrType: "online", CertCommonName: "new.example.com", CompanyType: 1, CompanyId: "0", CsrEncryptAlgo: "RSA", CsrKeyParameter: "2048" });
    expect((await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" })).Status).toBe(4);
    h.advance(60);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(1);
    expect(d.Domain).toBe("new.example.com");
    expect(str(d.CertificatePrivateKey)).toContain("BEGIN RSA PRIVATE KEY");
  });
});
