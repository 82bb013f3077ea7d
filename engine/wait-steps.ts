/**
 * The actions of the issuance wait (`wait.ts`): submitting the order, publishing
 * the validation records, and asking the CA to check. Each is safe to repeat
 * after an unknown outcome: the order's status and DNSPod's records are read
 * before anything is done twice.
 */
import type { Certificate, DvAuth, ValidationMethod } from "./domain";
import type { EngineDeps } from "./deps";
import { RenewalError, isRenewalError, isTencentApiError, isTransientError } from "./errors";
import type { WaitRequest } from "./wait-types";

export function recordText(a: DvAuth): string {
  return `${a.recordType} ${a.key} = ${a.value}`;
}

export function validationMessage(method: ValidationMethod, cert: Certificate): string {
  const n = cert.dvAuths.length;
  if (method === "dnspod") return `publishing ${n} validation record(s) in DNSPod`;
  if (method === "DNS_AUTO") return `Tencent publishes the validation record(s) itself (DNS_AUTO)`;
  return `publish ${n} validation record(s) yourself: ${cert.dvAuths.map(recordText).join("; ")}`;
}

/** `CertificateOrderSubmit`; "already submitted" answers count as done (the status is re-read next). */
export async function submitOrder(deps: EngineDeps, id: string, validation: ValidationMethod): Promise<void> {
  try {
    await deps.ssl.submitOrder(id, validation === "DNS_AUTO" ? "DNS_AUTO" : "DNS");
  } catch (e) {
    // Already submitted (a crash after submit, or Tencent still processing): re-read and carry on.
    if (isTencentApiError(e) && /CertificateOrderSubmitProcessing|CertificateInfoSubmitStatusInvalid|InvalidCertificateStatusCode/.test(e.code)) return;
    throw e;
  }
}

/** Publishes the order's validation records (dnspod), announces them (manual-dns), or leaves it to Tencent (DNS_AUTO). */
export async function validate(deps: EngineDeps, req: WaitRequest, cert: Certificate): Promise<void> {
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
    await publishRecord(deps, req, cert, a);
  }
}

/** One DNS record: reused when DNSPod already has this order's value, created (journaled first) otherwise. */
async function publishRecord(deps: EngineDeps, req: WaitRequest, cert: Certificate, a: DvAuth): Promise<void> {
  let existing: Awaited<ReturnType<EngineDeps["dns"]["listRecords"]>>;
  try {
    existing = await deps.dns.listRecords(a.zone, a.subDomain, a.recordType);
  } catch (e) {
    throw zoneProblem(req, cert, a, e) ?? e;
  }
  const found = existing.find((r) => sameRecordValue(r.value, a.value));
  if (found) {
    // This order's own value: a record we created whose answer was lost (or before a crash let us
    // journal it). It serves only this validation, so it is removed with the others at the end.
    await req.onRecordCreated(a.zone, found.recordId);
    req.progress({ type: "dns-record", action: "reused", record: a, message: `record ${recordText(a)} already exists` });
    return;
  }
  let recordId: number;
  await req.onRecordPlanned({ zone: a.zone, subDomain: a.subDomain, type: a.recordType, value: a.value });
  try {
    // FILE records were refused by `validate`.
    recordId = await deps.dns.createRecord({ zone: a.zone, subDomain: a.subDomain, type: a.recordType as "TXT" | "CNAME", value: a.value });
  } catch (e) {
    return recoverFailedCreate(deps, req, cert, a, e);
  }
  await req.onRecordCreated(a.zone, recordId);
  req.progress({ type: "dns-record", action: "created", record: a, message: `created ${recordText(a)} (record ${recordId})` });
}

/** `CreateRecord` failed: journal the record if DNSPod has it after all; otherwise explain or rethrow. */
async function recoverFailedCreate(deps: EngineDeps, req: WaitRequest, cert: Certificate, a: DvAuth, e: unknown): Promise<void> {
  // The answer was lost, not necessarily the record; or another run driving the same order (another
  // state dir) created it between our listing and our create (`DomainRecordExist`, possibly before
  // DNSPod's listing shows it). If DNSPod has this order's value, journal it for cleanup now: the CA
  // may issue before we look again, and a record nobody journaled is never removed.
  const exists = isTencentApiError(e) && /RecordExist/i.test(e.code);
  if (isTransientError(e) || exists) {
    for (let look = 0; look < (exists ? 5 : 1); look++) {
      if (look > 0) await deps.sleep(deps.polling?.fastMs ?? 1000, req.signal);
      const made = (await deps.dns.listRecords(a.zone, a.subDomain, a.recordType).catch(() => [])).find((r) => sameRecordValue(r.value, a.value));
      if (made) {
        await req.onRecordCreated(a.zone, made.recordId);
        req.progress({ type: "dns-record", action: exists ? "reused" : "created", record: a, message: `${exists ? "found" : "created"} ${recordText(a)} (record ${made.recordId}; ${exists ? "created by another run" : `its answer was lost: ${(e as Error).message}`})` });
        return;
      }
    }
    // The record is there (DNSPod says so) but not listed yet: the CA sees it; carry on without journaling it.
    if (exists) {
      req.progress({ type: "warning", message: `${recordText(a)} already exists in DNSPod (${(e as Error).message}) but is not listed yet; remove it by hand if it stays after the renewal` });
      return;
    }
  }
  throw zoneProblem(req, cert, a, e) ?? e;
}

/** The zone is not in this account's DNSPod (listing or creating said so): explained, resumable. */
function zoneProblem(req: WaitRequest, cert: Certificate, a: DvAuth, e: unknown): RenewalError | null {
  if (!(isRenewalError(e) && isTencentApiError(e) && /DomainNotExists|NoPermission/.test(e.code))) return null;
  return new RenewalError(
    "ValidationFailed",
    `validation "dnspod": zone ${a.zone} is not in this account's DNSPod (${e.code}). Add the zone to DNSPod, or use validation "manual-dns" and publish ${recordText(a)} yourself. The order ${cert.certificateId} is kept; rerun resumes it.`,
    { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true, cause: e },
  );
}

/**
 * One record value as DNSPod and the CA may each write it: a CNAME target with or without its
 * trailing dot, in any case; a TXT value with or without quotes.
 */
export function sameRecordValue(a: string, b: string): boolean {
  const norm = (v: string) => v.trim().replace(/^"(.*)"$/, "$1").replace(/\.$/, "").toLowerCase();
  return norm(a) === norm(b);
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

/** Ask the CA to check now. A Tencent refusal is a warning (the CA checks on its own anyway). */
export async function completeCertificate(deps: EngineDeps, req: WaitRequest, id: string): Promise<boolean> {
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
