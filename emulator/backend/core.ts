/**
 * The backend's runtime: state, the clock, the CA, and the in-memory download
 * store. Handlers reach everything through it.
 */
import { loadCertificateAuthority, sharedCertificateAuthority, type CertificateAuthority } from "../../crypto/ca";
import { ApiError } from "../contract";
import { PROFILES, type InferredRules } from "../rules";
import { emptyAccount, emptyState, type AccountState, type BackendState, type CertificateRecord } from "./state";

export interface DownloadEntry {
  readonly contentType: string;
  readonly body: Buffer;
  readonly filename: string;
}

export class BackendCore {
  state: BackendState = emptyState();
  readonly downloads = new Map<string, DownloadEntry>();
  private caPromise: Promise<CertificateAuthority> | undefined;
  private caPemKey: string | undefined;

  /**
   * @param clock the emulator clock
   * @param rules the inferred-behaviour switches in force, read on every use. @default the `default` profile
   */
  constructor(
    readonly clock: () => Date,
    readonly rules: () => InferredRules = () => PROFILES.default,
  ) {}

  /** State of an account; created empty on first use (the front only passes authenticated account ids). */
  account(accountId: string): AccountState {
    let a = this.state.accounts[accountId];
    if (!a) {
      a = emptyAccount(accountId);
      this.state.accounts[accountId] = a;
      this.state.accountOrder.push(accountId);
    }
    return a;
  }

  defaultAccountId(): string {
    return this.state.accountOrder[0] ?? "default";
  }

  /** Finds a certificate by id in any account (admin use). */
  findCertificate(certificateId: string): { account: AccountState; cert: CertificateRecord } | undefined {
    for (const id of this.state.accountOrder) {
      const account = this.state.accounts[id];
      const cert = account?.certificates[certificateId];
      if (account && cert) return { account, cert };
    }
    return undefined;
  }

  /** The CA: restored from state when a snapshot carried one, else the per-process shared CA. */
  ca(): Promise<CertificateAuthority> {
    const pem = this.state.ca;
    const key = pem ? pem.intermediateCertPem : "shared";
    if (this.caPromise && this.caPemKey === key) return this.caPromise;
    this.caPemKey = key;
    if (pem) {
      this.caPromise = loadCertificateAuthority(pem);
    } else {
      this.caPromise = sharedCertificateAuthority().then((ca) => {
        if (!this.state.ca) this.state.ca = ca.pem;
        this.caPemKey = ca.pem.intermediateCertPem;
        return ca;
      });
    }
    return this.caPromise;
  }

  nextRecordId(): number {
    return ++this.state.counters.record;
  }
  nextDomainId(): number {
    return ++this.state.counters.domain;
  }
  nextDeployId(): number {
    return ++this.state.counters.deploy;
  }
  nextTaskId(): number {
    return ++this.state.counters.task;
  }
  nextDetailId(): number {
    return ++this.state.counters.detail;
  }
}

/** `FailedOperation.CertificateNotFound` unless the account holds the certificate. */
export function certificateOf(account: AccountState, certificateId: string | undefined): CertificateRecord {
  const cert = certificateId === undefined ? undefined : account.certificates[certificateId];
  if (!cert) {
    throw new ApiError("FailedOperation.CertificateNotFound", `The certificate does not exist (CertificateId ${JSON.stringify(certificateId ?? "")}).`);
  }
  return cert;
}
