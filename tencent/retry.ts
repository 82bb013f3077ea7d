/**
 * Which calls may be retried, on which failures, and the backoff loop.
 *
 * Money is sacred: the paid call is never retried here; its caller resolves an
 * ambiguous outcome by re-reading the renewal link (`CertificateExtra.RenewOrder`).
 * Other mutating calls are retried only on failures that prove the request was
 * not executed.
 *
 * | failure class (see errors.ts)                          | read / idempotent | mutating | paid  |
 * |--------------------------------------------------------|-------------------|----------|-------|
 * | throttled (RequestLimitExceeded*, LimitExceeded.RateLimitExceeded, FailedOperation.FrequencyLimit, HTTP 429) | retry | retry | never |
 * | not-sent (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, EHOSTUNREACH, ENETUNREACH) | retry | retry | never |
 * | server-error (InternalError*, FailedOperation.NetworkError, ServiceUnavailable, HTTP 5xx) | retry | no | never |
 * | transport (timeout, reset, non-JSON, no `Response`)    | retry             | no       | never |
 * | final (every other answer, auth failures)             | no                | no       | no    |
 *
 * p-retry@4 is not used: its `randomize` multiplies by [1, 2) instead of full
 * jitter, it cannot take a retry predicate, and when retries run out it
 * rejects with the most frequent error message rather than the last error.
 */
import type { ClassifiedFailure, FailureClass } from "./errors";

export type CallKind = "read" | "idempotent" | "mutating" | "paid";

/** Every action the adapter calls. Anything not listed counts as `mutating`. */
export const ACTION_KINDS: Readonly<Record<string, CallKind>> = {
  // ssl
  DescribeCertificates: "read",
  DescribeCertificateDetail: "read",
  DescribePackages: "read",
  CheckCertificateDomainVerification: "read",
  DescribeHostUpdateRecordDetail: "read",
  DescribeCertificateBindResourceTaskResult: "read",
  DescribeCertificateBindResourceTaskDetail: "read",
  CreateCertificateBindResourceSyncTask: "idempotent", // starts a read-only query; a repeat only starts another
  DownloadCertificate: "read", // the chain when CertificatePublicKey carries the leaf only
  CompleteCertificate: "idempotent", // asks the CA to check now; repeating is harmless
  CertificateOrderSubmit: "mutating",
  CancelCertificateOrder: "mutating",
  UpdateCertificateInstance: "mutating",
  CreateCertificateByPackage: "paid",
  // dnspod
  DescribeRecordList: "read",
  DescribeDomainList: "read",
  DeleteRecord: "idempotent", // a missing record counts as deleted
  CreateRecord: "mutating",
};

export function callKindOf(action: string): CallKind {
  return ACTION_KINDS[action] ?? "mutating";
}

const RETRYABLE: Readonly<Record<CallKind, readonly FailureClass[]>> = {
  read: ["throttled", "not-sent", "server-error", "transport"],
  idempotent: ["throttled", "not-sent", "server-error", "transport"],
  mutating: ["throttled", "not-sent"],
  paid: [],
};

export function shouldRetry(kind: CallKind, failure: FailureClass): boolean {
  return RETRYABLE[kind].includes(failure);
}

export interface RetryOptions {
  /** Retries after the first attempt. @default 5 */
  readonly retries?: number;
  /** First backoff ceiling in ms; doubles each retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Backoff ceiling cap in ms. @default 10000 */
  readonly maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { retries: 5, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Full jitter: uniform in [0, min(cap, base · 2^retryIndex)]. */
export function backoffDelayMs(retryIndex: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

export type AttemptOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ClassifiedFailure };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` until it succeeds, fails in a way `kind` must not retry, or
 * the retries run out; then throw the last branded error.
 */
export async function withRetry<T>(kind: CallKind, options: RetryOptions, attempt: () => Promise<AttemptOutcome<T>>): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRY.retries;
  for (let retryIndex = 0; ; retryIndex++) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.value;
    if (retryIndex >= retries || !shouldRetry(kind, outcome.failure.failure)) {
      const error = outcome.failure.error;
      if (retryIndex > 0) error.message = `${error.message} (gave up after ${retryIndex + 1} attempts)`;
      throw error;
    }
    await sleep(backoffDelayMs(retryIndex, options));
  }
}
