/**
 * `tccert deploy --drifted [--dry-run]`: every drifted resource (see `scan --deployments`) moves
 * onto the newest issued certificate of its lineage, through the same deployment as
 * `renew --deploy`. One result per resource. Exit 0 every drifted resource moved (or none was
 * drifted), 2 some wait for a renewal first, 1 any failed or could not be read.
 */
import type { EngineDeps } from "../../engine/deps";
import { deployDrifted, type DriftFix } from "../../engine/drift-deploy";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";
import { createReporter } from "../progress";
import { readDeployments } from "./drift-scan";
import { recordDriftDeploys } from "./drift-state";

export interface DriftDeployFlags {
  readonly dryRun?: boolean;
  /** @default 30 */
  readonly withinDays?: number;
  readonly ids?: readonly string[];
  readonly maxCacheMinutes?: string;
}

export interface DriftDeployContext {
  readonly deps: () => EngineDeps;
  readonly stateDir: () => string;
}

function exitOf(fixes: readonly DriftFix[], incomplete: number): ExitCode {
  if (fixes.some((f) => f.status === "failed" || f.status === "running") || incomplete > 0) return EXIT.ERROR;
  if (fixes.some((f) => f.status === "needs-renewal")) return EXIT.PENDING;
  return EXIT.OK;
}

function print(fixes: readonly DriftFix[], dryRun: boolean, out: Out): void {
  if (fixes.length === 0) {
    out.line("nothing drifted: every bound resource serves its lineage's newest issued certificate, none expiring soon");
    return;
  }
  out.line(dryRun ? "would move (dry run, nothing sent):" : "drifted resources:");
  out.line(table([["TYPE", "REGION", "INSTANCE", "LISTENER/DOMAIN", "FROM", "TO", "DRIFT", "RESULT"], ...fixes.map((f) => [f.resourceType, f.region || "-", f.instanceId, f.listenerId || f.domain || "-", f.from, f.to ?? "-", f.reason, f.status])]));
  for (const f of fixes.filter((x) => x.status !== "moved" && x.status !== "would-move")) out.line(`  ${f.resourceType} ${f.instanceId}${f.listenerId ? `/${f.listenerId}` : ""} (on ${f.from}): ${f.status}: ${f.message}`);
  const moved = fixes.filter((f) => f.status === "moved").length;
  out.line(dryRun ? `${fixes.filter((f) => f.status === "would-move").length} resource(s) would move; run without --dry-run to move them` : `${moved}/${fixes.length} drifted resource(s) moved`);
}

export async function driftDeployCommand(ctx: DriftDeployContext, flags: DriftDeployFlags, out: Out): Promise<ExitCode> {
  const deps = ctx.deps();
  const scan = await readDeployments({ deps: () => deps, stateDir: ctx.stateDir }, flags);
  const dryRun = flags.dryRun === true;
  const reporter = createReporter(out.progress, { prefixIds: false });
  let fixes: DriftFix[];
  try {
    fixes = await deployDrifted(deps, scan, reporter.sink("drift"), { dryRun });
  } finally {
    reporter.stop();
  }
  if (!dryRun) {
    const touched = fixes.filter((f) => f.deployRecordId > 0 || f.status === "already-moved").flatMap((f) => [f.from, ...(f.to ? [f.to] : [])]);
    recordDriftDeploys(ctx.stateDir(), [...new Set(touched)], deps.clock.now());
  }
  if (out.json) out.line(JSON.stringify({ dryRun, results: fixes, moved: fixes.filter((f) => f.status === "moved").length, incomplete: scan.incomplete, unknownIds: scan.unknownIds }, null, 2));
  else print(fixes, dryRun, out);
  if (scan.incomplete.length > 0) out.error(`tccert: could not read where ${scan.incomplete.join(", ")} ${scan.incomplete.length === 1 ? "is" : "are"} deployed; resources there were not checked. Run \`tccert scan --deployments\` to see why.`);
  if (scan.unknownIds.length > 0) {
    out.error(`tccert: --ids: ${scan.unknownIds.join(", ")} ${scan.unknownIds.length === 1 ? "is" : "are"} not a certificate of any paid lineage in this account; nothing was deployed for ${scan.unknownIds.length === 1 ? "it" : "them"}.`);
    return EXIT.ERROR;
  }
  return exitOf(fixes, scan.incomplete.length);
}
