/**
 * Driving a paid order to issuance: submit (status 5), validation (DNS records,
 * DNS_AUTO, manual DNS, or the OV/EV human step), and adaptive polling until
 * issued or until our own wait timeout. The order id is known before any wait.
 */
import type { Certificate, DvAuth, ValidationMethod } from "./domain";
import type { EngineDeps, PollingOptions } from "./deps";
import { PendingHumanActionError, RenewalError, TimedOutError, isRenewalError, isTencentApiError, isTransientError } from "./errors";
import type { ProgressSink } from "./progress";

export interface WaitRequest {
  readonly rootId: string;
  readonly oldCertificateId: string;
  readonly order: Certificate;
  readonly validation: ValidationMethod;
  readonly waitTimeoutMs: number;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal | undefined;
  /** Called right after each DNS record we create (or find with this order's value), so the journal lists it for cleanup. Idempotent. */
  readonly onRecordCreated: (zone: string, recordId: number) => Promise<void>;
  /** Called right BEFORE a DNS record is created, so a crash in between cannot hide it from the cleanup. */
  readonly onRecordPlanned: (record: { zone: string; subDomain: string; type: string; value: string }) => Promise<void>;
  readonly onRecords: (records: readonly DvAuth[]) => void;
}

/** Transient failures of mutating calls tolerated in one run before giving up (resumably). */
const MAX_TRANSIENT = 8;

const POLLING_DEFAULTS: Required<PollingOptions> = {
  fastMs: 1000,
  slowMs: 30_000,
  fastWindowMs: 60_000,
  factor: 1.5,
  waitingEventEveryMs: 30_000,
  paidCallGraceMs: 30_000,
};

export async function waitForIssuance(deps: EngineDeps, req: WaitRequest): Promise<Certificate> {
  const poll = { ...POLLING_DEFAULTS, ...deps.polling };
  const { clock, ssl } = deps;
  const id = req.order.certificateId;
  const started = clock.now().getTime();
  const deadline = started + req.waitTimeoutMs;
  let interval = poll.fastMs;
  /** When the CA was first seen about to issue (`WAIT-ISSUE`); null before. */
  let waitIssueSince: number | null = null;
  let lastWaitingEvent = -Infinity;
  let submitted = false;
  let transientFailures = 0;
  let validated = false;
  let completed = false;
  let cert = req.order;
  const lineage = { originalCertificateId: req.rootId, newCertificateId: id };

  for (;;) {
    switch (cert.phase) {
      case "issued":
        return cert;
      case "awaiting-submission":
        if (!submitted) {
          req.progress({ type: "phase", phase: "submit", certificateId: id, message: `submitting order ${id} to the CA` });
          try {
            await submitOrder(deps, id, req.validation);
            submitted = true;
          } catch (e) {
            // Unknown outcome: re-read the status below; submit again only if it is still 5.
            if (!isTransientError(e) || ++transientFailures > MAX_TRANSIENT) throw e;
            req.progress({ type: "warning", message: `CertificateOrderSubmit on ${id}: ${(e as Error).message}; checking the order's status before trying again` });
          }
          interval = poll.fastMs / poll.factor; // after acting, look again soon
          cert = await ssl.getCertificate(id);
          continue;
        }
        break;
      case "validating":
        if (!validated && cert.dvAuths.length > 0) {
          req.progress({ type: "phase", phase: "validate", certificateId: id, message: validationMessage(req.validation, cert) });
          try {
            await validate(deps, req, cert);
            req.onRecords(cert.dvAuths);
            validated = true;
          } catch (e) {
            // Records are created idempotently (listed first), so a retry after an unknown outcome is safe.
            if (!isTransientError(e) || ++transientFailures > MAX_TRANSIENT) throw e;
            req.progress({ type: "warning", message: `DNS validation records: ${(e as Error).message}; trying again` });
          }
          interval = poll.fastMs / poll.factor;
        }
        if (validated && !completed && req.validation === "dnspod") {
          completed = acceptsCompleteCertificate(cert) ? await completeCertificate(deps, req, id) : true;
        }
        break;
      case "pending-letter":
        throw new PendingHumanActionError(
          "confirmation-letter",
          `renewal ${id} of ${req.oldCertificateId} waits for its confirmation letter (status 8). Tencent accepts the letter only in the console since 2025-06.`,
          `Open the Tencent Cloud SSL console, find certificate ${id}, download the confirmation letter template, sign and stamp it, and upload it. ` +
            `Tencent then reviews the order (OV 3-5 business days, EV 5-7). Rerun afterwards: the renewal resumes from ${req.rootId} and nothing is paid again.`,
          lineage,
        );
      case "review-failed":
        throw new RenewalError(
          "ReviewFailed",
          `renewal ${id} of ${req.oldCertificateId} failed review (status 2${cert.statusMsg ? `: ${cert.statusMsg}` : ""}). Fix the cause in the SSL console and resubmit it there (ModifyCertificateResubmit); the next run resumes it without paying again.`,
          lineage,
        );
      case "cancelling":
      case "cancelled":
      case "refunded":
      case "revoked":
        throw new RenewalError(
          "OrderCancelled",
          `renewal ${id} of ${req.oldCertificateId} is ${cert.phase} (status ${cert.status}). It will not issue. Resubmit it in the SSL console if you still want it; this tool does not buy a second renewal while it exists.`,
          lineage,
        );
      default:
        break;
    }

    const now = clock.now().getTime();
    if (now >= deadline) {
      if (req.validation === "manual-dns" && cert.dvAuths.length > 0)
        throw new PendingHumanActionError(
          "manual-dns",
          `renewal ${id} waits for ${cert.dvAuths.length} DNS record(s) you publish (validation "manual-dns").`,
          `Create these records, then rerun: ${cert.dvAuths.map(recordText).join("; ")}`,
          lineage,
        );
      throw new TimedOutError(
        `renewal ${id} of ${req.oldCertificateId} is not issued after ${Math.round((now - started) / 60_000)} minute(s) (status ${cert.status}${cert.statusMsg ? ` ${cert.statusMsg}` : ""}). ` +
          `Nothing is lost: rerun to keep waiting; it resumes from ${req.rootId} without paying again.`,
        now - started,
        lineage,
      );
    }
    if (now - lastWaitingEvent >= poll.waitingEventEveryMs) {
      lastWaitingEvent = now;
      req.progress({
        type: "waiting",
        certificateId: id,
        elapsedMs: now - started,
        status: cert.status,
        statusMsg: cert.statusMsg,
        message: `waiting for ${id} to issue: status ${cert.status}${cert.statusMsg ? ` ${cert.statusMsg}` : ""}, ${Math.round((now - started) / 1000)} s so far`,
      });
    }
    // Adaptive: every fastMs while the CA says issuance is next (WAIT-ISSUE), for at most
    // fastWindowMs; otherwise backing off by `factor` from fastMs to slowMs (twice a minute).
    if (cert.statusMsg === "WAIT-ISSUE") waitIssueSince ??= now;
    else waitIssueSince = null;
    const imminent = waitIssueSince !== null && now - waitIssueSince < poll.fastWindowMs;
    interval = imminent ? poll.fastMs : Math.min(poll.slowMs, Math.max(poll.fastMs, interval * poll.factor));
    await deps.sleep(Math.max(0, Math.min(interval, deadline - now)), req.signal);
    cert = await ssl.getCertificate(id);
  }
}

function recordText(a: DvAuth): string {
  return `${a.recordType} ${a.key} = ${a.value}`;
}

function validationMessage(method: ValidationMethod, cert: Certificate): string {
  const n = cert.dvAuths.length;
  if (method === "dnspod") return `publishing ${n} validation record(s) in DNSPod`;
  if (method === "DNS_AUTO") return `Tencent publishes the validation record(s) itself (DNS_AUTO)`;
  return `publish ${n} validation record(s) yourself: ${cert.dvAuths.map(recordText).join("; ")}`;
}

async function submitOrder(deps: EngineDeps, id: string, validation: ValidationMethod): Promise<void> {
  try {
    await deps.ssl.submitOrder(id, validation === "DNS_AUTO" ? "DNS_AUTO" : "DNS");
  } catch (e) {
    // Already submitted (a crash after submit, or Tencent still processing): re-read and carry on.
    if (isTencentApiError(e) && /CertificateOrderSubmitProcessing|CertificateInfoSubmitStatusInvalid|InvalidCertificateStatusCode/.test(e.code)) return;
    throw e;
  }
}

async function validate(deps: EngineDeps, req: WaitRequest, cert: Certificate): Promise<void> {
  if (req.validation === "DNS_AUTO") return;
  if (req.validation === "manual-dns") {
    for (const a of cert.dvAuths)
      req.progress({ type: "dns-record", action: "manual", record: a, message: `publish ${recordText(a)}` });
    return;
  }
  for (const a of cert.dvAuths) {
    if (a.recordType === "FILE") {
      throw new RenewalError(
        "ValidationFailed",
        `renewal ${cert.certificateId} asks for FILE validation at ${a.path}; this tool validates by DNS. Switch the order to DNS validation in the SSL console, then rerun.`,
        { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true },
      );
    }
    const existing = await deps.dns.listRecords(a.zone, a.subDomain, a.recordType);
    const found = existing.find((r) => r.value === a.value);
    if (found) {
      // This order's own value: a record we created whose answer was lost (or before a crash let us
      // journal it). It serves only this validation, so it is removed with the others at the end.
      await req.onRecordCreated(a.zone, found.recordId);
      req.progress({ type: "dns-record", action: "reused", record: a, message: `record ${recordText(a)} already exists` });
      continue;
    }
    let recordId: number;
    await req.onRecordPlanned({ zone: a.zone, subDomain: a.subDomain, type: a.recordType, value: a.value });
    try {
      recordId = await deps.dns.createRecord({ zone: a.zone, subDomain: a.subDomain, type: a.recordType, value: a.value });
    } catch (e) {
      if (isTransientError(e)) {
        // The answer was lost, not necessarily the record: if DNSPod has it, journal it for cleanup now
        // (the CA may issue before we look again, and a record nobody journaled is never removed).
        const made = (await deps.dns.listRecords(a.zone, a.subDomain, a.recordType).catch(() => [])).find((r) => r.value === a.value);
        if (made) {
          await req.onRecordCreated(a.zone, made.recordId);
          req.progress({ type: "dns-record", action: "created", record: a, message: `created ${recordText(a)} (record ${made.recordId}; its answer was lost: ${(e as Error).message})` });
          continue;
        }
      }
      if (isRenewalError(e) && isTencentApiError(e) && /DomainNotExists|NoPermission/.test(e.code))
        throw new RenewalError(
          "ValidationFailed",
          `validation "dnspod": zone ${a.zone} is not in this account's DNSPod (${e.code}). Add the zone to DNSPod, or use validation "manual-dns" and publish ${recordText(a)} yourself. The order ${cert.certificateId} is kept; rerun resumes it.`,
          { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true, cause: e },
        );
      throw e;
    }
    await req.onRecordCreated(a.zone, recordId);
    req.progress({ type: "dns-record", action: "created", record: a, message: `created ${recordText(a)} (record ${recordId})` });
  }
}

/**
 * `CompleteCertificate`: "DNSPod和Wotrus品牌的证书不支持使用此接口" (not for DNSPod or WoTrus
 * brands). Their CAs check on their own; calling would only earn an error.
 */
export function acceptsCompleteCertificate(cert: Pick<Certificate, "productZhName" | "packageType">): boolean {
  if (/dnspod|wotrus/i.test(cert.productZhName)) return false;
  const type = Number(cert.packageType);
  // PackageType 25-41: WoTrus; 43-56: DNSPod (SDK field docs).
  return !(Number.isInteger(type) && ((type >= 25 && type <= 41) || (type >= 43 && type <= 56)));
}

/** Ask the CA to check now. Brands that do not support it (DNSPod, WoTrus) are skipped quietly. */
async function completeCertificate(deps: EngineDeps, req: WaitRequest, id: string): Promise<boolean> {
  try {
    await deps.ssl.completeCertificate(id);
  } catch (e) {
    if (isTencentApiError(e)) {
      req.progress({ type: "warning", message: `CompleteCertificate on ${id}: ${e.code}; waiting for the CA's own check instead` });
      return true;
    }
    throw e;
  }
  return true;
}
