/**
 * `tccert renew --dry-run`: explain exactly what would be paid for, paying nothing (read calls
 * only). In: the targets and the flags. Out: per target, one plan; printed as JSON
 * (`{ dryRun: true, plans }`) or as lines, then "dry run: nothing was paid". The plan is the engine's
 * `planRenewal`, which the real run also pays through, so the two cannot disagree. Exit 1 when a plan
 * could not be made, 2 when something is due, else 0.
 */
import { backoffStatus } from "../../engine/backoff";
import type { EngineDeps } from "../../engine/deps";
import { isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { planRenewal, type RenewalPlan } from "../../engine/plan";
import { EXIT, type ExitCode } from "../exit-codes";
import type { Out } from "../output";
import type { BackoffStore } from "../state-files";
import { explainNotFound } from "./not-found";
import { renewOptionsFromFlags, type RenewFlags } from "./renew-flags";

/** What one target's renewal would do. */
export interface DryRunPlan {
  readonly id: string;
  readonly due: boolean;
  readonly reason?: string;
  readonly message?: string;
  /** What would be paid, in words; null when the plan stops before payment. */
  readonly wouldPay?: string | null;
  readonly points?: number;
  readonly productPid?: number | null;
  readonly packageIds?: readonly string[];
  /** Backed off: why it would be skipped. */
  readonly wouldSkip?: string;
  /** Due, but the payment could not be chosen. */
  readonly wouldFail?: string;
  /** The lineage could not be read. */
  readonly error?: { readonly kind: string; readonly message: string };
}

/** The plan of one target: the engine's `planRenewal`, the same function the real run pays through. */
async function planOne(deps: EngineDeps, store: BackoffStore, id: string, flags: RenewFlags): Promise<DryRunPlan> {
  const opts = resolveOptions(renewOptionsFromFlags(id, flags));
  let planned: RenewalPlan;
  try {
    planned = await planRenewal(deps, opts);
  } catch (e) {
    const err = (explainNotFound(id, e) ?? e) as Error;
    return { id, due: false, error: { kind: isRenewalError(err) ? err.kind : "Error", message: err.message } };
  }
  const { decision, inFlight, payment, refusal } = planned;
  const plan = { id, due: decision.due, reason: decision.reason, message: decision.message, wouldPay: null, points: 0, productPid: null, packageIds: [] };
  const b = backoffStatus(id, store.get(id), deps.clock.now());
  if (b.active && !flags.ignoreBackoff) return { ...plan, wouldSkip: `${b.message}; pass --ignore-backoff to try now. Last error: ${b.lastError}` };
  if (!decision.due) return { ...plan, wouldPay: "nothing: not due" };
  if (inFlight) return { ...plan, wouldPay: `nothing: renewal ${inFlight.certificateId} is already paid for and would be resumed` };
  if (refusal || !payment) return { ...plan, wouldFail: refusal?.message ?? "no payment could be chosen" };
  const wouldPay = `about ${payment.points} point(s) from ${payment.packageIds.join(", ")} for product ${payment.productPid}: ${payment.explanation}`;
  return { ...plan, points: payment.points, productPid: payment.productPid, packageIds: payment.packageIds, wouldPay };
}

function planLine(p: DryRunPlan): string {
  if (p.error) return `${p.id}: cannot plan: ${p.error.message}`;
  if (p.wouldSkip) return `${p.id}: ${p.message}\n  would skip: ${p.wouldSkip}`;
  return `${p.id}: ${p.message}\n  would pay: ${p.wouldFail !== undefined ? `— cannot: ${p.wouldFail}` : String(p.wouldPay)}`;
}

/** Explain exactly what would be paid for, paying nothing (read calls only). */
export async function dryRun(deps: EngineDeps, store: BackoffStore, targets: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  const plans: DryRunPlan[] = [];
  for (const id of targets) plans.push(await planOne(deps, store, id, flags));
  if (out.json) out.line(JSON.stringify({ dryRun: true, plans }, null, 2));
  else {
    for (const p of plans) out.line(planLine(p));
    out.line(`dry run: nothing was paid${targets.length === 0 ? "; nothing is due" : ""}`);
  }
  if (plans.some((p) => p.error !== undefined || p.wouldFail !== undefined)) return EXIT.ERROR;
  return plans.some((p) => p.due) ? EXIT.PENDING : EXIT.OK;
}
