import { TencentApiError, isTencentApiError, type RenewalError } from "../../engine/errors";

/** Tencent's answer for an id the account does not hold, rewritten to name the id. */
export function explainNotFound(id: string, e: unknown): RenewalError | null {
  if (!isTencentApiError(e) || !/^(FailedOperation\.CertificateNotFound|ResourceNotFound)/.test(e.code) || e.code.startsWith("FailedOperation.CertificateNotFoundOrAudited")) return null;
  // Found only by asking Tencent, so an error (exit 1), not a usage error; never counted towards backoff.
  return new TencentApiError(e.action, e.code, `certificate ${id} was not found in this account (Tencent answered ${e.code}${e.requestId ? `, RequestId ${e.requestId}` : ""}). Check the id with \`tccert scan\`; nothing was paid.`, { requestId: e.requestId, httpStatus: e.httpStatus, cause: e });
}
