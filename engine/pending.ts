/**
 * Downstream is never blocked while the current certificate is valid (one rule for every front end).
 *
 * When a renewal stops for a human (an OV/EV confirmation letter, manual DNS records, a failed review
 * to fix and resubmit), the certificate in service is still the current one. If it stays valid for
 * more than `failWhenPendingWithinDays`, the run SUCCEEDS with outcome `pending`: the current
 * certificate and its key, plus what the human must do. A later run resumes the same paid renewal
 * (found through the link or the journal) and pays nothing again. Only when the current certificate
 * is expired, or expires within the threshold, does the stop fail the run, so it cannot go unnoticed.
 */
import type { EngineDeps } from "./deps";
import { PendingHumanActionError, RenewalError, isPendingHumanActionError, isReviewFailedError } from "./errors";
import { currentMaterial, type KeyCandidates } from "./material";
import type { ResolvedOptions } from "./options";
import { inspectLineage } from "./plan";
import { renewAfterOf } from "./policy";
import type { ProgressSink } from "./progress";
import { ensureRenewed, type RunOptions } from "./renewal";
import type { PendingStop, RenewalResult } from "./result";

/** @default of `failWhenPendingWithinDays`: a week to act before the stop fails the run. */
export const DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS = 7;

const DAY_MS = 86_400_000;

export interface UnblockedRunOptions extends RunOptions {
  /**
   * A renewal waiting for a human fails the run once the current certificate expires within this
   * many days (0–365); before that, the run succeeds with the current certificate.
   * @default 7
   */
  readonly failWhenPendingWithinDays?: number;
  /** Extra places the current certificate's key may be (see `currentMaterial`). @default journal and Tencent only */
  readonly keys?: KeyCandidates;
}

/** The human step an error stands for, or null when it is not a stop for a human. */
export function pendingStopOf(e: unknown): PendingStop | null {
  if (isPendingHumanActionError(e) && e.newCertificateId !== "")
    return { action: e.action, message: e.message, instructions: e.instructions, newCertificateId: e.newCertificateId, error: e };
  if (isReviewFailedError(e) && e.newCertificateId !== "")
    return {
      action: "review-failed",
      message: e.message,
      instructions: `Open the Tencent Cloud SSL console, find certificate ${e.newCertificateId}, fix what the review names and resubmit it. Rerun afterwards: nothing is paid again.`,
      newCertificateId: e.newCertificateId,
      error: e,
    };
  return null;
}

/**
 * `ensureRenewed`, except that a stop for a human while the current certificate stays valid beyond
 * `failWhenPendingWithinDays` returns the current certificate (outcome `pending`) instead of failing.
 */
export async function ensureRenewedUnblocked(deps: EngineDeps, opts: ResolvedOptions, run: UnblockedRunOptions = {}): Promise<RenewalResult> {
  let paid = false;
  const sink = deps.progress;
  const progress: ProgressSink = (e) => {
    if (e.type === "payment" && e.message.startsWith("paid:")) paid = true;
    sink?.(e);
  };
  try {
    return await ensureRenewed({ ...deps, progress }, opts, run);
  } catch (e) {
    const stop = pendingStopOf(e);
    if (!stop) throw e;
    return keepCurrent(deps, opts, e as RenewalError, stop, paid, run);
  }
}

/** The current certificate while `stop` waits, or the stop itself (explained) when the certificate is too close to expiry. */
async function keepCurrent(deps: EngineDeps, opts: ResolvedOptions, e: RenewalError, stop: PendingStop, paid: boolean, run: UnblockedRunOptions): Promise<RenewalResult> {
  const threshold = run.failWhenPendingWithinDays ?? DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS;
  const { lineage, decision } = await inspectLineage(deps, { certificateId: opts.certificateId, renewBeforeDays: opts.renewBeforeDays, force: false });
  const current = lineage.current;
  if (current.phase !== "issued" || !current.certificatePem) throw e;
  const material = await currentMaterial(deps, lineage, run.keys ?? {});
  const now = deps.clock.now();
  const leftMs = material.notAfter.getTime() - now.getTime();
  if (leftMs <= threshold * DAY_MS) throw tooCloseToExpiry(e, stop, current.certificateId, material.notAfter, leftMs, threshold);
  const { certificate: _c, keyOrigin: _o, keyMatches: _m, ...pair } = material;
  const order = lineage.inFlight;
  deps.progress?.({
    type: "warning",
    message: `renewal ${stop.newCertificateId} waits for ${stop.action}; keeping ${current.certificateId} (valid until ${material.notAfter.toISOString()}). ${stop.instructions}`,
  });
  return {
    outcome: "pending",
    paidThisRun: paid,
    decision,
    originalCertificateId: lineage.rootId,
    certificateId: current.certificateId,
    previousCertificateId: "",
    status: order?.phase ?? current.phase,
    ...pair,
    renewAfter: renewAfterOf(material.notAfter, opts.renewBeforeDays),
    dnsRecords: order?.dvAuths ?? [],
    deployment: null,
    pending: stop,
  };
}

function tooCloseToExpiry(e: RenewalError, stop: PendingStop, currentId: string, notAfter: Date, leftMs: number, threshold: number): RenewalError {
  const when =
    leftMs <= 0
      ? `expired on ${notAfter.toISOString()}`
      : `expires on ${notAfter.toISOString()} (in ${(leftMs / DAY_MS).toFixed(1)} day(s), within failWhenPendingWithinDays=${threshold})`;
  const message = `${e.message} The current certificate ${currentId} ${when}, so this stop fails the run instead of waiting quietly.`;
  const options = { originalCertificateId: e.originalCertificateId, newCertificateId: stop.newCertificateId, resumable: e.resumable, cause: e };
  if (isPendingHumanActionError(e)) return new PendingHumanActionError(e.action, message, e.instructions, options);
  return new RenewalError(e.kind, message, options);
}
