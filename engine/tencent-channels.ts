/**
 * Tencent-side renewal channels (auto-renewal, hosting, a subscription): while one is on, Tencent
 * may renew the certificate itself, and a renewal by this tool would pay a second time for the
 * same certificate. Checked just before paying, from the list (`AutoRenewFlag` is only there) and
 * the detail; refused unless the user confirms with `allowTencentAutoRenew`.
 */
import { tencentChannelsOn, type Certificate } from "./domain";
import type { EngineDeps } from "./deps";
import { InvalidInputError } from "./errors";
import type { ResolvedOptions } from "./options";

/** Throws an InvalidInputError naming `allowTencentAutoRenew` when a channel is on and not allowed. Read-only. */
export async function refuseTencentChannels(deps: Pick<EngineDeps, "ssl">, opts: Pick<ResolvedOptions, "allowTencentAutoRenew">, old: Certificate): Promise<void> {
  if (opts.allowTencentAutoRenew) return;
  const row = (await deps.ssl.listCertificates({ ids: [old.certificateId], limit: 1 })).certificates.find((c) => c.certificateId === old.certificateId);
  const on = [tencentChannelsOn(old.tencentRenewal), tencentChannelsOn(row?.tencentRenewal)].filter((x) => x !== "");
  if (on.length === 0) return;
  throw new InvalidInputError(
    "allowTencentAutoRenew",
    `certificate ${old.certificateId} has Tencent-side renewal on: ${[...new Set(on.join(", ").split(", "))].join(", ")}. Tencent may renew it itself, and renewing it here too would pay twice. ` +
      `Nothing was paid. Turn it off in the SSL console, or confirm with allowTencentAutoRenew (CLI --allow-tencent-auto-renew) to renew here anyway.`,
  );
}
