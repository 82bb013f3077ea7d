/**
 * The paid call, at most once per renewal, whatever Tencent's renewal link does.
 *
 * A payment intent is written to the journal before anything is sent: `intent` while we prepare,
 * `sent` just before `CreateCertificateByPackage` goes out, then `confirmed` (with the new id) or
 * `refused` (proven never executed). A `sent` intent with no answer is an UNKNOWN outcome. It
 * blocks every further paid call on the lineage, in this run and any later one, until evidence
 * (`evidence.ts`) names the order, or the quarantine period passes with no evidence at all, or an
 * operator resolves it (`tccert resolve <id> --not-paid`).
 *
 * Within one run the call is sent again only after a failure that PROVES it never executed:
 * throttling, a request that never left this machine, a malformed request (`InvalidParameter*`,
 * `MissingParameter`, `UnknownParameter`) or an auth failure. HTTP 5xx, `InternalError`, a non-JSON
 * body, `FailedOperation.TradeError` and timeouts are ambiguous: evidence is read for a grace period
 * and otherwise the run stops resumably.
 */
import type { BenefitPackage, Certificate, CertificateSummary, RenewByPackageRequest } from "./domain";
import type { EngineDeps } from "./deps";
import {
  PaymentRefusedError,
  PaymentUnknownError,
  RenewalError,
  isRenewalError,
  isTencentApiError,
  isTransportError,
  type TencentApiError,
} from "./errors";
import { gatherEvidence, sameDomainIds, type PaymentEvidence } from "./evidence";
import type { JournalEntry, PaymentIntent } from "./ports";
import type { ProgressSink } from "./progress";

/** Tencent codes that prove the paid call was never executed: it may be sent again. */
const NOT_EXECUTED = /^(InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter|UnsupportedOperation|AuthFailure|UnauthorizedOperation|RequestLimitExceeded|LimitExceeded\.RateLimitExceeded|FailedOperation\.FrequencyLimit)/;
/** Tencent's documented business refusals: checked against the evidence, then final (PaymentRefusedError). */
const REFUSALS = /^FailedOperation\.(Package|CertificateNotFound|InvalidCertificateStatusCode|NoRealNameAuth|AuthError|CAMAuthorizedFail|NoProjectPermission|CertificateStatusNotAllowRenew|RenewNotAllowed)/;
/** Sends of the paid call in one run; each resend only after a proven non-execution. */
const PAY_ATTEMPTS = 4;
/** @see PollingOptions.paymentQuarantineMs */
export const DEFAULT_QUARANTINE_MS = 30 * 60_000;

export interface PayContext {
  readonly deps: EngineDeps;
  readonly progress: ProgressSink;
  readonly rootId: string;
  readonly signal: AbortSignal | undefined;
}

/** Saves `entry`; a failure after payment names the paid order and says a rerun resumes it. */
export async function saveJournal(ctx: PayContext, entry: JournalEntry): Promise<JournalEntry> {
  try {
    await ctx.deps.journal.save(entry);
  } catch (e) {
    const paid = entry.newCertificateId || (entry.payment?.status === "sent" ? "(being paid)" : "");
    if (!paid) throw e;
    throw new RenewalError(
      "Transport",
      `renewal of ${entry.oldCertificateId}: the state file could not be written (${(e as Error).message}) after paying for renewal ${paid}. ` +
        `Fix the state dir (space, permissions), then rerun: the rerun finds the renewal from Tencent's evidence and resumes it; nothing is paid again.`,
      { originalCertificateId: ctx.rootId, newCertificateId: entry.newCertificateId, resumable: true, cause: e },
    );
  }
  return entry;
}

export function isUnresolved(p: PaymentIntent | undefined): boolean {
  return p !== undefined && (p.status === "intent" || p.status === "sent");
}

function confirmed(ctx: PayContext, entry: JournalEntry, orderId: string, by: string): JournalEntry {
  const payment = entry.payment ? { ...entry.payment, status: "confirmed" as const, resolvedBy: by } : undefined;
  return { ...entry, newCertificateId: orderId, ...(payment ? { payment } : {}), updatedAt: ctx.deps.clock.now().toISOString() };
}

function refusedEntry(ctx: PayContext, entry: JournalEntry, by: string): JournalEntry {
  const payment = entry.payment ? { ...entry.payment, status: "refused" as const, resolvedBy: by } : undefined;
  return { ...entry, ...(payment ? { payment } : {}), updatedAt: ctx.deps.clock.now().toISOString() };
}

function unknownOutcome(ctx: PayContext, entry: JournalEntry, what: string, evidence: PaymentEvidence, cause?: unknown): PaymentUnknownError {
  const p = entry.payment!;
  const quarantine = ctx.deps.polling?.paymentQuarantineMs ?? DEFAULT_QUARANTINE_MS;
  const until = new Date(Date.parse(p.attemptedAt) + quarantine).toISOString();
  const seen = evidence.kind === "charged" ? ` Evidence of a charge: ${evidence.by}, but no renewal can be named yet.` : " No renewal of it shows up yet.";
  const after = evidence.kind === "charged" ? "" : ` With still no evidence, a run after ${until} treats it as not paid.`;
  return new PaymentUnknownError(
    `renewal of ${entry.oldCertificateId}: ${what}; whether Tencent executed the paid call sent at ${p.attemptedAt} is unknown.${seen} ` +
      `No further paid call is made on this lineage until that is settled. Check the SSL console for a new certificate of ${p.domains.join(", ")} ` +
      `(or a renewal order of ${entry.oldCertificateId}) and the package balance. Rerun later: the rerun resumes the renewal as soon as Tencent shows it.${after} ` +
      `If you are sure nothing was bought, run \`tccert resolve ${ctx.rootId} --not-paid\`.`,
    p.attemptedAt,
    { originalCertificateId: ctx.rootId, cause },
  );
}

/**
 * An unresolved intent from an earlier run (or a concurrent one): settle it by evidence. Returns the
 * entry confirmed (resume its order) or refused (free to pay), or throws PaymentUnknownError.
 */
export async function settleIntent(ctx: PayContext, entry: JournalEntry): Promise<JournalEntry> {
  const p = entry.payment!;
  if (p.status === "intent") {
    // Written, never sent (the run stopped while preparing): nothing can have been bought.
    return saveJournal(ctx, refusedEntry(ctx, entry, "never sent"));
  }
  const evidence = await gatherEvidence(ctx.deps.ssl, entry.oldCertificateId, p);
  if (evidence.kind === "order") {
    ctx.progress({ type: "payment", certificateId: evidence.orderId, message: `the paid call of ${p.attemptedAt} was executed: ${evidence.by}; resuming it, nothing is paid again` });
    return saveJournal(ctx, confirmed(ctx, entry, evidence.orderId, evidence.by));
  }
  const quarantine = ctx.deps.polling?.paymentQuarantineMs ?? DEFAULT_QUARANTINE_MS;
  if (evidence.kind === "none" && ctx.deps.clock.now().getTime() - Date.parse(p.attemptedAt) >= quarantine) {
    ctx.progress({ type: "warning", message: `the paid call of ${p.attemptedAt} for ${entry.oldCertificateId} left no trace in ${Math.round(quarantine / 60_000)} minute(s): treating it as not executed` });
    return saveJournal(ctx, refusedEntry(ctx, entry, `no evidence after the ${Math.round(quarantine / 60_000)}-minute quarantine`));
  }
  throw unknownOutcome(ctx, entry, "an earlier run sent the paid call and got no usable answer", evidence);
}

/**
 * The intent for paying now, written with the key before anything is read or sent. Its baseline
 * (balances, known certificates) is filled in by `withBaseline` from the read just before paying.
 */
export function draftIntent(ctx: PayContext, old: Certificate): PaymentIntent {
  return {
    status: "intent",
    attemptedAt: ctx.deps.clock.now().toISOString(),
    oldCertificateId: old.certificateId,
    domains: [...old.domains],
    balances: [],
    knownCertificateIds: [],
  };
}

/** What a later run needs to recognise this payment: the balances and the same-domain certificates just read. */
export function withBaseline(intent: PaymentIntent, packages: readonly BenefitPackage[], similar: readonly CertificateSummary[]): PaymentIntent {
  return {
    ...intent,
    balances: packages.map((p) => ({ packageId: p.packageId, balance: p.balance })),
    knownCertificateIds: sameDomainIds(similar, intent.domains),
  };
}

function proveNotExecuted(e: unknown): boolean {
  if (isTransportError(e)) return e.reach === "not-sent";
  if (isRenewalError(e) && e.kind === "Auth") return true;
  return isTencentApiError(e) && e.httpStatus < 500 && NOT_EXECUTED.test(e.code);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads the evidence until one shows the order or `graceMs` passes. */
async function evidenceWithin(ctx: PayContext, entry: JournalEntry, graceMs: number): Promise<PaymentEvidence> {
  const until = ctx.deps.clock.now().getTime() + graceMs;
  let failures = 0;
  for (;;) {
    try {
      const ev = await gatherEvidence(ctx.deps.ssl, entry.oldCertificateId, entry.payment ?? null);
      if (ev.kind === "order" || ctx.deps.clock.now().getTime() >= until) return ev;
    } catch (e) {
      if (++failures >= 3) throw unknownOutcome(ctx, entry, `the paid call failed and the evidence cannot be read (${describe(e)})`, { kind: "none" }, e);
    }
    await ctx.deps.sleep(Math.max(ctx.deps.polling?.fastMs ?? 1000, 1), ctx.signal);
  }
}

/**
 * Sends the paid call for `entry` (its intent already written and its evidence just read).
 * Returns the entry confirmed with the new certificate id.
 */
export async function sendPaidCall(ctx: PayContext, entryIn: JournalEntry, request: RenewByPackageRequest): Promise<JournalEntry> {
  let entry = entryIn;
  for (let attempt = 1; ; attempt++) {
    entry = await saveJournal(ctx, { ...entry, payment: { ...entry.payment!, status: "sent", attemptedAt: ctx.deps.clock.now().toISOString() }, updatedAt: ctx.deps.clock.now().toISOString() });
    try {
      const id = await ctx.deps.ssl.renewByPackage(request);
      ctx.progress({ type: "payment", certificateId: id, message: `paid: renewal ${id} of ${entry.oldCertificateId} created` });
      return saveJournal(ctx, confirmed(ctx, entry, id, "the paid call's answer"));
    } catch (e) {
      if (proveNotExecuted(e)) {
        entry = await saveJournal(ctx, refusedEntry(ctx, entry, `not executed: ${describe(e)}`));
        if (isTencentApiError(e) && !/LimitExceeded|FrequencyLimit/.test(e.code)) throw refusal(ctx, entry.oldCertificateId, e);
        if (isRenewalError(e) && e.kind === "Auth") throw e;
        if (attempt >= PAY_ATTEMPTS) throw notSentError(ctx, entry.oldCertificateId, e);
        ctx.progress({ type: "warning", message: `the paid call was not executed (${describe(e)}); nothing was paid, trying again` });
        await ctx.deps.sleep((ctx.deps.polling?.fastMs ?? 1000) * attempt, ctx.signal);
        continue;
      }
      return afterAmbiguous(ctx, entry, e);
    }
  }
}

/** A failed paid call that may have executed: the evidence decides; without it, stop resumably. */
async function afterAmbiguous(ctx: PayContext, entry: JournalEntry, e: unknown): Promise<JournalEntry> {
  const noAnswer = isTransportError(e) && e.reach === "no-answer";
  const grace = ctx.deps.polling?.paidCallGraceMs ?? 30_000;
  const evidence = await evidenceWithin(ctx, entry, noAnswer ? grace : Math.min(grace, 3 * (ctx.deps.polling?.fastMs ?? 1000)));
  if (evidence.kind === "order") {
    ctx.progress({ type: "payment", certificateId: evidence.orderId, message: `the paid call failed (${describe(e)}) after Tencent executed it: ${evidence.by}; not paying again` });
    return saveJournal(ctx, confirmed(ctx, entry, evidence.orderId, evidence.by));
  }
  if (isTencentApiError(e) && e.httpStatus < 500 && REFUSALS.test(e.code) && evidence.kind === "none") {
    await saveJournal(ctx, refusedEntry(ctx, entry, `refused: ${e.code}`));
    throw refusal(ctx, entry.oldCertificateId, e);
  }
  throw unknownOutcome(ctx, entry, `the paid call failed with an ambiguous answer (${describe(e)})`, evidence, e);
}

function notSentError(ctx: PayContext, oldId: string, e: unknown): RenewalError {
  return new RenewalError(
    isTransportError(e) ? "Transport" : "TencentApi",
    `renewal of ${oldId}: the paid call could not be sent (${describe(e)}), so nothing was paid. Rerun later.`,
    { originalCertificateId: ctx.rootId, resumable: true, cause: e },
  );
}

function refusal(ctx: PayContext, oldId: string, e: TencentApiError): RenewalError {
  const hint = /Package/.test(e.code)
    ? "Check the benefit packages (DescribePackages / the SSL console), or name others with payment.packageIds."
    : /ProductPid/.test(e.code)
      ? "Set payment.productPid to the product the certificate was bought as."
      : /Csr/i.test(e.code)
        ? "Check the CSR: it must request exactly the certificate's domains."
        : /InvalidCertificateStatusCode/.test(e.code)
          ? "Tencent does not allow renewing this certificate now: check RenewAble in `tccert scan`, or whether a renewal already exists."
          : "Fix the request and rerun.";
  return new PaymentRefusedError(e.code, `tencent refused the renewal of ${oldId}: ${e.code}: ${e.message}. ${hint} Nothing was paid.`, {
    originalCertificateId: ctx.rootId,
    cause: e,
  });
}
