/**
 * What one run shares beyond its adapters: the `DescribePackages` answer (read once per run,
 * cleared by our own paid calls: engine/packages-cache.ts) and, process-wide, the poll budget
 * (half of each action's rate limit for polls, whatever the number of renewals: engine/poll-budget.ts).
 */
import type { EngineDeps } from "../engine/deps";
import { clearingOnPaidCall, createPackagesCache } from "../engine/packages-cache";
import { sharedPollBudget } from "../engine/poll-budget";
import { rateFor, resolveEndpoint } from "../tencent";

/** Polls of an action use at most this share of its rate limit. */
export const POLL_SHARE_OF_LIMIT = 0.5;

/** One poll budget per endpoint (the real Tencent endpoints, or an override such as the emulator). */
function budgetKey(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  try {
    return resolveEndpoint(endpoint, env)?.origin ?? "tencent";
  } catch {
    return "tencent";
  }
}

/** `deps` with this run's packages cache and the process's poll budget for `endpoint`. */
export function withRunCaches(deps: EngineDeps, endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): EngineDeps {
  const packages = createPackagesCache();
  return {
    ...deps,
    ssl: clearingOnPaidCall(deps.ssl, packages),
    packages,
    pollBudget: sharedPollBudget(budgetKey(endpoint, env), (action) => rateFor("ssl", action) * POLL_SHARE_OF_LIMIT),
  };
}
