/**
 * Deployment drift across an account (`tccert scan --deployments`): for each paid lineage, the
 * resources bound to each of its certificates, and which of them serve a superseded, expiring or
 * expired certificate. Read-only: list calls and the bound-resource task. Also the read-only
 * `listDeployments` for one certificate (front ends' "bound resources" output).
 */
import type { CertificateSummary } from "./domain";
import { classifyDrift, daysLeft, groupLineages, type DeployLineage, type Drift } from "./drift-classify";
import type { BindingRegionCount, BindingsApi, BoundResource } from "./drift-port";
import { readBindings, type BindingReadOptions, type BindingsDeps, type CertificateBindings } from "./drift-read";
import { InvalidInputError, RenewalError, TimedOutError } from "./errors";
import type { Clock, Sleep, SslApi } from "./ports";
import { listAllCertificates } from "./scan";

export interface DeploymentScanQuery extends BindingReadOptions {
  /** A resource on a certificate expiring within this many days is drift. @default 30 */
  readonly withinDays?: number;
  /** Only the lineages holding one of these certificate ids. @default every paid lineage */
  readonly ids?: readonly string[];
}

export interface DeployedResource extends BoundResource {
  readonly certificateId: string;
  /** null: serves the right certificate in time. */
  readonly drift: Drift | null;
}

export interface CertificateDeployments {
  readonly certificateId: string;
  readonly phase: string;
  readonly notAfter: Date | null;
  readonly daysLeft: number | null;
  /** `unknown` when Tencent's task failed or did not finish in time: drift there cannot be ruled out. */
  readonly bindings: "read" | "unknown";
  readonly error: string;
  readonly cacheAgeSeconds: number | null;
  /** Regions Tencent could not read: `clb ap-shanghai: <error>`. */
  readonly regionErrors: readonly string[];
  readonly counts: readonly BindingRegionCount[];
  readonly resources: readonly DeployedResource[];
}

export interface LineageDeployments {
  readonly lineageId: string;
  readonly newestIssuedId: string | null;
  readonly certificates: readonly CertificateDeployments[];
  readonly drifted: number;
}

export interface DeploymentScan {
  readonly lineages: readonly LineageDeployments[];
  /** Every drifted resource, across lineages. */
  readonly drifted: readonly DeployedResource[];
  /** Certificates whose bindings could not be read (task failed, timed out, or a region error). */
  readonly incomplete: readonly string[];
  /** Ids of `query.ids` that no paid lineage holds. */
  readonly unknownIds: readonly string[];
}

export interface DriftDeps {
  readonly ssl: SslApi;
  readonly bindings?: BindingsApi;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

export function bindingsOf(deps: Pick<DriftDeps, "bindings" | "clock" | "sleep">): BindingsDeps {
  if (!deps.bindings) throw new InvalidInputError("bindings", "engine: deployment drift needs the bound-resource port (EngineDeps.bindings); build the deps with createEngineDeps from the runtime.");
  return { bindings: deps.bindings, clock: deps.clock, sleep: deps.sleep };
}

/** `instanceId` of a stand-in for resources Tencent counted but the adapter could not itemise. */
export function isStandIn(r: BoundResource): boolean {
  return r.instanceId.startsWith("(") && r.listenerId === "" && r.domain === "";
}

/**
 * Resources Tencent counted in a region but did not itemise (a type the adapter cannot read in
 * detail): one stand-in per type and region, so drift there is never silently missed.
 */
function standIns(b: CertificateBindings): BoundResource[] {
  return b.counts
    .filter((c) => c.error === "" && c.totalCount > 0 && !b.resources.some((r) => r.resourceType === c.resourceType && (c.region === "" || r.region === c.region)))
    .map((c) => ({ resourceType: c.resourceType, region: c.region, instanceId: `(${c.totalCount} not itemised)`, listenerId: "", domain: "" }));
}

function certificateRow(lineage: DeployLineage, c: CertificateSummary, b: CertificateBindings | undefined, withinDays: number, now: Date): CertificateDeployments {
  const drift = classifyDrift(lineage, c, withinDays, now);
  const regionErrors = (b?.counts ?? []).filter((x) => x.error !== "").map((x) => `${x.resourceType}${x.region ? ` ${x.region}` : ""}: ${x.error}`);
  return {
    certificateId: c.certificateId,
    phase: c.phase,
    notAfter: c.notAfter,
    daysLeft: daysLeft(c, now),
    bindings: b?.status ?? "unknown",
    error: b?.error ?? "not read",
    cacheAgeSeconds: b?.cacheAgeSeconds ?? null,
    regionErrors,
    counts: b?.counts ?? [],
    resources: (b ? [...b.resources, ...standIns(b)] : []).map((r) => ({ ...r, certificateId: c.certificateId, drift })),
  };
}

/** Drift across every paid lineage of the account (or those holding `query.ids`). Read-only. */
export async function scanDeployments(deps: DriftDeps, query: DeploymentScanQuery = {}): Promise<DeploymentScan> {
  const withinDays = query.withinDays ?? 30;
  if (!Number.isInteger(withinDays) || withinDays < 0) throw new InvalidInputError("withinDays", `withinDays must be a whole number of days, 0 or more; got ${JSON.stringify(query.withinDays)}.`);
  const io = bindingsOf(deps);
  const now = deps.clock.now();
  const all = await listAllCertificates(deps.ssl);
  let lineages = groupLineages(all, now);
  const wanted = query.ids ? new Set(query.ids) : null;
  const unknownIds = (query.ids ?? []).filter((id) => !lineages.some((l) => l.certificates.some((c) => c.certificateId === id)));
  if (wanted) lineages = lineages.filter((l) => l.certificates.some((c) => wanted.has(c.certificateId)));
  // Only issued (or once issued) certificates can be serving anything.
  const served = lineages.flatMap((l) => l.certificates.filter((c) => c.phase === "issued" || c.phase === "expired").map((c) => c.certificateId));
  const bindings = await readBindings(io, served, query);
  const rows = lineages.map((l): LineageDeployments => {
    const certificates = l.certificates.filter((c) => c.phase === "issued" || c.phase === "expired").map((c) => certificateRow(l, c, bindings.get(c.certificateId), withinDays, now));
    return { lineageId: l.rootId, newestIssuedId: l.newestIssued?.certificateId ?? null, certificates, drifted: certificates.flatMap((c) => c.resources).filter((r) => r.drift).length };
  });
  const certs = rows.flatMap((l) => l.certificates);
  return {
    lineages: rows,
    drifted: certs.flatMap((c) => c.resources.filter((r) => r.drift !== null)),
    incomplete: certs.filter((c) => c.bindings === "unknown" || c.regionErrors.length > 0).map((c) => c.certificateId),
    unknownIds,
  };
}

export interface CertificateDeploymentList {
  readonly certificateId: string;
  readonly resources: readonly BoundResource[];
  /** Per type and region, including regions Tencent could not read (`error`). */
  readonly counts: readonly BindingRegionCount[];
  readonly cacheAgeSeconds: number | null;
}

/**
 * Where one certificate is deployed (CLB listeners, CDN domains, …). Read-only; for a Pulumi
 * `boundResources` output or a CDKTF data source.
 * @throws TimedOutError when Tencent's task does not finish within `timeoutMs`; a `TencentApi` RenewalError when it fails
 */
export async function listDeployments(deps: Pick<DriftDeps, "bindings" | "clock" | "sleep">, certificateId: string, options: BindingReadOptions = {}): Promise<CertificateDeploymentList> {
  const b = (await readBindings(bindingsOf(deps), [certificateId], options)).get(certificateId);
  if (!b || b.status !== "read") {
    const message = `engine: could not read where ${certificateId} is deployed: ${b?.error ?? "no answer"}`;
    if (b?.cacheTime === null && /still running/.test(b.error)) throw new TimedOutError(message, options.timeoutMs ?? 120_000, { originalCertificateId: certificateId });
    throw new RenewalError("TencentApi", message, { originalCertificateId: certificateId, resumable: true });
  }
  return { certificateId, resources: b.resources, counts: b.counts, cacheAgeSeconds: b.cacheAgeSeconds };
}
