import type { CertPhase, DeployRecord, DvAuth } from "./domain";
import type { RenewalError } from "./errors";
import type { Material } from "./material";
import type { PolicyDecision } from "./policy";

/**
 * The outcome of `ensureRenewed` (DESIGN §4 outputs). `privateKeyPem` and
 * `pkcs12` are SECRETS: front ends mark them secret and never print them.
 */
export interface RenewalResult extends Material {
  /**
   * `renewed`: this run finished a renewal (paid now or resumed); `adopted`: not due, the current
   * certificate is returned; `pending`: a renewal waits for a human and the current certificate,
   * still valid, is returned with `pending` saying what to do (see `pending.ts`).
   */
  readonly outcome: "renewed" | "adopted" | "pending";
  /** True only when THIS run made the paid call. */
  readonly paidThisRun: boolean;
  readonly decision: PolicyDecision;
  /** The lineage root: the stable identity. */
  readonly originalCertificateId: string;
  /** The newest issued certificate. */
  readonly certificateId: string;
  /** The certificate the current one replaced in the lineage; "" when it is the root. */
  readonly previousCertificateId: string;
  readonly status: CertPhase;
  /** notAfter − renewBeforeDays. */
  readonly renewAfter: Date;
  /** Records published for validation (for manual DNS users and audits). */
  readonly dnsRecords: readonly DvAuth[];
  /** Present when `deploy` targets were given. */
  readonly deployment: DeployRecord | null;
  /** With outcome `pending`: the renewal that waits for a human. @default absent */
  readonly pending?: PendingStop;
}

/** A renewal stopped for a human while the current certificate keeps serving. */
export interface PendingStop {
  /** What the human must do. */
  readonly action: "confirmation-letter" | "manual-dns" | "review-failed" | "submit-info";
  /** Why the renewal stopped (no secrets). */
  readonly message: string;
  /** What to do, step by step (no secrets). */
  readonly instructions: string;
  /** The paid renewal waiting; a later run resumes it without paying again. */
  readonly newCertificateId: string;
  /** The stop as the engine raised it (resumable), for front ends that report it as such (the CLI's exit 2). */
  readonly error: RenewalError;
}
