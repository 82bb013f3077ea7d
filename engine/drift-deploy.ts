/**
 * Fixing drift (`tccert deploy --drifted`): every drifted resource moves onto the newest issued
 * certificate of its lineage through the same deployment path as `renew --deploy`
 * (`runDeployment`: UpdateCertificateInstance followed to completion). One result per resource.
 * Idempotent: a resource already moved is reported as such, nothing is sent twice for it.
 */
import type { DeployResourceResult, DeployTarget } from "./domain";
import type { EngineDeps } from "./deps";
import { runDeployment, type DeployOptions } from "./deploy";
import { lineageWithRenewals } from "./plan";
import { currentMaterial } from "./material";
import type { DeployContent } from "./ports";
import { isStandIn, type DeployedResource, type DeploymentScan } from "./drift";
import { resourceKey } from "./drift-classify";
import type { ProgressSink } from "./progress";

/**
 * `moved`: now serves the target. `would-move`: dry run. `needs-renewal`: no newer issued
 * certificate to move to (renew first). `already-moved`: no longer bound to the old certificate.
 * `failed` / `running`: Tencent's per-resource outcome.
 */
export type DriftFixStatus = "moved" | "would-move" | "needs-renewal" | "already-moved" | "failed" | "running";

export interface DriftFix {
  readonly resourceType: string;
  readonly region: string;
  readonly instanceId: string;
  readonly listenerId: string;
  readonly domain: string;
  readonly from: string;
  /** null for `needs-renewal`. */
  readonly to: string | null;
  readonly reason: string;
  readonly status: DriftFixStatus;
  readonly message: string;
  /** Tencent's deployment task; 0 when none was created. */
  readonly deployRecordId: number;
}

type DriftDeployDeps = Pick<EngineDeps, "ssl" | "clock" | "sleep" | "polling" | "journal" | "inspector">;

export interface DeployDriftedOptions extends Omit<DeployOptions, "content"> {
  /** List what would move; call nothing that changes Tencent. @default false */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** Types and regions to name in UpdateCertificateInstance for these resources. */
export function deployTargetsOf(resources: readonly DeployedResource[]): DeployTarget[] {
  const byType = new Map<string, Set<string>>();
  for (const r of resources) {
    const regions = byType.get(r.resourceType) ?? new Set<string>();
    if (r.region !== "") regions.add(r.region);
    byType.set(r.resourceType, regions);
  }
  return [...byType].map(([resourceType, regions]) => ({ resourceType, regions: [...regions].sort() }));
}

function fixOf(r: DeployedResource | DeployResourceResult, from: string, to: string | null, reason: string, status: DriftFixStatus, message: string, deployRecordId: number): DriftFix {
  return { resourceType: r.resourceType, region: r.region, instanceId: r.instanceId, listenerId: r.listenerId, domain: r.domain, from, to, reason, status, message, deployRecordId };
}

function sameResource(a: { resourceType: string; region: string; instanceId: string; listenerId: string }, b: typeof a): boolean {
  return a.resourceType === b.resourceType && a.region === b.region && a.instanceId === b.instanceId && a.listenerId === b.listenerId;
}

/**
 * The local-key rule of `renew --deploy`: a renewal this tool made from its own key (`local`) is
 * unknown to Tencent's key store, so it is deployed by content (fullchain + the journaled key).
 * Anything else (Tencent's key, no journal here) is deployed by id.
 */
export async function deployContentFor(deps: DriftDeployDeps, lineageId: string, targetId: string): Promise<DeployContent | undefined> {
  const entry = await deps.journal.load(lineageId);
  if (!entry || ![entry, ...(entry.history ?? [])].some((e) => e.keySource === "local" && e.newCertificateId === targetId)) return undefined;
  const lineage = await lineageWithRenewals(deps, lineageId);
  if (lineage.current.certificateId !== targetId) return undefined;
  const m = await currentMaterial(deps, lineage, { tencentKey: false });
  return m.keyOrigin === "journal" && m.privateKeyPem !== "" ? { fullchainPem: m.fullchainPem, privateKeyPem: m.privateKeyPem } : undefined;
}

/** Groups drifted resources by (serving certificate → target). */
function groups(scan: DeploymentScan): Map<string, DeployedResource[]> {
  const out = new Map<string, DeployedResource[]>();
  for (const r of scan.drifted) {
    const key = `${r.certificateId}>${r.drift?.targetCertificateId ?? ""}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

async function moveGroup(deps: DriftDeployDeps, lineageId: string, from: string, to: string, resources: readonly DeployedResource[], progress: ProgressSink, options: DeployDriftedOptions): Promise<DriftFix[]> {
  const content = await deployContentFor(deps, lineageId, to);
  const record = await runDeployment(deps, from, to, deployTargetsOf(resources), progress, options.signal, { ...options, ...(content ? { content } : {}) });
  // A stand-in for resources Tencent counted but did not itemise: their own results follow below.
  const movedIn = (r: DeployedResource) => record.results.some((x) => x.resourceType === r.resourceType && (r.region === "" || x.region === r.region));
  const fixes = resources.filter((r) => !(isStandIn(r) && movedIn(r))).map((r) => {
    const hit = record.results.find((x) => sameResource(x, r));
    const reason = r.drift?.reason ?? "";
    if (!hit) return fixOf(r, from, to, reason, "already-moved", `no longer bound to ${from}: nothing sent for it`, record.deployRecordId);
    const status: DriftFixStatus = hit.status === "success" ? "moved" : hit.status;
    return fixOf(r, from, to, reason, status, status === "moved" ? `now serves ${to}` : `${hit.status}${hit.errorMessage ? `: ${hit.errorMessage}` : ""}`, record.deployRecordId);
  });
  // Tencent moves every resource of the named types and regions: report the ones the scan did not list too.
  const listed = new Set(resources.map(resourceKey));
  for (const x of record.results) {
    if (listed.has(resourceKey(x)) || resources.some((r) => sameResource(x, r))) continue;
    fixes.push(fixOf(x, from, to, "Superseded", x.status === "success" ? "moved" : x.status, x.status === "success" ? `now serves ${to}` : x.errorMessage, record.deployRecordId));
  }
  return fixes;
}

/** Moves every drifted resource of `scan` onto its lineage's newest issued certificate. */
export async function deployDrifted(deps: DriftDeployDeps, scan: DeploymentScan, progress: ProgressSink, options: DeployDriftedOptions = {}): Promise<DriftFix[]> {
  const fixes: DriftFix[] = [];
  const lineageOf = new Map(scan.lineages.flatMap((l) => l.certificates.map((c) => [c.certificateId, l.lineageId] as const)));
  for (const [key, resources] of groups(scan)) {
    const [from = "", to = ""] = key.split(">");
    if (to === "") {
      for (const r of resources) fixes.push(fixOf(r, from, null, r.drift?.reason ?? "", "needs-renewal", `no newer issued certificate to move to: renew ${from} first (\`tccert renew ${from}\`), then rerun \`tccert deploy --drifted\``, 0));
      continue;
    }
    if (options.dryRun) {
      for (const r of resources) fixes.push(fixOf(r, from, to, r.drift?.reason ?? "", "would-move", `would move from ${from} to ${to}`, 0));
      continue;
    }
    fixes.push(...(await moveGroup(deps, lineageOf.get(from) ?? from, from, to, resources, progress, options)));
  }
  return fixes;
}
