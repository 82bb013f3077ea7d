/**
 * CreateCertificateByPackage (the paid renewal) through the real SDK: every refusal with its Tencent
 * code and nothing paid, the happy path and its links, and the DV and OV status machines up to issuance.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCsrForKey, generateLeafKeyPair } from "../../../crypto/ca";
import { expectTencentError, parseCertificates, startActionsEmulator, type ActionsEnv } from "./support/actions";

const C = {
  online: "RenDv001", // DV, 20 days: renewed online
  upload: "RenDv002", // DV, 15 days: renewed with our CSR, then the full DV machine
  ov: "RenOv001", // OV, 25 days: the letter machine
  far: "RenFar01", // DV, 200 days: not renewable yet
  free: "RenFree1", // not paid
  err: "RenErr01", // DV, 10 days: target of every refusal
  ok: "RenOk001", // DV, 12 days, 2 SANs: DomainCount "3"
} as const;
const PACK = "RenPack00001";

let env: ActionsEnv;

const base = (over: Record<string, unknown> = {}) => ({
  OldCertificateId: C.err, ProductPid: 1013949, PackageIds: [PACK], DomainCount: "1", Period: 1, RenewGenCsrMethod: "online", ...over,
});

async function balance(): Promise<number | undefined> {
  return (await env.ssl.DescribePackages({ PackageId: PACK })).Packages?.[0]?.Balance;
}

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }],
    packages: [
      { packageId: PACK, total: 100, balance: 100 },
      { packageId: "RenPackExpd1", total: 10, balance: 10, expiresInDays: -1 },
      { packageId: "RenPackEmpty", total: 10, balance: 0 },
      { packageId: "RenPackUsed1", total: 10, balance: 0, status: "used" },
    ],
    certificates: [
      { certificateId: C.online, domain: "online.example.com", expiresInDays: 20 },
      { certificateId: C.upload, domain: "upload.example.com", expiresInDays: 15 },
      { certificateId: C.ov, domain: "ov.example.com", certType: "OV", expiresInDays: 25 },
      { certificateId: C.far, domain: "far.example.com", expiresInDays: 200 },
      { certificateId: C.free, domain: "free.example.com", expiresInDays: 10, paid: false },
      { certificateId: C.err, domain: "err.example.com", expiresInDays: 10 },
      { certificateId: C.ok, domain: "multi.example.com", sans: ["a.multi.example.com", "b.multi.example.com"], productPid: 1013953, expiresInDays: 12 },
    ],
  });
});

afterAll(async () => {
  await env?.close();
});

describe("CreateCertificateByPackage refusals (nothing is paid)", () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["unknown old certificate", { OldCertificateId: "Nope0000" }, "FailedOperation.CertificateNotFound"],
    ["not a paid certificate", { OldCertificateId: C.free }, "FailedOperation.InvalidCertificateStatusCode"],
    ["not renewable yet (200 days left)", { OldCertificateId: C.far }, "FailedOperation.InvalidCertificateStatusCode"],
    ["ProductPid of another product", { ProductPid: 1013955 }, "InvalidParameter.ProductPidInvalid"],
    ["ProductPid unknown", { ProductPid: 1 }, "InvalidParameter.ProductPidInvalid"],
    ["Period 2", { Period: 2 }, "InvalidParameter.PeriodInvalid"],
    ["DomainCount not the DomainNumber", { DomainCount: "2" }, "InvalidParameter.DomainCountInvalid"],
    ["package not found", { PackageIds: ["NoSuchPack01"] }, "FailedOperation.PackageNotFound"],
    ["package expired", { PackageIds: ["RenPackExpd1"] }, "FailedOperation.PackageExpired"],
    ["package without points", { PackageIds: ["RenPackEmpty"] }, "FailedOperation.PackageCountLimit"],
    ["package used up", { PackageIds: ["RenPackUsed1"] }, "InvalidParameter.PackageIdsInvalid"],
    ["no package", { PackageIds: [] }, "InvalidParameter.PackageIdsInvalid"],
    ["bad RenewGenCsrMethod", { RenewGenCsrMethod: "magic" }, "InvalidParameter.RenewGenCsrMethodInvalid"],
    ["upload without a CSR", { RenewGenCsrMethod: "upload" }, "InvalidParameter.RenewCsrInvalid"],
    ["upload with garbage", { RenewGenCsrMethod: "upload", RenewCsr: "-----BEGIN CERTIFICATE REQUEST-----\nnope\n-----END CERTIFICATE REQUEST-----" }, "InvalidParameter.RenewCsrInvalid"],
    ["SM2 key", { RenewAlgorithmType: "SM2", RenewAlgorithmParam: "sm2p256v1" }, "InvalidParameter.RenewAlgorithmInvalid"],
    ["RSA 1024", { RenewAlgorithmType: "RSA", RenewAlgorithmParam: "1024" }, "InvalidParameter.RenewAlgorithmInvalid"],
    ["ECC on another curve", { RenewAlgorithmType: "ECC", RenewAlgorithmParam: "secp384r1" }, "InvalidParameter.RenewAlgorithmInvalid"],
  ];
  for (const [what, over, code] of cases) {
    it(`${what} -> ${code}`, async () => {
      await expectTencentError(env.ssl.CreateCertificateByPackage(base(over)), code);
    });
  }

  it("a CSR for other domains -> InvalidParameter.RenewCsrInvalid", async () => {
    const key = await generateLeafKeyPair("EC_P256");
    const csr = await createCsrForKey(key, "someone-else.example.com", []);
    const f = await expectTencentError(env.ssl.CreateCertificateByPackage(base({ RenewGenCsrMethod: "upload", RenewCsr: csr })), "InvalidParameter.RenewCsrInvalid");
    expect(f.message).toContain("err.example.com");
  });

  it("after every refusal the balance is whole and the old certificate has no renewal", async () => {
    expect(await balance()).toBe(100);
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.err });
    expect(d.CertificateExtra?.RenewOrder ?? "").toBe("");
    const list = await env.ssl.DescribeCertificates({ CertIds: [C.err] });
    expect(list.Certificates?.[0]).toMatchObject({ HasRenewOrder: "", RenewAble: true });
  });
});

describe("CreateCertificateByPackage happy paths", () => {
  let renewed = "";

  it("online ECC renewal: a new certificate in status 5, linked both ways, one point paid", async () => {
    const r = await env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.online, RenewAlgorithmType: "ECC", RenewAlgorithmParam: "prime256v1" }));
    renewed = r.CertificateId ?? "";
    expect(renewed).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(r.CertificateIds).toEqual([renewed]);
    expect(await balance()).toBe(99);
    const next = await env.ssl.DescribeCertificateDetail({ CertificateId: renewed });
    expect(next).toMatchObject({ Status: 5, Domain: "online.example.com", EncryptAlgorithm: "ECC 256", CertificatePublicKey: null, CertificatePrivateKey: "*******" });
    expect(next.CertificateExtra?.OriginCertificateId).toBe(C.online);
    const old = await env.ssl.DescribeCertificateDetail({ CertificateId: C.online });
    expect(old.CertificateExtra?.RenewOrder).toBe(renewed);
    expect(old.RenewAble).toBe(false);
    const list = await env.ssl.DescribeCertificates({ CertIds: [C.online] });
    expect(list.Certificates?.[0]).toMatchObject({ HasRenewOrder: renewed, RenewAble: false });
    expect((await env.ssl.DescribeCertificates({ Renew: 1, CertIds: [C.online] })).TotalCount).toBe(0);
  });

  it("a second renewal of the same certificate is refused, naming the live one, and costs nothing", async () => {
    const f = await expectTencentError(env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.online })), "FailedOperation.InvalidCertificateStatusCode");
    expect(f.message).toContain(renewed);
    expect(await balance()).toBe(99);
  });

  it("a multi-domain DNSPod DV costs one point per domain and takes DomainCount \"3\"", async () => {
    await expectTencentError(env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.ok, ProductPid: 1013953, DomainCount: "1" })), "InvalidParameter.DomainCountInvalid");
    const r = await env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.ok, ProductPid: 1013953, DomainCount: "3", RenewGenCsrMethod: "ORIGINAL" }));
    expect(await balance()).toBe(96);
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: r.CertificateId ?? "" });
    expect(d.CertificateExtra?.DomainNumber).toBe("3");
    expect(d.EncryptAlgorithm).toBe("RSA 2048");
  });
});

describe("status machines through the SDK", () => {
  it("DV: 5 -> CertificateOrderSubmit -> 4 with DvAuths -> CreateRecord -> LocalCheck 1 -> issued after the delay, with the key of our CSR", async () => {
    const key = await generateLeafKeyPair("RSA_2048");
    const csr = await createCsrForKey(key, "upload.example.com", []);
    const r = await env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.upload, RenewGenCsrMethod: "upload", RenewCsr: csr }));
    const id = r.CertificateId ?? "";
    expect((await env.ssl.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(5);
    await expectTencentError(env.ssl.CheckCertificateDomainVerification({ CertificateId: id }), "FailedOperation.CertificateStatusNotAllowVerify");

    const order = await env.ssl.CertificateOrderSubmit({ CertId: id, VerifyType: "DNS" });
    expect(order).toMatchObject({ Status: 4, IsAudited: true });
    expect(order.OrderId).toMatch(/^\w+_\w+$/);
    const pending = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(pending).toMatchObject({ Status: 4, StatusMsg: "PENDING-DCV", VerifyType: "DNS", CertificatePrivateKey: null });
    const auths = pending.DvAuthDetail?.DvAuths ?? [];
    expect(auths).toHaveLength(1);
    const auth = auths[0];
    expect(auth).toMatchObject({ DvAuthDomain: "example.com", DvAuthVerifyType: "CNAME" });
    expect(`${auth?.DvAuthSubDomain}.${auth?.DvAuthDomain}`).toBe(auth?.DvAuthKey);

    const before = await env.ssl.CheckCertificateDomainVerification({ CertificateId: id });
    expect(before.VerificationResults?.map((v) => [v.Domain, v.LocalCheck, v.CaCheck, v.Issued])).toEqual([["upload.example.com", -6, -1, false]]);

    const rec = await env.dnspod.CreateRecord({ Domain: auth?.DvAuthDomain ?? "", SubDomain: auth?.DvAuthSubDomain ?? "", RecordType: auth?.DvAuthVerifyType ?? "", RecordLine: "默认", Value: auth?.DvAuthValue ?? "" });
    expect(rec.RecordId).toBeGreaterThan(0);
    const after = await env.ssl.CheckCertificateDomainVerification({ CertificateId: id });
    expect(after.VerificationResults?.map((v) => [v.LocalCheck, v.CaCheck])).toEqual([[1, 1]]);
    expect(after.VerificationResults?.[0]?.CheckValue).toEqual([auth?.DvAuthValue]);
    const waiting = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(waiting).toMatchObject({ Status: 4, StatusMsg: "WAIT-ISSUE" });

    env.admin.advanceClock(59);
    expect((await env.ssl.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(4);
    env.admin.advanceClock(2);
    const issued = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(issued.Status).toBe(1);
    expect(issued.CertificatePrivateKey).toBeNull(); // we sent a CSR: Tencent holds no key
    const [leaf] = parseCertificates(issued.CertificatePublicKey ?? "");
    const ours = createPublicKey(createPrivateKey(key.privateKeyPem)).export({ type: "spki", format: "der" });
    expect(leaf?.publicKey.export({ type: "spki", format: "der" }).equals(ours)).toBe(true);
    expect(leaf?.checkPrivateKey(createPrivateKey(key.privateKeyPem))).toBe(true);
    expect(leaf?.subject).toContain("CN=upload.example.com");
    // 365 days plus what was left of the old certificate (about 15 days), capped at 398.
    const days = (Date.parse(leaf?.validTo ?? "") - Date.parse(leaf?.validFrom ?? "")) / 86_400_000;
    expect(days).toBeGreaterThan(379);
    expect(days).toBeLessThan(381);
    const done = await env.ssl.CheckCertificateDomainVerification({ CertificateId: id });
    expect(done.VerificationResults?.map((v) => v.Issued)).toEqual([true]);
    // The old one can be deleted once its renewal is issued.
    const old = await env.ssl.DescribeCertificates({ CertIds: [C.upload] });
    expect(old.Certificates?.[0]?.HasRenewOrder).toBe(id);
  });

  it("OV: 5 -> CertificateOrderSubmit -> 8 -> (UploadConfirmLetter refused) -> admin acceptLetter -> 0 -> issued after the delay", async () => {
    const r = await env.ssl.CreateCertificateByPackage(base({ OldCertificateId: C.ov, ProductPid: 1013955, RenewGenCsrMethod: "original" }));
    const id = r.CertificateId ?? "";
    expect(await balance()).toBe(92); // 100 - 1 - 3 - 1 - 3 (OV: 3 points a domain)
    const order = await env.ssl.CertificateOrderSubmit({ CertId: id });
    expect(order.Status).toBe(8);
    expect((await env.ssl.DescribeCertificateDetail({ CertificateId: id })).StatusMsg).toBe("PRE-REVIEWING");
    await expectTencentError(env.ssl.CheckCertificateDomainVerification({ CertificateId: id }), "FailedOperation.CertificateStatusNotAllowVerify");
    await expectTencentError(env.ssl.UploadConfirmLetter({ CertificateId: id, ConfirmLetter: Buffer.alloc(2048, 1).toString("base64") }), "FailedOperation.UploadConfirmCertificateNotSupport");

    env.admin.acceptLetter(id);
    const reviewing = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(reviewing).toMatchObject({ Status: 0, StatusMsg: "CA-REVIEWING" });
    // OV still validates the domain: publish what the CA asks for.
    for (const a of reviewing.DvAuthDetail?.DvAuths ?? []) {
      await env.dnspod.CreateRecord({ Domain: a.DvAuthDomain ?? "", SubDomain: a.DvAuthSubDomain ?? "", RecordType: a.DvAuthVerifyType ?? "", RecordLine: "默认", Value: a.DvAuthValue ?? "" });
    }
    expect((await env.ssl.CheckCertificateDomainVerification({ CertificateId: id })).VerificationResults?.every((v) => v.LocalCheck === 1)).toBe(true);
    env.admin.advanceClock(61);
    const issued = await env.ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(issued).toMatchObject({ Status: 1, CertType: "OV", IsDv: false });
    const [leaf] = parseCertificates(issued.CertificatePublicKey ?? "");
    // "original" reuses the old key, which Tencent holds: the answered key matches the new leaf.
    expect(leaf?.checkPrivateKey(createPrivateKey(issued.CertificatePrivateKey ?? ""))).toBe(true);
    const old = await env.ssl.DescribeCertificateDetail({ CertificateId: C.ov });
    expect(parseCertificates(old.CertificatePublicKey ?? "")[0]?.publicKey.export({ type: "spki", format: "der" }))
      .toEqual(leaf?.publicKey.export({ type: "spki", format: "der" }));
  });
});
