/**
 * Why the material read's certificate is not the stack's (missing, mismatched or stale material),
 * in words for the stack's postcondition: what happened and what to do. Pure.
 */
import type { Lineage } from "../../engine/lineage";
import { tencentRenewableFrom } from "../../engine/settled";

const STOPS = "The apply stops here, so resources that use this certificate keep their previous certificate and key.";

/** `status` of the material read: current, a renewal in flight, or one that waits for a human. */
export function materialStatus(lineage: Lineage): string {
  const phase = lineage.inFlight?.phase;
  if (!phase) return "current";
  return phase === "pending-letter" || phase === "review-failed" ? "pending-human-action" : "renewal-in-flight";
}

export function materialProblem(lineage: Lineage, source: "local" | "csr", now: Date): string {
  const c = lineage.current;
  const whose = source === "local" ? "this stack's key (its tls_private_key)" : "your CSR (key.csrPem / csr_pem)";
  const head = `certificate ${c.certificateId}, the lineage's current one, was not issued for ${whose}`;
  if (lineage.inFlight)
    return `${head}: its renewal ${lineage.inFlight.certificateId} is not issued yet (${lineage.inFlight.phase}; see \`tccert scan --ids ${lineage.rootId}\` for a human step). ${STOPS} Apply again once it is issued; nothing is paid twice.`;
  const from = c.notAfter ? tencentRenewableFrom(c.notAfter) : null;
  const allowed = from === null ? "" : from.getTime() > now.getTime() ? ` (Tencent allows renewing it from about ${from.toISOString()})` : " (Tencent should allow it now)";
  const why =
    c.link.originCertificateId !== ""
      ? `it renewed ${c.link.originCertificateId} outside this stack (console, tccert renew, another stack) or for a key this stack no longer holds`
      : "this stack adopted it; the stack's first renewal issues one for its key";
  return `${head}: ${why}. ${STOPS} To get a certificate for this key, change renewalTrigger${allowed}; a renewal is paid once.`;
}
