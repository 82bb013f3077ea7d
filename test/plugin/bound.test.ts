/**
 * `boundResources` through the REAL plugin executable over gRPC, against the demo seed (DemoShop is
 * bound to a CLB listener and a CDN domain): the schema declares it (non-secret, a list of
 * BoundResource); the previews of Create and Update, Check and Diff start no bound-resource task
 * (the emulator's call log shows none) and leave it unknown; create, update and refresh fill it
 * with where the served certificate is deployed, including after a renewal that deployed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_SPEC } from "../../emulator/backend/seed";
import { isSecret, UNKNOWN, type Props } from "./plugin-host";
import { counting, startPluginWorld, type PluginWorld } from "./world";

let world: PluginWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TASK = "ssl.CreateCertificateBindResourceSyncTask";
const tasks = (w: PluginWorld): number => w.emu.admin.calls().counts[TASK] ?? 0;

interface Bound {
  readonly resourceType: string;
  readonly region: string;
  readonly instanceId: string;
  readonly listenerId: string;
  readonly domain: string;
}

/** DemoShop's bindings as the demo seed declares them, in the output's shape, by type. */
function seededShopBindings(): Bound[] {
  const shop = DEMO_SPEC.certificates!.find((c) => c.certificateId === "DemoShop")!;
  return (shop.boundResources ?? [])
    .map((r) => ({ resourceType: r.resourceType, region: r.region ?? "", instanceId: r.instanceId, listenerId: r.listenerId ?? "", domain: r.domain ?? "" }))
    .sort((a, b) => a.resourceType.localeCompare(b.resourceType));
}

const sorted = (v: unknown): Bound[] => [...(v as Bound[])].sort((a, b) => a.resourceType.localeCompare(b.resourceType));

describe("boundResources (plugin)", () => {
  it("the schema declares it: a non-secret, required list of BoundResource", async () => {
    world = await startPluginWorld("demo");
    const schema = JSON.parse(await world.plugin.getSchema()) as { resources: Record<string, { properties: Record<string, { type?: string; secret?: boolean; items?: { $ref?: string } }>; required: string[] }>; types: Record<string, { required: string[] }> };
    const resource = schema.resources["tencentcloud-cert-renewal:index:RenewedCertificate"]!;
    const p = resource.properties["boundResources"]!;
    expect(p.type).toBe("array");
    expect(p.items?.$ref).toBe("#/types/tencentcloud-cert-renewal:index:BoundResource");
    expect(p.secret).toBeUndefined();
    expect(resource.required).toContain("boundResources");
    expect(schema.types["tencentcloud-cert-renewal:index:BoundResource"]!.required).toEqual(["resourceType", "region", "instanceId", "listenerId", "domain"]);
  });

  it("previews start no task and leave it unknown; create, refresh and update list the demo's bindings", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    const p = w.plugin;
    // DemoShop expires in 20 days: with renewBeforeDays 10 it is adopted, not renewed.
    const inputs = { certificateId: "DemoShop", renewBeforeDays: 10, key: { source: "online" } };

    const preview = await counting(w, async () => p.create("shop", (await p.check("shop", {}, inputs)).inputs, true));
    expect(preview.calls).toBe(0);
    expect(preview.result.properties["boundResources"]).toBe(UNKNOWN);

    const checked = (await p.check("shop", {}, inputs)).inputs;
    const created = await p.create("shop", checked);
    expect(created.properties["certificateId"]).toBe("DemoShop");
    expect(isSecret(created.properties["boundResources"])).toBe(false);
    expect(sorted(created.properties["boundResources"])).toEqual(seededShopBindings());
    const afterCreate = tasks(w);
    expect(afterCreate).toBeGreaterThan(0);

    // Check, Diff and the Update preview: no call at all, so no task; the preview cannot promise the list.
    const changed = { ...inputs, renewBeforeDays: 12 };
    const quiet = await counting(w, async () => {
      const c = (await p.check("shop", created.properties, changed)).inputs;
      const d = await p.diff("shop", created.id, created.properties, c);
      expect(d.changes).toBe("some");
      return p.update("shop", created.id, created.properties, c, true);
    });
    expect(quiet.calls).toBe(0);
    expect(quiet.result.properties["boundResources"]).toBe(UNKNOWN);
    expect(quiet.result.properties["certificatePem"], "a non-renewing update's preview keeps the served pair").toBe(created.properties["certificatePem"]);
    expect(tasks(w)).toBe(afterCreate);

    // Refresh and the update itself read it again.
    const read = await p.read("shop", created.id, created.properties, checked);
    expect(sorted(read.properties["boundResources"])).toEqual(seededShopBindings());
    const updated = await p.update("shop", created.id, read.properties, (await p.check("shop", read.properties, changed)).inputs);
    expect(sorted(updated.properties["boundResources"])).toEqual(seededShopBindings());
    expect(tasks(w)).toBeGreaterThan(afterCreate);
  });

  it("after a renewal that deployed to the CLB and the CDN (cdn without regions: the documented default []), the list is the NEW certificate's", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    w.emu.admin.setDeploySecondsPerResource(0);
    const p = w.plugin;
    const inputs: Props = { certificateId: "DemoShop", renewBeforeDays: 30, deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }, { resourceType: "cdn" }] };
    const created = await p.create("shop", (await p.check("shop", {}, inputs)).inputs);
    const renewed = created.properties["certificateId"] as string;
    expect(renewed).not.toBe("DemoShop");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    expect(w.count("ssl.UpdateCertificateInstance")).toBe(1);
    expect(sorted(created.properties["boundResources"])).toEqual(seededShopBindings());
    // Tencent agrees: nothing is left on DemoShop, both resources are on the renewal.
    expect((w.emu.admin.inspectCertificate("DemoShop")?.["boundResources"] as unknown[]).length).toBe(0);
    expect((w.emu.admin.inspectCertificate(renewed)?.["boundResources"] as unknown[]).length).toBe(2);
  });
});
