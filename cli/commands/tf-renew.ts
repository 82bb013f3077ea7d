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
 * and `--certificate-id`, which must match the query (it names the certificate in Terraform's log).
 * Output: progress on stderr, one summary line on stdout. It never prints a key.
 * Exit: 0 done (renewed or nothing due), 2 stopped resumably (human step, wait timeout), 64 bad input, 1 error.
 */
import { InvalidInputError, isPendingHumanActionError, isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed, inspectLineage } from "../../engine/renewal";
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
  const opts = resolveOptions(renewOptionsFromQuery(COMMAND, q, csrPem));
  const forceFrom = ctx.env[TF_ENV.forceFrom] ?? "";
  const out = ctx.out();
  const deps = { ...ctx.deps(), progress: progressPrinter(out, "tccert: ") };

  // renewalTrigger: renew once while the certificate that was current when it changed is still
  // current. Once a newer certificate exists the trigger is satisfied: a rerun does not renew again.
  let force = false;
  if (forceFrom !== "") {
    const { lineage } = await inspectLineage(deps, opts);
    force = lineage.current.certificateId === forceFrom;
    out.error(
      force
        ? `tccert: renewalTrigger changed while ${forceFrom} was current: renewing it`
        : `tccert: renewalTrigger is satisfied: ${lineage.current.certificateId} replaced ${forceFrom} since it changed`,
    );
  }

  try {
    const result = await ensureRenewed(deps, { ...opts, force }, { owner: `tccert tf-renew ${opts.certificateId} (terraform apply)` });
    const view = publicView(result);
    out.line(
      out.json
        ? JSON.stringify(view)
        : result.outcome === "renewed"
          ? `tccert tf-renew: renewed ${result.previousCertificateId} → ${result.certificateId}, valid until ${result.notAfter.toISOString()}${result.paidThisRun ? "" : " (resumed; nothing paid by this run)"}`
          : `tccert tf-renew: nothing to renew: ${result.decision.message}`,
    );
    if (csrPem !== "" && !deps.inspector.matchesCsr(result.certificatePem, csrPem))
      out.error(
        `tccert: warning: certificate ${result.certificateId} was not issued for the key this stack holds, so privateKeyPem stays "" until the next renewal` +
          `${result.renewAfter ? ` (due from ${result.renewAfter.toISOString()})` : ""}. To renew with this key now, change renewalTrigger.`,
      );
    ctx.setExit(EXIT.OK);
  } catch (e) {
    if (isPendingHumanActionError(e)) out.error(`tccert: what to do: ${e.instructions}`);
    if (isRenewalError(e) && e.resumable) out.error(`tccert: this stop is resumable: run the apply again; nothing will be paid twice.`);
    throw e;
  }
}
