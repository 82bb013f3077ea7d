/**
 * The backend's whole state: plain JSON, so `snapshot()`/`restore()` are a
 * deep copy. Times are ISO strings (UTC); responses format them in GMT+8.
 */
import type { CertificateAuthorityPem, LeafKeyAlgorithm } from "../../crypto/ca";
import type { CertType } from "./products";

export interface DvAuthRecord {
  /** FQDN of the record. */
  readonly key: string;
  readonly value: string;
  /** The DNSPod zone. */
  readonly zone: string;
  /** Host label inside the zone. */
  readonly subDomain: string;
  readonly verifyType: "TXT" | "CNAME" | "FILE";
  /** The certificate domain this entry validates. */
  readonly domain: string;
  /** "" unless FILE. */
  readonly path: string;
}

/** How the key and CSR of a certificate came to be. */
export interface KeyRecord {
  /**
   * `online`: the CA generated the key (it returns `CertificatePrivateKey`).
   * `upload`: the customer sent a CSR (no key on file).
   * `original`: a renewal or reissue reusing the previous CSR and key (INFERRED semantics).
   * `seeded`: a seeded certificate; its key is the process-wide shared key of `algorithm`.
   * `uploaded-cert`: `UploadCertificate` (key on file if it was uploaded).
   */
  mode: "online" | "upload" | "original" | "seeded" | "uploaded-cert";
  algorithm: LeafKeyAlgorithm;
  csrPem: string | null;
  privateKeyPem: string | null;
  keyPass: string | null;
  /** True when `original` copied material from another certificate: an emulator inference. */
  inferred: boolean;
}

export interface MaterialRecord {
  certificatePem: string;
  chainPem: string;
  rootPem: string;
  serialNumber: string;
  sha1Fingerprint: string;
}

export interface BoundResourceRecord {
  resourceType: string;
  region: string;
  instanceId: string;
  listenerId: string;
  domain: string;
}

export interface SubmittedInfo {
  genCsrType: string;
  commonName: string;
  dnsNames: string[];
  companyType: number;
  companyId: string;
  organization: string;
  division: string;
  address: string;
  country: string;
  city: string;
  region: string;
  phoneArea: string;
  phoneNumber: string;
  adminFirstName: string;
  adminLastName: string;
  adminPhone: string;
  adminEmail: string;
  adminTitle: string;
  contactEmail: string;
  verifyType: string;
}

export interface CertificateRecord {
  id: string;
  /**
   * Insertion sequence in the account (newest = highest): the list order. The certificates map's key
   * order cannot be used, since JavaScript puts integer-like keys ("12345678") before all others.
   */
  seq: number;
  status: number;
  statusMsg: string | null;
  /** Free text set by `failReview`. */
  failReason: string | null;
  productPid: number;
  certType: CertType;
  isVip: boolean;
  /** `From`: `trustasia`, `upload`, ... */
  from: string;
  source: "buy" | "upload";
  domain: string;
  /** SANs besides `domain`. */
  sans: string[];
  alias: string;
  projectId: string;
  verifyType: string | null;
  dvAuths: DvAuthRecord[];
  insertTime: string;
  periodYears: number;
  notBefore: string | null;
  notAfter: string | null;
  orderId: string | null;
  originCertificateId: string | null;
  renewOrder: string | null;
  replacedBy: string | null;
  replacedFor: string | null;
  companyType: number;
  submitted: SubmittedInfo | null;
  key: KeyRecord;
  /** Lazily generated PEM once issued. */
  material: MaterialRecord | null;
  /** When domain validation started (order submitted or letter accepted). */
  dcvStartedAt: string | null;
  /** When every expected DNS record was first present. */
  dcvPassedAt: string | null;
  letterAcceptedAt: string | null;
  /** When a cancellation (status 6) completes to 7. */
  cancelDoneAt: string | null;
  /** Renewals: carry the old certificate's remaining validity (INFERRED: computed at issuance). */
  carryFromNotAfter: string | null;
  /** Inferred rule `renewalKeepsInfo: false`: an OV/EV renewal waits in status 5 for CertificateInfoSubmit. @default false */
  needsInfo?: boolean;
  /** Reissues keep the validity of the certificate they replace. */
  fixedNotAfter: string | null;
  deleteDnsAutoRecord: boolean;
  /** DNSPod records the emulator added itself for DNS_AUTO: `zone/recordId`. */
  autoRecords: string[];
  boundResources: BoundResourceRecord[];
  pointsPaid: number;
  packageIds: string[];
}

export interface PackageRecord {
  packageId: string;
  type: string;
  total: number;
  balance: number;
  status: string;
  expireTime: string;
  createTime: string;
  updateTime: string;
}

export interface DnsRecord {
  recordId: number;
  name: string;
  type: string;
  line: string;
  lineId: string;
  value: string;
  ttl: number;
  mx: number;
  weight: number | null;
  status: "ENABLE" | "DISABLE";
  remark: string;
  createdAt: string;
  updatedAt: string;
  defaultNs: boolean;
}

export interface ZoneRecord {
  zone: string;
  domainId: number;
  records: DnsRecord[];
}

export interface DeployDetailRecord {
  id: number;
  resource: BoundResourceRecord;
  /** 0 pending, 1 success, 2 failed, 3 running. */
  status: number;
  startsAt: string;
  finishesAt: string;
  errorMsg: string;
  moved: boolean;
}

export interface DeployRecord {
  id: number;
  certId: string;
  oldCertId: string;
  resourceTypes: string[];
  regions: string[];
  createdAt: string;
  details: DeployDetailRecord[];
}

export interface SyncTaskRecord {
  taskId: string;
  certId: string;
  createdAt: string;
  /** Bound resources when the task ran, or null if the certificate was missing. */
  resources: BoundResourceRecord[] | null;
  doneAt: string;
  /** Region errors scripted when the task was created, keyed `type|region`. */
  regionErrors?: Record<string, string>;
}

export interface AccountState {
  accountId: string;
  secretId: string;
  secretKey: string;
  sessionToken: string | null;
  sessionTokenExpiresAt: string | null;
  ownerUin: string;
  /** By id; the order is each record's `seq` (not the key order). */
  certificates: Record<string, CertificateRecord>;
  /** Last `seq` handed out to a certificate of this account. */
  certificateSeq: number;
  packages: Record<string, PackageRecord>;
  zones: Record<string, ZoneRecord>;
  deployRecords: Record<string, DeployRecord>;
  syncTasks: Record<string, SyncTaskRecord>;
  /** UpdateCertificateInstance calls seen per `old/new` pair (for the "DeployRecordId 0, call again" mode). */
  updateCalls: Record<string, number>;
}

export interface Settings {
  /** Seconds between validation passing and issuance. */
  issuanceDelaySeconds: number;
  /** 5 (default): renewals wait for `CertificateOrderSubmit`. "submitted": they start as if it had been called (DV 4, OV/EV 8). */
  renewalInitialStatus: 5 | "submitted";
  /** Seconds a new DNSPod record stays invisible to DescribeRecordList. */
  dnsIndexDelaySeconds: number;
  /** When false (default), UploadConfirmLetter answers UploadConfirmCertificateNotSupport. */
  allowUploadConfirmLetter: boolean;
  /** How many UpdateCertificateInstance calls per pair answer DeployRecordId 0 before the record is created. */
  deployRecordPendingCalls: number;
  /** Seconds each bound resource takes to deploy. */
  deploySecondsPerResource: number;
  /** Seconds a cancellation stays in status 6. */
  cancelSeconds: number;
  /** Seconds a bound-resource sync task stays "running" (Status 0) before "done". */
  bindSyncSeconds?: number;
  /** Scripted per-region errors of the bound-resource sync task, keyed `type|region` (`*|region` for every type). */
  bindRegionErrors?: Record<string, string>;
}

export const DEFAULT_SETTINGS: Settings = {
  issuanceDelaySeconds: 60,
  renewalInitialStatus: 5,
  dnsIndexDelaySeconds: 0,
  allowUploadConfirmLetter: false,
  deployRecordPendingCalls: 0,
  deploySecondsPerResource: 5,
  cancelSeconds: 5,
};

export interface BackendState {
  version: 1;
  /** Account ids, in seeding order (the first is the default for seeds). */
  accountOrder: string[];
  accounts: Record<string, AccountState>;
  settings: Settings;
  ca: CertificateAuthorityPem | null;
  counters: { record: number; domain: number; deploy: number; task: number; detail: number };
}

export function emptyState(): BackendState {
  return {
    version: 1,
    accountOrder: [],
    accounts: {},
    settings: { ...DEFAULT_SETTINGS },
    ca: null,
    counters: { record: 100_000, domain: 1_000, deploy: 1_700_000, task: 700_000, detail: 50_000 },
  };
}

export function emptyAccount(accountId: string, secretId = "", secretKey = ""): AccountState {
  return {
    accountId,
    secretId,
    secretKey,
    sessionToken: null,
    sessionTokenExpiresAt: null,
    ownerUin: ownerUinFor(accountId),
    certificates: {},
    certificateSeq: 0,
    packages: {},
    zones: {},
    deployRecords: {},
    syncTasks: {},
    updateCalls: {},
  };
}

/** A stable 10-digit `OwnerUin` per account id. */
function ownerUinFor(accountId: string): string {
  let h = 0;
  for (const ch of accountId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return String(100000000000 + (h % 900000000));
}
