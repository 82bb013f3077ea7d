/**
 * Application data and order submission: CertificateInfoSubmit (current),
 * SubmitCertificateInformation (legacy), CertificateOrderSubmit (current),
 * CommitCertificateInformation (legacy), UploadConfirmLetter.
 */
import type {
  CertificateInfoSubmitRequest,
  CertificateInfoSubmitResponse,
  CertificateOrderSubmitRequest,
  CertificateOrderSubmitResponse,
  CommitCertificateInformationRequest,
  CommitCertificateInformationResponse,
  SubmitCertificateInformationRequest,
  SubmitCertificateInformationResponse,
  UploadConfirmLetterRequest,
  UploadConfirmLetterResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { keyFor, parseAlgorithm, type KeyRequest } from "../keymodes";
import { acceptLetterNow, submitOrder, VERIFY_TYPES } from "../order";
import { STATUS } from "../status";
import { handler, requireString } from "../wire";
import type { AccountState, CertificateRecord, SubmittedInfo } from "../state";

interface InfoInput {
  readonly genCsrType: string;
  readonly csr: string | undefined;
  readonly algo: string | undefined;
  readonly keyParam: string | undefined;
  readonly keyPass: string | undefined;
  readonly info: SubmittedInfo;
}

function requireStatus5(cert: CertificateRecord): void {
  if (cert.status !== STATUS.PENDING_SUBMIT) {
    throw new ApiError("FailedOperation.CertificateInfoSubmitStatusInvalid", `Certificate ${cert.id} is in status ${cert.status}; information can only be submitted in status 5.`);
  }
}

/** Stores the application data and, for a new order, the key or CSR. */
async function applyInfo(account: AccountState, cert: CertificateRecord, input: InfoInput): Promise<void> {
  requireStatus5(cert);
  const cn = input.info.commonName.toLowerCase();
  if (cert.domain !== "" && cn !== cert.domain) {
    throw new ApiError("FailedOperation.CertificateInfoSubmitDomainInvalid", `The common name ${JSON.stringify(cn)} does not match certificate ${cert.id} (${cert.domain}).`);
  }
  const target: CertificateRecord = { ...cert, domain: cn, sans: input.info.dnsNames.map((d) => d.toLowerCase()).filter((d) => d !== cn) };
  const gen = input.genCsrType.toLowerCase();
  let keyReq: KeyRequest;
  if (gen === "parse") {
    keyReq = { method: "upload", csrPem: input.csr, keyPass: input.keyPass };
  } else if (gen === "online") {
    keyReq = { method: "online", algorithm: parseAlgorithm(input.algo, input.keyParam, "InvalidParameter.RenewAlgorithmInvalid"), keyPass: input.keyPass };
  } else {
    throw new ApiError("FailedOperation.InvalidParam", `GenCsrType must be online or parse, got ${JSON.stringify(input.genCsrType)}.`);
  }
  // A renewal keeps the key chosen at purchase unless new data says otherwise; a CSR that only names the CN is fine.
  const reuse = cert.originCertificateId !== null && gen === "online" && cert.key.privateKeyPem !== null;
  const key = reuse ? cert.key : await keyFor(target, keyReq, "FailedOperation.CertificateCsrParseFailed");
  requireStatus5(cert);
  cert.domain = target.domain;
  cert.sans = target.sans;
  cert.key = key;
  cert.submitted = input.info;
  cert.needsInfo = false;
  if (input.info.verifyType !== "") cert.verifyType = input.info.verifyType;
  cert.companyType = input.info.companyType;
  void account;
}

export function submitHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CertificateInfoSubmit: handler<CertificateInfoSubmitRequest, CertificateInfoSubmitResponse>(core, async ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertId, "CertId"));
      const cn = requireString(req.CertCommonName, "CertCommonName");
      await applyInfo(account, cert, {
        genCsrType: requireString(req.GenCsrType, "GenCsrType"),
        csr: req.Csr,
        algo: req.CsrEncryptAlgo,
        keyParam: req.CsrKeyParameter,
        keyPass: req.KeyPass,
        info: {
          genCsrType: req.GenCsrType ?? "online",
          commonName: cn,
          dnsNames: req.DnsNames ?? [],
          companyType: Number(req.CompanyType ?? 2),
          companyId: req.CompanyId ?? "0",
          organization: req.OrgOrganization ?? "",
          division: req.OrgDivision ?? "",
          address: req.OrgAddress ?? "",
          country: req.OrgCountry ?? "",
          city: req.OrgCity ?? "",
          region: req.OrgRegion ?? "",
          phoneArea: req.OrgPhoneArea ?? "",
          phoneNumber: req.OrgPhoneNumber ?? "",
          adminFirstName: req.AdminFirstName ?? "",
          adminLastName: req.AdminLastName ?? "",
          adminPhone: req.AdminPhone ?? "",
          adminEmail: req.AdminEmail ?? "",
          adminTitle: req.AdminTitle ?? "",
          contactEmail: req.ContactEmail ?? req.AdminEmail ?? "",
          verifyType: req.VerifyType ?? "",
        },
      });
      return {};
    }),

    SubmitCertificateInformation: handler<SubmitCertificateInformationRequest, SubmitCertificateInformationResponse>(core, async ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const cn = req.CertificateDomain ?? cert.domain;
      await applyInfo(account, cert, {
        genCsrType: req.CsrType ?? "online",
        csr: req.CsrContent,
        algo: undefined,
        keyParam: undefined,
        keyPass: req.KeyPassword,
        info: {
          genCsrType: req.CsrType ?? "online",
          commonName: cn,
          dnsNames: req.DomainList ?? [],
          companyType: req.IsDV ? 1 : 2,
          companyId: "0",
          organization: req.OrganizationName ?? "",
          division: req.OrganizationDivision ?? "",
          address: req.OrganizationAddress ?? "",
          country: req.OrganizationCountry ?? "",
          city: req.OrganizationCity ?? "",
          region: req.OrganizationRegion ?? "",
          phoneArea: req.PhoneAreaCode ?? "",
          phoneNumber: req.PhoneNumber ?? "",
          adminFirstName: req.AdminFirstName ?? "",
          adminLastName: req.AdminLastName ?? "",
          adminPhone: req.AdminPhoneNum ?? "",
          adminEmail: req.AdminEmail ?? "",
          adminTitle: req.AdminPosition ?? "",
          contactEmail: req.ContactEmail ?? "",
          verifyType: req.VerifyType ?? "",
        },
      });
      return { CertificateId: cert.id };
    }),

    CertificateOrderSubmit: handler<CertificateOrderSubmitRequest, CertificateOrderSubmitResponse>(core, ({ req, account, now }) => {
      const cert = certificateOf(account, requireString(req.CertId, "CertId"));
      const status = orderSubmit(core, account, cert, req.VerifyType, Number(req.DeleteDnsAutoRecord ?? 0) === 1, now);
      return { OrderId: cert.orderId, Status: status, IsAudited: true };
    }),

    CommitCertificateInformation: handler<CommitCertificateInformationRequest, CommitCertificateInformationResponse>(core, ({ req, account, now }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const status = orderSubmit(core, account, cert, req.VerifyType, false, now);
      return { OrderId: cert.orderId, Status: status };
    }),

    UploadConfirmLetter: handler<UploadConfirmLetterRequest, UploadConfirmLetterResponse>(core, ({ req, account, now }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      if (!core.state.settings.allowUploadConfirmLetter) {
        throw new ApiError("FailedOperation.UploadConfirmCertificateNotSupport", "当前接口不支持上传确认函功能，请去腾讯云控制台进行操作 (upload the confirmation letter in the Tencent Cloud console).");
      }
      if (cert.certType === "DV") throw new ApiError("FailedOperation.UploadConfirmCertificateNotSupportDV", `Certificate ${cert.id} is DV and needs no confirmation letter.`);
      if (cert.status !== STATUS.PENDING_LETTER) {
        throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${cert.id} is in status ${cert.status}; a confirmation letter is accepted in status 8 only.`);
      }
      const letter = requireString(req.ConfirmLetter, "ConfirmLetter");
      const bytes = Buffer.from(letter, "base64").length;
      if (bytes < 1024) throw new ApiError("FailedOperation.ConfirmLetterTooSmall", `The confirmation letter is ${bytes} bytes; the minimum is 1 KB.`);
      if (bytes > 1.4 * 1024 * 1024) throw new ApiError("FailedOperation.ConfirmLetterTooLarge", `The confirmation letter is ${bytes} bytes; the maximum is 1.4 MB.`);
      acceptLetterNow(cert, now);
      return { CertificateId: cert.id, IsSuccess: true };
    }),
  };
}

function orderSubmit(core: BackendCore, account: AccountState, cert: CertificateRecord, verifyTypeRaw: string | undefined, deleteAuto: boolean, now: Date): number {
  if (cert.status !== STATUS.PENDING_SUBMIT) {
    throw new ApiError("FailedOperation.CertificateInfoSubmitStatusInvalid", `Certificate ${cert.id} is in status ${cert.status}; an order can only be submitted in status 5.`);
  }
  if (cert.domain === "" || cert.needsInfo === true) {
    throw new ApiError("FailedOperation.CertificateInfoSubmitStatusInvalid", `Certificate ${cert.id} has no application data yet; call CertificateInfoSubmit first.`);
  }
  const verifyType = verifyTypeRaw ?? cert.verifyType ?? "DNS";
  if (!VERIFY_TYPES.includes(verifyType)) throw new ApiError("FailedOperation.InvalidParam", `VerifyType must be one of ${VERIFY_TYPES.join(", ")}, got ${JSON.stringify(verifyType)}.`);
  submitOrder(core, account, cert, verifyType, now, deleteAuto);
  return cert.status;
}
