import type { CertPhase, DeployRecord, DvAuth } from "./domain";
import type { Material } from "./material";
import type { PolicyDecision } from "./policy";

/**
 * The outcome of `ensureRenewed` (DESIGN §4 outputs). `privateKeyPem` and
 * `pkcs12` are SECRETS: front ends mark them secret and never print them.
 */
export interface RenewalResult extends Material {
  /** `renewed`: this run finished a renewal (paid now or resumed); `adopted`: not due, the current certificate is returned. */
  readonly outcome: "renewed" | "adopted";
  /** True only when THIS run made the paid call. */
  readonly paidThisRun: boolean;
  readonly decision: PolicyDecision;
  /** The lineage root: the stable identity. */
  readonly originalCertificateId: string;
  /** The newest issued certificate. */
  readonly certificateId: string;
  /** The certificate it replaced; "" when adopted without renewal. */
  readonly previousCertificateId: string;
  readonly status: CertPhase;
  /** notAfter − renewBeforeDays. */
  readonly renewAfter: Date;
  /** Records published for validation (for manual DNS users and audits). */
  readonly dnsRecords: readonly DvAuth[];
  /** Present when `deploy` targets were given. */
  readonly deployment: DeployRecord | null;
}
