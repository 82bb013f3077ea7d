/** Submitting an order to the CA: status 5 -> 4 (DV) / 8 (OV, EV) / 0 (brands without a letter). */
import { addAutoRecords, buildDvAuths } from "./dvauth";
import { alnumId } from "./ids";
import { productOf, skipsConfirmationLetter } from "./products";
import { STATUS } from "./status";
import type { BackendCore } from "./core";
import type { AccountState, CertificateRecord } from "./state";

export const VERIFY_TYPES: readonly string[] = ["DNS_AUTO", "DNS", "FILE"];

export function submitOrder(core: BackendCore, account: AccountState, cert: CertificateRecord, verifyType: string, now: Date, deleteDnsAutoRecord: boolean): void {
  cert.verifyType = verifyType;
  cert.orderId = cert.orderId ?? `${alnumId(8)}_${alnumId(8)}`;
  cert.deleteDnsAutoRecord = deleteDnsAutoRecord;
  cert.dvAuths = buildDvAuths(account, cert, verifyType, core.rules());
  cert.dcvPassedAt = null;
  const product = productOf(cert.productPid);
  if (cert.certType === "DV") {
    cert.status = STATUS.DNS_ADDED; // INFERRED: DV goes to 4 ("待验证") whatever the VerifyType, as in Tencent's paid DV example
    cert.statusMsg = "PENDING-DCV";
    cert.dcvStartedAt = now.toISOString();
  } else if (product && skipsConfirmationLetter(product)) {
    cert.status = STATUS.PENDING; // documented: WoTrus and DNSPod SM2 OV/EV skip the letter
    cert.statusMsg = "CA-REVIEWING";
    cert.dcvStartedAt = now.toISOString();
  } else {
    cert.status = STATUS.PENDING_LETTER;
    cert.statusMsg = "PRE-REVIEWING";
    cert.dcvStartedAt = null;
  }
  if (verifyType === "DNS_AUTO") addAutoRecords(core, account, cert, now);
}

/** Admin stand-in for the console letter upload being accepted: 8 -> 0 (INFERRED). */
export function acceptLetterNow(cert: CertificateRecord, now: Date): void {
  cert.letterAcceptedAt = now.toISOString();
  cert.status = STATUS.PENDING;
  cert.statusMsg = "CA-REVIEWING";
  cert.dcvStartedAt = now.toISOString();
  cert.dcvPassedAt = null;
}
