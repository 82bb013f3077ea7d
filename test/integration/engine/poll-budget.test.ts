/**
 * P2, the polling budget, through the real SDK on the emulator, in simulated time (the engine's
 * clock and sleep drive the emulator's clock: bench/virtual-time.ts). Counts and schedules only,
 * which are deterministic; the timing figures live in bench/polling.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concurrent, renewOnce, startPollingBench, type OneRenewal, type PollingBench } from "../../../bench/polling";
import { resolveOptions } from "../../../engine/options";
import { planRenewal } from "../../../engine/plan";

let b: PollingBench;
beforeAll(async () => {
  b = await startPollingBench(20);
});
afterAll(async () => {
  await b?.close();
});

/** Seconds after the validation record was created at which the order's status was read (rounded: the emulator's clock also counts real time spent working). */
function pollTimes(r: OneRenewal, exact = false): number[] {
  const created = r.log.find((c) => c.action === "CreateRecord");
  const deleted = r.log.find((c) => c.action === "DeleteRecord");
  if (!created || !deleted) throw new Error("no validation record in the log");
  const t0 = Date.parse(created.time);
  return r.log
    .filter((c) => c.action === "DescribeCertificateDetail" && c.seq > created.seq && c.seq < deleted.seq)
    .map((c) => (exact ? (Date.parse(c.time) - t0) / 1000 : Math.round((Date.parse(c.time) - t0) / 1000)));
}

describe("P2: Tencent calls in one DV renewal", () => {
  it("CA 60 s (the emulator's default): at most 16 calls, DescribePackages once, one paid call; polls at 5 s and 60 s", async () => {
    const r = await renewOnce(b, "poll0", 60);
    expect(r.byAction["ssl.CreateCertificateByPackage"]).toBe(1);
    expect(r.byAction["ssl.DescribePackages"]).toBe(1);
    expect(pollTimes(r)).toEqual([5, 60]);
    expect(r.calls).toBeLessThanOrEqual(16);
    expect(r.lagMs).toBeLessThan(10_000);
  });

  it("CA 2 s: one look, 5 s after validation", async () => {
    const r = await renewOnce(b, "poll1", 2);
    expect(pollTimes(r)).toEqual([5]);
    expect(r.calls).toBeLessThanOrEqual(15);
  });

  it("CA 10 min: at most 30 calls, sparse between the expected moments, dense at them", async () => {
    const r = await renewOnce(b, "poll2", 600);
    const times = pollTimes(r);
    expect(r.calls).toBeLessThanOrEqual(30);
    expect(times.slice(0, 5)).toEqual([5, 60, 65, 70, 75]);
    expect(times.at(-1)).toBe(600);
    // Never more often than every 5 s, never less than once a minute (give or take the real time of the work).
    const exact = pollTimes(r, true);
    for (let i = 1; i < exact.length; i++) expect(exact[i]! - exact[i - 1]!).toBeGreaterThanOrEqual(4.9);
    for (let i = 1; i < exact.length; i++) expect(exact[i]! - exact[i - 1]!).toBeLessThanOrEqual(61.5);
    expect(r.byAction["ssl.DescribePackages"]).toBe(1);
  });
});

describe("P2: many renewals at once share the poll budget", () => {
  it("12 renewals whose schedules coincide: polls never above half of DescribeCertificateDetail's limit", async () => {
    const c = await concurrent(b, 3, 12);
    expect(c.limitPerSecond).toBe(10);
    expect(c.peakDemand).toBeGreaterThan(5); // the schedules alone would go over
    expect(c.peakPolls).toBeLessThanOrEqual(5);
  });
});

describe("the runtime's wiring", () => {
  it("every engine built for one endpoint shares one poll budget: DescribeCertificateDetail polls 200 ms apart (half of 10/s)", async () => {
    const a = b.runtimeDeps();
    const c = b.runtimeDeps();
    expect(a.pollBudget).toBeDefined();
    expect(c.pollBudget).toBe(a.pollBudget);
    const slept: number[] = [];
    for (let i = 0; i < 6; i++) await a.pollBudget!.take("DescribeCertificateDetail", async (ms) => void slept.push(ms));
    // Five waits, the last about a second after the first poll (a few ms of real time pass in between).
    expect(slept).toHaveLength(5);
    expect(slept.at(-1)!).toBeGreaterThan(900);
    expect(slept.at(-1)!).toBeLessThanOrEqual(1000);
  });

  it("DescribePackages is read once for the plans of a run, and again after our own paid call", async () => {
    const deps = b.runtimeDeps();
    b.emu.admin.resetCalls();
    for (const id of ["poll15", "poll16", "poll17"]) expect((await planRenewal(deps, resolveOptions({ certificateId: id }))).payment).not.toBeNull();
    expect(b.emu.admin.calls().counts["ssl.DescribePackages"]).toBe(1);
    await deps.ssl.renewByPackage({ oldCertificateId: "poll18", productPid: 0, packageIds: ["pkg-poll"], domainCount: 1, periodYears: 1, csrMethod: "online", verifyType: "DNS" }).catch(() => undefined);
    await planRenewal(deps, resolveOptions({ certificateId: "poll19" }));
    expect(b.emu.admin.calls().counts["ssl.DescribePackages"]).toBe(2);
  });
});
