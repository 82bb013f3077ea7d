/**
 * `CertificateOrderSubmit` for a renewal in status 5, as Tencent may actually answer it.
 *
 * "Already submitted" answers count as done (the status is re-read next). But
 * `CertificateInfoSubmitStatusInvalid` also comes back for an order that still waits for its
 * application data (an OV/EV renewal that did not carry the old certificate's data): then the
 * status stays 5 and no amount of waiting helps. That order stops at once as a pending human
 * action, resumable, saying what to do in the console; it never loops silently until the timeout.
 */
import type { ValidationMethod } from "./domain";
import type { EngineDeps } from "./deps";
import { PendingHumanActionError, isTencentApiError } from "./errors";

/** Answers that may mean "already submitted": the status decides. */
const ALREADY = /CertificateOrderSubmitProcessing|CertificateInfoSubmitStatusInvalid|InvalidCertificateStatusCode/;

export async function submitOrder(deps: Pick<EngineDeps, "ssl">, id: string, validation: ValidationMethod): Promise<void> {
  try {
    await deps.ssl.submitOrder(id, validation === "DNS_AUTO" ? "DNS_AUTO" : "DNS");
  } catch (e) {
    if (!(isTencentApiError(e) && ALREADY.test(e.code))) throw e;
    // Already submitted (a crash after submit, Tencent still processing), or waiting for its data.
    const order = await deps.ssl.getCertificate(id);
    if (order.phase !== "awaiting-submission") return;
    const old = order.link.originCertificateId;
    throw new PendingHumanActionError(
      "submit-info",
      `renewal ${id}${old ? ` of ${old}` : ""} waits in status 5 for its application data: Tencent answered CertificateOrderSubmit with ${e.code}, and the order stays in status 5.`,
      `Open the Tencent Cloud SSL console, find certificate ${id} ("待提交资料" / awaiting submission), and submit its information ` +
        `(the organisation and contact details of ${old || "the certificate it renews"}; the console can copy them from that certificate), then submit the order. ` +
        `Rerun afterwards: the renewal resumes and nothing is paid again.`,
      { ...(old ? { originalCertificateId: old } : {}), newCertificateId: id },
    );
  }
}
