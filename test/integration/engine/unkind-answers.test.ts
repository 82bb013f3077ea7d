/**
 * Issue 12, part 3: the engine under each less kind answer Tencent may plausibly give. Each case
 * turns on one inferred-rule switch of the emulator (emulator/rules.ts; all but `tencentAutoRenew`
 * are in the `pessimistic` profile) and drives a real renewal through the real SDK.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createCertificateInspector } from "../../../crypto";
import { isInvalidInputError, isPendingHumanActionError, isRenewalError, type RenewalError } from "../../../engine/errors";
import { ensureRenewed } from "../../../engine/renewal";
import { scanAccount } from "../../../engine/scan";
import { seedFor, startWorld, type World } from "./world";

const inspector = createCertificateInspector();
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DV = (id: string, extra: Record<string, unknown> = {}) => ({
  certificateId: id,
  domain: `${id}.example.com`,
  sans: [`www.${id}.example.com`],
  certType: "DV" as const,
  expiresInDays: 20,
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<RenewalError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isRenewalError(e)) throw new Error(`expected a RenewalError, got ${String(e)}`);
  return e;
}

/** Records left in a zone besides DNSPod's own NS records. */
function leftovers(w: World, zone = "example.com") {
  return w.emu.admin.inspectZone(zone, "acct-test").filter((r) => String(r["type"] ?? r["Type"]) !== "NS");
}

describe("CertificatePublicKey without the chain (chainInPublicKey: false)", () => {
  it("the chain is fetched from the nginx bundle: fullchainPem is never the leaf alone", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    world.emu.admin.setRules({ chainInPublicKey: false });
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(r.chainPem).toContain("BEGIN CERTIFICATE");
    expect(r.fullchainPem.length).toBeGreaterThan(r.certificatePem.length);
    expect(inspector.chainInOrder(r.certificatePem, r.chainPem)).toBe(true);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("a renewal waiting in status 5 without its data (renewalKeepsInfo: false)", () => {
  it("stops at once, resumably, as a pending human action saying what to do in the console", async () => {
    world = await startWorld(seedFor({ certificates: [{ certificateId: "corp", domain: "corp.example.com", certType: "OV", expiresInDays: 20 }] }));
    world.emu.admin.setRules({ renewalKeepsInfo: false });
    const e = await failure(ensureRenewed(world.deps(), world.options({ certificateId: "corp", waitTimeoutMinutes: 5 })));
    expect(isPendingHumanActionError(e)).toBe(true);
    expect(e.resumable).toBe(true);
    expect(e.message).toMatch(/status 5/);
    expect((e as { instructions?: string }).instructions).toMatch(/console/);
    expect(world.count("ssl.CertificateOrderSubmit", false)).toBe(1);
    // A rerun resumes the same order; nothing is paid again.
    const again = await failure(ensureRenewed(world.deps(), world.options({ certificateId: "corp" })));
    expect(isPendingHumanActionError(again)).toBe(true);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("a key Tencent generated that does not come back (onlineKey)", () => {
  it.each(["missing", "encrypted"] as const)("%s: stops resumably with a clear message, never 'renewed' without a key", async (form) => {
    world = await startWorld(seedFor({ certificates: [DV("web")] }));
    world.emu.admin.setRules({ onlineKey: form });
    const e = await failure(ensureRenewed(world.deps(), world.options({ certificateId: "web", key: { source: "online", algorithm: "RSA_2048" } })));
    expect(e.resumable).toBe(true);
    expect(e.message).toMatch(form === "missing" ? /no private key/i : /encrypted/i);
    expect(e.message).toMatch(/key.source "local"/);
    expect(e.message).not.toMatch(/BEGIN/);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("deployment of a certificate renewed from our CSR (deployNeedsHeldKey, regionsRequired)", () => {
  it("local keys: UpdateCertificateInstance carries the fullchain and the key; both resources are moved", async () => {
    world = await startWorld(
      seedFor({
        certificates: [
          DV("shop", {
            boundResources: [
              { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-1" },
              { resourceType: "cdn", instanceId: "shop.example.com", domain: "shop.example.com" },
            ],
          }),
        ],
      }),
    );
    world.emu.admin.setRules({ deployNeedsHeldKey: true, regionsRequired: true });
    const r = await ensureRenewed(
      world.deps(),
      world.options({ certificateId: "shop", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }, { resourceType: "cdn", regions: [] }] }),
    );
    expect(r.deployment?.results.map((x) => `${x.resourceType}:${x.status}`).sort()).toEqual(["cdn:success", "clb:success"]);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("the zone is a delegated sub-zone; DvAuthDomain names the registrable domain (dvAuthDomain: registrable)", () => {
  it("the zone comes from DescribeDomainList by longest suffix; records are made and removed there", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")], zones: ["example.com", "shop.example.com"] }));
    world.emu.admin.setRules({ dvAuthDomain: "registrable" });
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(r.outcome).toBe("renewed");
    expect(world.count("dnspod.CreateRecord")).toBeGreaterThan(0);
    expect(leftovers(world, "shop.example.com")).toEqual([]);
    expect(leftovers(world, "example.com")).toEqual([]);
  });

  it("works when only the delegated sub-zone is in the account", async () => {
    world = await startWorld(seedFor({ certificates: [DV("api")], zones: ["api.example.com"] }));
    world.emu.admin.setRules({ dvAuthDomain: "registrable" });
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "api" }));
    expect(r.outcome).toBe("renewed");
    expect(leftovers(world, "api.example.com")).toEqual([]);
  });
});

describe("DNSPod's index delay, a lost CreateRecord answer and a trailing dot (dnsIndexDelaySeconds, cnameTrailingDot)", () => {
  it("resumes: the record DNSPod has (DomainRecordExist) is found after the delay and removed; nothing leaks", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    world.emu.admin.setRules({ dnsIndexDelaySeconds: 2, cnameTrailingDot: true });
    world.emu.admin.addFault({ service: "dnspod", action: "CreateRecord", kind: "reset", afterCommit: true, times: 1 });
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(r.outcome).toBe("renewed");
    expect(leftovers(world)).toEqual([]);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("no DNS record listing after cleanup on the normal path", () => {
  it("records whose ids were journaled are deleted by id: DescribeRecordList is read only before creating", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(r.outcome).toBe("renewed");
    expect(world.count("dnspod.DeleteRecord")).toBe(world.count("dnspod.CreateRecord"));
    expect(world.count("dnspod.DescribeRecordList", false)).toBe(world.count("dnspod.CreateRecord"));
    expect(leftovers(world)).toEqual([]);
  });
});

describe("IsVip in the list is not 'paid' (listIsVip: inverted)", () => {
  it("the scan decides paid from documented fields: the paid certificate is due, the free one is not", async () => {
    world = await startWorld(seedFor({ certificates: [DV("paid"), DV("free", { paid: false })] }));
    world.emu.admin.setRules({ listIsVip: "inverted" });
    const rows = await scanAccount(world.deps(), { renewBeforeDays: 30 });
    expect(rows.filter((r) => r.due).map((r) => r.certificateId)).toEqual(["paid"]);
  });
});

describe("HasRenewOrder that is not an id (hasRenewOrderForm: flag)", () => {
  it("\"yes\" is never taken for a certificate id", async () => {
    world = await startWorld(seedFor({ certificates: [{ certificateId: "corp", domain: "corp.example.com", certType: "OV", expiresInDays: 20 }] }));
    world.emu.admin.setRules({ hasRenewOrderForm: "flag" });
    // Pays, then stops at the confirmation letter: a renewal in flight.
    await failure(ensureRenewed(world.deps(), world.options({ certificateId: "corp" })));
    const page = await world.deps().ssl.listCertificates({ ids: ["corp"] });
    const row = page.certificates[0]!;
    expect(row.link.renewOrderId).not.toBe("yes");
    expect(row.hasRenewOrder).toBe("");
    expect(row.renewalPending).toBe(true);
    const rows = await scanAccount(world.deps(), { renewBeforeDays: 30 });
    expect(rows.find((r) => r.certificateId === "corp")).toBeDefined();
  });
});

describe("Tencent-side auto-renew present (tencentAutoRenew)", () => {
  it("preflight refuses before paying unless allowTencentAutoRenew; with it, renews once", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    world.emu.admin.setRules({ tencentAutoRenew: true });
    const e = await failure(ensureRenewed(world.deps(), world.options({ certificateId: "shop" })));
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.message).toMatch(/AutoRenewFlag/);
    expect(e.message).toMatch(/allowTencentAutoRenew/);
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(0);
    const r = await ensureRenewed(world.deps(), world.options({ certificateId: "shop", allowTencentAutoRenew: true }));
    expect(r.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});
