/** Building new certificate records (purchases, renewals, reissues, uploads, seeds). */
import { alnumId } from "./ids";
import type { LeafKeyAlgorithm } from "../../crypto/ca";
import type { CertType } from "./products";
import type { AccountState, CertificateRecord, KeyRecord } from "./state";

export function newCertificateId(account: AccountState): string {
  for (;;) {
    const id = alnumId(8);
    if (!account.certificates[id]) return id;
  }
}

export function emptyKey(algorithm: LeafKeyAlgorithm = "RSA_2048"): KeyRecord {
  return { mode: "online", algorithm, csrPem: null, privateKeyPem: null, keyPass: null, inferred: false };
}

export interface NewCertificateInput {
  readonly id: string;
  readonly productPid: number;
  readonly certType: CertType;
  readonly domain: string;
  readonly sans: readonly string[];
  readonly status: number;
  readonly insertTime: Date;
  readonly key: KeyRecord;
  readonly isVip?: boolean;
  readonly from?: string;
  readonly source?: "buy" | "upload";
  readonly alias?: string;
  readonly verifyType?: string | null;
  readonly periodYears?: number;
}

export function newCertificate(input: NewCertificateInput): CertificateRecord {
  return {
    id: input.id,
    seq: 0,
    status: input.status,
    statusMsg: null,
    failReason: null,
    productPid: input.productPid,
    certType: input.certType,
    isVip: input.isVip ?? true,
    from: input.from ?? "trustasia",
    source: input.source ?? "buy",
    domain: input.domain.toLowerCase(),
    sans: input.sans.map((s) => s.toLowerCase()).filter((s) => s !== input.domain.toLowerCase()),
    alias: input.alias ?? "",
    projectId: "0",
    verifyType: input.verifyType ?? null,
    dvAuths: [],
    insertTime: input.insertTime.toISOString(),
    periodYears: input.periodYears ?? 1,
    notBefore: null,
    notAfter: null,
    orderId: null,
    originCertificateId: null,
    renewOrder: null,
    replacedBy: null,
    replacedFor: null,
    companyType: input.certType === "DV" ? 1 : 2,
    submitted: null,
    key: input.key,
    material: null,
    dcvStartedAt: null,
    dcvPassedAt: null,
    letterAcceptedAt: null,
    cancelDoneAt: null,
    carryFromNotAfter: null,
    fixedNotAfter: null,
    deleteDnsAutoRecord: false,
    autoRecords: [],
    boundResources: [],
    pointsPaid: 0,
    packageIds: [],
  };
}

/** Inserts `cert` so that it lists first (newest). */
export function insertCertificate(account: AccountState, cert: CertificateRecord): void {
  account.certificateSeq += 1;
  cert.seq = account.certificateSeq;
  account.certificates[cert.id] = cert;
}

/** The account's certificates, newest (last inserted) first. */
export function certificatesNewestFirst(account: AccountState): CertificateRecord[] {
  return Object.values(account.certificates).sort((a, b) => b.seq - a.seq);
}
