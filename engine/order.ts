/**
 * find-order → prepare-key → pay: the order a due renewal drives to issuance. An order already
 * paid for (the link, an `OriginCertificateId` search, our journal, an earlier unresolved intent)
 * is resumed; only when every piece of evidence says none exists is a new one bought, once.
 */
import type { Certificate, RenewByPackageRequest } from "./domain";
import type { EngineDeps } from "./deps";
import { entryForOrder, historyAfter, reusableLeftover } from "./attempt";
import { LockHeldError } from "./errors";
import { DEFAULT_CONCURRENT_ORDER_WINDOW_MS, evidenceBeforePaying } from "./evidence";
import type { Lineage } from "./lineage";
import { baselinePackages } from "./packages-cache";
import type { ResolvedOptions } from "./options";
import { draftIntent, isUnresolved, saveJournal, sendPaidCall, settleIntent, withBaseline, type PayContext } from "./pay";
import { domainCount } from "./payment";
import type { PaymentChoice } from "./plan";
import type { Phase } from "./phases";
import type { JournalEntry, KeyPair } from "./ports";
import { tencentChannelsRefusal } from "./tencent-channels";

export interface OrderContext extends PayContext {
  readonly deps: EngineDeps;
  readonly opts: ResolvedOptions;
}

export interface Order {
  readonly order: Certificate;
  readonly entry: JournalEntry;
  readonly paidThisRun: boolean;
}

export function phase(ctx: Pick<PayContext, "progress">, p: Phase, certificateId: string, message: string): void {
  ctx.progress({ type: "phase", phase: p, certificateId, message });
}

/** Resume `orderId` with the journal entry that holds its key (or a fresh one: ordered elsewhere). */
async function resume(ctx: OrderContext, old: Certificate, orderId: string, journal: JournalEntry | null): Promise<Order> {
  ctx.progress({ type: "payment", certificateId: orderId, message: `resuming renewal ${orderId} of ${old.certificateId}; nothing will be paid again` });
  const order = await ctx.deps.ssl.getCertificate(orderId);
  const found = entryForOrder(journal, old, order);
  if (found && found === journal && found.newCertificateId === orderId) return { order, entry: found, paidThisRun: false };
  const now = ctx.deps.clock.now().toISOString();
  let entry: JournalEntry;
  if (found) {
    const payment = found.payment ? { payment: { ...found.payment, status: "confirmed" as const, resolvedBy: found.payment.resolvedBy || `order ${orderId} carries this attempt's CSR` } } : {};
    const history = found === journal ? (journal.history ?? []) : historyAfter(journal).filter((e) => e !== found);
    entry = { ...found, ...payment, newCertificateId: orderId, history, updatedAt: now };
  } else {
    entry = { originalCertificateId: ctx.rootId, oldCertificateId: old.certificateId, newCertificateId: orderId, keySource: ctx.opts.key.source, createdRecords: [], history: historyAfter(journal), updatedAt: now };
  }
  return { order, entry: await saveJournal(ctx, entry), paidThisRun: false };
}

/** The order to drive for due `lineage`, paying for one only when no evidence shows one exists. */
export async function obtainOrder(ctx: OrderContext, lineage: Lineage, payment: () => Promise<PaymentChoice>): Promise<Order> {
  const old = lineage.current;
  phase(ctx, "find-order", old.certificateId, "looking for a renewal already in flight");
  let journal = await ctx.deps.journal.load(ctx.rootId);
  if (journal && journal.oldCertificateId === old.certificateId && isUnresolved(journal.payment)) journal = await settleIntent(ctx, journal);
  const mine = journal && journal.oldCertificateId === old.certificateId && journal.newCertificateId !== "" ? journal.newCertificateId : "";
  const known = lineage.inFlight?.certificateId ?? mine;
  if (known) return resume(ctx, old, known, journal);

  const choice = await payment();
  let entry = await prepareKey(ctx, old, journal);
  // Immediately before paying: a run elsewhere (another state dir, another machine) may have just paid.
  const recent = {
    now: ctx.deps.clock.now(),
    windowMs: ctx.deps.polling?.concurrentOrderWindowMs ?? DEFAULT_CONCURRENT_ORDER_WINDOW_MS,
    lineageIds: lineage.certificates.map((c) => c.certificateId),
  };
  const { evidence, similar } = await evidenceBeforePaying(ctx.deps.ssl, old.certificateId, recent);
  if (evidence.kind === "suspect") {
    await saveJournal(ctx, { ...entry, payment: { ...entry.payment!, status: "refused", resolvedBy: `not sent: ${evidence.by}` } });
    throw new LockHeldError(
      `renewal of ${old.certificateId}: not paying, because ${evidence.by}. It may be a renewal that another run (another state dir or machine) paid for moments ago. ` +
        `Rerun in a few minutes: once Tencent links it to ${old.certificateId}, the rerun resumes it. If it is an unrelated purchase, renewals of ${old.certificateId} go ahead once it is ${Math.round(recent.windowMs / 60_000)} minute(s) old.`,
      `certificate ${evidence.certificateId}`,
      { originalCertificateId: ctx.rootId },
    );
  }
  if (evidence.kind === "order") {
    ctx.progress({ type: "warning", message: `another run renewed ${old.certificateId} moments ago (${evidence.by}); not paying` });
    entry = await saveJournal(ctx, { ...entry, payment: { ...entry.payment!, status: "refused", resolvedBy: `not sent: ${evidence.by}` } });
    return resume(ctx, old, evidence.orderId, entry);
  }
  const channels = tencentChannelsRefusal(ctx.opts, old, similar.find((c) => c.certificateId === old.certificateId));
  if (channels) {
    await saveJournal(ctx, { ...entry, payment: { ...entry.payment!, status: "refused", resolvedBy: "not sent: Tencent-side renewal is on" } });
    throw channels;
  }
  phase(ctx, "pay", old.certificateId, `paying for the renewal of ${old.certificateId}: ${choice.explanation}`);
  entry = { ...entry, payment: withBaseline(entry.payment!, await baselinePackages(ctx.deps), similar) };
  entry = await sendPaidCall(ctx, entry, paidRequest(ctx.opts, old, entry, choice));
  const order = await ctx.deps.ssl.getCertificate(entry.newCertificateId);
  return { order, entry, paidThisRun: true };
}

function paidRequest(opts: ResolvedOptions, old: Certificate, entry: JournalEntry, choice: PaymentChoice): RenewByPackageRequest {
  const k = opts.key;
  const method = k.source === "local" || k.source === "csr" ? "upload" : k.source;
  const online = k.source === "online" || k.source === "original";
  return {
    oldCertificateId: old.certificateId,
    productPid: choice.productPid,
    packageIds: choice.packageIds,
    domainCount: domainCount(old),
    periodYears: 1,
    csrMethod: method,
    ...(method === "upload" && entry.csrPem !== undefined ? { csrPem: entry.csrPem } : {}),
    ...(online && k.algorithm.startsWith("EC") ? { algorithmType: "ECC" as const, algorithmParam: "prime256v1" } : {}),
    ...(online && k.algorithm.startsWith("RSA") ? { algorithmType: "RSA" as const, algorithmParam: k.algorithm === "RSA_4096" ? "4096" : "2048" } : {}),
    verifyType: opts.validation === "DNS_AUTO" ? ("DNS_AUTO" as const) : ("DNS" as const),
  };
}

/**
 * A new attempt's entry, written durably with its payment intent (and, for local keys, the key and
 * CSR) BEFORE Tencent sees anything. The previous entry moves into the history.
 */
async function prepareKey(ctx: OrderContext, old: Certificate, journal: JournalEntry | null): Promise<JournalEntry> {
  const { keys, clock } = ctx.deps;
  const k = ctx.opts.key;
  const payment = draftIntent(ctx, old);
  const leftover = reusableLeftover(keys, journal, old, ctx.opts, ctx.rootId);
  const history = leftover ? (journal?.history ?? []) : historyAfter(journal);
  const base: JournalEntry = {
    originalCertificateId: ctx.rootId,
    oldCertificateId: old.certificateId,
    newCertificateId: "",
    keySource: k.source,
    createdRecords: [],
    payment,
    history,
    updatedAt: clock.now().toISOString(),
  };
  if (leftover) return saveJournal(ctx, { ...base, privateKeyPem: leftover.privateKeyPem!, csrPem: leftover.csrPem! });
  if (k.source === "csr") return saveJournal(ctx, { ...base, ...(k.csrPem !== undefined ? { csrPem: k.csrPem } : {}) });
  if (k.source !== "local") return saveJournal(ctx, base);
  phase(ctx, "prepare-key", old.certificateId, `making a ${k.privateKeyPem ? "CSR for your key" : `${k.algorithm} key and CSR`} for ${old.domains.join(", ")}`);
  const pair: KeyPair = k.privateKeyPem
    ? { algorithm: keys.keyAlgorithm(k.privateKeyPem), privateKeyPem: k.privateKeyPem, publicKeyPem: "" }
    : await keys.generateKey(k.algorithm);
  const csrPem = await keys.createCsr(pair, old.domain, old.domains);
  return saveJournal(ctx, { ...base, privateKeyPem: pair.privateKeyPem, csrPem });
}
