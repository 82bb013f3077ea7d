/**
 * The polling budget: one share of each action's rate limit for polls, shared by every renewal in
 * this process (`renew --all-due` with concurrency, several Pulumi resources), so that polling
 * never crowds out the calls that move renewals forward. A token bucket of capacity one per
 * action: polls of an action are spaced at least `1000 / perSecond` ms apart, so no one-second
 * window sees more than `perSecond` of them. The runtime sets `perSecond` to half the action's
 * limit (tencent/rate-limit.ts).
 *
 * Only polls take from the budget; the adapter's own limiter (the full limit) still spaces every call.
 */
import type { Sleep } from "./ports";

export interface PollBudget {
  /** Resolves when a poll of `action` fits the budget (sleeping with `sleep` until then). */
  take(action: string, sleep: Sleep, signal?: AbortSignal): Promise<void>;
}

export interface PollBudgetOptions {
  /** Polls per second allowed for `action`. Must be positive. */
  readonly perSecond: (action: string) => number;
  /** Milliseconds on a clock that `sleep` advances. @default performance.now */
  readonly now?: () => number;
}

/** The next free slot per action; pure bookkeeping, no timers. */
export function createPollBudget(options: PollBudgetOptions): PollBudget & { reserve(action: string): number } {
  const now = options.now ?? (() => performance.now());
  const next = new Map<string, number>();
  const reserve = (action: string): number => {
    const rate = options.perSecond(action);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`poll budget for ${action} must be a positive number of polls per second, got ${rate}`);
    const t = now();
    const at = Math.max(t, next.get(action) ?? -Infinity);
    next.set(action, at + 1000 / rate);
    return at - t;
  };
  return {
    reserve,
    async take(action, sleep, signal) {
      const waitMs = reserve(action);
      if (waitMs > 0) await sleep(waitMs, signal);
    },
  };
}

const shared = new Map<string, PollBudget>();

/**
 * The process-wide budget for `key` (one per endpoint): every engine built for that endpoint in
 * this process shares it. The first caller's rates win.
 */
export function sharedPollBudget(key: string, perSecond: (action: string) => number): PollBudget {
  let budget = shared.get(key);
  if (!budget) {
    budget = createPollBudget({ perSecond });
    shared.set(key, budget);
  }
  return budget;
}
