/**
 * Tencent-side renewal channels (auto-renewal, hosting, a subscription): while one is on, Tencent
 * may renew the certificate itself, and a renewal by this tool would pay a second time for the
 * same certificate. Refused before paying unless the user confirms with `allowTencentAutoRenew`:
 * from the detail before the key is made, and from the list row (`AutoRenewFlag` is only there)
 * that the evidence read just before paying returns anyway, so no call is added.
 */
import { tencentChannelsOn, type Certificate, type CertificateSummary } from "./domain";
import { InvalidInputError } from "./errors";
import type { ResolvedOptions } from "./options";

/** The refusal naming `allowTencentAutoRenew` when a channel is on and not allowed; null otherwise. Pure. */
export function tencentChannelsRefusal(
  opts: Pick<ResolvedOptions, "allowTencentAutoRenew">,
  old: Certificate,
  row?: Pick<CertificateSummary, "tencentRenewal">,
): InvalidInputError | null {
  if (opts.allowTencentAutoRenew) return null;
  const on = [...new Set([tencentChannelsOn(old.tencentRenewal), tencentChannelsOn(row?.tencentRenewal)].flatMap((x) => (x === "" ? [] : x.split(", "))))];
  if (on.length === 0) return null;
  return new InvalidInputError(
    "allowTencentAutoRenew",
    `certificate ${old.certificateId} has Tencent-side renewal on: ${on.join(", ")}. Tencent may renew it itself, and renewing it here too would pay twice. ` +
      `Nothing was paid. Turn it off in the SSL console, or confirm with allowTencentAutoRenew (CLI --allow-tencent-auto-renew) to renew here anyway.`,
  );
}
