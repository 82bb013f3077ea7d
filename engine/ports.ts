/**
 * The ports the engine needs. Adapters implement them (`tencent/`, `crypto/`);
 * the engine never imports an adapter. Every method that spends money or
 * mutates Tencent state is marked so; the adapter must never retry those blindly.
 */
import type {
  BenefitPackage,
  Certificate,
  CertificateSummary,
  DeployRecord,
  DeployStart,
  DeployTarget,
  DnsRecord,
  DomainVerification,
  KeyAlgorithm,
  RenewByPackageRequest,
} from "./domain";

export interface ListCertificatesQuery {
  /** Only these ids (`CertIds`). */
  readonly ids?: readonly string[];
  /** Fuzzy search on id, alias and domain (`SearchKey`). */
  readonly searchKey?: string;
  /** `CertificateStatus` filter. */
  readonly statuses?: readonly number[];
  /** `FilterSource`. */
  readonly source?: "buy" | "upload";
  /** `Renew: 1`: only certificates Tencent allows renewing now. */
  readonly renewableOnly?: boolean;
  /** `FilterExpiring: 1`. */
  readonly expiringOnly?: boolean;
  readonly offset?: number;
  /** At most 1000. */
  readonly limit?: number;
}

export interface CertificatePage {
  readonly totalCount: number;
  readonly certificates: readonly CertificateSummary[];
}

/** Tencent SSL (ssl/v20191205). */
export interface SslApi {
  /** Read. `DescribeCertificates`. */
  listCertificates(query: ListCertificatesQuery): Promise<CertificatePage>;
  /** Read. `DescribeCertificateDetail`. */
  getCertificate(certificateId: string): Promise<Certificate>;
  /** Read. `DescribePackages` (usable packages). */
  listPackages(): Promise<readonly BenefitPackage[]>;
  /** PAID. `CreateCertificateByPackage` with `OldCertificateId`. Never retried blindly. Returns the new id. */
  renewByPackage(request: RenewByPackageRequest): Promise<string>;
  /** Mutating. `CertificateOrderSubmit`. Returns the new status. */
  submitOrder(certificateId: string, verifyType: "DNS_AUTO" | "DNS" | "FILE"): Promise<number>;
  /** Mutating (idempotent). `CompleteCertificate`: ask the CA to validate now. */
  completeCertificate(certificateId: string): Promise<void>;
  /** Read. `CheckCertificateDomainVerification`. */
  checkDomainVerification(certificateId: string): Promise<readonly DomainVerification[]>;
  /** Mutating. `CancelCertificateOrder`. */
  cancelOrder(certificateId: string): Promise<void>;
  /**
   * Mutating. `UpdateCertificateInstance`. With `content`, the certificate is sent as
   * `CertificatePublicKey` (fullchain) + `CertificatePrivateKey` instead of by id: for a certificate
   * renewed from our CSR, whose key Tencent does not hold.
   */
  updateCertificateInstance(
    oldCertificateId: string,
    newCertificateId: string,
    targets: readonly DeployTarget[],
    content?: DeployContent,
  ): Promise<DeployStart>;
  /**
   * Read. The certificate's chain (intermediates, PEM) from Tencent's nginx bundle
   * (`DownloadCertificate`), for a `CertificatePublicKey` that carries the leaf only. "" when the
   * bundle has none. Never returns key material.
   */
  downloadChain(certificateId: string): Promise<string>;
  /** Read. `DescribeHostUpdateRecordDetail`. */
  getDeployRecord(deployRecordId: number): Promise<DeployRecord>;
}

export interface CreateDnsRecord {
  readonly zone: string;
  readonly subDomain: string;
  readonly type: "TXT" | "CNAME";
  readonly value: string;
  /** @default 600 */
  readonly ttl?: number;
}

/** A certificate deployed by content (see `SslApi.updateCertificateInstance`). */
export interface DeployContent {
  /** Leaf + chain, PEM. */
  readonly fullchainPem: string;
  /** SECRET. */
  readonly privateKeyPem: string;
}

/** DNSPod (dnspod/v20210323). */
export interface DnsApi {
  /** Read. `DescribeDomainList`: the names of this account's DNSPod zones (lower case, no trailing dot). */
  listZones(): Promise<readonly string[]>;
  /** Read. `DescribeRecordList` with `ErrorOnEmpty: "no"`: an empty zone gives []. */
  listRecords(zone: string, subDomain?: string, type?: string): Promise<readonly DnsRecord[]>;
  /** Mutating. `CreateRecord`. Returns the record id. */
  createRecord(record: CreateDnsRecord): Promise<number>;
  /** Mutating (idempotent: a missing record is not an error). `DeleteRecord`. */
  deleteRecord(zone: string, recordId: number): Promise<void>;
}

/** A private key with its public half. The private PEM is a SECRET. */
export interface KeyPair {
  readonly algorithm: KeyAlgorithm;
  /** PKCS#8 PEM. SECRET. */
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export interface ParsedCertificate {
  readonly subjectCommonName: string;
  readonly domains: readonly string[];
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Uppercase hex with colons, e.g. `AB:CD:...`. */
  readonly sha256Fingerprint: string;
  readonly publicKeyPem: string;
}

export interface CertificateBundle {
  readonly leafPem: string;
  /** Intermediates then root, in order; may be empty. */
  readonly chainPem: string;
  readonly fullchainPem: string;
}

/** Keys, CSRs and X.509 checks (`crypto/`). */
export interface KeyFactory {
  generateKey(algorithm: KeyAlgorithm): Promise<KeyPair>;
  /** Algorithm of a PEM private key (for `key.source: "local"` with a supplied key). */
  keyAlgorithm(privateKeyPem: string): KeyAlgorithm;
  createCsr(key: KeyPair, commonName: string, altNames: readonly string[]): Promise<string>;
  /** The CN and SANs requested by a CSR (CN first, deduplicated). */
  csrDomains(csrPem: string): readonly string[];
  /** The public key PEM a CSR carries. */
  csrPublicKey(csrPem: string): string;
  /** The CSR was made for this private key (same public key). */
  keyMatchesCsr(privateKeyPem: string, csrPem: string): boolean;
}

export interface CertificateInspector {
  parse(pem: string): ParsedCertificate;
  /** Split a PEM blob into the leaf and the rest of its chain; builds the fullchain. */
  bundle(certificatePem: string, extraChainPem?: string): CertificateBundle;
  matchesPrivateKey(certificatePem: string, privateKeyPem: string): boolean;
  matchesCsr(certificatePem: string, csrPem: string): boolean;
  /** Every certificate in `chainPem` signs the previous one (leaf first). */
  chainInOrder(leafPem: string, chainPem: string): boolean;
  /** A PKCS#12 archive, base64. */
  pkcs12(certificatePem: string, chainPem: string, privateKeyPem: string, password: string): string;
}

/**
 * Where a renewal keeps what it must not lose across a crash: the key it
 * generated and the new certificate id, written BEFORE the CSR is sent to
 * Tencent (see DESIGN: key safety). Keyed by the original certificate id.
 */
export interface RenewalJournal {
  load(originalCertificateId: string): Promise<JournalEntry | null>;
  save(entry: JournalEntry): Promise<void>;
  remove(originalCertificateId: string): Promise<void>;
}

export interface JournalEntry {
  readonly originalCertificateId: string;
  /** The certificate being renewed in this lineage step. */
  readonly oldCertificateId: string;
  /** "" until the paid call returned. */
  readonly newCertificateId: string;
  readonly keySource: "local" | "online" | "original" | "csr";
  /** The key we generated for the CSR. SECRET. */
  readonly privateKeyPem?: string;
  readonly csrPem?: string;
  /** DNS records we created for validation, to clean up. */
  readonly createdRecords: readonly { zone: string; recordId: number }[];
  /**
   * Records about to be created, journaled BEFORE `CreateRecord`: a crash after DNSPod
   * committed but before `createdRecords` was saved leaves a record only these can find
   * (by its value, unique to the order). Cleared by the cleanup.
   */
  readonly plannedRecords?: readonly { zone: string; subDomain: string; type: string; value: string }[];
  /** True once the requested deployment finished (so a rerun after a crash deploys only if it did not). */
  readonly deployed?: boolean;
  /**
   * The payment intent of this attempt, written durably BEFORE the paid call. While its status is
   * `intent` or `sent` (outcome unknown) no further paid call is made on the lineage.
   */
  readonly payment?: PaymentIntent;
  /** Earlier attempts of this lineage, oldest first (each without its own history). Never dropped while unresolved. */
  readonly history?: readonly JournalEntry[];
  readonly updatedAt: string;
}

/**
 * `intent`: written, the paid call not yet sent. `sent`: the call went out; its outcome is unknown.
 * `confirmed`: evidence shows the renewal exists (`newCertificateId`). `refused`: proven never executed.
 */
export type PaymentStatus = "intent" | "sent" | "confirmed" | "refused";

export interface PaymentIntent {
  readonly status: PaymentStatus;
  /** When the paid call was (about to be) sent, ISO. */
  readonly attemptedAt: string;
  /** The certificate being renewed. */
  readonly oldCertificateId: string;
  /** Its domains, to recognise a new certificate for the same names. */
  readonly domains: readonly string[];
  /** Package balances read just before paying: a drop afterwards is evidence of payment. */
  readonly balances: readonly { readonly packageId: string; readonly balance: number }[];
  /** Ids of this account's certificates for the same domains known before paying. */
  readonly knownCertificateIds: readonly string[];
  /** How the outcome was resolved: which evidence, or the operator. "" while unresolved. */
  readonly resolvedBy?: string;
}

/**
 * One renewal per lineage at a time, across processes sharing a state dir (CLI, Pulumi provider,
 * `tf-renew`) and within one process.
 */
export interface LineageLock {
  /**
   * Takes the lock for `originalCertificateId`. Waits briefly for a holder to finish, takes over a
   * stale lock (its process is gone), and otherwise throws a `LockHeldError` naming the holder.
   */
  acquire(originalCertificateId: string, owner: string): Promise<LockHandle>;
}

export interface LockHandle {
  /** Releases the lock; idempotent. */
  release(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Sleeps `ms`, rejecting early if the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
