/** `tccert deploy`: move the resources bound to the old certificate onto its issued renewal. */
import type { EngineDeps } from "../../engine/deps";
import { runDeployment } from "../../engine/deploy";
import { InvalidInputError } from "../../engine/errors";
import { readLineage } from "../../engine/lineage";
import { EXIT, type ExitCode } from "../exit-codes";
import { progressPrinter, table, type Out } from "../output";

export interface DeployFlags {
  readonly resourceTypes: string;
  readonly region?: string[];
}

export async function deployCommand(deps: EngineDeps, id: string, flags: DeployFlags, out: Out): Promise<ExitCode> {
  const types = flags.resourceTypes.split(",").map((s) => s.trim()).filter(Boolean);
  if (types.length === 0) throw new InvalidInputError("--resource-types", `--resource-types must list resource types such as clb,cdn; got ${JSON.stringify(flags.resourceTypes)}.`);
  const lineage = await readLineage(deps.ssl, id);
  const idx = lineage.certificates.indexOf(lineage.current);
  const previous = idx > 0 ? lineage.certificates[idx - 1] : undefined;
  if (!previous)
    throw new InvalidInputError("certificate id", `certificate ${id} has no issued renewal to deploy yet (it is the newest certificate of its lineage). Run \`tccert renew ${id}\` first.`);
  const record = await runDeployment(deps, previous.certificateId, lineage.current.certificateId, types.map((resourceType) => ({ resourceType, regions: flags.region ?? [] })), progressPrinter(out));
  const failed = record.results.filter((r) => r.status !== "success");
  if (out.json) out.line(JSON.stringify({ from: previous.certificateId, to: lineage.current.certificateId, deployRecordId: record.deployRecordId, results: record.results }, null, 2));
  else {
    out.line(`deployed ${lineage.current.certificateId} in place of ${previous.certificateId} (task ${record.deployRecordId}):`);
    out.line(table([["TYPE", "REGION", "INSTANCE", "LISTENER/DOMAIN", "RESULT"], ...record.results.map((r) => [r.resourceType, r.region || "-", r.instanceId, r.listenerId || r.domain || "-", r.status + (r.errorMessage ? `: ${r.errorMessage}` : "")])]));
  }
  return failed.length > 0 ? EXIT.ERROR : EXIT.OK;
}
