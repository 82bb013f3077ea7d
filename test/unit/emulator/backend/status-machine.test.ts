import { X509Certificate, createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { arr, harness, obj, RENEW_SHOP, str } from "./harness";

const DAY = 86_400;

describe("status machine: DV renewal", () => {
  it("5 -> CertificateOrderSubmit -> 4 with DvAuths -> DNS record -> issuance delay -> 1", async () => {
    const h = harness();
    const { CertificateId } = await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP });
    const id = str(CertificateId);
    expect(obj(await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);

    const submitted = await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS" });
    expect(submitted.Status).toBe(4);
    expect(typeof submitted.OrderId).toBe("string");

    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(4);
    expect(d.StatusMsg).toBe("PENDING-DCV");
    const auths = arr(obj(d.DvAuthDetail).DvAuths).map(obj);
    expect(auths).toHaveLength(1); // shop + its free www validate once
    const a = auths[0]!;
    expect(a.DvAuthVerifyType).toBe("CNAME"); // DNSPod brand, as in Tencent's pending-DCV example
    expect(str(a.DvAuthKey)).toBe(`${str(a.DvAuthSubDomain)}.example.com`);
    expect(a.DvAuthDomain).toBe("example.com");

    const before = await h.ssl("CheckCertificateDomainVerification", { CertificateId: id });
    expect(obj(arr(before.VerificationResults)[0]).LocalCheck).toBe(-6);

    await h.dns("CreateRecord", { Domain: a.DvAuthDomain, SubDomain: a.DvAuthSubDomain, RecordType: a.DvAuthVerifyType, RecordLine: "默认", Value: a.DvAuthValue });
    const after = obj(arr((await h.ssl("CheckCertificateDomainVerification", { CertificateId: id })).VerificationResults)[0]);
    expect(after.LocalCheck).toBe(1);
    expect(after.Issued).toBe(false);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).StatusMsg).toBe("WAIT-ISSUE");

    h.advance(59);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(4);
    h.advance(1);
    const issued = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(issued.Status).toBe(1);
    expect(issued.SubmittedData).toBeNull();
    expect(issued.SubjectAltName).toEqual(["www.shop.example.com"]);
    expect(obj(issued.DvAuthDetail).DvAuths).toBeNull();

    // The certificate is real: it chains to RootCert and matches the key the CA generated (online mode).
    const pems = str(issued.CertificatePublicKey).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(pems).toHaveLength(2);
    const leaf = new X509Certificate(pems[0]!);
    const intermediate = new X509Certificate(pems[1]!);
    const root = new X509Certificate(str(obj(issued.RootCert).Standard));
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(str(issued.CertificatePrivateKey)))).toBe(true);
    expect(leaf.subjectAltName).toContain("DNS:www.shop.example.com");
    // Validity: 20 days left on the old certificate + 365, under the 398-day cap.
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(385);
    expect(issued.CertBeginTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(arr(issued.CertChainInfo)).toHaveLength(2);

    const check = obj(arr((await h.ssl("CheckCertificateDomainVerification", { CertificateId: id })).VerificationResults)[0]);
    expect(check.Issued).toBe(true);
  });

  it("DNS_AUTO: the emulator adds the DNSPod record itself when the zone is in the account", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO", DeleteDnsAutoRecord: 1 })).Status).toBe(4);
    const auth = (h.backend.admin.inspectCertificate(id)?.dvAuths as Array<{ subDomain: string }>)[0]!;
    expect(h.backend.admin.inspectZone("example.com").some((r) => r.name === auth.subDomain)).toBe(true);
    h.advance(60);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(1);
    // DeleteDnsAutoRecord: 1 removes the records at issuance.
    expect(h.backend.admin.inspectZone("example.com").some((r) => r.name === auth.subDomain)).toBe(false);
  });

  it("a wrong record value is reported as a mismatch and does not issue", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS" });
    const a = obj(arr(obj((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).DvAuthDetail).DvAuths)[0]);
    await h.dns("CreateRecord", { Domain: "example.com", SubDomain: a.DvAuthSubDomain, RecordType: "CNAME", RecordLine: "默认", Value: "wrong.example.net" });
    const r = obj(arr((await h.ssl("CheckCertificateDomainVerification", { CertificateId: id })).VerificationResults)[0]);
    expect(r.LocalCheck).toBe(-7);
    expect(r.CheckValue).toEqual(["wrong.example.net"]);
    h.advance(3600);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(4);
  });

  it("setIssuanceDelay changes the wait after validation", async () => {
    const h = harness();
    h.backend.admin.setIssuanceDelay(0);
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(1);
  });

  it("setRenewalInitialStatus('submitted') starts a DV renewal in 4 without CertificateOrderSubmit", async () => {
    const h = harness();
    h.backend.admin.setRenewalInitialStatus("submitted");
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP, VerifyType: "DNS" })).CertificateId);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(4);
    expect(arr(obj(d.DvAuthDetail).DvAuths).length).toBe(1);
    expect((await h.code("ssl", "CertificateOrderSubmit", { CertId: id })).code).toBe("FailedOperation.CertificateInfoSubmitStatusInvalid");
  });
});

describe("status machine: OV renewal", () => {
  const renewCorp = { OldCertificateId: "DemoCorp", ProductPid: 1013955, PackageIds: ["DemoPack0001"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "original" };

  it("5 -> 8 (letter) -> acceptLetter -> 0 -> DNS -> 1", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", renewCorp)).CertificateId);
    expect((await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS" })).Status).toBe(8);
    h.advance(3600);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(8);
    expect((await h.code("ssl", "UploadConfirmLetter", { CertificateId: id, ConfirmLetter: "JVBERi0=" })).code).toBe("FailedOperation.UploadConfirmCertificateNotSupport");

    h.backend.admin.acceptLetter(id);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(0);
    const a = obj(arr(obj(d.DvAuthDetail).DvAuths)[0]);
    await h.dns("CreateRecord", { Domain: "example.com", SubDomain: a.DvAuthSubDomain, RecordType: a.DvAuthVerifyType, RecordLine: "默认", Value: a.DvAuthValue });
    h.advance(60);
    const issued = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(issued.Status).toBe(1);
    expect(issued.IsDv).toBe(false);
    // original: the new certificate reuses the old certificate's key.
    const old = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoCorp" });
    expect(issued.CertificatePrivateKey).toBe(old.CertificatePrivateKey);
    expect(h.backend.admin.inspectCertificate(id)?.key).toMatchObject({ mode: "original", inferred: true });
  });

  it("UploadConfirmLetter, when the admin allows it, moves 8 -> 0 and checks the size", async () => {
    const h = harness();
    h.backend.admin.setUploadConfirmLetterAllowed(true);
    const id = str((await h.ssl("CreateCertificateByPackage", renewCorp)).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id });
    expect((await h.code("ssl", "UploadConfirmLetter", { CertificateId: id, ConfirmLetter: "JVBERi0=" })).code).toBe("FailedOperation.ConfirmLetterTooSmall");
    const letter = Buffer.alloc(2048, 1).toString("base64");
    expect(await h.ssl("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: letter })).toEqual({ CertificateId: id, IsSuccess: true });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(0);
    expect((await h.code("ssl", "UploadConfirmLetter", { CertificateId: "DemoShop", ConfirmLetter: letter })).code).toBe("FailedOperation.UploadConfirmCertificateNotSupportDV");
  });

  it("setRenewalInitialStatus('submitted') starts an OV renewal in 8", async () => {
    const h = harness();
    h.backend.admin.setRenewalInitialStatus("submitted");
    const id = str((await h.ssl("CreateCertificateByPackage", renewCorp)).CertificateId);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(8);
  });

  it("brands that skip the letter (WoTrus OV) go from 5 straight to 0", async () => {
    const h = harness();
    h.backend.admin.seed({ certificates: [{ accountId: "demo", certificateId: "WoTrusOv", domain: "wo.example.com", certType: "OV", productPid: 1004164, expiresInDays: 10 }] });
    const id = str((await h.ssl("CreateCertificateByPackage", { ...renewCorp, OldCertificateId: "WoTrusOv", ProductPid: 1004164 })).CertificateId);
    expect((await h.ssl("CertificateOrderSubmit", { CertId: id })).Status).toBe(0);
  });
});

describe("status machine: failures, cancellation, expiry", () => {
  it("failReview -> 2 -> ModifyCertificateResubmit -> 5", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    await h.ssl("CertificateOrderSubmit", { CertId: id });
    h.backend.admin.failReview(id, "CA审核失败，域名未通过安全审查");
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    expect(d.Status).toBe(2);
    expect(d.StatusMsg).toBe("CA审核失败，域名未通过安全审查");
    expect(await h.ssl("ModifyCertificateResubmit", { CertificateId: id })).toEqual({ CertificateId: id });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);
    expect((await h.code("ssl", "ModifyCertificateResubmit", { CertificateId: id })).code).toBe("FailedOperation.CertificateStatusNotAllowResubmit");
  });

  it("CancelAuditCertificate: {0,4,8} -> 7; refused otherwise", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "CancelAuditCertificate", { CertificateId: id })).code).toBe("FailedOperation.CertificateNotFoundOrCantCancel");
    await h.ssl("CertificateOrderSubmit", { CertId: id });
    expect(await h.ssl("CancelAuditCertificate", { CertificateId: id })).toEqual({ Result: true });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(7);
    // 7 -> resubmit -> 5
    await h.ssl("ModifyCertificateResubmit", { CertificateId: id });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);
  });

  it("CancelCertificateOrder: pre-issue -> 6 -> 7 after a few seconds; issued is refused", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect(await h.ssl("CancelCertificateOrder", { CertificateId: id })).toEqual({ CertificateId: id });
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(6);
    h.advance(5);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(7);
    expect((await h.code("ssl", "CancelCertificateOrder", { CertificateId: "DemoBlog" })).code).toBe("FailedOperation.InvalidCertificateStatusCode");
  });

  it("an issued certificate past its end becomes 3", async () => {
    const h = harness();
    h.advance(21 * DAY);
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    expect(d.Status).toBe(3);
    expect(d.RenewAble).toBe(false);
  });
});
