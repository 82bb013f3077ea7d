/**
 * Deployment drift, decided as data: a resource serving a certificate that an issued renewal
 * superseded, one that expires within the threshold, or one that has expired. Pure; `now` is given.
 */
import type { CertificateSummary } from "./domain";
import type { BoundResource } from "./drift-port";
import { successorIn } from "./evidence";

export type DriftReason = "Expired" | "Superseded" | "Expiring";

export interface Drift {
  readonly reason: DriftReason;
  readonly message: string;
  /** The newest issued certificate of the lineage, to move the resource to; null when there is none yet. */
  readonly targetCertificateId: string | null;
}

/** A paid certificate and its renewals, oldest first. */
export interface DeployLineage {
  /** The oldest certificate of the lineage in the account. */
  readonly rootId: string;
  readonly certificates: readonly CertificateSummary[];
  /** The newest issued (and not expired) certificate; null when none. */
  readonly newestIssued: CertificateSummary | null;
}

const DAY_MS = 86_400_000;

function isIssued(c: CertificateSummary, now: Date): boolean {
  return c.phase === "issued" && (c.notAfter === null || c.notAfter.getTime() > now.getTime());
}

/** The renewal of `c` in `all`, by either side of the link; "" when none. */
function nextOf(all: readonly CertificateSummary[], c: CertificateSummary): string {
  return c.link.renewOrderId || c.hasRenewOrder || successorIn(all, c.certificateId);
}

/** Paid certificates grouped into lineages by the renewal link (either side). */
export function groupLineages(all: readonly CertificateSummary[], now: Date): DeployLineage[] {
  const paid = all.filter((c) => c.paid);
  const byId = new Map(paid.map((c) => [c.certificateId, c]));
  const hasParent = new Set<string>();
  for (const c of paid) {
    const next = nextOf(paid, c);
    if (next && byId.has(next) && next !== c.certificateId) hasParent.add(next);
    if (c.link.originCertificateId && byId.has(c.link.originCertificateId)) hasParent.add(c.certificateId);
  }
  const lineages: DeployLineage[] = [];
  for (const root of paid.filter((c) => !hasParent.has(c.certificateId))) {
    const chain = [root];
    const seen = new Set([root.certificateId]);
    for (let c = root, next = nextOf(paid, c); next && !seen.has(next) && byId.has(next); next = nextOf(paid, c)) {
      c = byId.get(next)!;
      seen.add(next);
      chain.push(c);
    }
    const newestIssued = [...chain].reverse().find((c) => isIssued(c, now)) ?? null;
    lineages.push({ rootId: root.certificateId, certificates: chain, newestIssued });
  }
  return lineages;
}

export function daysLeft(c: CertificateSummary, now: Date): number | null {
  return c.notAfter === null ? null : Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** The drift of a resource serving `c`, or null when it serves the right certificate in time. */
export function classifyDrift(lineage: DeployLineage, c: CertificateSummary, withinDays: number, now: Date): Drift | null {
  const newest = lineage.newestIssued;
  const target = newest && newest.certificateId !== c.certificateId ? newest.certificateId : null;
  const left = daysLeft(c, now);
  const moveTo = target ? `; move it to ${target} with \`tccert deploy --drifted\`` : `; renew it first (\`tccert renew ${c.certificateId}\`), then \`tccert deploy --drifted\``;
  if (c.phase === "expired" || (c.notAfter !== null && c.notAfter.getTime() <= now.getTime()))
    return { reason: "Expired", message: `serves ${c.certificateId}, which expired on ${c.notAfter?.toISOString().slice(0, 10) ?? "an unknown date"}${moveTo}`, targetCertificateId: target };
  const index = lineage.certificates.indexOf(c);
  const newestIndex = newest ? lineage.certificates.indexOf(newest) : -1;
  if (target && newestIndex > index)
    return { reason: "Superseded", message: `serves ${c.certificateId}, superseded by its issued renewal ${target}${left === null ? "" : ` (${left} day(s) left)`}${moveTo}`, targetCertificateId: target };
  if (left !== null && left <= withinDays)
    return { reason: "Expiring", message: `serves ${c.certificateId}, which expires in ${left} day(s) (within ${withinDays})${moveTo}`, targetCertificateId: null };
  return null;
}

/** A resource's identity, for matching the same resource across certificates and runs. */
export function resourceKey(r: BoundResource): string {
  return [r.resourceType, r.region, r.instanceId, r.listenerId, r.domain].join("|");
}
