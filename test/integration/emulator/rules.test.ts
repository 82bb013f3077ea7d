/**
 * The inferred-rule switches (`profile`, `rules`, `/_emulator/rules`) through the real SDK over HTTP:
 * each switch in its default and its pessimistic form, read back through both views
 * (DescribeCertificates and DescribeCertificateDetail) and the call log.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PROFILES, type InferredRules, type ProfileName } from "../../../emulator";
import { expectTencentError, parseCertificates, startActionsEmulator, type ActionsEnv } from "./support/actions";
import { sdkFailure } from "./support/sdk";

const PACK = "RulPack00001";
const OLD = ["RulOld01", "RulOld02"] as const;

let env: ActionsEnv | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(rules: Partial<InferredRules> = {}, profile?: ProfileName): Promise<ActionsEnv> {
  env = await startActionsEmulator(
    {
      zones: [{ zone: "example.com" }],
      packages: [{ packageId: PACK, total: 100, balance: 100 }],
      certificates: [
        { certificateId: OLD[0], domain: "one.example.com", expiresInDays: 20 },
        { certificateId: OLD[1], domain: "two.example.com", expiresInDays: 20 },
      ],
    },
    { rules, ...(profile ? { profile } : {}) },
  );
  return env;
}

const renew = (e: ActionsEnv, old: string, over: Record<string, unknown> = {}) =>
  e.ssl.CreateCertificateByPackage({
    OldCertificateId: old, ProductPid: 1013949, PackageIds: [PACK], DomainCount: "1", Period: 1,
    RenewGenCsrMethod: "online", RenewAlgorithmType: "ECC", RenewAlgorithmParam: "prime256v1", ...over,
  });

async function balance(e: ActionsEnv): Promise<number | undefined> {
  return (await e.ssl.DescribePackages({ PackageId: PACK })).Packages?.[0]?.Balance;
}

/** The link and RenewAble as both views show them. */
async function seen(e: ActionsEnv, oldId: string, newId: string) {
  const [oldDetail, newDetail, list] = await Promise.all([
    e.ssl.DescribeCertificateDetail({ CertificateId: oldId }),
    e.ssl.DescribeCertificateDetail({ CertificateId: newId }),
    e.ssl.DescribeCertificates({ CertIds: [oldId, newId] }),
  ]);
  const oldItem = list.Certificates?.find((c) => c.CertificateId === oldId);
  const newItem = list.Certificates?.find((c) => c.CertificateId === newId);
  return {
    renewOrder: { detail: oldDetail.CertificateExtra?.RenewOrder ?? null, list: oldItem?.CertificateExtra?.RenewOrder ?? null },
    hasRenewOrder: oldItem?.HasRenewOrder,
    origin: { detail: newDetail.CertificateExtra?.OriginCertificateId ?? null, list: newItem?.CertificateExtra?.OriginCertificateId ?? null },
    renewAble: { detail: oldDetail.RenewAble, list: oldItem?.RenewAble },
    newStatus: newDetail.Status,
  };
}

async function renewedId(e: ActionsEnv, old: string): Promise<string> {
  const r = await renew(e, old);
  expect(r.CertificateId).toMatch(/^[A-Za-z0-9]{8}$/);
  return r.CertificateId ?? "";
}

describe("profiles", () => {
  it("the default profile is today's behaviour; `pessimistic` sets every switch to its unkind form", async () => {
    let e = await start();
    expect(e.admin.rules()).toEqual({ profile: "default", rules: PROFILES.default });
    await e.close();
    e = await start({ linkDelaySeconds: 5 }, "pessimistic");
    expect(e.admin.rules()).toEqual({ profile: "pessimistic", rules: { ...PROFILES.pessimistic, linkDelaySeconds: 5 } });
    expect(PROFILES.pessimistic.secondRenewal).toBe("accepted");
    expect(PROFILES.pessimistic.paidCallFailsAfterCommit).toBe("none");
  });

  it("admin.useProfile resets every switch, then applies the overrides", async () => {
    const e = await start({ secondRenewal: "accepted" });
    expect(e.admin.useProfile("default").rules).toEqual(PROFILES.default);
    expect(e.admin.useProfile("pessimistic", { linkSides: "both" }).rules.linkSides).toBe("both");
    expect(() => e.admin.setRules({ linkSides: "old-only" } as unknown as Partial<InferredRules>)).toThrow(/linkSides.*"both", "new-only".*"old-only"/);
  });
});

describe("secondRenewal", () => {
  it("refused (default): the second call is answered before paying; both calls are in the call log", async () => {
    const e = await start();
    const first = await renewedId(e, OLD[0]);
    expect(await balance(e)).toBe(99);
    const f = await expectTencentError(renew(e, OLD[0]), "FailedOperation.InvalidCertificateStatusCode");
    expect(f.message).toContain(`RenewOrder ${first}`);
    expect(await balance(e)).toBe(99);
    const calls = e.admin.calls();
    expect(calls.counts["ssl.CreateCertificateByPackage"]).toBe(2);
    expect(calls.okCounts["ssl.CreateCertificateByPackage"]).toBe(1);
  });

  it("accepted: both calls succeed, two certificates exist, the package is charged twice", async () => {
    const e = await start({ secondRenewal: "accepted" });
    const first = await renewedId(e, OLD[0]);
    const second = await renewedId(e, OLD[0]);
    expect(second).not.toBe(first);
    expect(await balance(e)).toBe(98);
    const both = await e.ssl.DescribeCertificates({ CertIds: [first, second] });
    expect(both.Certificates?.map((c) => c.CertificateExtra?.OriginCertificateId)).toEqual([OLD[0], OLD[0]]);
    expect(e.admin.calls().okCounts["ssl.CreateCertificateByPackage"]).toBe(2);
    // The old certificate points at the latest renewal.
    expect((await seen(e, OLD[0], second)).renewOrder).toEqual({ detail: second, list: second });
  });
});

describe("linkDelaySeconds", () => {
  it("0 (default): the link shows at once on both sides and in both views", async () => {
    const e = await start();
    const id = await renewedId(e, OLD[0]);
    const s = await seen(e, OLD[0], id);
    expect(s.renewOrder).toEqual({ detail: id, list: id });
    expect(s.hasRenewOrder).toBe(id);
    expect(s.origin).toEqual({ detail: OLD[0], list: OLD[0] });
  });

  it("20: nothing shows until the emulator clock has moved 20 s past the paid call", async () => {
    const e = await start({ linkDelaySeconds: 20 });
    const id = await renewedId(e, OLD[0]);
    let s = await seen(e, OLD[0], id);
    expect(s.renewOrder).toEqual({ detail: null, list: null });
    expect(s.hasRenewOrder).toBe("");
    expect(s.origin).toEqual({ detail: null, list: null });
    e.admin.advanceClock(10);
    expect((await seen(e, OLD[0], id)).origin.detail).toBeNull();
    e.admin.advanceClock(11);
    s = await seen(e, OLD[0], id);
    expect(s.renewOrder).toEqual({ detail: id, list: id });
    expect(s.hasRenewOrder).toBe(id);
    expect(s.origin).toEqual({ detail: OLD[0], list: OLD[0] });
  });
});

describe("linkSides", () => {
  it("new-only: only the new certificate carries OriginCertificateId; the old one never shows RenewOrder or HasRenewOrder", async () => {
    const e = await start({ linkSides: "new-only" });
    const id = await renewedId(e, OLD[0]);
    e.admin.advanceClock(3600);
    const s = await seen(e, OLD[0], id);
    expect(s.renewOrder).toEqual({ detail: null, list: null });
    expect(s.hasRenewOrder).toBe("");
    expect(s.origin).toEqual({ detail: OLD[0], list: OLD[0] });
    // The truth is kept: a second renewal is still refused (secondRenewal stays "refused").
    await expectTencentError(renew(e, OLD[0]), "FailedOperation.InvalidCertificateStatusCode");
  });
});

describe("linkClearedAfterIssue", () => {
  for (const cleared of [false, true]) {
    it(`${cleared}: the old certificate's RenewOrder ${cleared ? "is cleared" : "stays"} once the renewal is issued`, async () => {
      const e = await start({ linkClearedAfterIssue: cleared });
      e.admin.setRenewalInitialStatus("submitted"); // DNS_AUTO adds the records: issued 60 s later
      const id = (await renew(e, OLD[0], { VerifyType: "DNS_AUTO" })).CertificateId ?? "";
      expect((await seen(e, OLD[0], id)).renewOrder).toEqual({ detail: id, list: id });
      e.admin.advanceClock(61);
      const s = await seen(e, OLD[0], id);
      expect(s.newStatus).toBe(1);
      expect(s.renewOrder).toEqual(cleared ? { detail: null, list: null } : { detail: id, list: id });
      expect(s.hasRenewOrder).toBe(cleared ? "" : id);
      expect(s.origin).toEqual({ detail: OLD[0], list: OLD[0] });
    });
  }
});

describe("renewAbleWhileRenewing", () => {
  for (const stays of [false, true]) {
    it(`${stays}: RenewAble ${stays ? "stays true" : "turns false"} in both views and in the Renew filter while a renewal exists`, async () => {
      const e = await start({ renewAbleWhileRenewing: stays });
      expect((await seen(e, OLD[0], OLD[1])).renewAble).toEqual({ detail: true, list: true });
      const id = await renewedId(e, OLD[0]);
      expect((await seen(e, OLD[0], id)).renewAble).toEqual({ detail: stays, list: stays });
      const renewable = await e.ssl.DescribeCertificates({ Renew: 1 });
      expect(renewable.Certificates?.some((c) => c.CertificateId === OLD[0])).toBe(stays);
    });
  }
});

describe("paidCallFailsAfterCommit", () => {
  it("5xx: the call commits (certificate created, package charged), then answers HTTP 500; the call log counts it", async () => {
    const e = await start({ paidCallFailsAfterCommit: "5xx" });
    const f = await sdkFailure(renew(e, OLD[0]));
    expect(f.httpCode).toBe(500);
    expect(await balance(e)).toBe(99);
    const detail = await e.ssl.DescribeCertificateDetail({ CertificateId: OLD[0] });
    const id = detail.CertificateExtra?.RenewOrder ?? "";
    expect((await e.ssl.DescribeCertificateDetail({ CertificateId: id })).CertificateExtra?.OriginCertificateId).toBe(OLD[0]);
    const calls = e.admin.calls();
    expect(calls.counts["ssl.CreateCertificateByPackage"]).toBe(1);
    expect(calls.okCounts["ssl.CreateCertificateByPackage"] ?? 0).toBe(0);
    expect(calls.calls.find((c) => c.action === "CreateCertificateByPackage")?.outcome).toBe("fault:http-500");
    // scope "every" (the default scope): the next paid call fails the same way
    expect((await sdkFailure(renew(e, OLD[1]))).httpCode).toBe(500);
    expect(await balance(e)).toBe(98);
  });

  it("TradeError with scope first: only the first committed paid call fails; a refused call does not use it up", async () => {
    const e = await start({ paidCallFailsAfterCommit: "TradeError", paidCallFailsAfterCommitScope: "first" });
    await expectTencentError(renew(e, OLD[0], { DomainCount: "2" }), "InvalidParameter.DomainCountInvalid");
    await expectTencentError(renew(e, OLD[0]), "FailedOperation.TradeError");
    expect(await balance(e)).toBe(99);
    expect((await e.ssl.DescribeCertificateDetail({ CertificateId: OLD[0] })).CertificateExtra?.RenewOrder).toMatch(/^[A-Za-z0-9]{8}$/);
    await renewedId(e, OLD[1]);
    expect(await balance(e)).toBe(98);
    expect(e.admin.calls().counts["ssl.CreateCertificateByPackage"]).toBe(3);
  });

  it("none (default): a scripted after-commit fault still works and takes precedence over the rule", async () => {
    const e = await start({ paidCallFailsAfterCommit: "TradeError" });
    e.admin.addFault({ action: "CreateCertificateByPackage", kind: "error-after-commit", code: "InternalError" });
    await expectTencentError(renew(e, OLD[0]), "InternalError");
    expect(await balance(e)).toBe(99);
  });
});

describe("chainInPublicKey", () => {
  for (const chain of [true, false]) {
    it(`${chain}: CertificatePublicKey carries ${chain ? "leaf + intermediate" : "the leaf only"}`, async () => {
      const e = await start({ chainInPublicKey: chain });
      const d = await e.ssl.DescribeCertificateDetail({ CertificateId: OLD[0] });
      expect(parseCertificates(d.CertificatePublicKey ?? "")).toHaveLength(chain ? 2 : 1);
      expect(d.CertChainInfo).toHaveLength(2);
    });
  }
});

describe("cnameTrailingDot", () => {
  it("true: DvAuths CNAME values and DNSPod CNAME records end with a dot; publishing the dotted value still validates", async () => {
    const e = await start({ cnameTrailingDot: true });
    e.admin.setRenewalInitialStatus("submitted");
    const id = (await renew(e, OLD[0], { VerifyType: "DNS" })).CertificateId ?? "";
    const auth = (await e.ssl.DescribeCertificateDetail({ CertificateId: id })).DvAuthDetail?.DvAuths?.[0];
    expect(auth?.DvAuthVerifyType).toBe("CNAME");
    expect(auth?.DvAuthValue).toMatch(/\.trust-provider\.com\.$/);
    await e.dnspod.CreateRecord({ Domain: "example.com", SubDomain: auth?.DvAuthSubDomain ?? "", RecordType: "CNAME", RecordLine: "默认", Value: auth?.DvAuthValue ?? "" });
    const listed = await e.dnspod.DescribeRecordList({ Domain: "example.com", RecordType: "CNAME" });
    expect(listed.RecordList?.[0]?.Value).toBe(auth?.DvAuthValue);
    e.admin.advanceClock(61);
    expect((await e.ssl.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(1);
  });

  it("false (default): values as stored, without the dot", async () => {
    const e = await start();
    e.admin.setRenewalInitialStatus("submitted");
    const id = (await renew(e, OLD[0], { VerifyType: "DNS" })).CertificateId ?? "";
    const auth = (await e.ssl.DescribeCertificateDetail({ CertificateId: id })).DvAuthDetail?.DvAuths?.[0];
    expect(auth?.DvAuthValue).toMatch(/\.trust-provider\.com$/);
  });
});

describe("regionsRequired", () => {
  async function deployEnv(rules: Partial<InferredRules>): Promise<ActionsEnv> {
    env = await startActionsEmulator(
      {
        certificates: [
          { certificateId: "RulDepOl", domain: "dep.example.com", expiresInDays: 10, boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1" }] },
          { certificateId: "RulDepNw", domain: "dep.example.com", expiresInDays: 300 },
        ],
      },
      { rules },
    );
    return env;
  }

  it("true: a regional type without ResourceTypesRegions is InvalidParameter naming the type; with regions it deploys", async () => {
    const e = await deployEnv({ regionsRequired: true });
    const f = await expectTencentError(e.ssl.UpdateCertificateInstance({ OldCertificateId: "RulDepOl", CertificateId: "RulDepNw", ResourceTypes: ["clb"] }), "InvalidParameter");
    expect(f.message).toContain("clb");
    const ok = await e.ssl.UpdateCertificateInstance({
      OldCertificateId: "RulDepOl", CertificateId: "RulDepNw", ResourceTypes: ["clb"], ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }],
    });
    expect(ok.DeployRecordId).toBeGreaterThan(0);
  });

  it("false (default): no regions means every region", async () => {
    const e = await deployEnv({});
    const ok = await e.ssl.UpdateCertificateInstance({ OldCertificateId: "RulDepOl", CertificateId: "RulDepNw", ResourceTypes: ["clb"] });
    expect(ok.DeployRecordId).toBeGreaterThan(0);
  });
});
