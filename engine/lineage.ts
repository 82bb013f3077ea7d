/**
 * A lineage is a certificate and its renewals, linked by Tencent on both sides
 * (`RenewOrder` on the old one, `OriginCertificateId` on the new one). The
 * lineage root's id is the stable identity the front ends manage. The link is
 * evidence, not a promise: it may appear late, on the new side only, or be
 * cleared after issuance. So a caller can name more successors (`successorOf`:
 * our journal, an `OriginCertificateId` search) where the link is silent.
 */
import type { Certificate } from "./domain";
import { RenewalError } from "./errors";
import type { SslApi } from "./ports";

export interface Lineage {
  readonly rootId: string;
  /** Root first, newest last. */
  readonly certificates: readonly Certificate[];
  /** The newest certificate that is issued (or was: expired). What users run today. */
  readonly current: Certificate;
  /** A paid renewal of `current` not yet issued; null when none. */
  readonly inFlight: Certificate | null;
}

const MAX_STEPS = 50;

export interface LineageOptions {
  /**
   * Asked for the renewal of a certificate whose `RenewOrder` link is empty; "" when none.
   * @default none: the link alone
   */
  readonly successorOf?: (certificate: Certificate) => Promise<string>;
}

export async function readLineage(ssl: SslApi, rootId: string, options: LineageOptions = {}): Promise<Lineage> {
  const certificates: Certificate[] = [await ssl.getCertificate(rootId)];
  const seen = new Set([rootId]);
  for (let i = 0; i < MAX_STEPS; i++) {
    const last = certificates[certificates.length - 1]!;
    // Tencent's own renewals (hosting, subscription) are renewals of the lineage too: orders in flight.
    const next = last.link.renewOrderId || (options.successorOf ? await options.successorOf(last) : "") || (last.tencentRenewal?.renewalIds[0] ?? "");
    if (next === "" || seen.has(next)) break;
    seen.add(next);
    certificates.push(await ssl.getCertificate(next));
  }
  // The newest issued (or expired) certificate is the current one; anything after it is in flight.
  let currentIndex = 0;
  for (let i = certificates.length - 1; i >= 0; i--) {
    const c = certificates[i]!;
    if (c.phase === "issued" || c.phase === "expired") {
      currentIndex = i;
      break;
    }
  }
  const current = certificates[currentIndex]!;
  const after = certificates[currentIndex + 1] ?? null;
  if (certificates.length > currentIndex + 2)
    throw new RenewalError(
      "TencentApi",
      `lineage of ${rootId}: more than one unissued renewal follows ${current.certificateId} (${certificates
        .slice(currentIndex + 1)
        .map((c) => `${c.certificateId}: status ${c.status}`)
        .join(", ")}). Resolve it in the SSL console, then rerun.`,
      { originalCertificateId: rootId },
    );
  return { rootId, certificates, current, inFlight: after };
}
