import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCsrForKey, generateLeafKeyPair } from "../../../../crypto/ca";
import { arr, harness, obj, RENEW_SHOP, str } from "./harness";

describe("ReplaceCertificate (reissue)", () => {
  it("creates a linked certificate that revalidates and keeps the original end date", async () => {
    const h = harness();
    const old = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoBlog" });
    const res = await h.ssl("ReplaceCertificate", { CertificateId: "DemoBlog", ValidType: "DNS_AUTO", CsrType: "online", CertCSREncryptAlgo: "ECC", CertCSRKeyParameter: "prime256v1" });
    const id = str(res.CertificateId);
    expect(id).not.toBe("DemoBlog");
    expect(obj((await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoBlog" })).CertificateExtra).ReplacedBy).toBe(id);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(4);
    h.advance(60);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(1);
    expect(obj(d.CertificateExtra).ReplacedFor).toBe("DemoBlog");
    expect(d.CertEndTime).toBe(old.CertEndTime);
    expect(new X509Certificate(str(d.CertificatePublicKey).split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----").publicKey.asymmetricKeyType).toBe("ec");
  });

  it("Original CsrType (capitalised, as in Tencent's example) reuses the key; bad CSR and status are refused", async () => {
    const h = harness();
    const res = await h.ssl("ReplaceCertificate", { CertificateId: "DemoBlog", ValidType: "DNS", CsrType: "Original", Reason: "test" });
    expect(h.backend.admin.inspectCertificate(str(res.CertificateId))?.key).toMatchObject({ mode: "original" });
    expect((await h.code("ssl", "ReplaceCertificate", { CertificateId: "DemoBlog", ValidType: "DNS", CsrType: "upload", CsrContent: "nope" })).code).toBe("FailedOperation.CertificateCsrParseFailed");
    const pending = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "ReplaceCertificate", { CertificateId: pending, ValidType: "DNS" })).code).toBe("FailedOperation.InvalidCertificateStatusCode");
  });
});

describe("DeleteCertificate", () => {
  it("refuses while a renewal is not issued (RenewNotIssued), then deletes", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "DeleteCertificate", { CertificateId: "DemoShop" })).code).toBe("FailedOperation.RenewNotIssued");
    await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" });
    h.advance(60);
    expect(await h.ssl("DeleteCertificate", { CertificateId: "DemoShop" })).toEqual({ DeleteResult: true, TaskId: "" });
    expect((await h.code("ssl", "DescribeCertificateDetail", { CertificateId: "DemoShop" })).code).toBe("FailedOperation.CertificateNotFound");
  });
});

describe("UploadCertificate", () => {
  it("stores an uploaded certificate as source upload, not paid", async () => {
    const h = harness();
    const shop = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    const res = await h.ssl("UploadCertificate", { CertificatePublicKey: shop.CertificatePublicKey, CertificatePrivateKey: shop.CertificatePrivateKey, Alias: "mine" });
    const id = str(res.CertificateId);
    const item = obj(arr((await h.ssl("DescribeCertificates", { FilterSource: "upload" })).Certificates)[0]);
    expect(item).toMatchObject({ CertificateId: id, From: "upload", IsVip: false, Alias: "mine", Domain: "shop.example.com", RenewAble: false });
    const other = await generateLeafKeyPair("EC_P256");
    expect((await h.code("ssl", "UploadCertificate", { CertificatePublicKey: shop.CertificatePublicKey, CertificatePrivateKey: other.privateKeyPem })).code).toBe("FailedOperation.CertificateMatchError");
    expect((await h.code("ssl", "UploadCertificate", { CertificatePublicKey: "garbage", CertificatePrivateKey: other.privateKeyPem })).code).toBe("FailedOperation.CertificateParseError");
  });
});

describe("CertificateInfoSubmit, CompleteCertificate, CheckCertificateDomainVerification errors", () => {
  it("info can only be submitted in status 5, with a parseable CSR", async () => {
    const h = harness();
    const base = { GenCsrType: "online", CertCommonName: "shop.example.com", CompanyType: 2, CompanyId: "0" };
    expect((await h.code("ssl", "CertificateInfoSubmit", { ...base, CertId: "DemoShop" })).code).toBe("FailedOperation.CertificateInfoSubmitStatusInvalid");
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect(await h.ssl("CertificateInfoSubmit", { ...base, CertId: id, CsrEncryptAlgo: "RSA", CsrKeyParameter: "2048" })).toEqual({});
    expect((await h.code("ssl", "CertificateInfoSubmit", { ...base, CertId: id, CertCommonName: "other.example.com" })).code).toBe("FailedOperation.CertificateInfoSubmitDomainInvalid");
    expect((await h.code("ssl", "CertificateInfoSubmit", { ...base, CertId: id, GenCsrType: "parse", Csr: "x" })).code).toBe("FailedOperation.CertificateCsrParseFailed");
    const csr = await createCsrForKey(await generateLeafKeyPair("EC_P256"), "shop.example.com", ["www.shop.example.com"]);
    expect(await h.ssl("CertificateInfoSubmit", { ...base, CertId: id, GenCsrType: "parse", Csr: csr, DnsNames: ["www.shop.example.com"] })).toEqual({});
    expect(h.backend.admin.inspectCertificate(id)?.key).toMatchObject({ mode: "upload", privateKeyPem: null });
  });

  it("CompleteCertificate: not for DNSPod brand; CertificateNotFoundOrAudited once issued", async () => {
    const h = harness();
    h.backend.admin.seed({ certificates: [{ accountId: "demo", certificateId: "TrustDv1", domain: "ta.example.com", productPid: 1018584, status: 4 }] });
    expect(await h.ssl("CompleteCertificate", { CertificateId: "TrustDv1" })).toEqual({ CertificateId: "TrustDv1" });
    expect((await h.code("ssl", "CompleteCertificate", { CertificateId: "DemoShop" })).code).toBe("FailedOperation.CertificateNotFoundOrAudited");
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id });
    expect((await h.code("ssl", "CompleteCertificate", { CertificateId: id })).message).toContain("DNSPod");
    const seeded = h.backend.admin.inspectCertificate("TrustDv1");
    expect((seeded?.dvAuths as Array<{ verifyType: string; subDomain: string }>)[0]).toMatchObject({ verifyType: "TXT", subDomain: "_dnsauth.ta" });
  });

  it("CheckCertificateDomainVerification refuses status 5", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "CheckCertificateDomainVerification", { CertificateId: id })).code).toBe("FailedOperation.CertificateStatusNotAllowVerify");
  });
});
