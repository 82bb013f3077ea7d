/**
 * `tccert tf-renew`: the renewal step, run by the `local-exec` provisioner of the stack's
 * `terraform_data` during apply (never during plan). It renews when due, resumes a renewal in
 * flight, and otherwise does nothing; a rerun (a retried apply) never pays twice, because the
 * engine finds the paid order through Tencent's renewal link.
 *
 * Input comes from the environment, not the command line (what lands in logs):
 *   TCCERT_TF_QUERY    JSON object of strings, see `RENEW_KEYS`
 *   TCCERT_CSR_PEM     the CSR to renew with (key sources local and csr); public
 *   TCCERT_FORCE_FROM  set with renewalTrigger: renew if this certificate is still the current one
 *   TCCERT_PRIVATE_KEY_PEM  SECRET, only with key.source "local" and deploy: the tls_private_key, to
 *                      renew with it and install the certificate with it (never printed)
 * and `--certificate-id`, which must match the query (it names the certificate in Terraform's log).
 * Output: progress on stderr, one summary line on stdout. It never prints a key.
 * Exit: 0 done (renewed, nothing due, or a renewal waiting for a human while the current certificate stays
 * valid beyond 7 days: the shared pending rule), 2 stopped resumably (wait timeout, human step too close to
 * expiry, repeated 5xx or network failures, a lock held: anything a rerun continues), 64 bad input,
 * 1 error, including a renewalTrigger Tencent will not honour yet (with the date it should).
 */
import { InvalidInputError, PaymentRefusedError, isPendingHumanActionError, isRenewalError, isTransientError } from "../../engine/errors";
import { forcedRenewalRefusal } from "../../engine/settled";
import { resolveOptions } from "../../engine/options";
import { ensureRenewedUnblocked } from "../../engine/pending";
import { inspectLineage } from "../../engine/renewal";
import type { RenewalResult } from "../../engine/result";
import { RENEW_KEYS, TF_ENV, parseQuery, renewOptionsFromQuery } from "../../constructs/protocol";
import type { CliContext } from "../context";
import { EXIT } from "../exit-codes";
import { progressPrinter, publicView } from "../output";

const COMMAND = "tf-renew";

export interface TfRenewFlags {
  readonly certificateId?: string;
}

export async function tfRenewCommand(ctx: CliContext, flags: TfRenewFlags): Promise<void> {
  const q = parseQuery(COMMAND, ctx.env[TF_ENV.query] ?? "", RENEW_KEYS, `the environment variable ${TF_ENV.query}`);
  if (flags.certificateId !== undefined && flags.certificateId !== q.certificate_id)
    throw new InvalidInputError("--certificate-id", `${COMMAND}: --certificate-id ${JSON.stringify(flags.certificateId)} does not match certificate_id ${JSON.stringify(q.certificate_id)} in ${TF_ENV.query}. Synthesize the stack again.`);
  const csrPem = ctx.env[TF_ENV.csr] ?? "";
  const opts = resolveOptions(renewOptionsFromQuery(COMMAND, q, csrPem, ctx.env[TF_ENV.privateKey] ?? ""));
  const forceFrom = ctx.env[TF_ENV.forceFrom] ?? "";
  const out = ctx.out();
  const deps = { ...ctx.deps(), progress: progressPrinter(out, "tccert: ") };

  // renewalTrigger: renew once while the certificate that was current when it changed is still
  // current. Once a newer certificate exists the trigger is satisfied: a rerun does not renew again.
  let force = false;
  if (forceFrom !== "") {
    const { lineage } = await inspectLineage(deps, opts);
    force = lineage.current.certificateId === forceFrom;
    const refusal = force ? forcedRenewalRefusal(lineage.current, lineage.inFlight !== null, deps.clock.now()) : null;
    if (refusal !== null)
      throw new PaymentRefusedError(
        "RenewAbleFalse",
        `${COMMAND}: renewalTrigger cannot be honoured: ${refusal} Nothing was paid. Apply again from then (the plan keeps showing the renewal step), or remove renewalTrigger to renew only when due.`,
        { originalCertificateId: lineage.rootId },
      );
    out.error(
      force
        ? `tccert: renewalTrigger changed while ${forceFrom} was current: renewing it`
        : `tccert: renewalTrigger is satisfied: ${lineage.current.certificateId} replaced ${forceFrom} since it changed`,
    );
  }

  try {
    // The shared pending rule: a renewal waiting for a human does not fail the apply while the current
    // certificate stays valid beyond failWhenPendingWithinDays; the material read then outputs it.
    const result = await ensureRenewedUnblocked(deps, { ...opts, force }, { owner: `tccert tf-renew ${opts.certificateId} (terraform apply)` });
    const view = publicView(result);
    out.line(out.json ? JSON.stringify(view) : summaryLine(result));
    if (result.pending) {
      out.error(`tccert: what to do: ${result.pending.instructions}`);
      out.error(`tccert: the current certificate ${result.certificateId} stays in service meanwhile; the next apply after that step resumes renewal ${result.pending.newCertificateId}; nothing is paid twice.`);
    }
    if (csrPem !== "" && !deps.inspector.matchesCsr(result.certificatePem, csrPem))
      out.error(
        `tccert: warning: certificate ${result.certificateId} was not issued for the key this stack holds, so privateKeyPem stays "" until the next renewal` +
          `${result.renewAfter ? ` (due from ${result.renewAfter.toISOString()})` : ""}. To renew with this key now, change renewalTrigger.`,
      );
    ctx.setExit(EXIT.OK);
  } catch (e) {
    if (isPendingHumanActionError(e)) out.error(`tccert: what to do: ${e.instructions}`);
    // Any stop a rerun continues (a wait timeout, a human step, a lock held; repeated 5xx or network
    // failures, after the adapter's retries) exits 2. The engine never pays twice on a rerun.
    if (!isRenewalError(e) || e.kind === "InvalidInput" || !(e.resumable || isTransientError(e))) throw e;
    out.error(`tccert: ${e.message}`);
    out.error(`tccert: this stop is resumable: run the apply again; nothing will be paid twice.`);
    ctx.setExit(EXIT.PENDING);
  }
}

function summaryLine(result: RenewalResult): string {
  if (result.outcome === "renewed")
    return `tccert tf-renew: renewed ${result.previousCertificateId} → ${result.certificateId}, valid until ${result.notAfter.toISOString()}${result.paidThisRun ? "" : " (resumed; nothing paid by this run)"}`;
  if (result.outcome === "pending")
    return `tccert tf-renew: renewal ${result.pending?.newCertificateId ?? ""} waits for a human (${result.pending?.action ?? ""}): ${result.pending?.message ?? ""}`;
  return `tccert tf-renew: nothing to renew: ${result.decision.message}`;
}
