/**
 * After the order: wait for issuance, verify, clean up the validation records, deploy.
 *
 * Records are removed once the outcome is final (issued, or a failure that a rerun cannot fix). A
 * resumable stop (timeout, human step) keeps them: the CA still needs them, and the journal lists
 * them for the run that finishes.
 */
import type { Certificate, DvAuth } from "./domain";
import type { EngineDeps } from "./deps";
import { uncoveredDomains } from "./domains";
import { LockHeldError, RenewalError, TencentApiError, TransportError, isRenewalError, isTencentApiError, isTransientError } from "./errors";
import type { Lineage } from "./lineage";
import { journalKeysFor, materialOf, type Material } from "./material";
import type { ResolvedOptions } from "./options";
import { phase } from "./order";
import type { PolicyDecision } from "./policy";
import { renewAfterOf } from "./policy";
import type { JournalEntry } from "./ports";
import type { ProgressSink } from "./progress";
import type { RenewalResult } from "./result";
import { runDeployment } from "./deploy";
import { waitForIssuance } from "./wait";
import { findRecord } from "./dns-records";

/** Looks for a planned record at cleanup (DNSPod's index delay in between, see dns-records.ts). */
const PLANNED_LOOKS = 5;

export interface Ctx {
  readonly deps: EngineDeps;
  readonly opts: ResolvedOptions;
  readonly progress: ProgressSink;
  readonly rootId: string;
  readonly signal: AbortSignal | undefined;
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
export async function removeRecords(ctx: Ctx, entry: JournalEntry, certificateId: string): Promise<JournalEntry> {
  const { deps } = ctx;
  const planned = entry.plannedRecords ?? [];
  if (entry.createdRecords.length === 0 && planned.length === 0) return entry;
  phase(ctx, "cleanup", certificateId, `removing ${Math.max(entry.createdRecords.length, planned.length)} validation record(s)`);
  const left: { zone: string; recordId: number }[] = [];
  for (const r of entry.createdRecords) {
    try {
      await deps.dns.deleteRecord(r.zone, r.recordId);
    } catch (e) {
      left.push(r);
      ctx.progress({ type: "warning", message: `could not remove validation record ${r.recordId} in ${r.zone}: ${describe(e)}; remove it by hand` });
    }
  }
  // Records whose id never reached the journal (a crash just after CreateRecord, or DNSPod said
  // DomainRecordExist before listing it): found by their value, after DNSPod's index delay.
  let plannedLeft: NonNullable<JournalEntry["plannedRecords"]> = [];
  for (const p of planned) {
    try {
      const skip = new Set(entry.createdRecords.filter((r) => r.zone === p.zone).map((r) => r.recordId));
      for (let id = await findRecord(deps, ctx.signal, p, PLANNED_LOOKS, skip); id !== undefined; id = await findRecord(deps, ctx.signal, p, 1, skip)) {
        await deps.dns.deleteRecord(p.zone, id);
        skip.add(id);
      }
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
export async function finishOrder(
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
      onRecordCreated: async (zone, recordId, settled) => {
        // A planned record whose id is now journaled needs no search by value at cleanup.
        const planned = (entry.plannedRecords ?? []).filter((p) => !(settled && p.zone === settled.zone && p.subDomain === settled.subDomain && p.value === settled.value));
        const known = entry.createdRecords.some((r) => r.zone === zone && r.recordId === recordId);
        if (known && planned.length === (entry.plannedRecords ?? []).length) return;
        const createdRecords = known ? entry.createdRecords : [...entry.createdRecords, { zone, recordId }];
        entry = { ...entry, createdRecords, plannedRecords: planned, updatedAt: deps.clock.now().toISOString() };
        await deps.journal.save(entry);
      },
      onRecords: (r) => records.push(...r),
    });
    phase(ctx, "verify", issued.certificateId, `verifying ${issued.certificateId} against the key, the CSR, the domains and the chain`);
    material = await verifyIssued(ctx, old, issued, entry);
  } catch (thrown) {
    const e = resumableAfterPayment(ctx, order.certificateId, thrown);
    // A failed cleanup is reported as a warning and never replaces the real error.
    if (!(isRenewalError(e) && e.resumable)) await cleanup(order.certificateId);
    throw e;
  }
  await cleanup(issued.certificateId);

  // A key Tencent does not hold (ours, `local`) travels with the certificate: by id, CLB/CDN would get no key.
  const content = entry.keySource === "local" && material.privateKeyPem ? { fullchainPem: material.fullchainPem, privateKeyPem: material.privateKeyPem } : undefined;
  const deployment =
    opts.deploy.length > 0
      ? await runDeployment(deps, old.certificateId, issued.certificateId, opts.deploy, ctx.progress, ctx.signal, { ...(content ? { content } : {}) }).catch((e: unknown) => {
          throw resumableAfterPayment(ctx, issued.certificateId, e);
        })
      : null;
  if (deployment) {
    entry = { ...entry, deployed: true, updatedAt: deps.clock.now().toISOString() };
    await deps.journal.save(entry);
  }
  const renewAfter = renewAfterOf(material.notAfter, opts.renewBeforeDays);
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


/**
 * The private key for a certificate: ours (journaled, `local`), none (the user's CSR), or the one
 * Tencent generated and returns (`online`). `original` reuses the old certificate's CSR, so its key
 * is the OLD certificate's key: Tencent's copy when it returns one, else the old key our journal holds.
 */
async function keyOf(ctx: Ctx, entry: JournalEntry, old: Certificate, cert: Certificate): Promise<string> {
  if (entry.keySource === "local") return entry.privateKeyPem ?? "";
  if (entry.keySource === "csr") return "";
  const tencent = cert.privateKeyPem ?? "";
  if (tencent !== "" || entry.keySource !== "original") return tencent;
  return journalKeysFor(await ctx.deps.journal.load(ctx.rootId), old.certificateId)[0] ?? "";
}

/** A key Tencent generated that did not come back usable: a resumable stop, never "renewed" without a key. */
function tencentKeyProblem(ctx: Ctx, entry: JournalEntry, id: string, key: string): RenewalError | null {
  if (entry.keySource !== "online" && entry.keySource !== "original") return null;
  const encrypted = /ENCRYPTED/.test(key);
  if (key !== "" && !encrypted) return null;
  const what = encrypted
    ? "Tencent returned its private key encrypted (a key password was set), and this tool does not decrypt keys"
    : "Tencent returned no private key for it (CertificatePrivateKey is empty)";
  return new RenewalError(
    "VerificationFailed",
    `certificate ${id} is issued, but ${what}. It was not output. Download the key from the SSL console (certificate ${id}, "下载" / download, Nginx), or rerun later if Tencent is still preparing it; ` +
      `rerunning re-reads it and pays nothing. For the next renewals, key.source "local" keeps the key on your side.`,
    { originalCertificateId: ctx.rootId, newCertificateId: id, resumable: true },
  );
}

function verificationFailed(ctx: Ctx, id: string, what: string): RenewalError {
  return new RenewalError(
    "VerificationFailed",
    `certificate ${id} failed verification: ${what}. It was not output. Reissue it in the SSL console (or with ReplaceCertificate) and rerun.`,
    { originalCertificateId: ctx.rootId, newCertificateId: id },
  );
}

/**
 * The chain of `issued`: from `CertificatePublicKey` when it carries one, else from Tencent's nginx
 * bundle (`DownloadCertificate`). `fullchainPem` never silently becomes the leaf alone.
 */
async function chainOf(ctx: Ctx, id: string, pem: string): Promise<string> {
  const inPem = ctx.deps.inspector.bundle(pem).chainPem;
  if (inPem.trim() !== "") return "";
  const downloaded = await ctx.deps.ssl.downloadChain(id);
  if (downloaded.trim() === "")
    throw new RenewalError(
      "VerificationFailed",
      `certificate ${id} is issued, but Tencent returned it without its chain (CertificatePublicKey holds the leaf only) and its download bundle has none either. It was not output: a leaf without its intermediate fails in most clients. Rerun later; nothing is paid again.`,
      { originalCertificateId: ctx.rootId, newCertificateId: id, resumable: true },
    );
  return downloaded;
}

async function verifyIssued(ctx: Ctx, old: Certificate, issued: Certificate, entry: JournalEntry): Promise<Material> {
  const { inspector } = ctx.deps;
  const id = issued.certificateId;
  if (!issued.certificatePem) throw verificationFailed(ctx, id, "Tencent returned no certificate PEM");
  const pem = issued.certificatePem.trimEnd() + "\n" + (await chainOf(ctx, id, issued.certificatePem));
  const bundle = inspector.bundle(pem);
  const parsed = inspector.parse(bundle.leafPem);
  const key = await keyOf(ctx, entry, old, issued);
  const keyProblem = tencentKeyProblem(ctx, entry, id, key);
  if (keyProblem) throw keyProblem;
  if (entry.keySource === "local" && !key)
    throw new LockHeldError(
      `renewal ${id} of ${old.certificateId} was ordered by another run (another state dir or machine), which holds its key. Nothing was paid by this run. ` +
        `Let that run finish; a later run here adopts the issued certificate (its key stays with the run that ordered it).`,
      "another state dir",
      { originalCertificateId: ctx.rootId, newCertificateId: id },
    );
  if (key && !inspector.matchesPrivateKey(bundle.leafPem, key)) throw verificationFailed(ctx, id, "its public key does not match the private key");
  if (entry.csrPem && !inspector.matchesCsr(bundle.leafPem, entry.csrPem)) throw verificationFailed(ctx, id, "its public key does not match the CSR");
  const missing = uncoveredDomains(parsed.domains, old.domains);
  if (missing.length > 0) throw verificationFailed(ctx, id, `it does not cover ${missing.join(", ")}`);
  if (bundle.chainPem && !inspector.chainInOrder(bundle.leafPem, bundle.chainPem)) throw verificationFailed(ctx, id, "its chain is not in order");
  return materialOf(ctx.deps.inspector, pem, key);
}
