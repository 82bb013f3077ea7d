/**
 * What a `RenewedCertificate` stores in Pulumi state: its outputs (DESIGN §4)
 * plus the normalised inputs `diff` compares against. Every value is a
 * string, number, boolean, array or object: never `undefined` (the host's
 * Struct conversion rejects it, after the work is done) and never a Date.
 */
import type { CertPhase, DvAuth } from "../engine/domain";
import { pendingChangesOf, type PendingChange } from "./changes";
import type { StoredInputs } from "./inputs";

export type { PendingChange } from "./changes";

/** A human step, when one blocks the renewal. */
export type PendingAction = "" | "confirmation-letter" | "manual-dns" | "review-failed" | "wait";

export interface DnsRecordOutput {
  readonly key: string;
  readonly value: string;
  readonly zone: string;
  readonly subDomain: string;
  readonly recordType: string;
}

/** The outputs. Secrets: `privateKeyPem`, `pkcs12` (and the stored `pkcs12Password`). */
export interface CertificateOutputs {
  /** The newest issued certificate of the lineage. */
  readonly certificateId: string;
  /** The lineage root: the resource id. */
  readonly originalCertificateId: string;
  /** The certificate the last renewal replaced; "" when none was renewed by this resource yet. */
  readonly previousCertificateId: string;
  /** Phase of the in-flight renewal when there is one, else of `certificateId`. */
  readonly status: CertPhase | "pending-human-action" | "";
  /** "" when nothing waits for a human; otherwise what does. */
  readonly pendingAction: PendingAction;
  /** What to do about `pendingAction` (no secrets). */
  readonly pendingInstructions: string;
  /** The paid renewal not yet issued; "" when none. */
  readonly pendingCertificateId: string;
  /** Why the last run renewed or not. */
  readonly renewalReason: string;
  readonly certificatePem: string;
  readonly chainPem: string;
  readonly fullchainPem: string;
  /** SECRET. "" when the key is not ours to know. */
  readonly privateKeyPem: string;
  /** SECRET. Base64 PKCS#12, "" unless `pkcs12Password` is set. */
  readonly pkcs12: string;
  /** ISO 8601; "" before the first issuance. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly renewAfter: string;
  readonly domains: readonly string[];
  readonly serialNumber: string;
  readonly sha256Fingerprint: string;
  readonly dnsRecords: readonly DnsRecordOutput[];
  /** The deployment record of the last renewal; 0 when none. */
  readonly deployRecordId: number;
  /** Inputs asked for but not yet served: applied by the next renewal (see changes.ts). [] when the stack describes what is served. */
  readonly pendingChanges: readonly PendingChange[];
  /** "" when the certificate outputs and `privateKeyPem` are the lineage's newest pair; otherwise why older outputs are kept. */
  readonly keyStatus: string;
}

/** The whole state: outputs + the stored inputs. */
export type ResourceState = CertificateOutputs & StoredInputs;

export const OUTPUT_NAMES: readonly (keyof CertificateOutputs)[] = [
  "certificateId",
  "originalCertificateId",
  "previousCertificateId",
  "status",
  "pendingAction",
  "pendingInstructions",
  "pendingCertificateId",
  "renewalReason",
  "certificatePem",
  "chainPem",
  "fullchainPem",
  "privateKeyPem",
  "pkcs12",
  "notBefore",
  "notAfter",
  "renewAfter",
  "domains",
  "serialNumber",
  "sha256Fingerprint",
  "dnsRecords",
  "deployRecordId",
  "pendingChanges",
  "keyStatus",
];

export const EMPTY_OUTPUTS: CertificateOutputs = {
  certificateId: "",
  originalCertificateId: "",
  previousCertificateId: "",
  status: "",
  pendingAction: "",
  pendingInstructions: "",
  pendingCertificateId: "",
  renewalReason: "",
  certificatePem: "",
  chainPem: "",
  fullchainPem: "",
  privateKeyPem: "",
  pkcs12: "",
  notBefore: "",
  notAfter: "",
  renewAfter: "",
  domains: [],
  serialNumber: "",
  sha256Fingerprint: "",
  dnsRecords: [],
  deployRecordId: 0,
  pendingChanges: [],
  keyStatus: "",
};

export function dnsRecordOutputs(records: readonly DvAuth[]): DnsRecordOutput[] {
  return records.map((r) => ({ key: r.key, value: r.value, zone: r.zone, subDomain: r.subDomain, recordType: r.recordType }));
}

/** The outputs found in a stored state, with anything missing filled from `EMPTY_OUTPUTS` (older or partial states). */
export function outputsOf(state: Record<string, unknown>): CertificateOutputs {
  const out: Record<string, unknown> = {};
  for (const name of OUTPUT_NAMES) {
    const v = state[name];
    const empty = EMPTY_OUTPUTS[name];
    out[name] = v !== undefined && v !== null && typeof v === typeof empty && Array.isArray(v) === Array.isArray(empty) ? v : empty;
  }
  out["pendingChanges"] = pendingChangesOf(state);
  return out as unknown as CertificateOutputs;
}

export const iso = (d: Date | null): string => (d === null || Number.isNaN(d.getTime()) ? "" : d.toISOString());
