import type { CertificateInspector, Clock, DnsApi, KeyFactory, LineageLock, RenewalJournal, Sleep, SslApi } from "./ports";
import type { PackagesCache } from "./packages-cache";
import type { PollBudget } from "./poll-budget";
import type { BindingsApi } from "./drift-port";
import type { ProgressSink } from "./progress";

/** Polling cadence. Tests shrink these; they are never mocked away. */
export interface PollingOptions {
  /** Shortest interval between two polls (tests shrink it). @default 1000 */
  readonly fastMs?: number;
  /** Longest interval between two polls (OV/EV review, slow CAs): at most once a minute. @default 60000 */
  readonly slowMs?: number;
  /** Longest dense stretch after an expected issuance moment (see `expectedIssuanceMs`). @default 60000 */
  readonly fastWindowMs?: number;
  /** Between dense stretches the interval is the time waited × (factor − 1), up to slowMs. @default 1.5 */
  readonly factor?: number;
  /** The first look after we act (records published, order submitted): fast CAs, and the validation state. @default 5000 */
  readonly firstLookMs?: number;
  /**
   * When a DV CA typically issues, in ms after validation passed; polling is dense near each. The
   * emulator's default issuance delay is 60 s; Tencent's renewal guide says paid DV takes "10 min to
   * 24 h". @default [60000, 600000]
   */
  readonly expectedIssuanceMs?: readonly number[];
  /** Minimum gap between two "still waiting" progress events. @default 30000 */
  readonly waitingEventEveryMs?: number;
  /**
   * After the paid call got no answer (timeout, reset), how long to keep reading the renewal
   * link for a request that may still be running at Tencent. If none shows up, the run stops
   * resumably instead of paying again. @default 30000
   */
  readonly paidCallGraceMs?: number;
  /**
   * How long a paid call with an unknown outcome and NO evidence either way blocks the lineage.
   * Tencent answers `CreateCertificateByPackage` synchronously: a request that left no trace (no
   * link, no certificate naming the old one, no new certificate for the domains, no balance drop)
   * half an hour later was not executed. Any evidence of a charge blocks until the order is found
   * or an operator runs `tccert resolve <id> --not-paid`. @default 1800000 (30 minutes)
   */
  readonly paymentQuarantineMs?: number;
  /**
   * Before paying, a paid certificate for exactly the same domains created this recently, and not
   * linked to anything, is taken for a renewal another run (another state dir or machine) just paid
   * for: the run stops resumably instead of paying. Tencent may show the renewal link seconds
   * late; a console purchase of the same names holds renewals back for at most this long.
   * @default 3600000 (1 hour)
   */
  readonly concurrentOrderWindowMs?: number;
}

/** Everything the engine needs from the outside world, injected. */
export interface EngineDeps {
  readonly ssl: SslApi;
  /** Where certificates are deployed (bound-resource task), for drift. @default none: drift scans refuse to run */
  readonly bindings?: BindingsApi;
  readonly dns: DnsApi;
  readonly keys: KeyFactory;
  readonly inspector: CertificateInspector;
  readonly journal: RenewalJournal;
  /** One renewal per lineage at a time. @default an in-process lock only (no cross-process exclusion) */
  readonly lock?: LineageLock;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** @default no progress output */
  readonly progress?: ProgressSink;
  /** @default see PollingOptions */
  readonly polling?: PollingOptions;
  /** The process's share of each action's rate limit for polls (engine/poll-budget.ts). @default no budget: polls follow the schedule alone */
  readonly pollBudget?: PollBudget;
  /** This run's `DescribePackages` answer, for planning (engine/packages-cache.ts). @default none: every plan reads it */
  readonly packages?: PackagesCache;
}

export const realClock: Clock = { now: () => new Date() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
