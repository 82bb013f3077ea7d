/**
 * P2, the polling budget, through the real SDK on the emulator, in simulated time (the engine's
 * clock and sleep drive the emulator's clock: bench/virtual-time.ts). Counts and schedules only,
 * which are deterministic; the timing figures live in bench/polling.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concurrent, renewOnce, startPollingBench, type OneRenewal, type PollingBench } from "../../../bench/polling";

let b: PollingBench;
beforeAll(async () => {
  b = await startPollingBench(20);
});
afterAll(async () => {
  await b?.close();
});

/** Seconds after the validation record was created at which the order's status was read. */
function pollTimes(r: OneRenewal): number[] {
  const created = r.log.find((c) => c.action === "CreateRecord");
  const deleted = r.log.find((c) => c.action === "DeleteRecord");
  if (!created || !deleted) throw new Error("no validation record in the log");
  const t0 = Date.parse(created.time);
  return r.log
    .filter((c) => c.action === "DescribeCertificateDetail" && c.seq > created.seq && c.seq < deleted.seq)
    .map((c) => Math.round((Date.parse(c.time) - t0) / 1000));
}

describe("P2: Tencent calls in one DV renewal", () => {
  it("CA 60 s (the emulator's default): at most 16 calls, DescribePackages once, one paid call; polls at 10 s and 60 s", async () => {
    const r = await renewOnce(b, "poll0", 60);
    expect(r.byAction["ssl.CreateCertificateByPackage"]).toBe(1);
    expect(r.byAction["ssl.DescribePackages"]).toBe(1);
    expect(pollTimes(r)).toEqual([10, 60]);
    expect(r.calls).toBeLessThanOrEqual(16);
    expect(r.lagMs).toBeLessThan(10_000);
  });

  it("CA 2 s: one look, 10 s after validation", async () => {
    const r = await renewOnce(b, "poll1", 2);
    expect(pollTimes(r)).toEqual([10]);
    expect(r.calls).toBeLessThanOrEqual(15);
  });

  it("CA 10 min: at most 30 calls, sparse between the expected moments, dense at them", async () => {
    const r = await renewOnce(b, "poll2", 600);
    const times = pollTimes(r);
    expect(r.calls).toBeLessThanOrEqual(30);
    expect(times.slice(0, 5)).toEqual([10, 60, 65, 70, 75]);
    expect(times.at(-1)).toBe(600);
    // Never more often than every 5 s, never less than once a minute.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(60);
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
