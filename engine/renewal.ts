/**
 * The renewal, as one state machine over the phases in `phases.ts`.
 *
 * Money: the paid call (`CreateCertificateByPackage`) happens at most once per
 * renewal. Before paying we look for a renewal already in flight through
 * Tencent's link and our journal; after an ambiguous failure of the paid call
 * we read the link again instead of retrying blindly.
 *
 * Key safety (DESIGN §4): with `key.source: "local"` the key and CSR are written
 * to the journal (0600) BEFORE the CSR reaches Tencent, and the new certificate
 * id right after the paid call returns. A crash at any point is therefore
 * followed by a resume that finds both the order (through the link) and the key
 * (in the journal). The journal entry is kept after success, so a run that
 * crashes after issuance but before its caller saved the outputs can still
 * return the key; the next renewal of the lineage replaces it.
 */
import type { Certificate, DvAuth } from "./domain";
import type { EngineDeps } from "./deps";
import { sameDomainSet, uncoveredDomains } from "./domains";
import {
  InvalidInputError,
  PaymentRefusedError,
  PendingHumanActionError,
  RenewalError,
  TencentApiError,
  TimedOutError,
  TransportError,
  isRenewalError,
  isTencentApiError,
  isTransientError,
  isTransportError,
} from "./errors";
import { readLineage, type Lineage } from "./lineage";
import { chooseProduct, choosePackages, domainCount, estimatePoints } from "./payment";
import { evaluatePolicy, type PolicyDecision } from "./policy";
import type { ResolvedOptions } from "./options";
import type { Phase } from "./phases";
import type { JournalEntry, KeyPair } from "./ports";
import { silentProgress, type ProgressSink } from "./progress";
import type { RenewalResult } from "./result";
import { runDeployment } from "./deploy";
import { waitForIssuance } from "./wait";

/** Options that only the caller knows (not part of the resource's inputs). */
export interface RunOptions {
  /** Names of inputs that changed since the last run (Pulumi update, CDKTF trigger). @default [] */
  readonly changedInputs?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Tencent codes after which the paid call certainly did not execute. */
const PAY_REFUSED_CODES = /^(InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter|FailedOperation\.(Package|TradeError|CertificateNotFound|InvalidCertificateStatusCode|NoRealNameAuth|AuthError|CAMAuthorizedFail|NoProjectPermission)|UnauthorizedOperation|AuthFailure)/;
/** Tries of the paid call; each retry only after the link showed that the previous try did not commit. */
const PAY_ATTEMPTS = 5;

interface Ctx {
  readonly deps: EngineDeps;
  readonly opts: ResolvedOptions;
  readonly progress: ProgressSink;
  readonly rootId: string;
  readonly signal: AbortSignal | undefined;
}

function phase(ctx: Ctx, p: Phase, certificateId: string, message: string): void {
  ctx.progress({ type: "phase", phase: p, certificateId, message });
}

/** Read-only: where the lineage stands and whether renewal is due. Makes no paid or mutating call. */
export async function inspectLineage(
  deps: Pick<EngineDeps, "ssl" | "clock">,
  opts: Pick<ResolvedOptions, "certificateId" | "renewBeforeDays" | "force">,
  changedInputs: readonly string[] = [],
): Promise<{ lineage: Lineage; decision: PolicyDecision }> {
  const lineage = await readLineage(deps.ssl, opts.certificateId);
  const c = lineage.current;
  const decision = evaluatePolicy({
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
  return { lineage, decision };
}

/**
 * Renew the lineage if it is due (or forced, or an order is in flight);
 * otherwise adopt the current certificate. Resumes any renewal in flight.
 */
export async function ensureRenewed(deps: EngineDeps, opts: ResolvedOptions, run: RunOptions = {}): Promise<RenewalResult> {
  const ctx: Ctx = { deps, opts, progress: deps.progress ?? silentProgress, rootId: opts.certificateId, signal: run.signal };
  phase(ctx, "preflight", opts.certificateId, `reading certificate ${opts.certificateId} and its renewals`);
  const { lineage, decision } = await inspectLineage(deps, opts, run.changedInputs ?? []);
  ctx.progress({ type: "decision", certificateId: lineage.current.certificateId, reason: decision.reason, message: decision.message });

  const journal = await deps.journal.load(ctx.rootId);
  if (!decision.due) {
    if (decision.verdict === "blocked")
      throw new InvalidInputError("certificateId", `certificateId ${decision.message}. Point certificateId at an issued, paid certificate (see \`tccert scan\`). Nothing was paid.`);
    return adopt(ctx, lineage, decision, journal);
  }

  // find-order: a renewal already paid for is resumed, never bought again.
  phase(ctx, "find-order", lineage.current.certificateId, "looking for a renewal already in flight");
  let order: Certificate | null = lineage.inFlight;
  const old = lineage.current;
  let entry = journal && journal.oldCertificateId === old.certificateId ? journal : null;
  let paidThisRun = false;

  if (!order) {
    preflight(ctx, old);
    const payment = await choosePayment(ctx, old);
    entry = await prepareKey(ctx, old, entry);
    phase(ctx, "pay", old.certificateId, `paying for the renewal of ${old.certificateId}: ${payment.explanation}`);
    const newId = await payOnce(ctx, old, entry, payment.productPid, payment.packageIds);
    paidThisRun = newId.paid;
    entry = { ...entry, newCertificateId: newId.id, updatedAt: deps.clock.now().toISOString() };
    await deps.journal.save(entry);
    order = await deps.ssl.getCertificate(newId.id);
  } else {
    ctx.progress({ type: "payment", certificateId: order.certificateId, message: `resuming renewal ${order.certificateId} of ${old.certificateId}; nothing will be paid again` });
    if (!entry || entry.newCertificateId !== order.certificateId) {
      // An order we did not journal yet (crash right after paying, or paid elsewhere).
      entry = {
        originalCertificateId: ctx.rootId,
        oldCertificateId: old.certificateId,
        newCertificateId: order.certificateId,
        keySource: entry?.keySource ?? opts.key.source,
        ...(entry?.privateKeyPem !== undefined ? { privateKeyPem: entry.privateKeyPem } : {}),
        ...(entry?.csrPem !== undefined ? { csrPem: entry.csrPem } : {}),
        createdRecords: entry?.createdRecords ?? [],
        updatedAt: deps.clock.now().toISOString(),
      };
      await deps.journal.save(entry);
    }
  }

  return finishOrder(ctx, lineage, old, order, entry, decision, paidThisRun);
}

function preflight(ctx: Ctx, old: Certificate): void {
  const id = old.certificateId;
  if (!old.paid)
    throw new InvalidInputError("certificateId", `certificateId ${id} is not a paid certificate (IsVip is false); only paid certificates can be renewed with benefit packages.`);
  if (old.phase !== "issued" && old.phase !== "expired")
    throw new InvalidInputError("certificateId", `certificateId ${id} is in status ${old.status} (${old.phase}), not issued; only an issued certificate can be renewed.`);
  const csr = ctx.opts.key.csrPem;
  if (ctx.opts.key.source === "csr" && csr !== undefined) {
    const requested = ctx.deps.keys.csrDomains(csr);
    if (!sameDomainSet(requested, old.domains))
      throw new InvalidInputError(
        "key.csrPem",
        `key.csrPem requests ${requested.join(", ")}, but certificate ${id} covers ${old.domains.join(", ")}. A renewal keeps the same domains: make a CSR for exactly those. Nothing was paid.`,
      );
  }
  if (ctx.opts.validation === "DNS_AUTO" && !old.isDv)
    ctx.progress({ type: "warning", message: `validation DNS_AUTO applies to DV certificates; ${id} is ${old.certType}, which Tencent validates by its own review` });
}

async function choosePayment(ctx: Ctx, old: Certificate): Promise<{ productPid: number; packageIds: readonly string[]; explanation: string }> {
  const product = chooseProduct(old, ctx.opts.payment.productPid);
  const packages = await ctx.deps.ssl.listPackages();
  const choice = choosePackages(packages, estimatePoints(old), ctx.opts.payment.packageIds, ctx.deps.clock.now());
  return { productPid: product.productPid, packageIds: choice.packageIds, explanation: `${product.explanation}; ${choice.explanation}` };
}

async function prepareKey(ctx: Ctx, old: Certificate, existing: JournalEntry | null): Promise<JournalEntry> {
  const { keys, journal, clock } = ctx.deps;
  const k = ctx.opts.key;
  const base = {
    originalCertificateId: ctx.rootId,
    oldCertificateId: old.certificateId,
    newCertificateId: "",
    keySource: k.source,
    createdRecords: [] as JournalEntry["createdRecords"],
    updatedAt: clock.now().toISOString(),
  };
  if (k.source === "csr") return save({ ...base, ...(k.csrPem !== undefined ? { csrPem: k.csrPem } : {}) });
  if (k.source !== "local") return save(base);
  // Reuse a key journaled by a run that crashed before paying: same key, same CSR.
  if (existing && existing.newCertificateId === "" && existing.privateKeyPem && existing.csrPem) return existing;
  phase(ctx, "prepare-key", old.certificateId, `making a ${k.privateKeyPem ? "CSR for your key" : `${k.algorithm} key and CSR`} for ${old.domains.join(", ")}`);
  let pair: KeyPair;
  if (k.privateKeyPem) {
    const algorithm = keys.keyAlgorithm(k.privateKeyPem);
    pair = { algorithm, privateKeyPem: k.privateKeyPem, publicKeyPem: "" };
  } else {
    pair = await keys.generateKey(k.algorithm);
  }
  const csrPem = await keys.createCsr(pair, old.domain, old.domains);
  return save({ ...base, privateKeyPem: pair.privateKeyPem, csrPem });

  async function save(e: JournalEntry): Promise<JournalEntry> {
    await journal.save(e);
    return e;
  }
}

/** The paid call, at most once. An ambiguous failure is resolved by reading the link, not by paying again. */
async function payOnce(
  ctx: Ctx,
  old: Certificate,
  entry: JournalEntry,
  productPid: number,
  packageIds: readonly string[],
): Promise<{ id: string; paid: boolean }> {
  const k = ctx.opts.key;
  const method = k.source === "local" || k.source === "csr" ? "upload" : k.source;
  const online = k.source === "online" || k.source === "original";
  const request = {
    oldCertificateId: old.certificateId,
    productPid,
    packageIds,
    domainCount: domainCount(old),
    periodYears: 1,
    csrMethod: method,
    ...(method === "upload" && entry.csrPem !== undefined ? { csrPem: entry.csrPem } : {}),
    ...(online && k.algorithm.startsWith("EC") ? { algorithmType: "ECC" as const, algorithmParam: "prime256v1" } : {}),
    ...(online && k.algorithm.startsWith("RSA") ? { algorithmType: "RSA" as const, algorithmParam: k.algorithm === "RSA_4096" ? "4096" : "2048" } : {}),
    verifyType: ctx.opts.validation === "DNS_AUTO" ? ("DNS_AUTO" as const) : ("DNS" as const),
  } as const;
  let lastError: unknown;
  for (let attempt = 1; attempt <= PAY_ATTEMPTS; attempt++) {
    try {
      const id = await ctx.deps.ssl.renewByPackage(request);
      ctx.progress({ type: "payment", certificateId: id, message: `paid: renewal ${id} of ${old.certificateId} created` });
      return { id, paid: true };
    } catch (e) {
      lastError = e;
      if (isTencentApiError(e) && PAY_REFUSED_CODES.test(e.code)) throw refused(ctx, old, e);
      if (isRenewalError(e) && e.kind === "Auth") throw e;
      // Did Tencent commit? The link tells, once Tencent is done with the request. With no
      // answer at all (timeout, reset) the request may still be running there: keep reading the
      // link for a grace period, and if nothing shows, stop instead of paying a second time.
      const noAnswer = isTransportError(e) && e.reach === "no-answer";
      const linked = await readLinkAfterFailure(ctx, old.certificateId, noAnswer ? (ctx.deps.polling?.paidCallGraceMs ?? 30_000) : 0);
      if (linked) {
        ctx.progress({ type: "payment", certificateId: linked, message: `the paid call failed after Tencent committed it: found renewal ${linked} through the link; not paying again` });
        return { id: linked, paid: true };
      }
      if (noAnswer)
        throw new RenewalError(
          "Transport",
          `renewal of ${old.certificateId}: the paid call got no answer (${describe(e)}), and Tencent shows no renewal yet. It is not sent again in this run. Rerun in a few minutes: the rerun finds the renewal through the link if it was paid, and pays only if it was not.`,
          { originalCertificateId: ctx.rootId, resumable: true, cause: e },
        );
      ctx.progress({ type: "warning", message: `the paid call failed (${describe(e)}) and Tencent shows no renewal of ${old.certificateId}; nothing was paid${attempt < PAY_ATTEMPTS ? ", trying again" : ""}` });
      if (attempt < PAY_ATTEMPTS) await ctx.deps.sleep((ctx.deps.polling?.fastMs ?? 1000) * attempt, ctx.signal);
    }
  }
  throw new RenewalError(
    isTransportError(lastError) ? "Transport" : "TencentApi",
    `renewal of ${old.certificateId}: the paid call failed ${PAY_ATTEMPTS} times (${describe(lastError)}), and Tencent shows no renewal, so nothing was paid. Rerun later.`,
    { originalCertificateId: ctx.rootId, resumable: true, cause: lastError },
  );
}

/** The renewal link of `oldId` after a failed paid call; read until `graceMs` has passed. "" when none. */
async function readLinkAfterFailure(ctx: Ctx, oldId: string, graceMs: number): Promise<string> {
  const until = ctx.deps.clock.now().getTime() + graceMs;
  let failures = 0;
  for (;;) {
    try {
      const c = await ctx.deps.ssl.getCertificate(oldId);
      if (c.link.renewOrderId) return c.link.renewOrderId;
      if (ctx.deps.clock.now().getTime() >= until) return "";
    } catch (e) {
      // Reads are already retried by the adapter.
      if (++failures >= 3)
        throw new RenewalError(
          "Transport",
          `renewal of ${oldId}: the paid call's outcome is unknown and the certificate cannot be read (${describe(e)}). Rerun: the next run finds the renewal through the link if it was paid.`,
          { originalCertificateId: ctx.rootId, resumable: true, cause: e },
        );
    }
    await ctx.deps.sleep(Math.max(ctx.deps.polling?.fastMs ?? 1000, 1), ctx.signal);
  }
}

function refused(ctx: Ctx, old: Certificate, e: TencentApiError): RenewalError {
  const hint = /Package/.test(e.code)
    ? "Check the benefit packages (DescribePackages / the SSL console), or name others with payment.packageIds."
    : /ProductPid/.test(e.code)
      ? "Set payment.productPid to the product the certificate was bought as."
      : /Csr/i.test(e.code)
        ? "Check the CSR: it must request exactly the certificate's domains."
        : /InvalidCertificateStatusCode/.test(e.code)
          ? "Tencent does not allow renewing this certificate now: check RenewAble in `tccert scan`, or whether a renewal already exists."
          : "Fix the request and rerun.";
  return new PaymentRefusedError(e.code, `tencent refused the renewal of ${old.certificateId}: ${e.code}: ${e.message}. ${hint} Nothing was paid.`, {
    originalCertificateId: ctx.rootId,
    cause: e,
  });
}

function describe(e: unknown): string {
  if (isRenewalError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Removes the validation records the journal lists and saves what is left. A failed removal is a
 * warning (remove it by hand) and never replaces the real error.
 */
async function removeRecords(ctx: Ctx, entry: JournalEntry, certificateId: string): Promise<JournalEntry> {
  const { deps } = ctx;
  const planned = entry.plannedRecords ?? [];
  if (entry.createdRecords.length === 0 && planned.length === 0) return entry;
  phase(ctx, "cleanup", certificateId, `removing ${Math.max(entry.createdRecords.length, planned.length)} validation record(s)`);
  const left: { zone: string; recordId: number }[] = [];
  const removed = new Set<string>();
  for (const r of entry.createdRecords) {
    try {
      await deps.dns.deleteRecord(r.zone, r.recordId);
      removed.add(`${r.zone}/${r.recordId}`);
    } catch (e) {
      left.push(r);
      ctx.progress({ type: "warning", message: `could not remove validation record ${r.recordId} in ${r.zone}: ${describe(e)}; remove it by hand` });
    }
  }
  // Records created just before a crash, whose id never reached the journal: found by their value.
  let plannedLeft: NonNullable<JournalEntry["plannedRecords"]> = [];
  for (const p of planned) {
    try {
      const strays = (await deps.dns.listRecords(p.zone, p.subDomain, p.type)).filter((r) => r.value === p.value && !removed.has(`${p.zone}/${r.recordId}`));
      for (const r of strays) await deps.dns.deleteRecord(p.zone, r.recordId);
    } catch (e) {
      plannedLeft = [...plannedLeft, p];
      ctx.progress({ type: "warning", message: `could not check for validation record ${p.subDomain}.${p.zone}: ${describe(e)}; remove it by hand if it exists` });
    }
  }
  const updated = { ...entry, createdRecords: left, plannedRecords: plannedLeft, updatedAt: deps.clock.now().toISOString() };
  try {
    await deps.journal.save(updated);
  } catch (e) {
    ctx.progress({ type: "warning", message: `could not update the renewal journal: ${describe(e)}` });
  }
  return updated;
}

/**
 * A transient failure (network, 5xx, throttling) that outlasted the retries after the order was
 * paid: the order is kept, so rerunning resumes it. Said so, with the order's id (Pulumi records it
 * as partial state; the CLI reports a resumable stop), instead of a bare API error.
 */
function resumableAfterPayment(ctx: Ctx, orderId: string, e: unknown): unknown {
  if (!isTransientError(e) || (isRenewalError(e) && e.resumable)) return e;
  const options = { originalCertificateId: ctx.rootId, newCertificateId: orderId, resumable: true, cause: e };
  const message = `${(e as Error).message}. Renewal ${orderId} is paid and kept: rerun to resume it; nothing is paid again.`;
  if (isTencentApiError(e)) return new TencentApiError(e.action, e.code, message, { ...options, requestId: e.requestId, httpStatus: e.httpStatus });
  return new TransportError((e as TransportError).action, message, options);
}

/** Drive a paid order to issuance, verify, clean up, deploy. */
async function finishOrder(
  ctx: Ctx,
  lineage: Lineage,
  old: Certificate,
  order: Certificate,
  entryIn: JournalEntry,
  decision: PolicyDecision,
  paidThisRun: boolean,
): Promise<RenewalResult> {
  const { deps, opts } = ctx;
  let entry = entryIn;
  const records: DvAuth[] = [];
  // Records are removed once the outcome is final (issued, or a failure that a rerun
  // cannot fix). A resumable stop (timeout, human step) keeps them: the CA still needs
  // them, and the journal lists them for the run that finishes.
  const cleanup = async (certificateId: string): Promise<void> => {
    entry = await removeRecords(ctx, entry, certificateId);
  };

  let issued: Certificate;
  let material: Material;
  try {
    issued = await waitForIssuance(ctx.deps, {
      rootId: ctx.rootId,
      oldCertificateId: old.certificateId,
      order,
      validation: opts.validation,
      waitTimeoutMs: opts.waitTimeoutMinutes * 60_000,
      progress: ctx.progress,
      signal: ctx.signal,
      onRecordPlanned: async (record) => {
        const planned = entry.plannedRecords ?? [];
        if (planned.some((p) => p.zone === record.zone && p.subDomain === record.subDomain && p.value === record.value)) return;
        entry = { ...entry, plannedRecords: [...planned, record], updatedAt: deps.clock.now().toISOString() };
        await deps.journal.save(entry);
      },
      onRecordCreated: async (zone, recordId) => {
        if (entry.createdRecords.some((r) => r.zone === zone && r.recordId === recordId)) return;
        entry = { ...entry, createdRecords: [...entry.createdRecords, { zone, recordId }], updatedAt: deps.clock.now().toISOString() };
        await deps.journal.save(entry);
      },
      onRecords: (r) => records.push(...r),
    });
    phase(ctx, "verify", issued.certificateId, `verifying ${issued.certificateId} against the key, the CSR, the domains and the chain`);
    material = verifyIssued(ctx, old, issued, entry);
  } catch (thrown) {
    const e = resumableAfterPayment(ctx, order.certificateId, thrown);
    // A failed cleanup is reported as a warning and never replaces the real error.
    if (!(isRenewalError(e) && e.resumable)) await cleanup(order.certificateId);
    throw e;
  }
  await cleanup(issued.certificateId);

  const deployment =
    opts.deploy.length > 0
      ? await runDeployment(deps, old.certificateId, issued.certificateId, opts.deploy, ctx.progress, ctx.signal).catch((e: unknown) => {
          throw resumableAfterPayment(ctx, issued.certificateId, e);
        })
      : null;
  if (deployment) {
    entry = { ...entry, deployed: true, updatedAt: deps.clock.now().toISOString() };
    await deps.journal.save(entry);
  }
  const renewAfter = new Date(material.notAfter.getTime() - opts.renewBeforeDays * 86_400_000);
  phase(ctx, "done", issued.certificateId, `renewed ${old.certificateId} → ${issued.certificateId}, valid until ${material.notAfter.toISOString()}`);
  return {
    outcome: "renewed",
    paidThisRun,
    decision,
    originalCertificateId: lineage.rootId,
    certificateId: issued.certificateId,
    previousCertificateId: old.certificateId,
    status: issued.phase,
    ...material,
    renewAfter,
    dnsRecords: records.length > 0 ? records : order.dvAuths,
    deployment,
  };
}

/** The private key for a certificate: ours (journaled), none (the user's CSR), or Tencent's. */
function keyOf(entry: JournalEntry, cert: Certificate): string {
  if (entry.keySource === "local") return entry.privateKeyPem ?? "";
  if (entry.keySource === "csr") return "";
  return cert.privateKeyPem ?? "";
}

/** Public material of an issued certificate, from its PEM. */
function materialOf(ctx: Ctx, pem: string, key: string): Material {
  const bundle = ctx.deps.inspector.bundle(pem);
  const parsed = ctx.deps.inspector.parse(bundle.leafPem);
  return {
    certificatePem: bundle.leafPem,
    chainPem: bundle.chainPem,
    fullchainPem: bundle.fullchainPem,
    privateKeyPem: key,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    domains: parsed.domains,
    serialNumber: parsed.serialNumber,
    sha256Fingerprint: parsed.sha256Fingerprint,
  };
}

interface Material {
  certificatePem: string;
  chainPem: string;
  fullchainPem: string;
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
  domains: readonly string[];
  serialNumber: string;
  sha256Fingerprint: string;
}

function verificationFailed(ctx: Ctx, id: string, what: string): RenewalError {
  return new RenewalError(
    "VerificationFailed",
    `certificate ${id} failed verification: ${what}. It was not output. Reissue it in the SSL console (or with ReplaceCertificate) and rerun.`,
    { originalCertificateId: ctx.rootId, newCertificateId: id },
  );
}

function verifyIssued(ctx: Ctx, old: Certificate, issued: Certificate, entry: JournalEntry): Material {
  const { inspector } = ctx.deps;
  const id = issued.certificateId;
  if (!issued.certificatePem) throw verificationFailed(ctx, id, "Tencent returned no certificate PEM");
  const bundle = inspector.bundle(issued.certificatePem);
  const parsed = inspector.parse(bundle.leafPem);
  const key = keyOf(entry, issued);
  if (entry.keySource === "local" && !key)
    throw verificationFailed(ctx, id, "the key generated for this renewal is not in the journal");
  if (key && !inspector.matchesPrivateKey(bundle.leafPem, key)) throw verificationFailed(ctx, id, "its public key does not match the private key");
  if (entry.csrPem && !inspector.matchesCsr(bundle.leafPem, entry.csrPem)) throw verificationFailed(ctx, id, "its public key does not match the CSR");
  const missing = uncoveredDomains(parsed.domains, old.domains);
  if (missing.length > 0) throw verificationFailed(ctx, id, `it does not cover ${missing.join(", ")}`);
  if (bundle.chainPem && !inspector.chainInOrder(bundle.leafPem, bundle.chainPem)) throw verificationFailed(ctx, id, "its chain is not in order");
  return materialOf(ctx, issued.certificatePem, key);
}

/**
 * Not due: output the current certificate (and its key when we or Tencent hold it).
 * If this tool renewed it and a requested deployment did not finish (a crash), deploy now.
 */
async function adopt(ctx: Ctx, lineage: Lineage, decision: PolicyDecision, journal: JournalEntry | null): Promise<RenewalResult> {
  const c = lineage.current;
  const entry: JournalEntry = journal && journal.newCertificateId === c.certificateId
    ? journal
    : { originalCertificateId: ctx.rootId, oldCertificateId: "", newCertificateId: c.certificateId, keySource: "online", createdRecords: [], updatedAt: "" };
  if (!c.certificatePem)
    throw new RenewalError("TencentApi", `certificate ${c.certificateId} is issued but Tencent returned no certificate PEM; rerun later.`, {
      originalCertificateId: ctx.rootId,
      resumable: true,
    });
  const candidate = keyOf(entry, c);
  const leafOnly = materialOf(ctx, c.certificatePem, "");
  const key = candidate && ctx.deps.inspector.matchesPrivateKey(leafOnly.certificatePem, candidate) ? candidate : "";
  const material = { ...leafOnly, privateKeyPem: key };
  let deployment: RenewalResult["deployment"] = null;
  let ours = journal && journal === entry ? journal : null;
  // A run that crashed between issuance and cleanup left its validation records: remove them now.
  if (ours && (ours.createdRecords.length > 0 || (ours.plannedRecords ?? []).length > 0)) ours = await removeRecords(ctx, ours, c.certificateId);
  if (ours && ours.oldCertificateId && ctx.opts.deploy.length > 0 && !ours.deployed) {
    deployment = await runDeployment(ctx.deps, ours.oldCertificateId, c.certificateId, ctx.opts.deploy, ctx.progress, ctx.signal);
    await ctx.deps.journal.save({ ...ours, deployed: true, updatedAt: ctx.deps.clock.now().toISOString() });
  }
  phase(ctx, "done", c.certificateId, `not renewing: ${decision.message}`);
  return {
    outcome: "adopted",
    paidThisRun: false,
    decision,
    originalCertificateId: lineage.rootId,
    certificateId: c.certificateId,
    previousCertificateId: "",
    status: c.phase,
    ...material,
    renewAfter: new Date(material.notAfter.getTime() - ctx.opts.renewBeforeDays * 86_400_000),
    dnsRecords: [],
    deployment,
  };
}

export { PendingHumanActionError, TimedOutError };
