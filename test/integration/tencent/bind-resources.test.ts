/**
 * tencent/bind-resources.ts (the BindingsApi adapter) with the real SDK against the emulator: the
 * task's Status running → done on the emulator clock, IsCache, the 100-id limits refused before any
 * request, region errors, and the detail call paged by 100 instances per type and region.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { startEmulator, type RunningEmulator, type SeedBoundResource } from "../../../emulator";
import { createTencentApis, type TencentApis } from "../../../tencent";

const DEMO = { secretId: "AKIDEMULATORDEMO000000000000000000000", secretKey: "emulator-demo-secret-key-000000000000" };

let emu: RunningEmulator;
let apis: TencentApis;

const cdn = (i: number): SeedBoundResource => ({ resourceType: "cdn", instanceId: `d${i}.fleet.example.com`, domain: `d${i}.fleet.example.com` });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: "demo", throttle: false, log: () => undefined });
  emu.admin.setBindSyncSeconds(30);
  emu.admin.seed({
    certificates: [
      {
        certificateId: "bindMany1", domain: "fleet.example.com", expiresInDays: 100,
        boundResources: [
          ...Array.from({ length: 150 }, (_, i) => cdn(i)),
          { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-a" },
          { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-b" },
          { resourceType: "clb", region: "ap-beijing", instanceId: "lb-2", listenerId: "lbl-c" },
        ],
      },
    ],
  });
  apis = createTencentApis({ credentials: DEMO, endpoint: emu.url, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 }, env: {} });
});

afterAll(async () => emu.close());

describe("BindingsApi against the emulator", () => {
  it("a task runs, then lists every resource: CLB listeners per load balancer, CDN domains over two detail pages", async () => {
    const [task] = await apis.bindings.startBindingTasks(["bindMany1"], false);
    expect(task).toEqual({ certificateId: "bindMany1", taskId: expect.stringMatching(/^\d+$/) });
    const [running] = await apis.bindings.getBindingTaskResults([task!.taskId]);
    expect(running).toMatchObject({ taskId: task!.taskId, status: "running", regions: [] });
    emu.admin.advanceClock(31);
    const [done] = await apis.bindings.getBindingTaskResults([task!.taskId]);
    expect(done!.status).toBe("done");
    expect(done!.cacheTime).toBeInstanceOf(Date);
    expect(done!.regions).toEqual([
      { resourceType: "cdn", region: "", totalCount: 150, error: "" },
      // Resources (listeners), not load balancers.
      { resourceType: "clb", region: "ap-guangzhou", totalCount: 2, error: "" },
      { resourceType: "clb", region: "ap-beijing", totalCount: 1, error: "" },
    ]);
    emu.admin.resetCalls();
    const resources = await apis.bindings.listBoundResources(task!.taskId, done!.regions);
    expect(resources).toHaveLength(153);
    expect(resources.filter((r) => r.resourceType === "clb")).toEqual([
      { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-a", domain: "" },
      { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-b", domain: "" },
      { resourceType: "clb", region: "ap-beijing", instanceId: "lb-2", listenerId: "lbl-c", domain: "" },
    ]);
    expect(new Set(resources.filter((r) => r.resourceType === "cdn").map((r) => r.instanceId)).size).toBe(150);
    // The first page (100 of each type and region), then one more page for the CDN domains alone.
    expect(emu.admin.calls().counts["ssl.DescribeCertificateBindResourceTaskDetail"]).toBe(2);
  });

  it("IsCache 1 reuses the task finished in the last half hour; IsCache 0 starts a new one", async () => {
    const [first] = await apis.bindings.startBindingTasks(["DemoShop"], false);
    emu.admin.advanceClock(31);
    const [cached] = await apis.bindings.startBindingTasks(["DemoShop"], true);
    expect(cached!.taskId).toBe(first!.taskId);
    const [fresh] = await apis.bindings.startBindingTasks(["DemoShop"], false);
    expect(fresh!.taskId).not.toBe(first!.taskId);
    emu.admin.advanceClock(31 * 60);
    const [expired] = await apis.bindings.startBindingTasks(["DemoShop"], true);
    expect([first!.taskId, fresh!.taskId]).not.toContain(expired!.taskId);
  });

  it("a scripted region error is that region's Error, with no count", async () => {
    emu.admin.setBindResourceRegionError("ap-beijing", "InternalError: region unavailable");
    try {
      const [task] = await apis.bindings.startBindingTasks(["bindMany1"], false);
      emu.admin.advanceClock(31);
      const [done] = await apis.bindings.getBindingTaskResults([task!.taskId]);
      expect(done!.regions.find((r) => r.region === "ap-beijing")).toEqual({ resourceType: "clb", region: "ap-beijing", totalCount: 0, error: "InternalError: region unavailable" });
      const resources = await apis.bindings.listBoundResources(task!.taskId, done!.regions);
      expect(resources.some((r) => r.region === "ap-beijing")).toBe(false);
    } finally {
      emu.admin.setBindResourceRegionError("ap-beijing", "");
    }
  });

  it("more than 100 ids in one call is refused before any request, naming the limit", async () => {
    emu.admin.resetCalls();
    const ids = Array.from({ length: 101 }, (_, i) => `c${i}`);
    for (const p of [apis.bindings.startBindingTasks(ids, true), apis.bindings.getBindingTaskResults(ids)]) {
      const e = await p.then(() => null, (x: unknown) => x);
      expect(isInvalidInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(/^tencent: at most 100 (certificate|task) ids per call; got 101\. Split the list\.$/);
    }
    expect(Object.keys(emu.admin.calls().counts)).toEqual([]);
  });
});
