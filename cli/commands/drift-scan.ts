/**
 * `tccert scan --deployments`: for each paid lineage, the resources bound to each certificate
 * (type, region, instance, listener/domain) and the drift among them. Read-only. Exit 0 no drift,
 * 2 drift, 1 when Tencent could not say where a certificate is deployed (or --ids names an
 * unknown id).
 */
import type { EngineDeps } from "../../engine/deps";
import { scanDeployments, type DeploymentScan, type DeployedResource } from "../../engine/drift";
import { InvalidInputError } from "../../engine/errors";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";
import { readDriftDeploys } from "./drift-state";
import { appendSummary, checkSummaryFile, driftMarkdown } from "./drift-summary";

export interface DriftScanFlags {
  /** @default 30 */
  readonly withinDays?: number;
  readonly ids?: readonly string[];
  readonly summary?: string;
  readonly maxCacheMinutes?: string;
}

export interface DriftScanContext {
  readonly deps: () => Pick<EngineDeps, "ssl" | "bindings" | "clock" | "sleep">;
  readonly stateDir: () => string;
}

/** `--max-cache-minutes`: 0 to 30. */
export function parseMaxCacheMinutes(value: string | undefined): number {
  if (value === undefined) return 30;
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 30)
    throw new InvalidInputError("--max-cache-minutes", `--max-cache-minutes must be a whole number of minutes from 0 to 30 (Tencent keeps answers half an hour; 0 always asks afresh); got ${JSON.stringify(value)}.`);
  return n;
}

/** The scan, with the options the CLI gives every deployment read. */
export async function readDeployments(ctx: DriftScanContext, flags: Pick<DriftScanFlags, "withinDays" | "ids" | "maxCacheMinutes">): Promise<DeploymentScan> {
  const maxCacheAgeMs = parseMaxCacheMinutes(flags.maxCacheMinutes) * 60_000;
  return scanDeployments(ctx.deps(), {
    withinDays: flags.withinDays ?? 30,
    maxCacheAgeMs,
    freshAfter: readDriftDeploys(ctx.stateDir()),
    ...(flags.ids ? { ids: flags.ids } : {}),
  });
}

function jsonOf(scan: DeploymentScan, withinDays: number): Record<string, unknown> {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    withinDays,
    lineages: scan.lineages.map((l) => ({ ...l, certificates: l.certificates.map((c) => ({ ...c, notAfter: iso(c.notAfter) })) })),
    drifted: scan.drifted,
    driftedCount: scan.drifted.length,
    incomplete: scan.incomplete,
  };
}

function humanLines(scan: DeploymentScan, withinDays: number, out: Out): void {
  const rows: string[][] = [["LINEAGE", "CERTIFICATE", "EXPIRES", "DAYS", "TYPE", "REGION", "INSTANCE", "LISTENER/DOMAIN", "ANSWER AGE", "DRIFT"]];
  for (const l of scan.lineages)
    for (const c of l.certificates)
      for (const r of c.resources)
        rows.push([l.lineageId, c.certificateId, c.notAfter?.toISOString().slice(0, 10) ?? "-", c.daysLeft === null ? "-" : String(c.daysLeft), r.resourceType, r.region || "-", r.instanceId, r.listenerId || r.domain || "-", c.cacheAgeSeconds === null ? "-" : `${c.cacheAgeSeconds}s`, r.drift ? `${r.drift.reason}${r.drift.targetCertificateId ? ` → ${r.drift.targetCertificateId}` : ""}` : "ok"]);
  out.line(table(rows));
  for (const r of scan.drifted) out.line(`  ${label(r)}: DRIFT: ${r.drift?.message ?? ""}`);
  for (const l of scan.lineages)
    for (const c of l.certificates) {
      if (c.bindings === "unknown") out.line(`  ${c.certificateId}: UNKNOWN: could not read where it is deployed: ${c.error}`);
      for (const e of c.regionErrors) out.line(`  ${c.certificateId}: UNKNOWN: region not read: ${e}`);
    }
  const bound = scan.lineages.reduce((n, l) => n + l.certificates.reduce((m, c) => m + c.resources.length, 0), 0);
  out.line(`${scan.lineages.length} lineage(s); ${bound} bound resource(s); ${scan.drifted.length} drifted (superseded, expired, or expiring within ${withinDays} days); ${scan.incomplete.length} certificate(s) not read`);
}

/** `clb ap-guangzhou lb-1/lbl-1 (on C1)`. */
export function label(r: DeployedResource): string {
  return `${r.resourceType}${r.region ? ` ${r.region}` : ""} ${r.instanceId}${r.listenerId ? `/${r.listenerId}` : ""} (on ${r.certificateId})`;
}

export async function driftScanCommand(ctx: DriftScanContext, flags: DriftScanFlags, out: Out): Promise<ExitCode> {
  const summary = flags.summary !== undefined ? checkSummaryFile(flags.summary) : undefined;
  parseMaxCacheMinutes(flags.maxCacheMinutes);
  const withinDays = flags.withinDays ?? 30;
  const scan = await readDeployments(ctx, flags);
  const code = scan.unknownIds.length > 0 ? EXIT.ERROR : scan.drifted.length > 0 ? EXIT.PENDING : scan.incomplete.length > 0 ? EXIT.ERROR : EXIT.OK;
  if (out.json) out.line(JSON.stringify({ ...jsonOf(scan, withinDays), ...(scan.unknownIds.length > 0 ? { error: { kind: "UnknownCertificateIds", ids: scan.unknownIds, message: unknownMessage(scan.unknownIds), resumable: false } } : {}) }, null, 2));
  else humanLines(scan, withinDays, out);
  if (summary) appendSummary(summary, driftMarkdown(scan, withinDays, code));
  if (scan.unknownIds.length > 0) out.error(`tccert: ${unknownMessage(scan.unknownIds)}`);
  else if (code === EXIT.ERROR) out.error(`tccert: could not read where ${scan.incomplete.join(", ")} ${scan.incomplete.length === 1 ? "is" : "are"} deployed, so drift there is not ruled out; run the scan again (see UNKNOWN above).`);
  return code;
}

function unknownMessage(ids: readonly string[]): string {
  return `--ids: ${ids.join(", ")} ${ids.length === 1 ? "is" : "are"} not a certificate of any paid lineage in this account, so nothing was checked for ${ids.length === 1 ? "it" : "them"}. Run \`tccert scan --deployments\` without --ids to list the lineages.`;
}
