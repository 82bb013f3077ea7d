/**
 * Stable exit codes, documented in the README and pinned by tests.
 * `scan` mirrors `terraform plan -detailed-exitcode`.
 */
export const EXIT = {
  /** Success; for `scan`: nothing due or pending. */
  OK: 0,
  /** An error: Tencent refused, the network failed, verification failed. */
  ERROR: 1,
  /** `scan`: something is due or pending. `renew`: stopped resumably (a human step, or the wait timed out). */
  PENDING: 2,
  /** Bad flags, bad environment or bad input, found before any network call. */
  USAGE: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
