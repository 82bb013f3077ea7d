/**
 * What a `RenewedCertificate` stores in Pulumi state: its outputs (DESIGN §4)
 * plus the normalised inputs `diff` compares against. Every value is a
 * string, number, boolean, array or object: never `undefined` (the host's
 * Struct conversion rejects it, after the work is done) and never a Date.
 */
import type { CertPhase, DvAuth } from "../engine/domain";
import type { BoundResource } from "../engine/drift-port";
import { pendingChangesOf, type PendingChange } from "./changes";
import type { StoredInputs } from "./inputs";

export type { PendingChange } from "./changes";
/** One cloud resource serving `certificateId` (the engine's type: `listenerId` and `domain` are "" when they do not apply). */
export type BoundResourceOutput = BoundResource;

/** A human step, when one blocks the renewal. */
export type PendingAction = "" | "confirmation-letter" | "manual-dns" | "review-failed" | "submit-info" | "wait";

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
  /** Where `certificateId` is deployed, read by create, update and refresh (bound.ts); never by check, diff or preview. */
  readonly boundResources: readonly BoundResourceOutput[];
}

/** The whole state: outputs + the stored inputs. */
export type ResourceState = CertificateOutputs & StoredInputs;

/** An output's type, as the plugin schema (schema.ts) names it. */
export type OutputType = "string" | "integer" | "string[]" | "DnsRecord[]" | "PendingChange[]" | "BoundResource[]";

/** One output: its type, what it means, whether it is secret. */
export interface OutputSpec {
  readonly type: OutputType;
  readonly doc: string;
  /** Secret in state and in every language's SDK. @default false */
  readonly secret?: boolean;
}

/**
 * THE definition of the outputs, in order: the names, the empty state and the plugin schema's
 * output properties all come from it, so adding an output is one line here (plus its field in
 * `CertificateOutputs`, which the `satisfies` below enforces).
 */
export const OUTPUTS = {
  certificateId: { type: "string", doc: "The newest issued certificate of the lineage." },
  originalCertificateId: { type: "string", doc: "The lineage root (the resource id)." },
  previousCertificateId: { type: "string", doc: "The certificate the last renewal replaced; \"\" when none yet." },
  status: { type: "string", doc: "`pending-human-action` while a renewal waits for a human (see `pendingAction`); else the engine phase (`issued`, `validating`, …) of the pending renewal if any, else of `certificateId`." },
  pendingAction: { type: "string", doc: "A human step blocking the renewal: \"\" | \"confirmation-letter\" | \"manual-dns\" | \"review-failed\"." },
  pendingInstructions: { type: "string", doc: "What to do about `pendingAction` (no secrets)." },
  pendingCertificateId: { type: "string", doc: "The paid renewal not yet issued; \"\" when none." },
  renewalReason: { type: "string", doc: "Why the last run renewed or not." },
  certificatePem: { type: "string", doc: "The certificate, PEM." },
  chainPem: { type: "string", doc: "The intermediate chain, PEM." },
  fullchainPem: { type: "string", doc: "The certificate followed by its chain, PEM." },
  privateKeyPem: { type: "string", doc: "SECRET. Always the key of `certificatePem` (never a certificate without its key); \"\" only with key.source \"csr\" (you hold the key).", secret: true },
  pkcs12: { type: "string", doc: "SECRET. Base64 PKCS#12; \"\" unless `pkcs12Password` is set.", secret: true },
  notBefore: { type: "string", doc: "ISO 8601; \"\" before the first issuance." },
  notAfter: { type: "string", doc: "ISO 8601; \"\" before the first issuance." },
  renewAfter: { type: "string", doc: "`notAfter − renewBeforeDays`: from then on, `pulumi up` renews." },
  domains: { type: "string[]", doc: "The certificate's domains." },
  serialNumber: { type: "string", doc: "The certificate's serial number." },
  sha256Fingerprint: { type: "string", doc: "SHA-256 fingerprint of the certificate." },
  dnsRecords: { type: "DnsRecord[]", doc: "Validation records of the last renewal (publish them yourself with `manual-dns`)." },
  deployRecordId: { type: "integer", doc: "The deployment record of the last renewal; 0 when none." },
  pendingChanges: { type: "PendingChange[]", doc: "Inputs asked for but not yet served (`{ input, served, requested }`); the next renewal Tencent allows applies them. [] when the outputs match the inputs." },
  keyStatus: { type: "string", doc: "\"\" when the certificate outputs and privateKeyPem are the lineage's newest pair; otherwise why an older matching pair is kept." },
  boundResources: {
    type: "BoundResource[]",
    doc: "Where `certificateId` is deployed (`{ resourceType, region, instanceId, listenerId, domain }`), as Tencent's bound-resource task reports it. Read by create, update and refresh, never by preview, check or diff. When the read fails or times out, the run still succeeds with a warning: the previous list is kept when it describes the same certificate, else it is []. A list of bindings, not of drift: `tccert scan --deployments` says which are drifted.",
  },
} as const satisfies Record<keyof CertificateOutputs, OutputSpec>;

export const OUTPUT_NAMES = Object.keys(OUTPUTS) as (keyof CertificateOutputs)[];

/** Outputs that are secret whatever the inputs say. */
export const SECRET_OUTPUT_NAMES: readonly string[] = OUTPUT_NAMES.filter((n) => (OUTPUTS[n] as OutputSpec).secret === true);

const emptyOf = (type: OutputType): string | number | never[] => (type === "string" ? "" : type === "integer" ? 0 : []);

export const EMPTY_OUTPUTS = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, emptyOf(OUTPUTS[n].type)])) as unknown as CertificateOutputs;

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
