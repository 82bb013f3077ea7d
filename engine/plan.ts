/**
 * What a renewal would do, read-only: the decision, any order in flight, and the payment or the
 * refusal. The real run (`ensureRenewed`) and every dry run use this one function, so they cannot
 * choose different products or packages. Also: cancelling a pending renewal (opt-in).
 */
import type { Certificate } from "./domain";
import type { EngineDeps } from "./deps";
import { sameDomainSet } from "./domains";
import { InvalidInputError, isRenewalError, type RenewalError } from "./errors";
import { certificatesLike, successorIn } from "./evidence";
import { readLineage, type Lineage } from "./lineage";
import type { ResolvedOptions } from "./options";
import { chooseProduct, choosePackages, estimatePoints } from "./payment";
import { planningPackages } from "./packages-cache";
import { isUnresolved } from "./pay";
import { evaluatePolicy, type PolicyDecision } from "./policy";
import type { JournalEntry } from "./ports";
import type { ProgressSink } from "./progress";

export interface PaymentChoice {
  readonly productPid: number;
  readonly packageIds: readonly string[];
  /** Estimated benefit points. */
  readonly points: number;
  readonly explanation: string;
}

export interface RenewalPlan {
  readonly lineage: Lineage;
  readonly decision: PolicyDecision;
  /** A paid renewal of the current certificate not yet issued: resumed, never bought again. */
  readonly inFlight: Certificate | null;
  /** What would be paid; null when nothing would be (not due, or an order in flight, or refused). */
  readonly payment: PaymentChoice | null;
  /** Why paying is impossible (bad input found before paying); null when it is possible or not needed. */
  readonly refusal: RenewalError | null;
}

type ReadDeps = Pick<EngineDeps, "ssl" | "clock"> & Partial<Pick<EngineDeps, "journal">>;

/** Renewals our journal knows of (old id → new id), where Tencent's link may be silent. */
function journalSuccessors(journal: JournalEntry | null): Map<string, string> {
  const known = new Map<string, string>();
  for (const e of [...(journal?.history ?? []), ...(journal ? [journal] : [])])
    if (e.oldCertificateId && e.newCertificateId) known.set(e.oldCertificateId, e.newCertificateId);
  return known;
}

/** Read-only: where the lineage stands and whether renewal is due. Makes no paid or mutating call. */
export async function inspectLineage(
  deps: ReadDeps,
  opts: Pick<ResolvedOptions, "certificateId" | "renewBeforeDays" | "force">,
  changedInputs: readonly string[] = [],
): Promise<{ lineage: Lineage; decision: PolicyDecision }> {
  const journal = deps.journal ? await deps.journal.load(opts.certificateId).catch(() => null) : null;
  const known = journalSuccessors(journal);
  const read = (extra: Map<string, string>) =>
    readLineage(deps.ssl, opts.certificateId, { successorOf: async (c) => known.get(c.certificateId) ?? extra.get(c.certificateId) ?? "" });
  let lineage = await read(new Map());
  let decision = decide(deps, lineage, opts, changedInputs);
  const unsettled = journal !== null && journal.oldCertificateId === lineage.current.certificateId && isUnresolved(journal.payment);
  if ((decision.due || unsettled) && !lineage.inFlight) {
    // About to act (or an earlier paid call's outcome is unknown): Tencent's link may be late or
    // one-sided, so also look for a certificate that names the current one as its origin before
    // concluding that no renewal exists.
    const child = successorIn(await certificatesLike(deps.ssl, lineage.current), lineage.current.certificateId);
    if (child) {
      lineage = await read(new Map([[lineage.current.certificateId, child]]));
      decision = decide(deps, lineage, opts, changedInputs);
    }
  }
  return { lineage, decision };
}

/**
 * Every renewal of the lineage we can see, whatever is due: Tencent's link, our journal, and a search
 * for a certificate naming the newest one as its origin (the link may be late or one-sided). For read
 * paths that act on the newest issued certificate, such as `tccert deploy <id>`.
 */
export async function lineageWithRenewals(deps: ReadDeps, certificateId: string): Promise<Lineage> {
  return (await inspectLineage(deps, { certificateId, renewBeforeDays: 0, force: true })).lineage;
}

function decide(deps: Pick<EngineDeps, "clock">, lineage: Lineage, opts: Pick<ResolvedOptions, "renewBeforeDays" | "force">, changedInputs: readonly string[]): PolicyDecision {
  const c = lineage.current;
  return evaluatePolicy({
    now: deps.clock.now(),
    certificate: {
      certificateId: c.certificateId,
      notAfter: c.notAfter,
      renewable: c.renewable,
      renewOrderId: lineage.inFlight ? lineage.inFlight.certificateId : "",
      paid: c.paid,
      issued: c.phase === "issued" || c.phase === "expired",
    },
    renewBeforeDays: opts.renewBeforeDays,
    forced: opts.force,
    changedInputs,
  });
}

/** Checks made before paying; throws an InvalidInputError naming the field and the fix. */
export function preflight(deps: Pick<EngineDeps, "keys">, opts: ResolvedOptions, old: Certificate, progress?: ProgressSink): void {
  const id = old.certificateId;
  if (!old.paid)
    throw new InvalidInputError("certificateId", `certificateId ${id} is not a paid certificate (IsVip is false); only paid certificates can be renewed with benefit packages.`);
  if (old.phase !== "issued" && old.phase !== "expired")
    throw new InvalidInputError("certificateId", `certificateId ${id} is in status ${old.status} (${old.phase}), not issued; only an issued certificate can be renewed.`);
  const csr = opts.key.csrPem;
  if (opts.key.source === "csr" && csr !== undefined) {
    const requested = deps.keys.csrDomains(csr);
    if (!sameDomainSet(requested, old.domains))
      throw new InvalidInputError(
        "key.csrPem",
        `key.csrPem requests ${requested.join(", ")}, but certificate ${id} covers ${old.domains.join(", ")}. A renewal keeps the same domains: make a CSR for exactly those. Nothing was paid.`,
      );
  }
  if (opts.validation === "DNS_AUTO" && !old.isDv)
    progress?.({ type: "warning", message: `validation DNS_AUTO applies to DV certificates; ${id} is ${old.certType}, which Tencent validates by its own review` });
}

/** The product and packages that would pay for renewing `old` (reads `DescribePackages`, once per run: packages-cache.ts). */
export async function choosePayment(deps: Pick<EngineDeps, "ssl" | "clock"> & Partial<Pick<EngineDeps, "packages">>, opts: ResolvedOptions, old: Certificate): Promise<PaymentChoice> {
  const points = estimatePoints(old);
  const product = chooseProduct(old, opts.payment.productPid);
  const choice = choosePackages(await planningPackages(deps), points, opts.payment.packageIds, deps.clock.now());
  return { productPid: product.productPid, packageIds: choice.packageIds, points, explanation: `${product.explanation}; ${choice.explanation}` };
}

/** The whole plan, read-only. Bad input and impossible payments are returned as `refusal`, not thrown. */
export async function planRenewal(
  deps: Pick<EngineDeps, "ssl" | "clock" | "keys"> & Partial<Pick<EngineDeps, "journal" | "packages">>,
  opts: ResolvedOptions,
  changedInputs: readonly string[] = [],
): Promise<RenewalPlan> {
  const { lineage, decision } = await inspectLineage(deps, opts, changedInputs);
  const base = { lineage, decision, inFlight: lineage.inFlight, payment: null, refusal: null };
  if (!decision.due || lineage.inFlight) return base;
  try {
    preflight(deps, opts, lineage.current);
    return { ...base, payment: await choosePayment(deps, opts, lineage.current) };
  } catch (e) {
    if (isRenewalError(e) && (e.kind === "InvalidInput" || e.kind === "PaymentRefused")) return { ...base, refusal: e };
    throw e;
  }
}

const CANCELLABLE = new Set(["awaiting-submission", "validating", "pending-letter", "review-failed"]);

/**
 * Cancels the lineage's renewal in flight (`CancelCertificateOrder`) when it can still be cancelled.
 * Returns the cancelled order's id, or "" when there was none. Mutating: opt-in only.
 */
export async function cancelPendingRenewal(deps: ReadDeps, certificateId: string, renewBeforeDays: number): Promise<string> {
  const { lineage } = await inspectLineage(deps, { certificateId, renewBeforeDays, force: false });
  const order = lineage.inFlight;
  if (!order || !CANCELLABLE.has(order.phase)) return "";
  await deps.ssl.cancelOrder(order.certificateId);
  return order.certificateId;
}

/** The order `orderId` as Tencent shows it now, or null when it cannot be read (read-only; for reporting partial progress). */
export async function readOrder(deps: Pick<EngineDeps, "ssl">, orderId: string): Promise<Certificate | null> {
  try {
    return await deps.ssl.getCertificate(orderId);
  } catch {
    return null;
  }
}
