/**
 * Order actions through the real SDK: CertificateInfoSubmit, CertificateOrderSubmit (DNS and
 * DNS_AUTO), CompleteCertificate, CheckCertificateDomainVerification, UploadConfirmLetter,
 * CancelCertificateOrder, CancelAuditCertificate, ModifyCertificateResubmit, ReplaceCertificate.
 */
import { createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCsrForKey, generateLeafKeyPair } from "../../../crypto/ca";
import { expectTencentError, parseCertificates, startActionsEmulator, type ActionsEnv } from "./support/actions";

const C = {
  ov8: "OrdOv008", // OV in 8: UploadConfirmLetter
  ov8b: "OrdOv018", // OV in 8: CancelAuditCertificate, then resubmit
  dv4: "OrdDv004", // DNSPod DV in 4: CompleteCertificate refused, CancelCertificateOrder
  dv4b: "OrdDv014", // DV in 4: failReview, resubmit
  issued: "OrdIss01", // DV issued: refusals, ReplaceCertificate
  dv5: "OrdDv005", // DV in 5 with a domain: DNS_AUTO order
  ov5: "OrdOv005", // OV in 5
} as const;
const PACK = "OrdPack00001";
const TRUSTASIA_DV = 1018584;

let env: ActionsEnv;

const info = (certId: string, over: Record<string, unknown> = {}) => ({
  CertId: certId, GenCsrType: "online", CertCommonName: "ta.example.com", CompanyType: 1, CompanyId: "0",
  CsrEncryptAlgo: "RSA", CsrKeyParameter: "2048", DnsNames: ["ta.example.com", "api.example.com"], VerifyType: "DNS", AdminEmail: "admin@example.com", ...over,
});

async function buy(pid = TRUSTASIA_DV): Promise<string> {
  const r = await env.ssl.CreateCertificateByPackage({ ProductPid: pid, PackageIds: [PACK], DomainCount: "1", Period: 1 });
  return r.CertificateId ?? "";
}

async function status(id: string): Promise<number | undefined> {
  return (await env.ssl.DescribeCertificateDetail({ CertificateId: id })).Status;
}

async function publish(id: string): Promise<void> {
  const d = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
  for (const a of d.DvAuthDetail?.DvAuths ?? []) {
    await env.dnspod.CreateRecord({ Domain: a.DvAuthDomain ?? "", SubDomain: a.DvAuthSubDomain ?? "", RecordType: a.DvAuthVerifyType ?? "", RecordLine: "默认", Value: a.DvAuthValue ?? "" });
  }
}

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }],
    packages: [{ packageId: PACK, total: 100, balance: 100 }],
    certificates: [
      { certificateId: C.ov8, domain: "letter.example.com", certType: "OV", status: 8 },
      { certificateId: C.ov8b, domain: "audit.example.com", certType: "OV", status: 8 },
      { certificateId: C.dv4, domain: "cancel.example.com", status: 4 },
      { certificateId: C.dv4b, domain: "reject.example.com", status: 4 },
      { certificateId: C.issued, domain: "issued.example.com", expiresInDays: 100 },
      { certificateId: C.dv5, domain: "auto.example.com", status: 5 },
      { certificateId: C.ov5, domain: "ov5.example.com", certType: "OV", status: 5 },
    ],
  });
});

afterAll(async () => {
  await env?.close();
});

describe("CertificateInfoSubmit and CertificateOrderSubmit", () => {
  let bought = "";

  it("a purchase without application data cannot be submitted", async () => {
    bought = await buy();
    expect(await status(bought)).toBe(5);
    await expectTencentError(env.ssl.CertificateOrderSubmit({ CertId: bought }), "FailedOperation.CertificateInfoSubmitStatusInvalid");
  });

  it("refusals: status, domain, CSR, algorithm, GenCsrType, unknown id", async () => {
    await expectTencentError(env.ssl.CertificateInfoSubmit(info(C.issued, { CertCommonName: "issued.example.com", DnsNames: [] })), "FailedOperation.CertificateInfoSubmitStatusInvalid");
    await expectTencentError(env.ssl.CertificateInfoSubmit(info(C.dv5, { CertCommonName: "other.example.com", DnsNames: [] })), "FailedOperation.CertificateInfoSubmitDomainInvalid");
    await expectTencentError(env.ssl.CertificateInfoSubmit(info(bought, { GenCsrType: "parse", Csr: "not a csr" })), "FailedOperation.CertificateCsrParseFailed");
    await expectTencentError(env.ssl.CertificateInfoSubmit(info(bought, { CsrEncryptAlgo: "SM2", CsrKeyParameter: "sm2p256v1" })), "InvalidParameter.RenewAlgorithmInvalid");
    await expectTencentError(env.ssl.CertificateInfoSubmit(info(bought, { GenCsrType: "magic" })), "FailedOperation.InvalidParam");
    await expectTencentError(env.ssl.CertificateInfoSubmit(info("Nope0000")), "FailedOperation.CertificateNotFound");
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: bought });
    expect(d.Domain).toBe("");
    expect(d.SubmittedData).toBeNull();
  });

  it("online: stores the data and the domains; the detail shows SubmittedData and a masked key", async () => {
    const r = await env.ssl.CertificateInfoSubmit(info(bought));
    expect(r.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: bought });
    expect(d).toMatchObject({ Status: 5, Domain: "ta.example.com", CertificatePrivateKey: "*******", EncryptAlgorithm: "RSA 2048" });
    expect(d.SubmittedData).toMatchObject({ CsrType: "online", CertificateDomain: "ta.example.com", DomainList: ["ta.example.com", "api.example.com"], AdminEmail: "admin@example.com" });
  });

  it("CertificateOrderSubmit: 5 -> 4 with TrustAsia TXT DvAuths for every domain; a second submit is refused", async () => {
    await expectTencentError(env.ssl.CertificateOrderSubmit({ CertId: bought, VerifyType: "EMAIL" }), "FailedOperation.InvalidParam");
    const o = await env.ssl.CertificateOrderSubmit({ CertId: bought, VerifyType: "DNS" });
    expect(o).toMatchObject({ Status: 4, IsAudited: true });
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: bought });
    expect(d.OrderId).toBe(o.OrderId);
    expect(d.DvAuthDetail?.DvAuths?.map((a) => [a.DvAuthKey, a.DvAuthVerifyType, a.DvAuthSubDomain])).toEqual([
      ["_dnsauth.ta.example.com", "TXT", "_dnsauth.ta"],
      ["_dnsauth.api.example.com", "TXT", "_dnsauth.api"],
    ]);
    await expectTencentError(env.ssl.CertificateOrderSubmit({ CertId: bought }), "FailedOperation.CertificateInfoSubmitStatusInvalid");
  });

  it("CheckCertificateDomainVerification: -1 missing, -2 wrong value, 1 found; CompleteCertificate accepted for TrustAsia; issued with an online key", async () => {
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: bought });
    const [ta, api] = d.DvAuthDetail?.DvAuths ?? [];
    const check = async () => (await env.ssl.CheckCertificateDomainVerification({ CertificateId: bought })).VerificationResults?.map((v) => [v.Domain, v.VerifyType, v.LocalCheck]);
    expect(await check()).toEqual([["ta.example.com", "DNS", -1], ["api.example.com", "DNS", -1]]);
    const wrong = await env.dnspod.CreateRecord({ Domain: "example.com", SubDomain: ta?.DvAuthSubDomain ?? "", RecordType: "TXT", RecordLine: "默认", Value: "not-the-value" });
    expect(await check()).toEqual([["ta.example.com", "DNS", -2], ["api.example.com", "DNS", -1]]);
    await env.dnspod.ModifyRecord({ Domain: "example.com", RecordId: wrong.RecordId ?? 0, SubDomain: ta?.DvAuthSubDomain ?? "", RecordType: "TXT", RecordLine: "默认", Value: ta?.DvAuthValue ?? "" });
    await env.dnspod.CreateRecord({ Domain: "example.com", SubDomain: api?.DvAuthSubDomain ?? "", RecordType: "TXT", RecordLine: "默认", Value: api?.DvAuthValue ?? "" });
    expect(await check()).toEqual([["ta.example.com", "DNS", 1], ["api.example.com", "DNS", 1]]);
    expect((await env.ssl.CompleteCertificate({ CertificateId: bought })).CertificateId).toBe(bought);
    env.admin.advanceClock(61);
    const issued = await env.ssl.DescribeCertificateDetail({ CertificateId: bought });
    expect(issued.Status).toBe(1);
    expect(issued.SubmittedData).toBeNull();
    const [leaf] = parseCertificates(issued.CertificatePublicKey ?? "");
    expect(leaf?.subjectAltName).toBe("DNS:ta.example.com, DNS:api.example.com");
    expect(leaf?.checkPrivateKey(createPrivateKey(issued.CertificatePrivateKey ?? ""))).toBe(true);
    await expectTencentError(env.ssl.CompleteCertificate({ CertificateId: bought }), "FailedOperation.CertificateNotFoundOrAudited");
  });

  it("GenCsrType parse keeps our CSR: no private key is ever answered", async () => {
    const id = await buy();
    const key = await generateLeafKeyPair("EC_P256");
    const csr = await createCsrForKey(key, "parsed.example.com", []);
    await env.ssl.CertificateInfoSubmit(info(id, { GenCsrType: "parse", Csr: csr, CertCommonName: "parsed.example.com", DnsNames: [], CsrEncryptAlgo: undefined, CsrKeyParameter: undefined }));
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(d).toMatchObject({ Domain: "parsed.example.com", EncryptAlgorithm: "ECC 256", CertificatePrivateKey: null });
    expect(d.SubmittedData?.CsrContent).toBe(csr);
  });

  it("DNS_AUTO with DeleteDnsAutoRecord: the emulator publishes the records, issues, then removes them", async () => {
    const o = await env.ssl.CertificateOrderSubmit({ CertId: C.dv5, VerifyType: "DNS_AUTO", DeleteDnsAutoRecord: 1 });
    expect(o.Status).toBe(4);
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.dv5 });
    const sub = d.DvAuthDetail?.DvAuths?.[0]?.DvAuthSubDomain ?? "";
    const listed = await env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: sub });
    expect(listed.RecordList?.map((r) => r.Value)).toEqual([d.DvAuthDetail?.DvAuths?.[0]?.DvAuthValue]);
    expect((await env.ssl.CheckCertificateDomainVerification({ CertificateId: C.dv5 })).VerificationResults?.[0]?.LocalCheck).toBe(1);
    env.admin.advanceClock(61);
    expect(await status(C.dv5)).toBe(1);
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: sub }), "ResourceNotFound.NoDataOfRecord");
  });
});

describe("CompleteCertificate and CheckCertificateDomainVerification refusals", () => {
  it("CompleteCertificate: DNSPod brand -> FailedOperation; status 5 -> FailedOperation; unknown -> CertificateNotFound", async () => {
    const f = await expectTencentError(env.ssl.CompleteCertificate({ CertificateId: C.dv4 }), "FailedOperation");
    expect(f.message).toContain("DNSPod");
    const id = await buy();
    await expectTencentError(env.ssl.CompleteCertificate({ CertificateId: id }), "FailedOperation");
    await expectTencentError(env.ssl.CompleteCertificate({ CertificateId: "Nope0000" }), "FailedOperation.CertificateNotFound");
  });

  it("CheckCertificateDomainVerification: status 5 and 8 are refused; issued answers Issued per domain", async () => {
    await expectTencentError(env.ssl.CheckCertificateDomainVerification({ CertificateId: C.ov5 }), "FailedOperation.CertificateStatusNotAllowVerify");
    await expectTencentError(env.ssl.CheckCertificateDomainVerification({ CertificateId: C.ov8 }), "FailedOperation.CertificateStatusNotAllowVerify");
    const r = await env.ssl.CheckCertificateDomainVerification({ CertificateId: C.issued });
    expect(r.VerificationResults?.map((v) => [v.Domain, v.LocalCheck, v.CaCheck, v.Issued])).toEqual([["issued.example.com", 1, 1, true]]);
  });
});

describe("UploadConfirmLetter", () => {
  const letter = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");

  it("is NotSupport by default (Tencent since 2025-06)", async () => {
    await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: C.ov8, ConfirmLetter: letter(2048) }), "FailedOperation.UploadConfirmCertificateNotSupport");
    expect(await status(C.ov8)).toBe(8);
  });

  it("when allowed: DV, wrong status, too small, too large are refused; a 2 KB letter moves 8 -> 0", async () => {
    env.admin.setUploadConfirmLetterAllowed(true);
    try {
      await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: C.dv4b, ConfirmLetter: letter(2048) }), "FailedOperation.UploadConfirmCertificateNotSupportDV");
      await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: C.ov5, ConfirmLetter: letter(2048) }), "FailedOperation.InvalidCertificateStatusCode");
      await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: C.ov8, ConfirmLetter: letter(100) }), "FailedOperation.ConfirmLetterTooSmall");
      await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: C.ov8, ConfirmLetter: letter(1_600_000) }), "FailedOperation.ConfirmLetterTooLarge");
      expect(await status(C.ov8)).toBe(8);
      const ok = await env.ssl.UploadConfirmLetter({ CertificateId: C.ov8, ConfirmLetter: letter(2048) });
      expect(ok).toMatchObject({ CertificateId: C.ov8, IsSuccess: true });
      expect(await status(C.ov8)).toBe(0);
    } finally {
      env.admin.setUploadConfirmLetterAllowed(false);
    }
    expect(env.admin.settings().allowUploadConfirmLetter).toBe(false);
  });
});

describe("cancel, resubmit, reissue", () => {
  it("CancelCertificateOrder: 4 -> 6 -> 7 after cancelSeconds; issued and cancelled are refused", async () => {
    const r = await env.ssl.CancelCertificateOrder({ CertificateId: C.dv4 });
    expect(r.CertificateId).toBe(C.dv4);
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.dv4 });
    expect(d.Status).toBe(6);
    env.admin.advanceClock(5);
    const done = await env.ssl.DescribeCertificateDetail({ CertificateId: C.dv4 });
    expect(done.Status).toBe(7);
    expect(done.DvAuthDetail?.DvAuths).toBeNull();
    await expectTencentError(env.ssl.CancelCertificateOrder({ CertificateId: C.issued }), "FailedOperation.InvalidCertificateStatusCode");
    await expectTencentError(env.ssl.CancelCertificateOrder({ CertificateId: C.dv4 }), "FailedOperation.InvalidCertificateStatusCode");
  });

  it("CancelAuditCertificate: 8 -> 7; status 5 is refused", async () => {
    expect((await env.ssl.CancelAuditCertificate({ CertificateId: C.ov8b })).Result).toBe(true);
    expect(await status(C.ov8b)).toBe(7);
    await expectTencentError(env.ssl.CancelAuditCertificate({ CertificateId: C.ov5 }), "FailedOperation.CertificateNotFoundOrCantCancel");
    await expectTencentError(env.ssl.CancelAuditCertificate({ CertificateId: C.ov8b }), "FailedOperation.CertificateNotFoundOrCantCancel");
  });

  it("ModifyCertificateResubmit: cancelled 7 -> 5 (and can be ordered again), rejected 2 -> 5; issued is refused", async () => {
    expect((await env.ssl.ModifyCertificateResubmit({ CertificateId: C.ov8b })).CertificateId).toBe(C.ov8b);
    expect(await status(C.ov8b)).toBe(5);
    expect((await env.ssl.CertificateOrderSubmit({ CertId: C.ov8b })).Status).toBe(8);

    env.admin.failReview(C.dv4b, "材料不全");
    const rejected = await env.ssl.DescribeCertificateDetail({ CertificateId: C.dv4b });
    expect(rejected).toMatchObject({ Status: 2, StatusMsg: "材料不全" });
    await env.ssl.ModifyCertificateResubmit({ CertificateId: C.dv4b });
    const again = await env.ssl.DescribeCertificateDetail({ CertificateId: C.dv4b });
    expect(again).toMatchObject({ Status: 5, StatusMsg: null });
    expect(again.DvAuthDetail?.DvAuths).toBeNull();
    await expectTencentError(env.ssl.ModifyCertificateResubmit({ CertificateId: C.issued }), "FailedOperation.CertificateStatusNotAllowResubmit");
  });

  it("ReplaceCertificate: refusals, then a new id in 4 that issues with the original end date and a new ECC key", async () => {
    await expectTencentError(env.ssl.ReplaceCertificate({ CertificateId: C.ov5, ValidType: "DNS" }), "FailedOperation.InvalidCertificateStatusCode");
    await expectTencentError(env.ssl.ReplaceCertificate({ CertificateId: C.issued, ValidType: "EMAIL" }), "FailedOperation.InvalidParam");
    await expectTencentError(env.ssl.ReplaceCertificate({ CertificateId: C.issued, ValidType: "DNS", CsrType: "magic" }), "FailedOperation.InvalidParam");
    await expectTencentError(env.ssl.ReplaceCertificate({ CertificateId: C.issued, ValidType: "DNS", CsrType: "upload", CsrContent: "garbage" }), "FailedOperation.CertificateCsrParseFailed");
    await expectTencentError(env.ssl.ReplaceCertificate({ CertificateId: "Nope0000", ValidType: "DNS" }), "FailedOperation.CertificateNotFound");

    const r = await env.ssl.ReplaceCertificate({ CertificateId: C.issued, ValidType: "DNS", CsrType: "Online", CertCSREncryptAlgo: "ECC", CertCSRKeyParameter: "prime256v1" });
    const id = r.CertificateId ?? "";
    expect(id).not.toBe(C.issued);
    const old = await env.ssl.DescribeCertificateDetail({ CertificateId: C.issued });
    expect(old.CertificateExtra?.ReplacedBy).toBe(id);
    expect(old.Status).toBe(1);
    const next = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(next).toMatchObject({ Status: 4, EncryptAlgorithm: "ECC 256" });
    expect(next.CertificateExtra?.ReplacedFor).toBe(C.issued);
    await publish(id);
    env.admin.advanceClock(61);
    const issued = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(issued.Status).toBe(1);
    expect(issued.CertEndTime).toBe(old.CertEndTime);
    const [leaf] = parseCertificates(issued.CertificatePublicKey ?? "");
    expect(leaf?.publicKey.asymmetricKeyType).toBe("ec");
    expect(leaf?.checkPrivateKey(createPrivateKey(issued.CertificatePrivateKey ?? ""))).toBe(true);
  });
});
