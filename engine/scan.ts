/**
 * Scanning an account for what is due: read-only, list calls only (1,000 per
 * page), no detail call per certificate. Renewal links are followed inside the
 * listing, so a renewed certificate shows once, as its lineage's newest member.
 */
import type { CertificateSummary } from "./domain";
import { nameCovers } from "./domains";
import { successorIn } from "./evidence";
import { evaluatePolicy, type RenewalReason } from "./policy";
import type { Clock, SslApi } from "./ports";

export interface ScanQuery {
  /** Only certificates expiring within this many days. @default no limit */
  readonly withinDays?: number;
  /** Only certificates covering this domain (wildcards honoured). @default all */
  readonly domain?: string;
  /** Only these certificate ids. @default all */
  readonly ids?: readonly string[];
  /** @default 30 */
  readonly renewBeforeDays?: number;
}

export interface ScanRow {
  readonly certificateId: string;
  readonly domain: string;
  readonly domains: readonly string[];
  readonly certType: string;
  readonly notAfter: Date | null;
  readonly daysLeft: number | null;
  readonly due: boolean;
  readonly reason: RenewalReason;
  readonly message: string;
  /** Tencent's `RenewAble`. */
  readonly renewable: boolean;
  /** A paid renewal not yet issued; null when none. */
  readonly inFlight: { readonly certificateId: string; readonly status: number; readonly phase: string } | null;
  /** A human step the renewal waits for; null when none. */
  readonly pendingAction: { readonly kind: "confirmation-letter" | "review-failed" | "cancelled"; readonly message: string } | null;
}

const PAGE = 1000;

export async function listAllCertificates(ssl: SslApi, ids?: readonly string[]): Promise<CertificateSummary[]> {
  const all: CertificateSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await ssl.listCertificates({ offset, limit: PAGE, source: "buy", ...(ids ? { ids } : {}) });
    all.push(...page.certificates);
    if (page.certificates.length < PAGE || all.length >= page.totalCount) break;
  }
  return all;
}

export async function scanAccount(deps: { ssl: SslApi; clock: Clock }, query: ScanQuery = {}): Promise<ScanRow[]> {
  const now = deps.clock.now();
  const all = await listAllCertificates(deps.ssl);
  const byId = new Map(all.map((c) => [c.certificateId, c]));
  // The renewal link may be one-sided (only `OriginCertificateId` on the new certificate): index it.
  const childOf = new Map<string, string>();
  for (const c of all) if (c.link.originCertificateId && !childOf.has(c.link.originCertificateId)) childOf.set(c.link.originCertificateId, successorIn(all, c.link.originCertificateId));
  const rows: ScanRow[] = [];
  for (const c of all) {
    if (!c.paid) continue;
    // Skip members of a lineage that are not its newest issued certificate.
    if (c.link.originCertificateId && c.phase !== "issued" && c.phase !== "expired") continue; // shown on its predecessor's row
    const next = c.hasRenewOrder || c.link.renewOrderId || (childOf.get(c.certificateId) ?? "");
    const renewal = next ? byId.get(next) : undefined;
    if (renewal && (renewal.phase === "issued" || renewal.phase === "expired")) continue; // superseded
    if (query.ids && !query.ids.includes(c.certificateId)) continue;
    if (query.domain && !c.domains.some((d) => nameCovers(d, query.domain!))) continue;
    const decision = evaluatePolicy({
      now,
      certificate: {
        certificateId: c.certificateId,
        notAfter: c.notAfter,
        renewable: c.renewable,
        renewOrderId: next,
        paid: c.paid,
        issued: c.phase === "issued" || c.phase === "expired",
      },
      renewBeforeDays: query.renewBeforeDays ?? 30,
    });
    if (query.withinDays !== undefined && (decision.daysLeft === null || decision.daysLeft > query.withinDays)) continue;
    const inFlight = next ? { certificateId: next, status: renewal?.status ?? -1, phase: renewal?.phase ?? "unknown" } : null;
    rows.push({
      certificateId: c.certificateId,
      domain: c.domain,
      domains: c.domains,
      certType: c.certType,
      notAfter: c.notAfter,
      daysLeft: decision.daysLeft,
      due: decision.due,
      reason: decision.reason,
      message: decision.message,
      renewable: c.renewable,
      inFlight,
      pendingAction: pendingAction(next, renewal),
    });
  }
  return rows.sort((a, b) => (a.notAfter?.getTime() ?? Infinity) - (b.notAfter?.getTime() ?? Infinity));
}

function pendingAction(id: string, r: CertificateSummary | undefined): ScanRow["pendingAction"] {
  if (!r) return null;
  if (r.phase === "pending-letter")
    return { kind: "confirmation-letter", message: `upload the signed confirmation letter for ${id} in the SSL console, then rerun renew` };
  if (r.phase === "review-failed") return { kind: "review-failed", message: `renewal ${id} failed review: fix it and resubmit in the SSL console` };
  if (r.phase === "cancelled" || r.phase === "cancelling" || r.phase === "refunded")
    return { kind: "cancelled", message: `renewal ${id} was cancelled (status ${r.status})` };
  return null;
}
