/**
 * Why the material read's certificate is not for the stack's key, in words: stale (a renewal is
 * still in flight) and mismatched (renewed outside this stack) material fails the apply through the
 * stack's postcondition; a certificate the stack adopted and has not renewed yet does not, and the
 * stack outputs no key for it (null, never "" and never a key of another certificate). Pure.
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

export interface KeyVerdict {
  /** "" when the apply may go on; else the postcondition's message. */
  readonly problem: string;
  /** With no problem: what the outputs say about the key ("" when the certificate is for the key). */
  readonly message: string;
}

/**
 * The certificate is not for the stack's key (or CSR). `keyCycle` is the stack's effective key
 * cycle: `hold:<current>` means the key was made while the current certificate was adopted, never
 * renewed by anyone (see keyCycle in constructs/protocol.ts).
 */
export function keyVerdict(lineage: Lineage, source: "local" | "csr", keyCycle: string, renewAfter: Date | null, now: Date): KeyVerdict {
  const c = lineage.current;
  const whose = source === "local" ? "this stack's key (its tls_private_key)" : "your CSR (key.csrPem / csr_pem)";
  const head = `certificate ${c.certificateId}, the lineage's current one, was not issued for ${whose}`;
  if (lineage.inFlight)
    return {
      problem: `${head}: its renewal ${lineage.inFlight.certificateId} is not issued yet (${lineage.inFlight.phase}; see \`tccert scan --ids ${lineage.rootId}\` for a human step). ${STOPS} Apply again once it is issued; nothing is paid twice.`,
      message: "",
    };
  const from = c.notAfter ? tencentRenewableFrom(c.notAfter) : null;
  const allowed = from === null ? "" : from.getTime() > now.getTime() ? ` (Tencent allows renewing it from about ${from.toISOString()})` : " (Tencent should allow it now)";
  if (keyCycle === `hold:${c.certificateId}`)
    return {
      problem: "",
      message:
        `${c.certificateId} is adopted: it was not issued for ${whose}, so the stack outputs no private key for it (null) until its first renewal, due from ${renewAfter?.toISOString() ?? "its renewal date"}. ` +
        `To renew it with this key now, change renewalTrigger${allowed}.`,
    };
  const why = c.link.originCertificateId !== "" ? `it renewed ${c.link.originCertificateId} outside this stack (console, tccert renew, another stack), or for a key this stack no longer holds` : "the stack's key was replaced since";
  return { problem: `${head}: ${why}. ${STOPS} To get a certificate for this key, change renewalTrigger${allowed}; a renewal is paid once.`, message: "" };
}
