/**
 * `boundResources` through Pulumi's real dynamic-provider host, against the demo seed (DemoShop is
 * bound to a CLB listener and a CDN domain): create and refresh list them; check and diff (every
 * preview) start no bound-resource task; a read Tencent refuses never fails the run (the previous
 * list is kept for the same certificate, [] for a new one, and a warning says so).
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT, DEMO_SPEC } from "../../emulator/backend/seed";
import { expectIssued, expectNoCalls } from "./expect";
import { startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TASK = "ssl.CreateCertificateBindResourceSyncTask";
const tasks = (w: PulumiWorld): number => w.emu.admin.calls().counts[TASK] ?? 0;

/** DemoShop's bindings as the demo seed declares them, in the output's shape. */
function seededShopBindings(): Record<string, string>[] {
  const shop = DEMO_SPEC.certificates!.find((c) => c.certificateId === "DemoShop")!;
  const list = shop.boundResources ?? [];
  expect(list.map((r) => r.resourceType).sort()).toEqual(["cdn", "clb"]);
  return list.map((r) => ({ resourceType: r.resourceType, region: r.region ?? "", instanceId: r.instanceId, listenerId: r.listenerId ?? "", domain: r.domain ?? "" }));
}

const byType = (list: unknown): unknown[] => [...(list as { resourceType: string }[])].sort((a, b) => a.resourceType.localeCompare(b.resourceType));

async function demoWorld(): Promise<PulumiWorld> {
  return startPulumiWorld("demo", {
    config: (url) => ({ "tencentcloud:secretId": DEMO_ACCOUNT.secretId, "tencentcloud:secretKey": DEMO_ACCOUNT.secretKey, "tencentcloud:endpoint": url }),
  });
}

// DemoShop expires in 20 days: with renewBeforeDays 10 the create adopts it (nothing paid).
const ARGS = { certificateId: "DemoShop", renewBeforeDays: 10, key: { source: "online" } };

describe("boundResources (dynamic provider)", () => {
  it("create and refresh list the demo's CLB listener and CDN domain; check and diff start no task", async () => {
    world = await demoWorld();
    const w = world;
    await expectNoCalls(w, () => w.previewCreate("shop", ARGS));
    expect(tasks(w)).toBe(0);

    const { id, state } = await w.up("shop", ARGS);
    expect(state["certificateId"]).toBe("DemoShop");
    expect(byType(state["boundResources"])).toEqual(byType(seededShopBindings()));
    expect(tasks(w)).toBeGreaterThan(0);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);

    // Preview of the existing resource (Check + Diff), with and without a change: no call at all.
    const before = tasks(w);
    expect((await expectNoCalls(w, () => w.preview("shop", id, state, ARGS))).changes).toBe("none");
    expect((await expectNoCalls(w, () => w.preview("shop", id, state, { ...ARGS, renewBeforeDays: 12 }))).changes).toBe("some");
    expect(tasks(w)).toBe(before);

    // Refresh reads it again, and sees a resource bound since.
    w.emu.admin.bindResource("DemoShop", { resourceType: "clb", region: "ap-beijing", instanceId: "lb-newshop", listenerId: "lbl-newshop" });
    await w.emu.admin.advanceClock(31 * 60); // past Tencent's half-hour cache
    const read = await w.host.read("shop", id, state);
    expect(read.properties["certificateId"]).toBe("DemoShop");
    const listed = read.properties["boundResources"] as { instanceId: string }[];
    expect(listed.map((r) => r.instanceId).sort()).toEqual(["lb-demoshop", "lb-newshop", "shop.example.com"]);
  });

  it("a bound-resource read Tencent refuses fails neither refresh nor a paid renewal: previous list for the same certificate, [] for a new one, a warning", async () => {
    world = await demoWorld();
    const w = world;
    const { id, state } = await w.up("shop", ARGS);
    expect((state["boundResources"] as unknown[]).length).toBe(2);
    w.emu.admin.addFault({ service: "ssl", action: "CreateCertificateBindResourceSyncTask", kind: "error", code: "UnauthorizedOperation", message: "CAM denies ssl:CreateCertificateBindResourceSyncTask", times: "always" });

    const read = await w.host.read("shop", id, state);
    expect(byType(read.properties["boundResources"])).toEqual(byType(state["boundResources"]));
    await w.host.waitForStdout(/tccert DemoShop: warning: could not read where DemoShop is deployed \(.*CAM denies.*\); boundResources keeps the previous list/);

    // A forced renewal (DemoShop is inside Tencent's 30-day window) succeeds and pays once; its new certificate's list is [].
    const renewed = await w.upExisting("shop", id, read.properties, { ...ARGS, renewalTrigger: "now" });
    expect(renewed.updated).toBe(true);
    expectIssued(renewed.state);
    expect(renewed.state["certificateId"]).not.toBe("DemoShop");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    expect(renewed.state["boundResources"]).toEqual([]);
    await w.host.waitForStdout(new RegExp(`could not read where ${String(renewed.state["certificateId"])} is deployed .*; boundResources is \\[\\]`));
  });
});
