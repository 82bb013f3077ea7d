/**
 * `DescribePackages` read once per run, not once per renewal: the runtime gives each run (a CLI
 * command, a Pulumi operation) one cache, and its paid calls clear it as they are sent and again as
 * they settle, so no answer read before one of our payments is used after it.
 *
 * Money safety. The balances are also payment evidence: the intent's baseline, read just before
 * paying, against which a later run looks for a drop (evidence.ts). The baseline takes this run's
 * answer only if it is at most `BASELINE_MAX_AGE_MS` old and none of our paid calls was sent since;
 * otherwise it reads afresh. In a single renewal that is the read of the plan a few seconds
 * earlier. What could differ from a fresh read is another party's change in those seconds: a
 * purchase lowers the balance (the baseline is then higher, so a later run sees a "drop" and stops
 * rather than pays: the safe side), and only a refund into the same package within those seconds
 * could hide our charge, which the other evidence (the link, the origin search, the new
 * certificate for the same domains) still shows. Evidence read AFTER an attempt never comes from
 * here: `evidence.ts` reads `listPackages` itself, fresh every time.
 */
import type { BenefitPackage } from "./domain";
import type { Clock, SslApi } from "./ports";

/** How old this run's answer may be to serve as the baseline just before paying. */
export const BASELINE_MAX_AGE_MS = 15_000;
/** How old it may be for planning (a long-lived process re-reads now and then). */
export const PLANNING_MAX_AGE_MS = 5 * 60_000;

export interface PackagesCache {
  /** This run's answer and when it was read; null when there is none (or it was cleared). */
  get(): { readonly packages: readonly BenefitPackage[]; readonly readAt: number } | null;
  /** Bumped by every `clear`: an answer read before a clear is not stored after it. */
  generation(): number;
  put(packages: readonly BenefitPackage[], readAt: number, generation: number): void;
  /** Our paid call is being sent (or has settled): every earlier answer is stale. */
  clear(): void;
}

export function createPackagesCache(): PackagesCache {
  let entry: { packages: readonly BenefitPackage[]; readAt: number } | null = null;
  let gen = 0;
  return {
    get: () => entry,
    generation: () => gen,
    put(packages, readAt, generation) {
      if (generation === gen) entry = { packages, readAt };
    },
    clear() {
      gen++;
      entry = null;
    },
  };
}

/** What the reads need of `EngineDeps` (named here: deps.ts imports this file). */
interface Deps {
  readonly ssl: SslApi;
  readonly clock: Clock;
  readonly packages?: PackagesCache;
}

async function cached(deps: Deps, maxAgeMs: number): Promise<readonly BenefitPackage[]> {
  const cache = deps.packages;
  if (!cache) return deps.ssl.listPackages();
  const now = deps.clock.now().getTime();
  const hit = cache.get();
  if (hit && now - hit.readAt <= maxAgeMs && hit.readAt <= now) return hit.packages;
  const generation = cache.generation();
  const packages = await deps.ssl.listPackages();
  cache.put(packages, now, generation);
  return packages;
}

/** For planning (which packages pay, are there points enough): this run's answer. */
export function planningPackages(deps: Deps): Promise<readonly BenefitPackage[]> {
  return cached(deps, PLANNING_MAX_AGE_MS);
}

/** The intent's baseline just before paying: this run's answer if fresh enough (see above), else a fresh read. */
export function baselinePackages(deps: Deps): Promise<readonly BenefitPackage[]> {
  return cached(deps, BASELINE_MAX_AGE_MS);
}

/** `ssl` whose paid call clears `cache` as it is sent and as it settles, whatever the outcome. */
export function clearingOnPaidCall(ssl: SslApi, cache: PackagesCache): SslApi {
  return new Proxy(ssl, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== "renewByPackage" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        cache.clear();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          cache.clear();
        }
      };
    },
  });
}
