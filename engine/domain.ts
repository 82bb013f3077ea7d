/**
 * Domain types shared by the engine and its adapters. They are the non-null,
 * camelCase view of Tencent's wire models: adapters in `tencent/` convert the
 * SDK's nullable PascalCase types into these, and nothing outside `tencent/`
 * ever sees an SDK type.
 */

/*
 * Each enumeration is written once, as a const list; its type is derived from the list, so adding
 * a value here makes the compiler find every `Record<…>` table that must cover it.
 */

/** Key algorithms a renewal can request. */
export const KEY_ALGORITHMS = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** Where the new certificate's key comes from. */
export const KEY_SOURCES = ["local", "online", "original", "csr"] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

/** How domain control is proven for DV certificates. */
export const VALIDATION_METHODS = ["dnspod", "DNS_AUTO", "manual-dns"] as const;
export type ValidationMethod = (typeof VALIDATION_METHODS)[number];

/** Resource types `UpdateCertificateInstance` can move to a new certificate. */
export const DEPLOY_RESOURCE_TYPES = ["clb", "cdn", "waf", "live", "ddos", "teo", "apigateway", "vod", "tke", "tcb", "tse", "cos", "mqtt", "scf", "tdmq", "gaap"] as const;
export type DeployResourceType = (typeof DEPLOY_RESOURCE_TYPES)[number];

/**
 * Engine phases of a Tencent certificate. Tencent's numeric `Status` maps onto
 * these in exactly one table (`tencent/status.ts`).
 */
export type CertPhase =
  | "awaiting-submission" // 5: order paid, information/order not yet submitted
  | "validating" // 0, 4: under review / domain validation
  | "pending-letter" // 8: OV/EV confirmation letter (human step)
  | "issued" // 1
  | "review-failed" // 2
  | "cancelling" // 6
  | "cancelled" // 7
  | "expired" // 3
  | "revoked" // 9, 10, 12
  | "refunded" // 14
  | "busy" // 11 reissuing, 15 migrating, 13 free pending info
  | "unknown";

/** One DNS record the CA expects for domain validation (`DvAuthDetail.DvAuths[]`). */
export interface DvAuth {
  /** FQDN of the record, e.g. `_dnsauth.example.com`. */
  readonly key: string;
  readonly value: string;
  /** DNS zone, e.g. `example.com`. */
  readonly zone: string;
  /** Host label inside the zone, e.g. `_dnsauth`. */
  readonly subDomain: string;
  readonly recordType: "TXT" | "CNAME" | "FILE";
  /** Only for FILE validation; "" otherwise. */
  readonly path: string;
}

/** The renewal link between two certificates of one lineage. */
export interface RenewalLink {
  /** Old → new: `CertificateExtra.RenewOrder` (or list `HasRenewOrder`). "" when none. */
  readonly renewOrderId: string;
  /** New → old: `CertificateExtra.OriginCertificateId`. "" when none. */
  readonly originCertificateId: string;
}

/**
 * Tencent-side renewal channels of a certificate: Tencent's own auto-renewal, hosting, or a
 * subscription. While any is on, Tencent may renew the certificate itself, so our renewal could pay
 * twice; the ids name certificates Tencent created that way (orders in flight for the lineage).
 */
export interface TencentRenewalChannels {
  /** `AutoRenewFlag` 1 (list only). */
  readonly autoRenew: boolean;
  /** `HostingStatus` 0 (hosting), 5 (replacing), 10 (done); -1 or absent: not hosted. */
  readonly hostingStatus: number;
  /** `ServiceId`: a subscription service; "" when none. */
  readonly serviceId: string;
  /** Certificates Tencent renewed into: `HostingRenewCertId`, `CertificateExtra.ServiceRenewCertificateId`. */
  readonly renewalIds: readonly string[];
}

/** Whether any Tencent-side renewal channel is on; "" when none, else what is on (for messages). */
export function tencentChannelsOn(c: TencentRenewalChannels | undefined): string {
  if (!c) return "";
  const on = [
    ...(c.autoRenew ? ["AutoRenewFlag 1 (Tencent auto-renewal)"] : []),
    ...(c.hostingStatus >= 0 ? [`HostingStatus ${c.hostingStatus} (hosting)`] : []),
    ...(c.serviceId ? [`ServiceId ${c.serviceId} (subscription)`] : []),
    ...(c.renewalIds.length > 0 ? [`renewed by Tencent into ${c.renewalIds.join(", ")}`] : []),
  ];
  return on.join(", ");
}

/** One certificate as the engine sees it (from `DescribeCertificateDetail`). */
export interface Certificate {
  readonly certificateId: string;
  readonly status: number;
  readonly phase: CertPhase;
  /** `StatusMsg`, upper-cased; "" when absent. */
  readonly statusMsg: string;
  /** Common name (`Domain`). */
  readonly domain: string;
  /** Every domain the certificate covers, the common name first, without duplicates. */
  readonly domains: readonly string[];
  /** `IsVip` of the detail, documented as "是否为付费证书" (a paid certificate). */
  readonly paid: boolean;
  readonly isDv: boolean;
  /** `CertType` as Tencent reports it ("DV", "OV", "EV"; not always trustworthy, prefer `isDv`). */
  readonly certType: string;
  /**
   * `CertificateExtra.DomainNumber`: the domains paid for (a single-domain
   * certificate's free `www.` twin does not count); 0 when Tencent does not say.
   */
  readonly domainNumber: number;
  /** `From`: brand/source such as `trustasia`, `upload`. */
  readonly from: string;
  /** `PackageType` product code; "" when absent. */
  readonly packageType: string;
  readonly productZhName: string;
  /** `VerifyType`; "" when absent. */
  readonly verifyType: string;
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
  /** `RenewAble`: Tencent allows a renewal now. */
  readonly renewable: boolean;
  readonly link: RenewalLink;
  readonly dvAuths: readonly DvAuth[];
  /** Leaf (and possibly chain) PEM once issued; null before. */
  readonly certificatePem: string | null;
  /** Private key PEM when Tencent generated the key. SECRET. */
  readonly privateKeyPem: string | null;
  /** `RootCert.Standard`; null when absent. */
  readonly rootPem: string | null;
  /** "RSA 2048", "ECC 256"... ; "" when absent. */
  readonly encryptAlgorithm: string;
  readonly validityPeriodMonths: number;
  readonly insertTime: Date | null;
  /** CSR recorded in `SubmittedData.CsrContent`; null when absent. */
  readonly csrPem: string | null;
  /** Tencent-side renewal channels as the detail shows them. @default none known */
  readonly tencentRenewal?: TencentRenewalChannels;
}

/** One row of `DescribeCertificates`. */
export interface CertificateSummary {
  readonly certificateId: string;
  readonly status: number;
  readonly phase: CertPhase;
  readonly statusMsg: string;
  readonly domain: string;
  readonly domains: readonly string[];
  readonly alias: string;
  /**
   * A paid certificate, from the list's documented fields: `PackageType` names a paid product (not
   * null = uploaded, 2 or 83 = free TrustAsia DV) or `IsPackage` (bought with benefit points). The
   * list's `IsVip` is documented as "是否为 VIP 客户" (a VIP customer) and is not used.
   */
  readonly paid: boolean;
  readonly isDv: boolean;
  readonly certType: string;
  readonly packageType: string;
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
  readonly renewable: boolean;
  readonly isExpiring: boolean;
  /** `HasRenewOrder` when it is a certificate id: "" when none, or when Tencent answers a flag such as "yes" (see `renewalPending`). */
  readonly hasRenewOrder: string;
  /** `HasRenewOrder` says a renewal exists (an id, or a flag such as "yes"). @default false */
  readonly renewalPending?: boolean;
  /** Tencent-side renewal channels as the list shows them. @default none known */
  readonly tencentRenewal?: TencentRenewalChannels;
  readonly link: RenewalLink;
  readonly verifyType: string;
  /** `InsertTime`: when the certificate (or order) was created; null when absent. */
  readonly insertTime: Date | null;
}

/** A benefit-point package (`DescribePackages`). */
export interface BenefitPackage {
  readonly packageId: string;
  readonly type: string;
  readonly total: number;
  readonly balance: number;
  readonly status: string;
  readonly expireTime: Date | null;
  /** Sub-product id the package pays for, when Tencent tells; 0 otherwise. */
  readonly pid: number;
}

/** Parameters of the paid renewal call (`CreateCertificateByPackage`). */
export interface RenewByPackageRequest {
  readonly oldCertificateId: string;
  readonly productPid: number;
  readonly packageIds: readonly string[];
  readonly domainCount: number;
  readonly periodYears: number;
  readonly csrMethod: "original" | "upload" | "online";
  /** PEM, only with `upload`. */
  readonly csrPem?: string;
  /** Only with `online`. */
  readonly algorithmType?: "RSA" | "ECC";
  /** `2048`, `4096`, `prime256v1`; only with `online`. */
  readonly algorithmParam?: string;
  readonly verifyType?: "DNS_AUTO" | "DNS" | "FILE";
}

/** A DNS record as DNSPod lists it. */
export interface DnsRecord {
  readonly recordId: number;
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly line: string;
  readonly ttl: number;
  readonly status: string;
}

/** Per-domain validation diagnostics (`CheckCertificateDomainVerification`). */
export interface DomainVerification {
  readonly domain: string;
  readonly verifyType: string;
  readonly localCheck: number;
  readonly caCheck: number;
  readonly failReason: string;
  readonly frequently: boolean;
  readonly issued: boolean;
}

/** A resource type and regions for `UpdateCertificateInstance`. */
export interface DeployTarget {
  readonly resourceType: string;
  readonly regions: readonly string[];
}

/** Result of starting a deployment (`UpdateCertificateInstance`). */
export interface DeployStart {
  /** 0: Tencent is still creating the task, call again. */
  readonly deployRecordId: number;
  readonly deployStatus: number;
}

/** Per-resource outcome of a deployment. */
export interface DeployResourceResult {
  readonly resourceType: string;
  readonly region: string;
  readonly instanceId: string;
  readonly listenerId: string;
  readonly domain: string;
  /** "success" | "failed" | "running" */
  readonly status: "success" | "failed" | "running";
  readonly errorMessage: string;
}

export interface DeployRecord {
  readonly deployRecordId: number;
  /** true once every resource is in a final state */
  readonly finished: boolean;
  readonly results: readonly DeployResourceResult[];
}
