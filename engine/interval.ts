/**
 * The polling policy of the issuance wait, as a pure function: no clock, no
 * sleep, no I/O. The wait loop feeds it the last interval and the CA's status
 * message, and sleeps for what it returns.
 */
import type { PollingOptions } from "./deps";

export type IntervalPolicy = Required<Pick<PollingOptions, "fastMs" | "slowMs" | "fastWindowMs" | "factor">>;

export interface IntervalInput {
  /** The interval used last time (after we act: `fastMs / factor`, so the next one is `fastMs`). */
  readonly previousMs: number;
  /** The certificate's `StatusMsg`, upper-cased. */
  readonly statusMsg: string;
  /** When the CA was first seen in `WAIT-ISSUE` in the current stretch; null when not. */
  readonly waitIssueSince: number | null;
  /** Epoch ms. */
  readonly now: number;
  /** Epoch ms: the wait never sleeps past it. */
  readonly deadline: number;
}

export interface IntervalDecision {
  /** The new interval (what `previousMs` is next time). */
  readonly intervalMs: number;
  /** How long to sleep now: the interval, cut short at the deadline, never negative. */
  readonly sleepMs: number;
  /** The `WAIT-ISSUE` stretch's start after this observation; null when the CA is not in it. */
  readonly waitIssueSince: number | null;
}

/**
 * Adaptive: every `fastMs` while the CA says issuance is next (`WAIT-ISSUE`), for at most
 * `fastWindowMs`; otherwise backing off by `factor` from `fastMs` up to `slowMs` (twice a
 * minute with the defaults). Never past the deadline.
 */
export function nextInterval(policy: IntervalPolicy, input: IntervalInput): IntervalDecision {
  const waitIssueSince = input.statusMsg === "WAIT-ISSUE" ? (input.waitIssueSince ?? input.now) : null;
  const imminent = waitIssueSince !== null && input.now - waitIssueSince < policy.fastWindowMs;
  const intervalMs = imminent ? policy.fastMs : Math.min(policy.slowMs, Math.max(policy.fastMs, input.previousMs * policy.factor));
  return { intervalMs, sleepMs: Math.max(0, Math.min(intervalMs, input.deadline - input.now)), waitIssueSince };
}
