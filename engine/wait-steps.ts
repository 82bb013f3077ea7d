/**
 * The actions of the issuance wait (`wait.ts`): submitting the order, publishing
 * the validation records, and asking the CA to check. Each is safe to repeat
 * after an unknown outcome: the order's status and DNSPod's records are read
 * before anything is done twice.
 */
import type { Certificate, ValidationMethod } from "./domain";
import type { EngineDeps } from "./deps";
import { placeRecords, publishRecord, recordText } from "./dns-records";
import { RenewalError, isTencentApiError } from "./errors";
import type { WaitRequest } from "./wait-types";

export { recordText, sameRecordValue } from "./dns-records";

export function validationMessage(method: ValidationMethod, cert: Certificate): string {
  const n = cert.dvAuths.length;
  if (method === "dnspod") return `publishing ${n} validation record(s) in DNSPod`;
  if (method === "DNS_AUTO") return `Tencent publishes the validation record(s) itself (DNS_AUTO)`;
  return `publish ${n} validation record(s) yourself: ${cert.dvAuths.map(recordText).join("; ")}`;
}

export { submitOrder } from "./submit-order";

/** Publishes the order's validation records (dnspod), announces them (manual-dns), or leaves it to Tencent (DNS_AUTO). */
export async function validate(deps: EngineDeps, req: WaitRequest, cert: Certificate): Promise<void> {
  if (req.validation === "DNS_AUTO") return;
  if (req.validation === "manual-dns") {
    for (const a of cert.dvAuths)
      req.progress({ type: "dns-record", action: "manual", record: a, message: `publish ${recordText(a)}` });
    return;
  }
  const file = cert.dvAuths.find((a) => a.recordType === "FILE");
  if (file)
    throw new RenewalError(
      "ValidationFailed",
      `renewal ${cert.certificateId} asks for FILE validation at ${file.path}; this tool validates by DNS. Switch the order to DNS validation in the SSL console, then rerun.`,
      { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true },
    );
  // The zone of each record comes from the account's DNSPod domains (dns-records.ts).
  for (const a of await placeRecords(deps, req, cert)) await publishRecord(deps, req, cert, a);
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
