/**
 * `tccert resolve <id> --not-paid`: settle a paid call whose outcome is unknown (or set aside a key
 * prepared for a renewal that was never paid), after checking the SSL console. Local only: it
 * edits this state dir's journal under the lineage lock and calls no Tencent API.
 */
import type { EngineDeps } from "../../engine/deps";
import { InvalidInputError } from "../../engine/errors";
import { resolvePayment } from "../../engine/resolve";
import { EXIT, type ExitCode } from "../exit-codes";
import type { Out } from "../output";
import { checkCertificateIdArgument } from "./renew-flags";

export interface ResolveFlags {
  /** @default false: the flag is required (the only resolution an operator can assert) */
  readonly notPaid?: boolean;
}

export async function resolveCommand(getDeps: () => EngineDeps, id: string, flags: ResolveFlags, out: Out): Promise<ExitCode> {
  checkCertificateIdArgument(id);
  if (!flags.notPaid)
    throw new InvalidInputError(
      "--not-paid",
      `resolve ${id}: say what you checked with --not-paid (the SSL console shows no renewal of it and no charge). If Tencent shows the renewal, do not resolve: rerun \`tccert renew ${id}\`, which resumes it.`,
    );
  const r = await resolvePayment(getDeps(), id, "not-paid");
  if (out.json) out.line(JSON.stringify({ certificateId: id, resolved: "not-paid", attemptedAt: r.attemptedAt, oldCertificateId: r.oldCertificateId, message: r.message }, null, 2));
  else out.line(`${id}: ${r.message}`);
  return EXIT.OK;
}
