/** Certificate records rendered in the field shapes of `DescribeCertificates` and `DescribeCertificateDetail`. */
import type {
  CertBasicInfo,
  CertificateExtra,
  Certificates,
  DescribeCertificateDetailResponse,
  DvAuthDetail,
  SubmittedData,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { splitPemCertificates, summarizeCertificate } from "../../crypto/ca";
import { productOf, type Product } from "./products";
import { ensureMaterial } from "./material";
import { createPrivateKey } from "node:crypto";
import type { InferredRules } from "../rules";
import { cnameValueOf } from "./dns";
import { visibleHasRenewOrder, visibleOrigin, visibleRenewOrder } from "./links";
import { isExpiring, isIssued, isRenewable, STATUS, STATUS_NAMES } from "./status";
import { DAY_MS, gmt8 } from "./time";
import type { BackendCore } from "./core";
import type { AccountState, CertificateRecord, MaterialRecord } from "./state";
import type { Wire, WireResponse } from "./wire";

export function productFor(cert: CertificateRecord): Product | undefined {
  return productOf(cert.productPid);
}

export function packageTypeOf(cert: CertificateRecord): string | null {
  if (cert.source === "upload") return null;
  // A free certificate: documented PackageType 83, "TrustAsia C1 DV Free".
  if (!cert.isVip) return "83";
  return productFor(cert)?.packageType ?? null;
}

export function productNameOf(cert: CertificateRecord): string {
  return cert.source === "upload" ? "" : productFor(cert)?.name ?? "";
}

export function encryptAlgorithmOf(cert: CertificateRecord): string {
  const a = cert.key.algorithm;
  return a.startsWith("RSA_") ? `RSA ${a.slice(4)}` : `ECC ${a === "EC_P384" ? 384 : 256}`;
}

export function isWildcard(cert: CertificateRecord): boolean {
  return [cert.domain, ...cert.sans].some((d) => d.startsWith("*."));
}

/** `DomainNumber`: the domains paid for (a single-domain certificate's free `www.` does not count). */
export function domainNumber(cert: CertificateRecord): number {
  const www = `www.${cert.domain}`;
  const extra = cert.sans.filter((s) => !(s === www && cert.sans.length === 1));
  return 1 + extra.length;
}

/** 1 single, 2 multi, 3 wildcard, 4 multi-wildcard. */
export function domainTypeOf(cert: CertificateRecord): number {
  const wildcard = isWildcard(cert);
  const multi = domainNumber(cert) > 1;
  return wildcard && multi ? 4 : wildcard ? 3 : multi ? 2 : 1;
}

/** `CertificateExtra`, with the renewal link as the inferred rules show it at `now`. */
export function extraOf(account: AccountState, cert: CertificateRecord, rules: InferredRules, now: Date): Wire<CertificateExtra> {
  return {
    DomainNumber: String(domainNumber(cert)),
    OriginCertificateId: visibleOrigin(cert, rules, now),
    ReplacedBy: cert.replacedBy,
    ReplacedFor: cert.replacedFor,
    RenewOrder: visibleRenewOrder(account, cert, rules, now),
    SMCert: productFor(cert)?.sm ? 1 : 0,
    CompanyType: cert.companyType,
    ServiceRenewCertificateId: null,
    ServiceOriginCertificateId: null,
  };
}

function statusMsgOf(cert: CertificateRecord): string | null {
  if (cert.status === STATUS.REJECTED) return cert.failReason ?? "订单审核失败";
  return cert.statusMsg;
}

function timeOrNull(t: string | null): string | null {
  return t ? gmt8(t) : null;
}

export function listItem(account: AccountState, cert: CertificateRecord, now: Date, rules: InferredRules): Wire<Certificates> {
  const product = productFor(cert);
  const issued = isIssued(cert);
  const allNames = [cert.domain, ...cert.sans];
  return {
    OwnerUin: account.ownerUin,
    ProjectId: cert.projectId,
    From: cert.from,
    PackageType: packageTypeOf(cert),
    CertificateType: "SVR",
    ProductZhName: productNameOf(cert),
    Domain: cert.domain,
    Alias: cert.alias,
    Status: cert.status,
    CertificateExtra: extraOf(account, cert, rules, now),
    VulnerabilityStatus: "INACTIVE",
    StatusMsg: statusMsgOf(cert) ?? "",
    VerifyType: cert.verifyType ?? "",
    CertBeginTime: timeOrNull(cert.notBefore),
    CertEndTime: timeOrNull(cert.notAfter),
    ValidityPeriod: String(cert.periodYears * 12),
    InsertTime: gmt8(cert.insertTime),
    CertificateId: cert.id,
    SubjectAltName: allNames,
    PackageTypeName: productNameOf(cert),
    StatusName: STATUS_NAMES[cert.status] ?? "",
    // Inferred rule `listIsVip`: documented in the list as "是否为 VIP 客户", not "paid".
    IsVip: rules.listIsVip === "inverted" ? !cert.isVip : cert.isVip,
    IsDv: cert.certType === "DV",
    IsWildcard: isWildcard(cert),
    IsVulnerability: false,
    RenewAble: isRenewable(account, cert, now, rules.renewAbleWhileRenewing),
    ProjectInfo: {
      ProjectName: "默认项目",
      ProjectCreatorUin: 0,
      ProjectCreateTime: "0000-00-00 00:00:00",
      ProjectResume: "默认项目",
      OwnerUin: 0,
      ProjectId: cert.projectId,
    },
    BoundResource: [...new Set(cert.boundResources.map((r) => r.resourceType))],
    Deployable: issued,
    Tags: [],
    IsIgnore: false,
    IsSM: product?.sm ?? false,
    EncryptAlgorithm: encryptAlgorithmOf(cert),
    CAEncryptAlgorithms: [],
    CAEndTimes: [],
    CACommonNames: [],
    PreAuditInfo: { TotalPeriod: cert.periodYears, NowPeriod: 1, ManagerId: "" },
    AutoRenewFlag: rules.tencentAutoRenew && cert.isVip && isIssued(cert) ? 1 : 0,
    HostingStatus: -1,
    HostingCompleteTime: "",
    HostingRenewCertId: "",
    HasRenewOrder: hasRenewOrderShown(visibleHasRenewOrder(account, cert, rules, now), rules),
    ReplaceOriCertIsDelete: false,
    IsExpiring: isExpiring(cert, now),
    DVAuthDeadline: gmt8(new Date(Date.parse(cert.insertTime) + 7 * DAY_MS)),
    ValidationPassedTime: cert.dcvPassedAt ? gmt8(cert.dcvPassedAt) : "--",
    CertSANs: allNames,
    AwaitingValidationMsg: "",
    AllowDownload: issued,
    IsDNSPODResolve: allNames.every((d) => Object.values(account.zones).some((z) => d.replace(/^\*\./, "") === z.zone || d.endsWith("." + z.zone))),
    IsPackage: cert.packageIds.length > 0,
    KeyPasswordCustomFlag: cert.key.keyPass !== null && cert.key.keyPass !== "",
    SupportDownloadType: { NGINX: issued, APACHE: issued, TOMCAT: false, IIS: false, JKS: false, OTHER: issued, ROOT: issued },
    CertRevokedTime: "",
    HostingResourceTypes: [],
    HostingConfig: null,
    IsHostingUploadRenewCert: false,
    ServiceId: null,
    ServiceStatus: null,
    CertServiceBeginTime: null,
    CertServiceEndTime: null,
    CertServiceShareEnabled: null,
    CertServiceValidCertificateCount: null,
  };
}

export function dvAuthDetailOf(cert: CertificateRecord, rules: InferredRules): Wire<DvAuthDetail> {
  const show = !isIssued(cert) && cert.status !== STATUS.CANCELLED && cert.dvAuths.length > 0;
  const first = show ? cert.dvAuths[0] : undefined;
  if (!first) {
    return { DvAuthKey: null, DvAuthValue: null, DvAuthDomain: null, DvAuthPath: null, DvAuthKeySubDomain: "", DvAuths: null };
  }
  return {
    DvAuthKey: first.key,
    DvAuthValue: cnameValueOf(first.verifyType, first.value, rules),
    DvAuthDomain: first.zone,
    DvAuthPath: first.path,
    DvAuthKeySubDomain: first.subDomain,
    DvAuths: cert.dvAuths.map((a) => ({
      DvAuthKey: a.key,
      DvAuthValue: cnameValueOf(a.verifyType, a.value, rules),
      DvAuthDomain: a.zone,
      DvAuthPath: a.path,
      DvAuthSubDomain: a.subDomain,
      DvAuthVerifyType: a.verifyType,
    })),
  };
}

export function submittedDataOf(cert: CertificateRecord): Wire<SubmittedData> | null {
  const s = cert.submitted;
  if (!s || isIssued(cert)) return null; // Tencent stops returning it once issued (Terraform's note)
  return {
    CsrType: s.genCsrType,
    CsrContent: cert.key.mode === "upload" ? cert.key.csrPem : null,
    CertificateDomain: s.commonName,
    DomainList: s.dnsNames,
    KeyPassword: cert.key.keyPass ? "******" : null,
    OrganizationName: s.organization,
    OrganizationDivision: s.division,
    OrganizationAddress: s.address,
    OrganizationCountry: s.country,
    OrganizationCity: s.city,
    OrganizationRegion: s.region,
    PostalCode: null,
    PhoneAreaCode: s.phoneArea,
    PhoneNumber: s.phoneNumber,
    AdminFirstName: s.adminFirstName,
    AdminLastName: s.adminLastName,
    AdminPhoneNum: s.adminPhone,
    AdminEmail: s.adminEmail,
    AdminPosition: s.adminTitle,
    ContactFirstName: s.adminFirstName,
    ContactLastName: s.adminLastName,
    ContactNumber: s.adminPhone,
    ContactEmail: s.contactEmail,
    ContactPosition: s.adminTitle,
    VerifyType: s.verifyType,
  };
}

/**
 * `CertificatePrivateKey`: the PEM once issued when Tencent holds the key (online, seeded, original with
 * a key on file); masked `"*******"` before issuance, as in Tencent's pending paid examples; null for
 * uploaded CSRs.
 */
/** `HasRenewOrder` in the form of the inferred rule `hasRenewOrderForm` (`"yes"` for `flag`). */
function hasRenewOrderShown(id: string, rules: InferredRules): string {
  return id !== "" && rules.hasRenewOrderForm === "flag" ? "yes" : id;
}

/**
 * `CertificatePrivateKey` under the inferred rule `onlineKey`: a key Tencent generated for a
 * renewal (`online` / `original`) is shown as PEM, not at all, or encrypted.
 */
function privateKeyShown(cert: CertificateRecord, rules: InferredRules): string | null {
  const shown = privateKeyOf(cert);
  const generated = cert.originCertificateId !== null && (cert.key.mode === "online" || cert.key.mode === "original");
  if (shown === null || shown === "*******" || !generated || rules.onlineKey === "plain") return shown;
  if (rules.onlineKey === "missing") return null;
  return createPrivateKey(shown).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "emulator-key-pass" }).toString();
}

function privateKeyOf(cert: CertificateRecord): string | null {
  const held = cert.key.privateKeyPem !== null || cert.key.mode === "seeded";
  if (!held) return null;
  return isIssued(cert) ? cert.key.privateKeyPem : "*******";
}

type ChainEntry = Wire<CertBasicInfo>;

/**
 * `CertChainInfo` per material record. Parsing the X.509 certificates was most of the cost of a
 * DescribeCertificateDetail, so it is done once per material: a WeakMap keyed by the record, which a
 * new issuance or a restored snapshot replaces (so entries never go stale and die with their record).
 */
const chainCache = new WeakMap<MaterialRecord, readonly ChainEntry[]>();

export function chainInfoOf(material: MaterialRecord): ChainEntry[] {
  let chain = chainCache.get(material);
  if (!chain) {
    chain = splitPemCertificates(material.certificatePem + material.chainPem).map((pem) => {
      const s = summarizeCertificate(pem);
      return { Issuer: s.issuerCommonName, Subject: s.subjectCommonName, Fingerprint: s.sha1, ValidFrom: gmt8(s.notBefore), ValidTo: gmt8(s.notAfter) };
    });
    chainCache.set(material, chain);
  }
  return chain.map((e) => ({ ...e })); // callers get their own objects
}

export async function detailOf(core: BackendCore, account: AccountState, cert: CertificateRecord, now: Date): Promise<WireResponse<DescribeCertificateDetailResponse>> {
  const material = await ensureMaterial(core, cert);
  const chain = material ? chainInfoOf(material) : null;
  const product = productFor(cert);
  const rules = core.rules();
  return {
    OwnerUin: account.ownerUin,
    ProjectId: cert.projectId,
    From: cert.from,
    CertificateType: "SVR",
    PackageType: packageTypeOf(cert),
    ProductZhName: productNameOf(cert),
    Domain: cert.domain,
    Alias: cert.alias,
    Status: cert.status,
    StatusMsg: statusMsgOf(cert),
    VerifyType: cert.verifyType,
    VulnerabilityStatus: "INACTIVE",
    CertBeginTime: timeOrNull(cert.notBefore),
    CertEndTime: timeOrNull(cert.notAfter),
    ValidityPeriod: String(cert.periodYears * 12),
    InsertTime: gmt8(cert.insertTime),
    OrderId: cert.orderId,
    CertificateExtra: extraOf(account, cert, rules, now),
    CertificatePrivateKey: privateKeyShown(cert, rules),
    // Leaf + intermediate (UNCERTAIN on Tencent's side; the Nginx bundle has both); leaf only under `chainInPublicKey: false`.
    CertificatePublicKey: material ? material.certificatePem + (rules.chainInPublicKey ? material.chainPem : "") : null,
    DvAuthDetail: dvAuthDetailOf(cert, rules),
    VulnerabilityReport: null,
    CertificateId: cert.id,
    TypeName: productNameOf(cert) || null,
    StatusName: STATUS_NAMES[cert.status] ?? "",
    SubjectAltName: isIssued(cert) ? cert.sans : [],
    IsVip: cert.isVip,
    IsWildcard: isWildcard(cert),
    IsDv: cert.certType === "DV",
    IsVulnerability: false,
    SubmittedData: submittedDataOf(cert),
    RenewAble: isRenewable(account, cert, now, rules.renewAbleWhileRenewing),
    Deployable: isIssued(cert),
    Tags: [],
    RootCert: { Sign: null, Encrypt: null, Standard: material ? material.rootPem : null },
    EncryptCert: null,
    EncryptPrivateKey: null,
    CertFingerprint: material ? material.sha1Fingerprint : null,
    EncryptCertFingerprint: null,
    EncryptAlgorithm: encryptAlgorithmOf(cert),
    DvRevokeAuthDetail: [],
    CertChainInfo: chain,
    DomainType: domainTypeOf(cert),
    CertType: product?.certType ?? cert.certType,
    UseCrossSignRoot: false,
    HostingStatus: -1,
  };
}
