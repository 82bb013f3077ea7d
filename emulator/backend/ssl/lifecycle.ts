/**
 * Order lifecycle: CancelCertificateOrder, CancelAuditCertificate,
 * ModifyCertificateResubmit, ReplaceCertificate (reissue), DeleteCertificate,
 * UploadCertificate.
 */
import type {
  CancelAuditCertificateRequest,
  CancelAuditCertificateResponse,
  CancelCertificateOrderRequest,
  CancelCertificateOrderResponse,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  ModifyCertificateResubmitRequest,
  ModifyCertificateResubmitResponse,
  ReplaceCertificateRequest,
  ReplaceCertificateResponse,
  UploadCertificateRequest,
  UploadCertificateResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { certificateMatchesKey, leafKeyPairFromPem, splitPemCertificates, summarizeCertificate, type CertificateSummary } from "../../../crypto/ca";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { insertCertificate, newCertificate, newCertificateId } from "../factory";
import { keyFor, parseAlgorithm, parseCsrMethod, type KeyRequest } from "../keymodes";
import { submitOrder, VERIFY_TYPES } from "../order";
import { isIssued, PRE_ISSUE_STATUSES, STATUS } from "../status";
import { SECOND_MS } from "../time";
import { handler, requireString } from "../wire";

export function lifecycleHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CancelCertificateOrder: handler<CancelCertificateOrderRequest, CancelCertificateOrderResponse>(core, ({ req, account, now }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      if (!PRE_ISSUE_STATUSES.includes(cert.status)) {
        throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${cert.id} is in status ${cert.status}; only an order that is not issued yet can be cancelled.`);
      }
      // INFERRED: 6 (cancelling) for settings.cancelSeconds, then 7. Points are not refunded (Terraform's docs).
      cert.status = STATUS.CANCELLING;
      cert.statusMsg = null;
      cert.cancelDoneAt = new Date(now.getTime() + core.state.settings.cancelSeconds * SECOND_MS).toISOString();
      return { CertificateId: cert.id };
    }),

    CancelAuditCertificate: handler<CancelAuditCertificateRequest, CancelAuditCertificateResponse>(core, ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      if (![STATUS.PENDING, STATUS.DNS_ADDED, STATUS.PENDING_LETTER].includes(cert.status as 0 | 4 | 8)) {
        throw new ApiError("FailedOperation.CertificateNotFoundOrCantCancel", `Certificate ${cert.id} is in status ${cert.status}; a review can be cancelled in status 0, 4 or 8 only.`);
      }
      cert.status = STATUS.CANCELLED;
      cert.statusMsg = null;
      return { Result: true };
    }),

    ModifyCertificateResubmit: handler<ModifyCertificateResubmitRequest, ModifyCertificateResubmitResponse>(core, ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      if (cert.status !== STATUS.REJECTED && cert.status !== STATUS.CANCELLED) {
        throw new ApiError("FailedOperation.CertificateStatusNotAllowResubmit", `Certificate ${cert.id} is in status ${cert.status}; only a rejected (2) or cancelled (7) order can be resubmitted.`);
      }
      // INFERRED: back to 5, waiting for CertificateOrderSubmit again.
      cert.status = STATUS.PENDING_SUBMIT;
      cert.statusMsg = null;
      cert.failReason = null;
      cert.dvAuths = [];
      cert.dcvStartedAt = null;
      cert.dcvPassedAt = null;
      cert.letterAcceptedAt = null;
      cert.cancelDoneAt = null;
      return { CertificateId: cert.id };
    }),

    ReplaceCertificate: handler<ReplaceCertificateRequest, ReplaceCertificateResponse>(core, async ({ req, account, now }) => {
      const old = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const validType = requireString(req.ValidType, "ValidType");
      if (!VERIFY_TYPES.includes(validType)) throw new ApiError("FailedOperation.InvalidParam", `ValidType must be one of ${VERIFY_TYPES.join(", ")}, got ${JSON.stringify(validType)}.`);
      if (old.status !== STATUS.ISSUED || !old.notAfter) {
        throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${old.id} is in status ${old.status}; only an issued certificate can be reissued.`);
      }
      const method = parseCsrMethod(req.CsrType, "FailedOperation.InvalidParam", "original");
      const keyReq: KeyRequest = {
        method,
        csrPem: req.CsrContent,
        keyPass: req.CsrkeyPassword,
        ...(method === "online" ? { algorithm: parseAlgorithm(req.CertCSREncryptAlgo, req.CertCSRKeyParameter, "FailedOperation.InvalidParam") } : {}),
      };
      const key = await keyFor(old, keyReq, "FailedOperation.CertificateCsrParseFailed");
      // Reissue creates a new certificate id (Tencent's example answers a different id), linked by ReplacedBy/ReplacedFor,
      // keeps the validity end of the original, and goes through domain validation again (INFERRED: no letter).
      const cert = newCertificate({
        id: newCertificateId(account), productPid: old.productPid, certType: old.certType, domain: old.domain, sans: old.sans,
        status: STATUS.PENDING_SUBMIT, insertTime: now, key, isVip: old.isVip, from: old.from, alias: old.alias, verifyType: validType,
      });
      cert.fixedNotAfter = old.notAfter;
      cert.replacedFor = old.id;
      cert.companyType = old.companyType;
      cert.submitted = old.submitted;
      old.replacedBy = cert.id;
      insertCertificate(account, cert);
      submitOrder(core, account, cert, validType, now, false);
      if (cert.status === STATUS.PENDING_LETTER) {
        cert.status = STATUS.DNS_ADDED;
        cert.statusMsg = "PENDING-DCV";
        cert.dcvStartedAt = now.toISOString();
      }
      return { CertificateId: cert.id };
    }),

    DeleteCertificate: handler<DeleteCertificateRequest, DeleteCertificateResponse>(core, ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const next = cert.renewOrder ? account.certificates[cert.renewOrder] : undefined;
      if (next && !isIssued(next) && next.status !== STATUS.CANCELLED && next.status !== STATUS.REFUNDED) {
        throw new ApiError("FailedOperation.RenewNotIssued", `续费证书未颁发，无法执行删除操作 (the renewal ${next.id} of certificate ${cert.id} is not issued yet).`);
      }
      if (req.IsCheckResource && cert.boundResources.length > 0) {
        throw new ApiError("FailedOperation.CertificateHasBoundResources", `Certificate ${cert.id} is still bound to ${cert.boundResources.length} cloud resource(s).`);
      }
      delete account.certificates[cert.id];
      return { DeleteResult: true, TaskId: "" };
    }),

    UploadCertificate: handler<UploadCertificateRequest, UploadCertificateResponse>(core, ({ req, account, now }) => {
      const pem = requireString(req.CertificatePublicKey, "CertificatePublicKey");
      const type = req.CertificateType ?? "SVR";
      if (type !== "SVR" && type !== "CA") throw new ApiError("FailedOperation.InvalidParam", `CertificateType must be SVR or CA, got ${JSON.stringify(type)}.`);
      const pems = splitPemCertificates(pem);
      const first = pems[0];
      let summary: CertificateSummary;
      try {
        if (!first) throw new Error("no certificate");
        summary = summarizeCertificate(first);
      } catch {
        throw new ApiError("FailedOperation.CertificateParseError", "The certificate cannot be parsed; send a PEM -----BEGIN CERTIFICATE----- block.");
      }
      const keyPem = req.CertificatePrivateKey;
      if (type === "SVR") {
        if (!keyPem) throw new ApiError("FailedOperation.InvalidParam", "CertificatePrivateKey is required for an SVR certificate.");
        if (!certificateMatchesKey(first, keyPem)) throw new ApiError("FailedOperation.CertificateMatchError", "The private key does not match the certificate.");
      }
      if (req.Repeatable === false) {
        const same = Object.values(account.certificates).find((c) => c.source === "upload" && c.material?.sha1Fingerprint === summary.sha1.toUpperCase());
        if (same) return { CertificateId: same.id, RepeatCertId: same.id };
      }
      const algorithm = keyPem ? leafKeyPairFromPem(keyPem).algorithm : summary.encryptAlgorithm.startsWith("ECC") ? "EC_P256" : "RSA_2048";
      const cn = summary.subjectCommonName.toLowerCase();
      const cert = newCertificate({
        id: newCertificateId(account), productPid: 0, certType: "DV", domain: cn, sans: summary.dnsNames.filter((d) => d !== cn),
        status: STATUS.ISSUED, insertTime: now, isVip: false, from: "upload", source: "upload", alias: req.Alias ?? "",
        key: { mode: "uploaded-cert", algorithm, csrPem: null, privateKeyPem: keyPem ?? null, keyPass: req.KeyPassword ?? null, inferred: false },
      });
      cert.notBefore = summary.notBefore.toISOString();
      cert.notAfter = summary.notAfter.toISOString();
      cert.material = {
        certificatePem: first.endsWith("\n") ? first : first + "\n",
        chainPem: pems.slice(1).map((p) => p + "\n").join(""),
        rootPem: "",
        serialNumber: summary.serialNumber,
        sha1Fingerprint: summary.sha1.toUpperCase(),
      };
      if (now.getTime() > summary.notAfter.getTime()) cert.status = STATUS.EXPIRED;
      insertCertificate(account, cert);
      return { CertificateId: cert.id, RepeatCertId: "" };
    }),
  };
}
