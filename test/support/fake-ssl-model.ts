/**
 * The fake SSL's model (fake-ssl.ts): seeds, order scripts, the stored record,
 * and its views as the engine's `Certificate` and `CertificateSummary`.
 */
import type { Certificate, CertificateSummary, DvAuth } from "../../engine/domain";
import { phaseOfStatus } from "../../tencent/status";

/** How an order moves once submitted. */
export interface OrderScript {
  /** Status of a new renewal right after the paid call. @default 5 */
  readonly initialStatus: number;
  /** Reads in validation (records in place) that still show validating before the order concludes. @default 0 */
  readonly readsToIssue: number;
  /** How validation ends. @default "issue" */
  readonly outcome: "issue" | "letter" | "review-failed" | "cancelled" | "never";
  /** `StatusMsg` while validating, e.g. "WAIT-ISSUE". @default "" */
  readonly statusMsg: string;
  /** Issue a certificate that fails verification. @default "none" */
  readonly tamper: "none" | "wrong-key" | "wrong-domains";
}

/** What the paid call does. */
export interface RenewBehaviour {
  /** Set the link on both certificates, or only `OriginCertificateId` on the new one. @default "both" */
  readonly link: "both" | "new-only";
  /** Reads of the old certificate that still show no `RenewOrder` after the paid call. @default 0 */
  readonly linkDelayReads: number;
  /** A paid call while a renewal exists: refused with `FailedOperation.InvalidCertificateStatusCode`, or accepted. @default "refuse" */
  readonly secondRenewal: "accept" | "refuse";
  /** The new certificate hides its `OriginCertificateId` until `reveal()` (a link not shown yet on either side). @default false */
  readonly originHidden?: boolean;
  /** The new order's script. @default DEFAULT_ORDER */
  readonly order: Partial<OrderScript>;
}

export const DEFAULT_ORDER: OrderScript = { initialStatus: 5, readsToIssue: 0, outcome: "issue", statusMsg: "", tamper: "none" };

export interface CertSeed {
  readonly id: string;
  /** @default 1 (issued) */
  readonly status?: number;
  /** @default ["example.com"] */
  readonly domains?: readonly string[];
  /** @default true */
  readonly renewable?: boolean;
  /** @default true */
  readonly paid?: boolean;
  /** @default 20 days after the clock's now (due with renewBeforeDays 30) */
  readonly notAfter?: Date;
  /** `RenewOrder` (old → new). @default "" */
  readonly renewOrderId?: string;
  /** `OriginCertificateId` (new → old). @default "" */
  readonly originCertificateId?: string;
  /** @default "48" (DNSPod DV: a known ProductPid, no CompleteCertificate) */
  readonly packageType?: string;
  /** @default "" */
  readonly productZhName?: string;
  /** @default "DV" */
  readonly certType?: string;
  /** The certificate's key. @default one shared EC P-256 key */
  readonly key?: { readonly publicKeyPem: string; readonly privateKeyPem: string };
  /** The CSR Tencent recorded (`SubmittedData.CsrContent`), for an order made with an uploaded CSR. @default none */
  readonly csrPem?: string;
  /** Tencent holds the key and returns it (online CSR). @default false */
  readonly tencentHoldsKey?: boolean;
  /** For an order in flight. @default DEFAULT_ORDER */
  readonly order?: Partial<OrderScript>;
}

export interface CertRecord {
  readonly id: string;
  status: number;
  statusMsg: string;
  readonly domains: readonly string[];
  renewable: boolean;
  readonly paid: boolean;
  readonly packageType: string;
  readonly productZhName: string;
  readonly certType: string;
  notBefore: Date | null;
  notAfter: Date | null;
  renewOrderId: string;
  readonly originCertificateId: string;
  hideLinkReads: number;
  dvAuths: readonly DvAuth[];
  verifyType: string;
  pem: string | null;
  readonly csrPem: string | null;
  readonly key: { readonly publicKeyPem: string; readonly privateKeyPem: string | null };
  readonly script: OrderScript;
  readsLeft: number;
  /** `InsertTime`: the fake clock's time for renewals; null for seeds. */
  insertTime: Date | null;
  originHidden: boolean;
}

/** One TXT record per name (a wildcard shares its base name's), in the name's registrable zone. */
export function authsFor(rec: CertRecord): DvAuth[] {
  const byKey = new Map<string, DvAuth>();
  for (const name of rec.domains.map((d) => d.replace(/^\*\./, ""))) {
    const labels = name.split(".");
    const zone = labels.slice(-2).join(".");
    const prefix = labels.slice(0, -2).join(".");
    const subDomain = prefix ? `_dnsauth.${prefix}` : "_dnsauth";
    byKey.set(`${subDomain}.${zone}`, { key: `${subDomain}.${zone}`, value: `fake-${rec.id}-${name}`, zone, subDomain, recordType: "TXT", path: "" });
  }
  return [...byKey.values()];
}

export function toCertificate(rec: CertRecord): Certificate {
  const hidden = rec.hideLinkReads > 0;
  const issued = rec.status === 1 || rec.status === 3;
  return {
    certificateId: rec.id, status: rec.status, phase: phaseOfStatus(rec.status), statusMsg: rec.statusMsg, domain: rec.domains[0] ?? "", domains: rec.domains,
    paid: rec.paid, isDv: rec.certType === "DV", certType: rec.certType, domainNumber: 0, from: "trustasia", packageType: rec.packageType, productZhName: rec.productZhName,
    verifyType: rec.verifyType, notBefore: rec.notBefore, notAfter: rec.notAfter, renewable: rec.renewable,
    link: { renewOrderId: hidden ? "" : rec.renewOrderId, originCertificateId: rec.originHidden ? "" : rec.originCertificateId }, dvAuths: rec.dvAuths,
    certificatePem: issued ? rec.pem : null, privateKeyPem: issued ? rec.key.privateKeyPem : null, rootPem: null, encryptAlgorithm: "",
    validityPeriodMonths: 12, insertTime: rec.insertTime, csrPem: rec.csrPem,
  };
}

export function toSummary(rec: CertRecord): CertificateSummary {
  const c = toCertificate(rec);
  return { ...c, alias: "", isExpiring: false, hasRenewOrder: c.link.renewOrderId };
}
