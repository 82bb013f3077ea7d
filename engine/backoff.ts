/**
 * Cross-run backoff for certificates whose renewal keeps failing, in the
 * manner of cert-manager's issuing controller: after the n-th consecutive
 * failure, wait `min(cap, base · 2^(n−1))` before trying again (1 h, 2 h, 4 h,
 * … 32 h with the defaults). A success forgets the history. Pure: the caller
 * stores the records and passes `now`.
 *
 * Only failures that a retry on a later run could plausibly clear count. A
 * renewal that stopped resumably (a human step, our wait timeout) is not a
 * failure; neither is bad input (fixed by the user, found before any call) nor
 * missing or wrong credentials (an account-wide problem, not one certificate's).
 */
import { isRenewalError } from "./errors";

export interface BackoffPolicy {
  /** Delay after the first failure. @default 3,600,000 (1 hour) */
  readonly baseMs?: number;
  /** Longest delay. @default 115,200,000 (32 hours) */
  readonly capMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffPolicy> = { baseMs: 3_600_000, capMs: 32 * 3_600_000 };

/** What is remembered about one certificate's failing renewals. */
export interface BackoffRecord {
  /** Consecutive failed runs (≥ 1). */
  readonly failures: number;
  /** ISO 8601. */
  readonly firstFailureAt: string;
  /** ISO 8601. */
  readonly lastFailureAt: string;
  /** ISO 8601: no attempt before this, unless overridden. */
  readonly nextAttemptAt: string;
  /** The last failure, for humans: error kind and message (never a secret: engine errors carry none). */
  readonly lastError: { readonly kind: string; readonly code: string; readonly message: string };
}

/** Delay after the `failures`-th consecutive failure. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy = {}): number {
  const base = policy.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const cap = policy.capMs ?? DEFAULT_BACKOFF.capMs;
  if (!Number.isFinite(failures) || failures < 1) return 0;
  // 2^(n−1) overflows to Infinity for huge n; min() still gives the cap.
  return Math.min(cap, base * 2 ** (failures - 1));
}

/** True when this error should count towards a certificate's backoff. */
export function countsAsFailure(e: unknown): boolean {
  if (!isRenewalError(e)) return true;
  if (e.resumable) return false;
  return e.kind !== "InvalidInput" && e.kind !== "Auth";
}

/** The record after one more failure at `now`. */
export function recordFailure(previous: BackoffRecord | undefined, now: Date, error: BackoffRecord["lastError"], policy: BackoffPolicy = {}): BackoffRecord {
  const failures = (previous?.failures ?? 0) + 1;
  return {
    failures,
    firstFailureAt: previous?.firstFailureAt ?? now.toISOString(),
    lastFailureAt: now.toISOString(),
    nextAttemptAt: new Date(now.getTime() + backoffDelayMs(failures, policy)).toISOString(),
    lastError: error,
  };
}

export interface BackoffStatus {
  /** True while `now` is before `nextAttemptAt`. */
  readonly active: boolean;
  /** null when there is no record. */
  readonly until: Date | null;
  readonly failures: number;
  /** Milliseconds left; 0 when not active. */
  readonly remainingMs: number;
  /** Why and until when, for humans; "" when there is no record. */
  readonly message: string;
  /** The last failure, for humans: "Kind Code: message"; "" when there is no record. */
  readonly lastError: string;
}

export function backoffStatus(certificateId: string, record: BackoffRecord | undefined, now: Date): BackoffStatus {
  if (!record) return { active: false, until: null, failures: 0, remainingMs: 0, message: "", lastError: "" };
  const until = new Date(record.nextAttemptAt);
  const remainingMs = Math.max(0, until.getTime() - now.getTime());
  const active = remainingMs > 0;
  const lastError = `${record.lastError.kind}${record.lastError.code ? ` ${record.lastError.code}` : ""}: ${record.lastError.message}`;
  const message = active
    ? `${certificateId} is backed off after ${record.failures} consecutive failed renewal(s) until ${until.toISOString()} (in ${formatDuration(remainingMs)})`
    : `${certificateId} failed ${record.failures} time(s) in a row; the backoff ended at ${until.toISOString()} and the next run tries again`;
  return { active, until, failures: record.failures, remainingMs, message, lastError };
}

/** "1h 59m", "3m 20s", "12s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}
