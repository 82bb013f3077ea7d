/** Domain validation actions: CompleteCertificate and CheckCertificateDomainVerification. */
import type {
  CheckCertificateDomainVerificationRequest,
  CheckCertificateDomainVerificationResponse,
  CompleteCertificateRequest,
  CompleteCertificateResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { checkDvAuth } from "../dvauth";
import { completeCertificateUnsupported, productOf } from "../products";
import { isIssued, STATUS } from "../status";
import { handler, requireString } from "../wire";

export function verifyHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CompleteCertificate: handler<CompleteCertificateRequest, CompleteCertificateResponse>(core, ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      if (isIssued(cert)) throw new ApiError("FailedOperation.CertificateNotFoundOrAudited", `该证书不存在或已签发 (certificate ${cert.id} is already issued).`);
      const product = productOf(cert.productPid);
      if (product && completeCertificateUnsupported(product)) {
        // Documented restriction; the error code is INFERRED (the docs name none).
        throw new ApiError("FailedOperation", `DNSPod和Wotrus品牌的证书不支持使用此接口 (CompleteCertificate does not support ${product.brand} certificates; validation runs automatically).`);
      }
      if (cert.status !== STATUS.PENDING && cert.status !== STATUS.DNS_ADDED) {
        throw new ApiError("FailedOperation", `Certificate ${cert.id} is in status ${cert.status}; validation can only be triggered in status 0 or 4.`);
      }
      // The lazy status machine already re-checked DNS when this request arrived.
      return { CertificateId: cert.id };
    }),

    CheckCertificateDomainVerification: handler<CheckCertificateDomainVerificationRequest, CheckCertificateDomainVerificationResponse>(core, ({ req, account, now }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const verifyType = cert.verifyType === "DNS_AUTO" || cert.verifyType === null ? "DNS" : cert.verifyType;
      if (isIssued(cert)) {
        return {
          VerificationResults: [cert.domain, ...cert.sans].map((domain) => ({
            Domain: domain, VerifyType: verifyType, LocalCheck: 1, CaCheck: 1, LocalCheckFailReason: "", CheckValue: [], Frequently: false, Issued: true,
          })),
        };
      }
      if ((cert.status !== STATUS.PENDING && cert.status !== STATUS.DNS_ADDED) || cert.dvAuths.length === 0) {
        throw new ApiError("FailedOperation.CertificateStatusNotAllowVerify", `证书当前状态不允许进行域名验证 (certificate ${cert.id} is in status ${cert.status}).`);
      }
      return {
        VerificationResults: cert.dvAuths.map((a) => {
          const c = checkDvAuth(account, a, now);
          return {
            Domain: a.domain,
            VerifyType: verifyType,
            LocalCheck: c.localCheck,
            // CaCheck: documented as -1/2; Tencent's real example shows 1 once passed, which the emulator copies.
            CaCheck: cert.dcvPassedAt ? 1 : -1,
            LocalCheckFailReason: c.reason,
            CheckValue: c.values,
            Frequently: false,
            Issued: false,
          };
        }),
      };
    }),
  };
}
