/**
 * The polling schedule of the issuance wait, as a pure function: no clock, no sleep, no I/O. The
 * wait loop feeds it what Tencent said and when, and sleeps for what it returns.
 *
 * The goal (P2): few calls, yet a small lag between issuance and our return. A DV CA issues at
 * typical moments after validation, so the schedule is sparse early and dense near them:
 * - one early look (`firstLookMs` after we acted): fast CAs, and the validation state;
 * - a dense stretch at each expected moment E (`expectedIssuanceMs`, counted from when validation
 *   passed): every E/12 (at most 10 s) for E/4 (at most `fastWindowMs`); later moments also get
 *   one look a tenth of E ahead of them;
 * - in between, an interval that grows with the time waited (× `factor` − 1), up to `slowMs`.
 *
 * What Tencent tells us moves the moments: `WAIT-ISSUE` (validation passed) dates the start of
 * validation to our previous look (the latest it can have passed before), and orders that are not
 * validated by DNS (OV/EV review, days) skip the dense stretches. Every interval stays within
 * [`fastMs`, `slowMs`] and never runs past the deadline.
 */
import type { PollingOptions } from "./deps";

export type IntervalPolicy = Required<Pick<PollingOptions, "fastMs" | "slowMs" | "fastWindowMs" | "factor" | "firstLookMs" | "expectedIssuanceMs">>;

/** The longest interval inside a dense stretch: the lag there stays under it. */
export const DENSE_MAX_MS = 10_000;

export interface IntervalInput {
  /** Epoch ms of this look (the status below was just read). */
  readonly now: number;
  /** Epoch ms: the wait never sleeps past it. */
  readonly deadline: number;
  /** When we last acted (validation records published, order submitted): the schedule starts there. */
  readonly actedAt: number;
  /** When Tencent's status was read before this look (`actedAt` if none since). */
  readonly previousAt: number;
  /** The certificate's `StatusMsg` (any case). */
  readonly statusMsg: string;
  /** When the `WAIT-ISSUE` stretch began (as estimated at its first sighting); null when not in it. */
  readonly waitIssueSince: number | null;
  /** The order is validated by DNS (DV): issuance follows validation within the expected moments. */
  readonly dv: boolean;
}

export interface IntervalDecision {
  /** Until the next look, by the schedule. */
  readonly intervalMs: number;
  /** How long to sleep now: the interval, cut short at the deadline, never negative. */
  readonly sleepMs: number;
  /** The `WAIT-ISSUE` stretch's start after this look; null when the CA is not in it. */
  readonly waitIssueSince: number | null;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The dense stretch at moment `e`: its interval and its length. */
function dense(policy: IntervalPolicy, e: number): { every: number; span: number } {
  return { every: clamp(e / 12, policy.fastMs, DENSE_MAX_MS), span: Math.min(e / 4, policy.fastWindowMs) };
}

/** Next look, in ms after `validatedAt`, given `elapsed` ms since it and `sinceAct` since we acted. */
function nextLook(policy: IntervalPolicy, elapsed: number, sinceAct: number, dv: boolean): number {
  const moments = dv ? [...policy.expectedIssuanceMs].filter((e) => e > 0).sort((a, b) => a - b) : [];
  for (const e of moments) {
    const d = dense(policy, e);
    if (elapsed >= e && elapsed < e + d.span) return elapsed + d.every;
  }
  // Sparse early: between the first look and the first moment, nothing.
  if (moments.length > 0 && elapsed < moments[0]!) return moments[0]!;
  let next = elapsed + clamp(sinceAct * (policy.factor - 1), policy.fastMs, policy.slowMs);
  for (const e of moments.slice(1)) {
    const lead = e - e / 10;
    if (elapsed < lead) next = Math.min(next, lead);
    else if (elapsed < e) next = Math.min(next, e);
  }
  return next;
}

export function nextInterval(policy: IntervalPolicy, input: IntervalInput): IntervalDecision {
  const { now } = input;
  const waitIssueSince = input.statusMsg.toUpperCase() === "WAIT-ISSUE" ? (input.waitIssueSince ?? Math.max(input.actedAt, input.previousAt)) : null;
  const validatedAt = waitIssueSince ?? input.actedAt;
  const sinceAct = now - input.actedAt;
  const target =
    sinceAct < policy.firstLookMs ? input.actedAt + policy.firstLookMs : validatedAt + nextLook(policy, now - validatedAt, sinceAct, input.dv);
  const intervalMs = clamp(target - now, policy.fastMs, policy.slowMs);
  return { intervalMs, sleepMs: Math.max(0, Math.min(intervalMs, input.deadline - now)), waitIssueSince };
}
