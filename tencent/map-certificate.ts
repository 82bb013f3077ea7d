/**
 * SSL certificate wire models → engine domain types.
 * Detail (`DescribeCertificateDetail`): `SubjectAltName` excludes the common name.
 * List (`DescribeCertificates`): `SubjectAltName` (and `CertSANs`) include it.
 * Either way `domains` is the common name first, then the SANs, deduplicated.
 */
import type { Certificates, DescribeCertificateDetailResponse, DvAuths } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import type { Certificate, CertificateSummary, DvAuth, RenewalLink, TencentRenewalChannels } from "../engine/domain";
import { parseTencentTime } from "./dates";
import { phaseOfStatus } from "./status";
import { bool, list, num, pemOrNull, str, uniqueDomains, type Wire } from "./wire";

/** Status used when the wire carries none: maps to phase `unknown`. */
const NO_STATUS = -1;

export function mapCertificateDetail(r: Wire<DescribeCertificateDetailResponse>): Certificate {
  const status = num(r?.Status, NO_STATUS);
  const extra = r?.CertificateExtra;
  return {
    certificateId: str(r?.CertificateId),
    status,
    phase: phaseOfStatus(status),
    statusMsg: str(r?.StatusMsg).toUpperCase(),
    domain: str(r?.Domain),
    domains: uniqueDomains([r?.Domain, ...list(r?.SubjectAltName)]),
    paid: bool(r?.IsVip),
    isDv: bool(r?.IsDv),
    certType: str(r?.CertType),
    domainNumber: num(extra?.DomainNumber, 0),
    from: str(r?.From),
    packageType: str(r?.PackageType),
    productZhName: str(r?.ProductZhName),
    verifyType: str(r?.VerifyType),
    notBefore: parseTencentTime(r?.CertBeginTime),
    notAfter: parseTencentTime(r?.CertEndTime),
    renewable: bool(r?.RenewAble),
    link: { renewOrderId: str(extra?.RenewOrder), originCertificateId: str(extra?.OriginCertificateId) },
    dvAuths: list(r?.DvAuthDetail?.DvAuths).map(mapDvAuth),
    certificatePem: pemOrNull(r?.CertificatePublicKey),
    // Pending paid certificates show a masked "*******" here: that is not a key.
    privateKeyPem: pemOrNull(r?.CertificatePrivateKey),
    rootPem: pemOrNull(r?.RootCert?.Standard),
    encryptAlgorithm: str(r?.EncryptAlgorithm),
    validityPeriodMonths: num(r?.ValidityPeriod),
    insertTime: parseTencentTime(r?.InsertTime),
    csrPem: pemOrNull(r?.SubmittedData?.CsrContent),
    tencentRenewal: channelsOf(offModel(r, "AutoRenewFlag"), r?.HostingStatus, offModel(r, "ServiceId"), [offModel(r, "HostingRenewCertId"), extra?.ServiceRenewCertificateId]),
  };
}

/** Tencent-side renewal channels from whichever of these fields the answer carries. */
function channelsOf(autoRenew: unknown, hosting: unknown, serviceId: unknown, renewalIds: readonly unknown[]): TencentRenewalChannels {
  return {
    autoRenew: num(autoRenew, 0) === 1,
    hostingStatus: num(hosting, -1),
    serviceId: str(serviceId),
    renewalIds: [...new Set(renewalIds.map((x) => str(x)).filter((x) => looksLikeCertificateId(x)))],
  };
}

/** Not a flag such as "yes", "1", "true": a certificate id (8+ letters and digits). */
export function looksLikeCertificateId(v: string): boolean {
  return /^[A-Za-z0-9_-]{6,64}$/.test(v) && !/^(yes|no|true|false|null|none)$/i.test(v);
}

/** Free products by the documented `PackageType` list: 2 TrustAsia TLS RSA CA, 83 TrustAsia C1 DV Free. */
const FREE_PACKAGE_TYPES: ReadonlySet<string> = new Set(["2", "83"]);

/** The list's documented "paid" (see `CertificateSummary.paid`); its `IsVip` means a VIP customer. */
function listPaid(c: Wire<Certificates>): boolean {
  if (bool(c?.IsPackage)) return true;
  const type = str(c?.PackageType);
  return type !== "" && !FREE_PACKAGE_TYPES.has(type) && str(c?.From).toLowerCase() !== "upload";
}

export function mapCertificateSummary(c: Wire<Certificates>): CertificateSummary {
  const status = num(c?.Status, NO_STATUS);
  const extra = c?.CertificateExtra;
  const flag = str(c?.HasRenewOrder);
  // HasRenewOrder ("存在的续费证书ID") may come back as a flag such as "yes": never taken for an id.
  const hasRenewOrder = looksLikeCertificateId(flag) ? flag : "";
  const link: RenewalLink = {
    renewOrderId: str(extra?.RenewOrder) || hasRenewOrder,
    originCertificateId: str(extra?.OriginCertificateId),
  };
  return {
    certificateId: str(c?.CertificateId),
    status,
    phase: phaseOfStatus(status),
    statusMsg: str(c?.StatusMsg).toUpperCase(),
    domain: str(c?.Domain),
    domains: uniqueDomains([c?.Domain, ...list(c?.SubjectAltName), ...list(c?.CertSANs)]),
    alias: str(c?.Alias),
    paid: listPaid(c),
    isDv: bool(c?.IsDv),
    // The list model has no `CertType`; read it if the wire sends one, else say "DV" for `IsDv`.
    certType: str(offModel(c, "CertType")) || (bool(c?.IsDv) ? "DV" : levelFromProductName(str(c?.ProductZhName) || str(c?.PackageTypeName))),
    packageType: str(c?.PackageType),
    notBefore: parseTencentTime(c?.CertBeginTime),
    notAfter: parseTencentTime(c?.CertEndTime),
    renewable: bool(c?.RenewAble),
    isExpiring: bool(c?.IsExpiring),
    hasRenewOrder,
    renewalPending: flag !== "" && !/^(no|false|0|null)$/i.test(flag),
    tencentRenewal: channelsOf(c?.AutoRenewFlag, c?.HostingStatus, c?.ServiceId, [c?.HostingRenewCertId, extra?.ServiceRenewCertificateId]),
    link,
    verifyType: str(c?.VerifyType),
    insertTime: parseTencentTime(c?.InsertTime),
  };
}

/** A field the SDK model does not declare but the wire may carry. */
export function offModel(value: unknown, field: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}

function mapDvAuth(a: Wire<DvAuths>): DvAuth {
  const key = str(a?.DvAuthKey);
  const zone = str(a?.DvAuthDomain);
  const path = str(a?.DvAuthPath);
  let subDomain = str(a?.DvAuthSubDomain);
  if (subDomain === "" && zone !== "" && key.endsWith(`.${zone}`)) subDomain = key.slice(0, -(zone.length + 1));
  return { key, value: str(a?.DvAuthValue), zone, subDomain, recordType: recordTypeOf(a?.DvAuthVerifyType, path), path };
}

function recordTypeOf(value: unknown, path: string): DvAuth["recordType"] {
  const t = str(value).toUpperCase();
  if (t === "TXT" || t === "CNAME" || t === "FILE") return t;
  // Not stated: a path means file validation, otherwise the classic TXT record.
  return path !== "" ? "FILE" : "TXT";
}

/**
 * The list model has no `CertType`. For non-DV certificates, Tencent's product
 * names say the level: 增强型 / EV is extended validation, 企业型 / OV organisation.
 * INFERRED from the product names in the SDK's `PackageType` docs. "" when unclear.
 */
export function levelFromProductName(name: string): string {
  if (/增强|\bEV\b/i.test(name)) return "EV";
  if (/企业|\bOV\b/i.test(name)) return "OV";
  return "";
}
