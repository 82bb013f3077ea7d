/**
 * Deployment drift (engine/drift*.ts) against the in-memory fakes: which resources are drift and
 * why, the task API's limits (100 ids a call), the bounded wait, the cache, region errors, and
 * deployDrifted's dry run. Nothing here may spend money or change Tencent.
 */
import { describe, expect, it } from "vitest";
import { deployDrifted, groupLineages, isInvalidInputError, isTimedOutError, listDeployments, scanDeployments } from "../../../engine";
import { caught } from "../../support/caught";
import { cdn, clb, FakeBindings } from "../../support/fake-bindings";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";

const DAY = 86_400_000;

async function account(): Promise<{ w: FakeWorld; b: FakeBindings }> {
  const w = fakeWorld();
  const at = (days: number) => new Date(w.clock.now().getTime() + days * DAY);
  // api: renewed (apiOld → api), its CDN domain still on apiOld.
  await w.ssl.seed({ id: "apiOld", domains: ["api.example.com"], notAfter: at(45), renewOrderId: "api", renewable: false });
  await w.ssl.seed({ id: "api", domains: ["api.example.com"], notAfter: at(395), originCertificateId: "apiOld", renewable: false });
  // shop: no renewal, expires in 20 days.
  await w.ssl.seed({ id: "shop", domains: ["shop.example.com"], notAfter: at(20) });
  // blog: expired, renewed, the renewal issued; a CLB still serves the expired one.
  await w.ssl.seed({ id: "blogOld", domains: ["blog.example.com"], notAfter: at(-2), status: 3, renewOrderId: "blog" });
  await w.ssl.seed({ id: "blog", domains: ["blog.example.com"], notAfter: at(300), originCertificateId: "blogOld" });
  const b = new FakeBindings(w.clock);
  b.bind("apiOld", cdn("api.example.com"));
  b.bind("api", clb("lb-api", "lbl-api", "ap-shanghai"));
  b.bind("shop", clb("lb-shop", "lbl-shop"), cdn("shop.example.com"));
  b.bind("blogOld", clb("lb-blog", "lbl-blog"));
  return { w, b };
}

const pollFast = { pollMs: 1000, timeoutMs: 60_000 };

describe("scanDeployments", () => {
  it("flags a resource on a superseded, an expiring and an expired certificate, and not one on the newest", async () => {
    const { w, b } = await account();
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, { withinDays: 30, ...pollFast });
    const drift = scan.drifted.map((r) => [r.certificateId, r.resourceType, r.instanceId, r.drift?.reason, r.drift?.targetCertificateId]);
    expect(drift.sort()).toEqual(
      [
        ["apiOld", "cdn", "api.example.com", "Superseded", "api"],
        ["blogOld", "clb", "lb-blog", "Expired", "blog"],
        ["shop", "cdn", "shop.example.com", "Expiring", null],
        ["shop", "clb", "lb-shop", "Expiring", null],
      ].sort(),
    );
    const api = scan.lineages.find((l) => l.lineageId === "apiOld")!;
    expect(api.newestIssuedId).toBe("api");
    expect(api.certificates.map((c) => c.certificateId)).toEqual(["apiOld", "api"]);
    expect(api.certificates[1]!.resources[0]).toMatchObject({ instanceId: "lb-api", listenerId: "lbl-api", region: "ap-shanghai", drift: null });
    expect(scan.drifted.find((r) => r.certificateId === "apiOld")!.drift!.message).toBe(
      "serves apiOld, superseded by its issued renewal api (45 day(s) left); move it to api with `tccert deploy --drifted`",
    );
    expect(scan.drifted.find((r) => r.certificateId === "shop")!.drift!.message).toBe(
      "serves shop, which expires in 20 day(s) (within 30); renew it first (`tccert renew shop`), then `tccert deploy --drifted`",
    );
    expect(scan.incomplete).toEqual([]);
    // Read-only: nothing but the list call on the SSL side.
    expect(w.calls.mutating()).toBe(0);
  });

  it("--within-days moves the expiry threshold; --ids keeps the lineages holding an id and names unknown ids", async () => {
    const { w, b } = await account();
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, { withinDays: 7, ids: ["api", "nope"], ...pollFast });
    expect(scan.lineages.map((l) => l.lineageId)).toEqual(["apiOld"]);
    expect(scan.drifted.map((r) => r.drift?.reason)).toEqual(["Superseded"]);
    expect(scan.unknownIds).toEqual(["nope"]);
    const all = await scanDeployments({ ...w.deps(), bindings: b }, { withinDays: 7, ...pollFast });
    expect(all.drifted.some((r) => r.certificateId === "shop")).toBe(false);
  });

  it("batches 100 ids per task call and per result call, and polls until the tasks are done", async () => {
    const w = fakeWorld();
    const b = new FakeBindings(w.clock);
    for (let i = 0; i < 250; i++) await w.ssl.seed({ id: `c${i}`, notAfter: new Date(w.clock.now().getTime() + 200 * DAY) });
    b.bind("c7", cdn("seven.example.com"));
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    expect(b.calls.start).toBe(3);
    // 3 polls while running (0, 1, 2 s) and one when done (3 s), each in 3 batches.
    expect(b.calls.results).toBe(12);
    expect(w.sleep.sleeps).toEqual([1000, 1000, 1000]);
    // Only certificates with something bound get a detail call.
    expect(b.calls.detail).toBe(1);
    expect(scan.lineages).toHaveLength(250);
    expect(scan.drifted).toEqual([]);
  });

  it("a task still running at the end of the bounded wait leaves that certificate unknown, named in incomplete", async () => {
    const { w, b } = await account();
    b.runMs = 10 * 60_000;
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, { pollMs: 5000, timeoutMs: 20_000 });
    expect([...scan.incomplete].sort()).toEqual(["api", "apiOld", "blog", "blogOld", "shop"]);
    const c = scan.lineages[0]!.certificates[0]!;
    expect(c.bindings).toBe("unknown");
    expect(c.error).toMatch(/^Tencent's bound-resource task task\d+ was still running after 20 s; run the scan again later$/);
    expect(w.sleep.sleeps).toEqual([5000, 5000, 5000, 5000]);
  });

  it("uses Tencent's cached answer while fresh, with its age; asks again without the cache when too old or older than a deployment", async () => {
    const { w, b } = await account();
    await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    w.clock.advance(10 * 60_000);
    b.bind("api", cdn("api.example.com"));
    const cached = await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    const api = cached.lineages.find((l) => l.lineageId === "apiOld")!.certificates[1]!;
    expect(api.cacheAgeSeconds).toBe(600);
    expect(api.resources).toHaveLength(1);
    const fresh = await scanDeployments({ ...w.deps(), bindings: b }, { ...pollFast, freshAfter: new Map([["api", w.clock.now()]]) });
    const again = fresh.lineages.find((l) => l.lineageId === "apiOld")!.certificates[1]!;
    expect(again.resources).toHaveLength(2);
    expect(again.cacheAgeSeconds).toBe(0);
    const aged = await scanDeployments({ ...w.deps(), bindings: b }, { ...pollFast, maxCacheAgeMs: 1000 });
    expect(aged.lineages.find((l) => l.lineageId === "apiOld")!.certificates[0]!.cacheAgeSeconds).toBeLessThanOrEqual(1);
  });

  it("a region Tencent could not read is reported, and the certificate counts as incomplete", async () => {
    const { w, b } = await account();
    b.regionErrors.set("clb|ap-shanghai", "InternalError: clb ap-shanghai timed out");
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    const api = scan.lineages.find((l) => l.lineageId === "apiOld")!.certificates[1]!;
    expect(api.regionErrors).toEqual(["clb ap-shanghai: InternalError: clb ap-shanghai timed out"]);
    expect(api.resources).toEqual([]);
    expect(scan.incomplete).toContain("api");
  });

  it("resources Tencent counts but the adapter cannot itemise stand in as one row per type and region, so their drift is not missed", async () => {
    const { w, b } = await account();
    b.unlisted.add("waf");
    b.bind("apiOld", { resourceType: "waf", region: "ap-guangzhou", instanceId: "waf-1", listenerId: "", domain: "" }, { resourceType: "waf", region: "ap-guangzhou", instanceId: "waf-2", listenerId: "", domain: "" });
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    const waf = scan.drifted.filter((r) => r.resourceType === "waf");
    expect(waf.map((r) => [r.certificateId, r.region, r.instanceId, r.drift?.reason, r.drift?.targetCertificateId])).toEqual([["apiOld", "ap-guangzhou", "(2 not itemised)", "Superseded", "api"]]);
    const fixes = await deployDrifted(w.deps(), scan, () => undefined, { dryRun: true });
    expect(fixes.filter((f) => f.resourceType === "waf").map((f) => [f.instanceId, f.status])).toEqual([["(2 not itemised)", "would-move"]]);
  });

  it("refuses to run without the bound-resource port, naming it", async () => {
    const { w } = await account();
    const e = await caught(scanDeployments(w.deps(), pollFast));
    expect(isInvalidInputError(e)).toBe(true);
    expect((e as Error).message).toBe("engine: deployment drift needs the bound-resource port (EngineDeps.bindings); build the deps with createEngineDeps from the runtime.");
  });
});

describe("groupLineages", () => {
  it("follows the link from either side (the new side only, as under the pessimistic profile)", async () => {
    const { w } = await account();
    await w.ssl.seed({ id: "oneSidedOld", domains: ["x.example.com"], notAfter: new Date(w.clock.now().getTime() + 40 * DAY) });
    await w.ssl.seed({ id: "oneSided", domains: ["x.example.com"], notAfter: new Date(w.clock.now().getTime() + 400 * DAY), originCertificateId: "oneSidedOld" });
    const page = await w.ssl.listCertificates({ limit: 1000 });
    const l = groupLineages(page.certificates, w.clock.now()).find((x) => x.rootId === "oneSidedOld")!;
    expect(l.certificates.map((c) => c.certificateId)).toEqual(["oneSidedOld", "oneSided"]);
    expect(l.newestIssued?.certificateId).toBe("oneSided");
  });
});

describe("deployDrifted", () => {
  it("--dry-run lists one result per drifted resource and calls nothing that changes Tencent", async () => {
    const { w, b } = await account();
    const scan = await scanDeployments({ ...w.deps(), bindings: b }, pollFast);
    const fixes = await deployDrifted(w.deps(), scan, () => undefined, { dryRun: true });
    expect(fixes.map((f) => [f.from, f.instanceId, f.to, f.status]).sort()).toEqual(
      [
        ["apiOld", "api.example.com", "api", "would-move"],
        ["blogOld", "lb-blog", "blog", "would-move"],
        ["shop", "lb-shop", null, "needs-renewal"],
        ["shop", "shop.example.com", null, "needs-renewal"],
      ].sort(),
    );
    expect(fixes.find((f) => f.from === "shop")!.message).toBe("no newer issued certificate to move to: renew shop first (`tccert renew shop`), then rerun `tccert deploy --drifted`");
    expect(w.calls.mutating()).toBe(0);
  });
});

describe("listDeployments", () => {
  it("lists where one certificate is deployed; a failed task is a branded error", async () => {
    const { w, b } = await account();
    const list = await listDeployments({ bindings: b, clock: w.clock, sleep: w.sleep }, "shop", pollFast);
    expect(list.resources.map((r) => `${r.resourceType}:${r.instanceId}`)).toEqual(["clb:lb-shop", "cdn:shop.example.com"]);
    b.runMs = 10 * 60_000;
    const e = await caught(listDeployments({ bindings: b, clock: w.clock, sleep: w.sleep }, "api", { ...pollFast, maxCacheAgeMs: 0 }));
    expect(isTimedOutError(e)).toBe(true);
  });
});
