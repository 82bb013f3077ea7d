/**
 * `tccert deploy`: move the resources bound to the old certificate onto its
 * issued renewal (UpdateCertificateInstance, followed to completion), with a
 * result per resource. Exit 0 all succeeded, 1 any failed. `deploy --drifted` (drift-deploy.ts)
 * moves every drifted resource of the account instead.
 */
import type { EngineDeps } from "../../engine/deps";
import { runDeployment } from "../../engine/deploy";
import { DEPLOY_RESOURCE_TYPES } from "../../engine/domain";
import { InvalidInputError } from "../../engine/errors";
import { lineageWithRenewals } from "../../engine/plan";
import { deployContentFor } from "../../engine/drift-deploy";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";
import { createReporter } from "../progress";
import { explainNotFound } from "./not-found";
import { checkCertificateIdArgument } from "./renew-flags";
import { defaultStateDir } from "../../runtime";
import { driftDeployCommand } from "./drift-deploy";
import { parseMaxCacheMinutes } from "./drift-scan";
import { parseScanFlags } from "./scan";

export interface DeployFlags {
  /** Required with a certificate id. */
  readonly resourceTypes?: string;
  readonly region?: string[];
  /** Move every drifted resource instead (drift-deploy.ts). @default false */
  readonly drifted?: boolean;
  /** With --drifted: list the moves, send nothing. @default false */
  readonly dryRun?: boolean;
  /** With --drifted: a certificate expiring within this many days counts as drift. @default 30 */
  readonly withinDays?: string;
  /** With --drifted: only the lineages holding these ids. @default every paid lineage */
  readonly ids?: string;
  /** With --drifted: the oldest cached bound-resource answer used, in minutes. @default 30 */
  readonly maxCacheMinutes?: string;
}

const TYPES: readonly string[] = DEPLOY_RESOURCE_TYPES;

/** Validates deploy's arguments; no network. */
export function parseDeployFlags(id: string, flags: DeployFlags): string[] {
  checkCertificateIdArgument(id);
  if (flags.resourceTypes === undefined)
    throw new InvalidInputError("--resource-types", `deploy ${id} needs --resource-types, e.g. --resource-types clb,cdn; or run \`tccert deploy --drifted\` (no id) to move every drifted resource.`);
  const types = flags.resourceTypes.split(",").map((s) => s.trim()).filter(Boolean);
  if (types.length === 0) throw new InvalidInputError("--resource-types", `--resource-types must list resource types such as clb,cdn; got ${JSON.stringify(flags.resourceTypes)}.`);
  const unknown = types.filter((t) => !TYPES.includes(t));
  if (unknown.length > 0) throw new InvalidInputError("--resource-types", `--resource-types: unknown type ${unknown.map((t) => JSON.stringify(t)).join(", ")}; allowed: ${TYPES.join(", ")}.`);
  return types;
}

/** `deploy --drifted`: its flags checked before any network call. */
function driftedCommand(getDeps: () => EngineDeps, id: string | undefined, flags: DeployFlags, out: Out, stateDir: () => string): Promise<ExitCode> {
  if (id !== undefined) throw new InvalidInputError("--drifted", `deploy --drifted takes no certificate id (got ${JSON.stringify(id)}); to limit it to a lineage, pass --ids ${id}.`);
  for (const [flag, value] of [["--resource-types", flags.resourceTypes], ["--region", flags.region]] as const)
    if (value !== undefined) throw new InvalidInputError(flag, `${flag} does not apply with --drifted: each drifted resource moves with its own type and region.`);
  const parsed = parseScanFlags({ ...(flags.withinDays !== undefined ? { withinDays: flags.withinDays } : {}), ...(flags.ids !== undefined ? { ids: flags.ids } : {}) });
  parseMaxCacheMinutes(flags.maxCacheMinutes);
  return driftDeployCommand(
    { deps: getDeps, stateDir },
    { dryRun: flags.dryRun === true, ...(parsed.withinDays !== undefined ? { withinDays: parsed.withinDays } : {}), ...(parsed.ids ? { ids: parsed.ids } : {}), ...(flags.maxCacheMinutes !== undefined ? { maxCacheMinutes: flags.maxCacheMinutes } : {}) },
    out,
  );
}

export async function deployCommand(getDeps: () => EngineDeps, idArg: string | undefined, flags: DeployFlags, out: Out, stateDir: () => string = () => defaultStateDir()): Promise<ExitCode> {
  if (flags.drifted) return driftedCommand(getDeps, idArg, flags, out, stateDir);
  for (const [flag, value] of [["--dry-run", flags.dryRun], ["--within-days", flags.withinDays], ["--ids", flags.ids], ["--max-cache-minutes", flags.maxCacheMinutes]] as const)
    if (value !== undefined) throw new InvalidInputError(flag, `${flag} applies only with --drifted (e.g. tccert deploy --drifted ${flag}${flag === "--dry-run" ? "" : " …"}).`);
  if (idArg === undefined) throw new InvalidInputError("certificateId", "deploy needs the id of the certificate whose resources move to its renewal, e.g. `tccert deploy <id> --resource-types clb,cdn`, or --drifted to move every drifted resource.");
  const id = idArg;
  const types = parseDeployFlags(id, flags);
  const deps = getDeps();
  let lineage: Awaited<ReturnType<typeof lineageWithRenewals>>;
  try {
    lineage = await lineageWithRenewals(deps, id);
  } catch (e) {
    throw explainNotFound(id, e) ?? e;
  }
  const idx = lineage.certificates.indexOf(lineage.current);
  const previous = idx > 0 ? lineage.certificates[idx - 1] : undefined;
  if (!previous) {
    // Known only after reading Tencent: 2 when a renewal is on its way, 1 when there is none.
    const inFlight = lineage.inFlight;
    const message = inFlight
      ? `certificate ${id} has no issued renewal to deploy yet: renewal ${inFlight.certificateId} is in status ${inFlight.status} (${inFlight.phase}). Run \`tccert renew ${id}\` to finish it, then deploy.`
      : `certificate ${id} has no renewal to deploy (it is the newest certificate of its lineage). Run \`tccert renew ${id}\` first.`;
    if (out.json) out.line(JSON.stringify({ error: { kind: "NothingToDeploy", message, inFlight: inFlight?.certificateId ?? null } }));
    out.error(`tccert: ${message}`);
    return inFlight ? EXIT.PENDING : EXIT.ERROR;
  }
  // The local-key rule (as renew --deploy and deploy --drifted): a renewal made from a key this tool
  // holds is deployed by content, since Tencent has no key for it. The journal is keyed by the id renewed.
  const to = lineage.current.certificateId;
  const content = (await deployContentFor(deps, id, to)) ?? (previous.certificateId !== id ? await deployContentFor(deps, previous.certificateId, to) : undefined);
  const reporter = createReporter(out.progress, { prefixIds: false });
  let record: Awaited<ReturnType<typeof runDeployment>>;
  try {
    const targets = types.map((resourceType) => ({ resourceType, regions: flags.region ?? [] }));
    record = await runDeployment(deps, previous.certificateId, to, targets, reporter.sink(to), undefined, content ? { content } : {});
    const failedCount = record.results.filter((r) => r.status !== "success").length;
    reporter.finish(lineage.current.certificateId, failedCount > 0 ? "failed" : "ok", `${record.results.length - failedCount}/${record.results.length} resource(s) deployed`);
  } finally {
    reporter.stop();
  }
  const failed = record.results.filter((r) => r.status !== "success");
  if (out.json) out.line(JSON.stringify({ from: previous.certificateId, to: lineage.current.certificateId, deployRecordId: record.deployRecordId, results: record.results }, null, 2));
  else {
    if (record.results.length === 0) out.line(`nothing to deploy: no ${types.join("/")} resources are bound to ${previous.certificateId} (any more)`);
    else {
      out.line(`deployed ${lineage.current.certificateId} in place of ${previous.certificateId} (task ${record.deployRecordId}):`);
      out.line(table([["TYPE", "REGION", "INSTANCE", "LISTENER/DOMAIN", "RESULT"], ...record.results.map((r) => [r.resourceType, r.region || "-", r.instanceId, r.listenerId || r.domain || "-", r.status + (r.errorMessage ? `: ${r.errorMessage}` : "")])]));
    }
  }
  return failed.length > 0 ? EXIT.ERROR : EXIT.OK;
}
