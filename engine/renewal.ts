/**
 * The renewal, as one state machine over the phases in `phases.ts`:
 * preflight → find-order → prepare-key → pay → submit → validate → wait → verify → cleanup → deploy.
 *
 * Money (see `pay.ts`): a paid call is sent at most once per renewal, counted as sent, not as
 * accepted. A durable payment intent is written before it; an unknown outcome blocks every further
 * paid call on the lineage until evidence settles it. One renewal per lineage runs at a time (the
 * lineage lock, in-process and across processes sharing a state dir), and the evidence is re-read
 * immediately before paying, for runs that share neither.
 *
 * Key safety (DESIGN §4): with `key.source: "local"` the key and CSR are written to the journal
 * (0600) BEFORE the CSR reaches Tencent. A crash at any point is followed by a resume that finds the
 * order (the link, an `OriginCertificateId` search, or the journal's intent) and its key (the
 * journal entry that names the order, or whose CSR Tencent recorded for it). Entries are kept in a
 * history, never overwritten while they hold an unresolved payment or the key of an order.
 */
import { adopt } from "./adopt";
import type { EngineDeps } from "./deps";
import { InvalidInputError, PendingHumanActionError, TimedOutError } from "./errors";
import { finishOrder, type Ctx } from "./finish";
import { withLineageLock } from "./lineage-lock";
import type { ResolvedOptions } from "./options";
import { obtainOrder, phase } from "./order";
import { inspectLineage, planRenewal, preflight } from "./plan";
import { silentProgress } from "./progress";
import { tencentChannelsRefusal } from "./tencent-channels";
import type { RenewalResult } from "./result";

export { inspectLineage };

/** Options that only the caller knows (not part of the resource's inputs). */
export interface RunOptions {
  /** Names of inputs that changed since the last run (Pulumi update, CDKTF trigger). @default [] */
  readonly changedInputs?: readonly string[];
  readonly signal?: AbortSignal;
  /** Who runs this renewal, named in the lineage lock ("tccert renew", "pulumi"...). @default "tencentcloud-cert-renewal" */
  readonly owner?: string;
}

/**
 * Renew the lineage if it is due (or forced, or an order is in flight); otherwise adopt the current
 * certificate. Resumes any renewal in flight. Holds the lineage lock throughout.
 */
export async function ensureRenewed(deps: EngineDeps, opts: ResolvedOptions, run: RunOptions = {}): Promise<RenewalResult> {
  const ctx: Ctx = { deps, opts, progress: deps.progress ?? silentProgress, rootId: opts.certificateId, signal: run.signal };
  return withLineageLock(deps, ctx.rootId, run.owner ?? "tencentcloud-cert-renewal", () => renewLocked(ctx, run));
}

async function renewLocked(ctx: Ctx, run: RunOptions): Promise<RenewalResult> {
  const { deps, opts } = ctx;
  phase(ctx, "preflight", opts.certificateId, `reading certificate ${opts.certificateId} and its renewals`);
  // The same plan a dry run shows: the decision, and the payment or why paying is impossible.
  const { lineage, decision, payment, refusal } = await planRenewal(deps, opts, run.changedInputs ?? []);
  ctx.progress({ type: "decision", certificateId: lineage.current.certificateId, reason: decision.reason, message: decision.message });
  if (!decision.due) {
    if (decision.verdict === "blocked")
      throw new InvalidInputError("certificateId", `certificateId ${decision.message}. Point certificateId at an issued, paid certificate (see \`tccert scan\`). Nothing was paid.`);
    return adopt(ctx, lineage, decision);
  }
  const old = lineage.current;
  const { order, entry, paidThisRun } = await obtainOrder(ctx, lineage, async () => {
    if (refusal) throw refusal;
    if (!payment) throw new InvalidInputError("certificateId", `certificateId ${old.certificateId}: no payment could be planned. Nothing was paid.`);
    preflight(deps, opts, old, ctx.progress); // its warnings, on the run that pays
    const channels = tencentChannelsRefusal(opts, old); // the detail's; the list row's just before paying (order.ts)
    if (channels) throw channels;
    return payment;
  });
  return finishOrder(ctx, lineage, old, order, entry, decision, paidThisRun);
}

export { PendingHumanActionError, TimedOutError };
