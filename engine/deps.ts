import type { CertificateInspector, Clock, DnsApi, KeyFactory, LineageLock, RenewalJournal, Sleep, SslApi } from "./ports";
import type { BindingsApi } from "./drift-port";
import type { ProgressSink } from "./progress";

/** Polling cadence. Tests shrink these; they are never mocked away. */
export interface PollingOptions {
  /** Interval while the CA says issuance is next (`WAIT-ISSUE`), and the first interval after we act. @default 1000 */
  readonly fastMs?: number;
  /** Ceiling for long waits (OV/EV review, slow CAs): at most twice a minute. @default 30000 */
  readonly slowMs?: number;
  /** How long to keep polling every fastMs in `WAIT-ISSUE` before backing off again. @default 60000 */
  readonly fastWindowMs?: number;
  /** Growth factor of the interval between fast and slow. @default 1.5 */
  readonly factor?: number;
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
