/**
 * Evidence that a renewal was (or was not) paid for, read without spending anything.
 *
 * Tencent's renewal link is *evidence*, not our idempotency key: nobody knows when it appears,
 * whether both sides carry it, or whether it stays after issuance. So every question "was this
 * lineage's renewal already bought?" is answered from several independent reads:
 * - the link on the old certificate (`CertificateExtra.RenewOrder`);
 * - a `DescribeCertificates` search for certificates whose `OriginCertificateId` is the old id;
 * - new paid certificates for the same domains created after our attempt;
 * - a drop in the package balance since our attempt.
 */
import type { BenefitPackage, Certificate, CertificateSummary } from "./domain";
import { sameDomainSet } from "./domains";
import type { PaymentIntent, SslApi } from "./ports";

/** Clock skew tolerated between our attempt time and Tencent's `InsertTime`. */
const INSERT_SKEW_MS = 5 * 60_000;

/** @see PollingOptions.concurrentOrderWindowMs */
export const DEFAULT_CONCURRENT_ORDER_WINDOW_MS = 60 * 60_000;

export type PaymentEvidence =
  /** A renewal of the old certificate exists: resume it, never buy again. */
  | { readonly kind: "order"; readonly orderId: string; readonly by: string }
  /** Something was charged (or several candidates exist) but the order cannot be named yet. */
  | { readonly kind: "charged"; readonly by: string }
  /** Before paying: a recent paid certificate for the same domains, not linked to anything yet. */
  | { readonly kind: "suspect"; readonly certificateId: string; readonly by: string }
  | { readonly kind: "none" };

/** Certificates for the same domains as `old` (fuzzy search on its main domain), any status. */
export async function certificatesLike(ssl: SslApi, old: Pick<Certificate, "domain">): Promise<CertificateSummary[]> {
  const found: CertificateSummary[] = [];
  for (let offset = 0; offset < 5000; offset += 1000) {
    const page = await ssl.listCertificates({ searchKey: old.domain, offset, limit: 1000 });
    found.push(...page.certificates);
    if (page.certificates.length < 1000 || found.length >= page.totalCount) break;
  }
  return found;
}

/** The renewal of `oldId` named by a certificate's `OriginCertificateId` in `list`; "" when none. */
export function successorIn(list: readonly CertificateSummary[], oldId: string): string {
  const children = list.filter((c) => c.link.originCertificateId === oldId && c.certificateId !== oldId);
  // Prefer an issued one, then the newest.
  children.sort((a, b) => Number(b.phase === "issued") - Number(a.phase === "issued") || (b.insertTime?.getTime() ?? 0) - (a.insertTime?.getTime() ?? 0));
  return children[0]?.certificateId ?? "";
}

/** Ids of this account's certificates for exactly `domains` (recorded in the intent before paying). */
export function sameDomainIds(list: readonly CertificateSummary[], domains: readonly string[]): string[] {
  return list.filter((c) => sameDomainSet(c.domains, domains)).map((c) => c.certificateId);
}

function newSince(list: readonly CertificateSummary[], intent: PaymentIntent): CertificateSummary[] {
  const after = Date.parse(intent.attemptedAt) - INSERT_SKEW_MS;
  const known = new Set([...intent.knownCertificateIds, intent.oldCertificateId]);
  return list.filter(
    (c) => c.paid && !known.has(c.certificateId) && sameDomainSet(c.domains, intent.domains) && (c.insertTime === null || c.insertTime.getTime() >= after),
  );
}

function balanceDrop(before: PaymentIntent["balances"], now: readonly BenefitPackage[]): string {
  const current = new Map(now.map((p) => [p.packageId, p.balance]));
  for (const b of before) {
    const after = current.get(b.packageId);
    if (after !== undefined && after < b.balance) return `package ${b.packageId} went from ${b.balance} to ${after} point(s)`;
  }
  return "";
}

/**
 * Everything that could show the renewal of `intent.oldCertificateId` was bought. Read calls only.
 * With no intent (a run that has not tried yet), only the link and the origin search apply.
 */
export async function gatherEvidence(ssl: SslApi, oldId: string, intent: PaymentIntent | null, recent?: RecentOrders): Promise<PaymentEvidence> {
  return (await readEvidence(ssl, oldId, intent, recent)).evidence;
}

/**
 * The read immediately before paying: the evidence that someone else just paid, and the account's
 * certificates for the same domains as read then (the intent's baseline, so they are read once).
 */
export function evidenceBeforePaying(ssl: SslApi, oldId: string, recent: RecentOrders): Promise<{ evidence: PaymentEvidence; similar: readonly CertificateSummary[] }> {
  return readEvidence(ssl, oldId, null, recent);
}

async function readEvidence(
  ssl: SslApi,
  oldId: string,
  intent: PaymentIntent | null,
  recent?: RecentOrders,
): Promise<{ evidence: PaymentEvidence; similar: readonly CertificateSummary[] }> {
  const old = await ssl.getCertificate(oldId);
  if (old.link.renewOrderId) return { evidence: { kind: "order", orderId: old.link.renewOrderId, by: `the renewal link on ${oldId} (RenewOrder ${old.link.renewOrderId})` }, similar: [] };
  const list = await certificatesLike(ssl, old);
  return { evidence: await judge(ssl, old, list, intent, recent), similar: list };
}

async function judge(ssl: SslApi, old: Certificate, list: readonly CertificateSummary[], intent: PaymentIntent | null, recent?: RecentOrders): Promise<PaymentEvidence> {
  const oldId = old.certificateId;
  const child = successorIn(list, oldId);
  if (child) return { kind: "order", orderId: child, by: `certificate ${child} names ${oldId} as its OriginCertificateId` };
  if (!intent) return recent ? recentOrder(list, old, recent) : { kind: "none" };
  const fresh = newSince(list, intent);
  if (fresh.length === 1) return { kind: "order", orderId: fresh[0]!.certificateId, by: `a new paid certificate ${fresh[0]!.certificateId} for the same domains appeared after the attempt` };
  if (fresh.length > 1)
    return { kind: "charged", by: `${fresh.length} new paid certificates for the same domains appeared after the attempt (${fresh.map((c) => c.certificateId).join(", ")})` };
  const drop = intent.balances.length > 0 ? balanceDrop(intent.balances, await ssl.listPackages()) : "";
  if (drop) return { kind: "charged", by: drop };
  return { kind: "none" };
}

/** What counts as a recent order of someone else's, before paying. */
export interface RecentOrders {
  readonly now: Date;
  readonly windowMs: number;
  /** Certificates of our own lineage (never suspects). */
  readonly lineageIds: readonly string[];
}

/**
 * Before paying, with no link and no origin: a paid certificate for exactly the same domains,
 * created within the window, may be a renewal another run (another state dir or machine) paid for
 * seconds ago, whose link Tencent has not shown yet. Not paying is the safe answer.
 */
function recentOrder(list: readonly CertificateSummary[], old: Certificate, recent: RecentOrders): PaymentEvidence {
  const since = recent.now.getTime() - recent.windowMs;
  const mine = new Set([...recent.lineageIds, old.certificateId]);
  const found = list.find(
    (c) => c.paid && !mine.has(c.certificateId) && sameDomainSet(c.domains, old.domains) && c.insertTime !== null && c.insertTime.getTime() >= since &&
      (old.insertTime === null || c.insertTime.getTime() > old.insertTime.getTime()),
  );
  if (!found) return { kind: "none" };
  return {
    kind: "suspect",
    certificateId: found.certificateId,
    by: `certificate ${found.certificateId} for the same domains was created at ${found.insertTime!.toISOString()} (status ${found.status}) and is not linked to ${old.certificateId} yet`,
  };
}
