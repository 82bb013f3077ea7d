/**
 * DescribePackages once per run for planning; the baseline just before paying reuses that answer
 * only while it is fresh and none of our paid calls was sent since (engine/packages-cache.ts).
 */
import { describe, expect, it } from "vitest";
import type { BenefitPackage } from "../../../engine/domain";
import { BASELINE_MAX_AGE_MS, PLANNING_MAX_AGE_MS, baselinePackages, clearingOnPaidCall, createPackagesCache, planningPackages } from "../../../engine/packages-cache";
import type { SslApi } from "../../../engine/ports";

function world() {
  let now = 1_000_000;
  let balance = 10;
  let reads = 0;
  const ssl = {
    listPackages: async (): Promise<readonly BenefitPackage[]> => {
      reads++;
      return [{ packageId: "p1", balance } as BenefitPackage];
    },
    renewByPackage: async () => {
      balance -= 1;
      return "new1";
    },
  } as unknown as SslApi;
  const packages = createPackagesCache();
  const deps = { ssl: clearingOnPaidCall(ssl, packages), packages, clock: { now: () => new Date(now) } };
  return {
    deps,
    reads: () => reads,
    advance: (ms: number) => void (now += ms),
    setBalance: (b: number) => void (balance = b),
  };
}

describe("packages cache", () => {
  it("planning reads once per run, however many renewals are planned", async () => {
    const w = world();
    for (let i = 0; i < 5; i++) await planningPackages(w.deps);
    expect(w.reads()).toBe(1);
  });

  it("the baseline reuses the plan's answer while it is at most BASELINE_MAX_AGE_MS old", async () => {
    const w = world();
    await planningPackages(w.deps);
    w.advance(BASELINE_MAX_AGE_MS);
    expect((await baselinePackages(w.deps))[0]!.balance).toBe(10);
    expect(w.reads()).toBe(1);
  });

  it("an older answer is read afresh for the baseline (and then serves planning)", async () => {
    const w = world();
    await planningPackages(w.deps);
    w.advance(BASELINE_MAX_AGE_MS + 1);
    w.setBalance(7);
    expect((await baselinePackages(w.deps))[0]!.balance).toBe(7);
    expect(w.reads()).toBe(2);
    await planningPackages(w.deps);
    expect(w.reads()).toBe(2);
  });

  it("our paid call clears it: the next plan and the next baseline read afresh", async () => {
    const w = world();
    await planningPackages(w.deps);
    await w.deps.ssl.renewByPackage({} as never);
    expect((await baselinePackages(w.deps))[0]!.balance).toBe(9);
    expect(w.reads()).toBe(2);
  });

  it("a failed paid call clears it too (its outcome may be unknown)", async () => {
    const w = world();
    const failing = clearingOnPaidCall({ ...w.deps.ssl, renewByPackage: async () => Promise.reject(new Error("socket hang up")) } as SslApi, w.deps.packages);
    await planningPackages(w.deps);
    await expect(failing.renewByPackage({} as never)).rejects.toThrow("socket hang up");
    expect(w.deps.packages.get()).toBeNull();
  });

  it("an answer read while our paid call was in flight is not kept", async () => {
    const w = world();
    const cache = w.deps.packages;
    const generation = cache.generation();
    cache.clear(); // the paid call is sent meanwhile
    cache.put([{ packageId: "p1", balance: 10 } as BenefitPackage], 1_000_000, generation);
    expect(cache.get()).toBeNull();
  });

  it("planning re-reads after PLANNING_MAX_AGE_MS (a long-lived process)", async () => {
    const w = world();
    await planningPackages(w.deps);
    w.advance(PLANNING_MAX_AGE_MS + 1);
    await planningPackages(w.deps);
    expect(w.reads()).toBe(2);
  });

  it("without a cache (deps built by hand), every read goes to Tencent", async () => {
    const w = world();
    const deps = { ssl: w.deps.ssl, clock: w.deps.clock };
    await planningPackages(deps);
    await baselinePackages(deps);
    expect(w.reads()).toBe(2);
  });
});
