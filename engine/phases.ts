/**
 * The renewal's phases, named in exactly one place. `renewal.ts` moves through
 * them in this order; every boundary is a point where a crash must be followed
 * by a resume, never by a second purchase.
 */
export const PHASES = [
  "preflight", // read the lineage; check the certificate, the inputs and the payment BEFORE paying
  "find-order", // look for a renewal already paid for (the RenewOrder link, or our journal)
  "prepare-key", // make the key and CSR, and journal them (0600) before Tencent sees the CSR
  "pay", // CreateCertificateByPackage, at most once per renewal
  "submit", // CertificateOrderSubmit when the new certificate waits in status 5
  "validate", // DNS records (dnspod), DNS_AUTO, manual DNS, or a human step (OV/EV letter)
  "wait", // poll for issuance, adaptively, until waitTimeoutMinutes
  "verify", // fetch the certificate; check key, CSR, domains and chain
  "cleanup", // remove the validation records we created
  "deploy", // optional: UpdateCertificateInstance, followed to completion
  "done",
] as const;

export type Phase = (typeof PHASES)[number];
