/**
 * Read actions through the real SDK: DescribeCertificates (every filter, sort, paging and its Limit
 * error), DescribeCertificateDetail, DescribePackages.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTencentError, ids, parseCertificates, startActionsEmulator, TENCENT_TIME, type ActionsEnv } from "./support/actions";

const C = {
  alpha: "DescA001", // DV, 10 days left, alias alpha-site, www SAN
  beta: "DescB002", // DV, 25 days
  gamma: "DescC003", // OV, 300 days
  delta: "DescD004", // DV, expired 5 days ago (status 3)
  eps: "DescE005", // DV, status 5
  free: "DescF006", // DV not paid, 12 days
} as const;
const BUY_ORDER = [C.free, C.eps, C.delta, C.gamma, C.beta, C.alpha]; // newest (last seeded) first

let env: ActionsEnv;
let uploaded = "";

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }],
    packages: [
      { packageId: "PkUsable0001", type: "ssl_100", total: 100, balance: 50, expiresInDays: 200 },
      { packageId: "PkExpired001", type: "ssl_500", total: 500, balance: 500, expiresInDays: -1 },
      { packageId: "PkUsed000001", type: "ssl_100", total: 100, balance: 0, status: "used", expiresInDays: 100 },
    ],
    certificates: [
      { certificateId: C.alpha, domain: "alpha.example.com", sans: ["www.alpha.example.com"], expiresInDays: 10, alias: "alpha-site" },
      { certificateId: C.beta, domain: "beta.example.com", expiresInDays: 25 },
      { certificateId: C.gamma, domain: "gamma.example.com", certType: "OV", expiresInDays: 300 },
      { certificateId: C.delta, domain: "delta.example.com", expiresInDays: -5 },
      { certificateId: C.eps, domain: "epsilon.example.com", status: 5 },
      { certificateId: C.free, domain: "free.example.com", expiresInDays: 12, paid: false },
    ],
  });
  // An uploaded certificate (FilterSource "upload"): gamma's own leaf and key.
  const g = await env.ssl.DescribeCertificateDetail({ CertificateId: C.gamma });
  const leaf = parseCertificates(g.CertificatePublicKey ?? "")[0]?.toString() ?? "";
  const up = await env.ssl.UploadCertificate({ CertificatePublicKey: leaf, CertificatePrivateKey: g.CertificatePrivateKey ?? "", Alias: "uploaded-one" });
  uploaded = up.CertificateId ?? "";
});

afterAll(async () => {
  await env?.close();
});

describe("DescribeCertificates through the SDK", () => {
  it("lists every certificate newest first with the list fields that matter", async () => {
    const all = await env.ssl.DescribeCertificates({});
    expect(all.TotalCount).toBe(7);
    expect(ids(all.Certificates)).toEqual([uploaded, ...BUY_ORDER]);
    expect(all.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const alpha = all.Certificates?.find((c) => c.CertificateId === C.alpha);
    expect(alpha).toMatchObject({
      Domain: "alpha.example.com", Alias: "alpha-site", Status: 1, IsVip: true, IsDv: true, RenewAble: true, IsExpiring: true, HasRenewOrder: "",
      SubjectAltName: ["alpha.example.com", "www.alpha.example.com"], From: "trustasia", PackageType: "48",
    });
    expect(alpha?.CertificateExtra?.DomainNumber).toBe("1"); // the free www. does not count
    expect(alpha?.CertEndTime).toMatch(TENCENT_TIME);
    const gamma = all.Certificates?.find((c) => c.CertificateId === C.gamma);
    expect(gamma).toMatchObject({ IsDv: false, RenewAble: false, IsExpiring: false, Status: 1 });
  });

  it("the default Limit is 10; Offset/Limit page through a stable TotalCount", async () => {
    const first = await env.ssl.DescribeCertificates({ FilterSource: "buy", Limit: 2 });
    const second = await env.ssl.DescribeCertificates({ FilterSource: "buy", Offset: 2, Limit: 2 });
    const third = await env.ssl.DescribeCertificates({ FilterSource: "buy", Offset: 4, Limit: 2 });
    const past = await env.ssl.DescribeCertificates({ FilterSource: "buy", Offset: 6, Limit: 2 });
    expect([first, second, third, past].map((r) => r.TotalCount)).toEqual([6, 6, 6, 6]);
    expect([...ids(first.Certificates), ...ids(second.Certificates), ...ids(third.Certificates)]).toEqual(BUY_ORDER);
    expect(past.Certificates).toEqual([]);
    const max = await env.ssl.DescribeCertificates({ Limit: 1000 });
    expect(max.Certificates).toHaveLength(7);
    const zero = await env.ssl.DescribeCertificates({ Limit: 0 });
    expect(zero.TotalCount).toBe(7);
    expect(zero.Certificates).toEqual([]);
  });

  it("Limit above 1000 and a negative Offset are InvalidParameter", async () => {
    const f = await expectTencentError(env.ssl.DescribeCertificates({ Limit: 1001 }), "InvalidParameter");
    expect(f.message).toContain("1000");
    await expectTencentError(env.ssl.DescribeCertificates({ Offset: -1 }), "InvalidParameter");
  });

  it("CertificateStatus keeps the listed statuses", async () => {
    const issued = await env.ssl.DescribeCertificates({ CertificateStatus: [1], Limit: 100 });
    expect(new Set(ids(issued.Certificates))).toEqual(new Set([uploaded, C.alpha, C.beta, C.gamma, C.free]));
    const other = await env.ssl.DescribeCertificates({ CertificateStatus: [3, 5] });
    expect(ids(other.Certificates)).toEqual([C.eps, C.delta]);
    expect(other.Certificates?.map((c) => c.Status)).toEqual([5, 3]);
  });

  it("Renew: 1 keeps paid, issued certificates within 30 days of expiry", async () => {
    const r = await env.ssl.DescribeCertificates({ Renew: 1 });
    expect(ids(r.Certificates)).toEqual([C.beta, C.alpha]);
    expect(r.Certificates?.every((c) => c.RenewAble === true)).toBe(true);
  });

  it("FilterExpiring: 1 keeps issued certificates within 30 days, paid or not", async () => {
    const r = await env.ssl.DescribeCertificates({ FilterExpiring: 1 });
    expect(ids(r.Certificates)).toEqual([C.free, C.beta, C.alpha]);
  });

  it("FilterSource splits uploaded from bought certificates", async () => {
    const up = await env.ssl.DescribeCertificates({ FilterSource: "upload" });
    expect(ids(up.Certificates)).toEqual([uploaded]);
    expect(up.Certificates?.[0]).toMatchObject({ From: "upload", IsVip: false, Alias: "uploaded-one", PackageType: null });
    const buy = await env.ssl.DescribeCertificates({ FilterSource: "buy" });
    expect(ids(buy.Certificates)).toEqual(BUY_ORDER);
  });

  it("SearchKey matches id, alias and domains, case-insensitively", async () => {
    expect(ids((await env.ssl.DescribeCertificates({ SearchKey: "alpha-site" })).Certificates)).toEqual([C.alpha]);
    expect(ids((await env.ssl.DescribeCertificates({ SearchKey: "WWW.ALPHA" })).Certificates)).toEqual([C.alpha]);
    expect(ids((await env.ssl.DescribeCertificates({ SearchKey: C.gamma })).Certificates)).toEqual([C.gamma]);
    expect(new Set(ids((await env.ssl.DescribeCertificates({ SearchKey: "gamma.example" })).Certificates))).toEqual(new Set([C.gamma, uploaded]));
    const none = await env.ssl.DescribeCertificates({ SearchKey: "no-such-thing" });
    expect(none.TotalCount).toBe(0);
    expect(none.Certificates).toEqual([]);
  });

  it("CertIds keeps exactly those ids (unknown ids are ignored)", async () => {
    const r = await env.ssl.DescribeCertificates({ CertIds: [C.beta, C.delta, "Nope0000"] });
    expect(r.TotalCount).toBe(2);
    expect(ids(r.Certificates)).toEqual([C.delta, C.beta]);
  });

  it("ExpirationSort orders by CertEndTime, certificates without one last", async () => {
    const asc = await env.ssl.DescribeCertificates({ FilterSource: "buy", ExpirationSort: "ASC" });
    expect(ids(asc.Certificates)).toEqual([C.delta, C.alpha, C.free, C.beta, C.gamma, C.eps]);
    const desc = await env.ssl.DescribeCertificates({ FilterSource: "buy", ExpirationSort: "DESC" });
    expect(ids(desc.Certificates)).toEqual([C.gamma, C.beta, C.free, C.alpha, C.delta, C.eps]);
    const ends = (asc.Certificates ?? []).map((c) => c.CertEndTime).filter((t): t is string => typeof t === "string");
    expect(ends).toEqual([...ends].sort());
  });

  it("filters combine (Renew + SearchKey + CertIds)", async () => {
    const r = await env.ssl.DescribeCertificates({ Renew: 1, SearchKey: "example.com", CertIds: [C.alpha, C.gamma] });
    expect(ids(r.Certificates)).toEqual([C.alpha]);
  });
});

describe("DescribeCertificateDetail through the SDK", () => {
  it("an issued OV certificate: leaf + intermediate that parse, the key that matches, chain info", async () => {
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.gamma });
    expect(d).toMatchObject({ CertificateId: C.gamma, Status: 1, Domain: "gamma.example.com", IsDv: false, CertType: "OV", Deployable: true, SubmittedData: null });
    const [leaf, inter] = parseCertificates(d.CertificatePublicKey ?? "");
    expect(leaf?.subject).toContain("CN=gamma.example.com");
    expect(leaf?.subjectAltName).toContain("DNS:gamma.example.com");
    expect(inter && leaf?.checkIssued(inter)).toBe(true);
    expect(leaf?.checkPrivateKey(createPrivateKey(d.CertificatePrivateKey ?? ""))).toBe(true);
    expect(d.CertFingerprint).toBe(leaf?.fingerprint.replace(/:/g, ""));
    expect(d.CertChainInfo?.map((c) => c.Subject)).toEqual(["gamma.example.com", inter?.subject.match(/CN=([^\n]+)/)?.[1]]);
    expect(d.CertChainInfo?.[0]?.Fingerprint).toBe(leaf?.fingerprint.replace(/:/g, "").toLowerCase());
    const root = new X509Certificate(d.RootCert?.Standard ?? "");
    expect(inter?.checkIssued(root)).toBe(true);
    expect(d.CertBeginTime).toMatch(TENCENT_TIME);
    expect(d.CertChainInfo?.[0]?.ValidTo).toBe(d.CertEndTime);
  });

  it("repeated reads answer the same material (the material is generated once)", async () => {
    const a = await env.ssl.DescribeCertificateDetail({ CertificateId: C.alpha });
    const b = await env.ssl.DescribeCertificateDetail({ CertificateId: C.alpha });
    const strip = (r: Record<string, unknown>) => ({ ...r, RequestId: undefined });
    expect(strip(b as Record<string, unknown>)).toEqual(strip(a as Record<string, unknown>));
    expect(a.RequestId).not.toBe(b.RequestId);
    expect(a.SubjectAltName).toEqual(["www.alpha.example.com"]);
  });

  it("before issuance: no PEM, masked key, application status", async () => {
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.eps });
    expect(d).toMatchObject({ Status: 5, CertificatePublicKey: null, CertificatePrivateKey: "*******", CertBeginTime: null, CertEndTime: null, CertChainInfo: null, SubjectAltName: [] });
  });

  it("an expired certificate reads status 3 and keeps its material", async () => {
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.delta });
    expect(d.Status).toBe(3);
    const [leaf] = parseCertificates(d.CertificatePublicKey ?? "");
    expect(Date.parse(leaf?.validTo ?? "")).toBeLessThan(Date.now());
  });

  it("an unknown id is FailedOperation.CertificateNotFound", async () => {
    await expectTencentError(env.ssl.DescribeCertificateDetail({ CertificateId: "Nope0000" }), "FailedOperation.CertificateNotFound");
  });
});

describe("DescribePackages through the SDK", () => {
  it("lists the packages with derived status and sums the usable balance", async () => {
    const r = await env.ssl.DescribePackages({});
    expect(r.TotalCount).toBe(3);
    expect(r.TotalBalance).toBe(50);
    const byId = new Map((r.Packages ?? []).map((p) => [p.PackageId, p]));
    expect(byId.get("PkUsable0001")).toMatchObject({ Status: "usable", Balance: 50, Total: 100, Type: "ssl_100", SourceType: "buy", TransferOutInfos: [] });
    expect(byId.get("PkExpired001")?.Status).toBe("expired");
    expect(byId.get("PkUsed000001")?.Status).toBe("used");
    expect(byId.get("PkUsable0001")?.ExpireTime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(byId.get("PkUsable0001")?.SourceUin).toBeGreaterThan(0);
  });

  it("filters by Status, PackageId and Type, and sorts by ExpireTime", async () => {
    expect((await env.ssl.DescribePackages({ Status: "expired" })).Packages?.map((p) => p.PackageId)).toEqual(["PkExpired001"]);
    const usable = await env.ssl.DescribePackages({ Status: "usable" });
    expect(usable.Packages?.map((p) => p.PackageId)).toEqual(["PkUsable0001"]);
    expect(usable.TotalBalance).toBe(50);
    expect((await env.ssl.DescribePackages({ PackageId: "PkUsed000001" })).TotalCount).toBe(1);
    expect((await env.ssl.DescribePackages({ Type: "ssl_500" })).Packages?.map((p) => p.PackageId)).toEqual(["PkExpired001"]);
    const asc = await env.ssl.DescribePackages({ ExpireTime: "asc" });
    expect(asc.Packages?.map((p) => p.PackageId)).toEqual(["PkExpired001", "PkUsed000001", "PkUsable0001"]);
    const desc = await env.ssl.DescribePackages({ ExpireTime: "desc", Limit: 1 });
    expect(desc.Packages?.map((p) => p.PackageId)).toEqual(["PkUsable0001"]);
    expect(desc.TotalCount).toBe(3);
  });

  it("a Limit above 1000 is InvalidParameter", async () => {
    await expectTencentError(env.ssl.DescribePackages({ Limit: 1001 }), "InvalidParameter");
  });
});
