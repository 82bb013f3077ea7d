/** The doctor's pure checks (issue 12): each verdict from raw answers, and the evidence it names. */
import { describe, expect, it } from "vitest";
import { camChecks, clockCheck } from "../../../engine/doctor-checks-access";
import { linkChecks, packageChecks, pastRenewals } from "../../../engine/doctor-checks-account";
import { certificateChecks } from "../../../engine/doctor-checks-certificate";
import { suffixesOf, valueChecks, zoneChecks, zoneOf } from "../../../engine/doctor-checks-dns";
import { privateKeyForm } from "../../../engine/doctor-raw";
import { worst } from "../../../engine/doctor-types";
import type { RawAnswer } from "../../../engine/probe-port";

const NOW = new Date("2026-06-01T00:00:00Z");
const LEAF = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n";

function detail(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CertificateId: "c1", Status: 1, StatusMsg: null, IsVip: true, IsDv: true, CertType: "DV", RenewAble: true, CertEndTime: "2026-06-20 10:00:00",
    PackageType: "48", ProductZhName: "DNSPod SSL 域名型SSL证书(C1)", VerifyType: "DNS", Domain: "a.example.com", SubjectAltName: [],
    CertificateExtra: { DomainNumber: "1", OriginCertificateId: null, RenewOrder: null, ServiceRenewCertificateId: null },
    CertificatePublicKey: LEAF + LEAF, CertificatePrivateKey: KEY, HostingStatus: -1, ...over,
  };
}

const verdict = (checks: { id: string; status: string }[], id: string) => checks.find((c) => c.id === id)?.status;

describe("certificate checks", () => {
  it("pass on a kind answer, and never put the key in the evidence", () => {
    const checks = certificateChecks("c1", detail(), { IsVip: true, AutoRenewFlag: 0, HostingStatus: -1, HostingRenewCertId: "" }, NOW);
    expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(JSON.stringify(checks)).not.toContain("SECRETKEYMATERIAL");
    expect(checks.find((c) => c.id === "certificate.product")?.evidence).toMatch(/product 1013949 .* about 1 point/);
  });

  it("a leaf without its chain is risky, no PEM at all fails", () => {
    expect(verdict(certificateChecks("c1", detail({ CertificatePublicKey: LEAF }), null, NOW), "certificate.chain")).toBe("unknown");
    expect(verdict(certificateChecks("c1", detail({ CertificatePublicKey: null }), null, NOW), "certificate.chain")).toBe("fail");
  });

  it("IsVip that differs between the list and the detail is named", () => {
    const c = certificateChecks("c1", detail(), { IsVip: false }, NOW).find((x) => x.id === "certificate.paid");
    expect(c?.status).toBe("unknown");
    expect(c?.evidence).toMatch(/IsVip is true in the detail but false in DescribeCertificates/);
    expect(verdict(certificateChecks("c1", detail({ IsVip: false }), null, NOW), "certificate.paid")).toBe("fail");
  });

  it("Tencent-side auto-renew, hosting or a service renewal is risky", () => {
    expect(verdict(certificateChecks("c1", detail(), { AutoRenewFlag: 1 }, NOW), "certificate.tencent-renewal")).toBe("unknown");
    expect(verdict(certificateChecks("c1", detail({ HostingStatus: 0 }), null, NOW), "certificate.tencent-renewal")).toBe("unknown");
    expect(verdict(certificateChecks("c1", detail({ CertificateExtra: { ServiceRenewCertificateId: "x9" } }), null, NOW), "certificate.tencent-renewal")).toBe("unknown");
  });

  it("an unknown product, a FILE validation and a not-issued status are named", () => {
    expect(verdict(certificateChecks("c1", detail({ PackageType: "999" }), null, NOW), "certificate.product")).toBe("unknown");
    expect(verdict(certificateChecks("c1", detail({ VerifyType: "FILE" }), null, NOW), "certificate.verify-type")).toBe("unknown");
    expect(verdict(certificateChecks("c1", detail({ Status: 4 }), null, NOW), "certificate.status")).toBe("fail");
  });

  it("reads the private key's form without showing it", () => {
    expect(privateKeyForm(KEY)).toBe("pem");
    expect(privateKeyForm("-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----")).toBe("encrypted");
    expect(privateKeyForm("*******")).toBe("masked");
    expect(privateKeyForm(null)).toBe("absent");
    const enc = certificateChecks("c1", detail({ CertificatePrivateKey: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----" }), null, NOW);
    expect(enc.find((c) => c.id === "certificate.private-key")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/ENCRYPTED private key \(not shown\)/) });
  });
});

describe("the renewal link from past renewals", () => {
  const row = (id: string, status: number, extra: Record<string, unknown>, hasRenewOrder = "") => ({ CertificateId: id, Status: status, CertificateExtra: extra, HasRenewOrder: hasRenewOrder });

  it("is unknown without a past renewal, with why", () => {
    const checks = linkChecks(pastRenewals([row("a", 1, {})], new Map()));
    expect(checks.map((c) => c.status)).toEqual(["unknown", "unknown"]);
    expect(checks[0]?.evidence).toMatch(/no past renewal in this account/);
  });

  it("passes when the old side names the issued renewal", () => {
    const rows = [row("old", 1, { RenewOrder: "new" }), row("new", 1, { OriginCertificateId: "old" })];
    expect(linkChecks(pastRenewals(rows, new Map())).map((c) => c.status)).toEqual(["pass", "pass"]);
  });

  it("names a link on the new side only", () => {
    const rows = [row("old", 1, { RenewOrder: null }), row("new", 1, { OriginCertificateId: "old" })];
    const [symmetric, kept] = linkChecks(pastRenewals(rows, new Map()));
    expect(symmetric).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/only on the new side/) });
    expect(kept?.status).toBe("unknown");
  });

  it("names a link cleared after issuance when a renewal in flight still shows it", () => {
    const rows = [
      row("o1", 1, { RenewOrder: "n1" }, "n1"), row("n1", 4, { OriginCertificateId: "o1" }),
      row("o2", 1, { RenewOrder: null }), row("n2", 1, { OriginCertificateId: "o2" }),
    ];
    const [symmetric, kept] = linkChecks(pastRenewals(rows, new Map()));
    expect(symmetric?.status).toBe("pass");
    expect(kept).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/cleared after issuance/) });
  });

  it("names a HasRenewOrder that is not a certificate id", () => {
    const rows = [row("o1", 1, { RenewOrder: null }, "yes"), row("n1", 4, { OriginCertificateId: "o1" })];
    expect(linkChecks(pastRenewals(rows, new Map())).find((c) => c.id === "link.has-renew-order")?.evidence).toMatch(/HasRenewOrder is not a certificate id: o1: "yes"/);
  });

  it("prefers the origin's detail over its list row", () => {
    const rows = [row("old", 1, {}), row("new", 1, { OriginCertificateId: "old" })];
    expect(pastRenewals(rows, new Map([["old", { CertificateExtra: { RenewOrder: "new" } }]]))[0]?.renewOrder).toBe("new");
  });
});

describe("packages", () => {
  it("fails without usable points, passes with enough, reads the ExpireTime format", () => {
    expect(packageChecks([], 1, NOW).map((c) => c.status)).toEqual(["fail", "unknown"]);
    expect(packageChecks([{ PackageId: "p", Status: "usable", Balance: 1, ExpireTime: "2027-01-01" }], 3, NOW)[0]?.status).toBe("fail");
    expect(packageChecks([{ PackageId: "p", Status: "usable", Balance: 9, ExpireTime: "2027-01-01 10:00:00" }], 3, NOW).map((c) => c.status)).toEqual(["pass", "pass"]);
    expect(packageChecks([{ PackageId: "p", Status: "usable", Balance: 9, ExpireTime: "2027-01-01T10:00:00Z" }], 3, NOW)[1]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/2027-01-01T10:00:00Z/) });
    expect(packageChecks([{ PackageId: "p", Status: "usable", Balance: 9, ExpireTime: "2026-01-01" }], 3, NOW)[0]?.status).toBe("fail");
  });
});

describe("DNSPod zones and values", () => {
  it("finds the zone by the longest suffix (a delegated sub-zone wins)", () => {
    expect(zoneOf("a.b.example.com", ["example.com", "b.example.com"])).toBe("b.example.com");
    expect(zoneOf("*.example.com", ["example.com"])).toBe("example.com");
    expect(zoneOf("example.org", ["example.com"])).toBe("");
    expect(suffixesOf("a.b.example.com")).toEqual(["a.b.example.com", "b.example.com", "example.com"]);
    expect(zoneChecks(["x.example.org"], { zones: ["example.com"], note: "" })[0]).toMatchObject({ status: "fail", evidence: expect.stringMatching(/no DNSPod zone covers x.example.org/) });
  });

  it("names a CNAME trailing dot and TXT quotes", () => {
    const out = (records: object[]) => ({ RecordList: records });
    expect(valueChecks("example.com", out([{ Type: "CNAME", Value: "x.trust-provider.com." }]), "")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/CNAME values come back with a trailing dot/) });
    expect(valueChecks("example.com", out([{ Type: "TXT", Value: "\"abc\"" }]), "")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/TXT values come back in quotes/) });
    expect(valueChecks("example.com", out([{ Type: "CNAME", Value: "x.trust-provider.com" }, { Type: "NS", Value: "ns1.dnspod.net." }]), "").status).toBe("pass");
  });
});

describe("access", () => {
  const answer = (action: string, error: RawAnswer["error"]): RawAnswer => ({ service: "ssl", action, input: {}, output: error ? null : { RequestId: "r" }, error });

  it("CAM: a denial fails naming the action; an answer about the input passes; a later success wins", () => {
    const checks = camChecks([
      answer("DescribePackages", { code: "AuthFailure.UnauthorizedOperation", message: "no", requestId: "r1" }),
      answer("DescribeHostUpdateRecordDetail", { code: "FailedOperation.InvalidParam", message: "bad id", requestId: "r2" }),
      answer("DescribeCertificateDetail", { code: "InternalError", message: "x", requestId: "r3" }),
      answer("DescribeCertificateDetail", null),
      answer("CheckCertificateDomainVerification", { code: "Transport", message: "tencent: connect ECONNREFUSED", requestId: "" }),
    ]);
    expect(checks.find((c) => c.id === "cam.ssl.CheckCertificateDomainVerification")).toMatchObject({ status: "fail", evidence: expect.stringMatching(/^no answer: Transport/) });
    expect(checks.find((c) => c.id === "cam.ssl.DescribePackages")).toMatchObject({ status: "fail", fix: expect.stringMatching(/Grant ssl:DescribePackages/) });
    expect(checks.find((c) => c.id === "cam.ssl.DescribeHostUpdateRecordDetail")?.status).toBe("pass");
    expect(checks.find((c) => c.id === "cam.ssl.DescribeCertificateDetail")?.status).toBe("pass");
    expect(checks.find((c) => c.id === "cam.dnspod.DescribeDomainList")?.status).toBe("unknown");
  });

  it("clock: near is fine, drifting is risky, beyond Tencent's 5 minutes fails, no header is unknown", () => {
    const at = (skewS: number) => ({ serverDate: new Date(NOW.getTime() - skewS * 1000), sentAt: NOW, receivedAt: NOW, host: "ssl.tencentcloudapi.com", detail: "" });
    expect(clockCheck(at(3)).status).toBe("pass");
    expect(clockCheck(at(-120))).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/120 s behind/) });
    expect(clockCheck(at(400)).status).toBe("fail");
    expect(clockCheck({ ...at(0), serverDate: null, detail: "tencent: could not reach x" }).status).toBe("unknown");
  });

  it("the worst verdict decides", () => {
    expect(worst(["pass", "unknown", "pass"])).toBe("unknown");
    expect(worst(["pass", "unknown", "fail"])).toBe("fail");
    expect(worst(["pass"])).toBe("pass");
  });
});

describe("renewals waiting for their data", () => {
  it("names a renewal in status 5", async () => {
    const { waitingRenewalChecks } = await import("../../../engine/doctor-checks-account");
    const checks = waitingRenewalChecks([
      { CertificateId: "n1", Status: 5, StatusMsg: "", CertificateExtra: { OriginCertificateId: "o1" } },
      { CertificateId: "n2", Status: 4, CertificateExtra: { OriginCertificateId: "o2" } },
      { CertificateId: "x", Status: 5, CertificateExtra: {} },
    ]);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: "renewal.awaiting-submission", subject: "n1", status: "unknown", evidence: expect.stringMatching(/^renewal n1 of o1 waits in Status 5/) });
  });
});
