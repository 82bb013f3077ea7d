/**
 * Shared test vocabulary for worlds that run against the embedded emulator:
 * which actions spend money or change Tencent state (read from the call log),
 * and a one-account seed (certificates, one benefit package, DNSPod zones).
 */
import type { SeedAccount, SeedSpec } from "../../emulator";

/** The paid call. */
export const PAID_ACTION = "ssl.CreateCertificateByPackage";

/** Actions that spend money or change Tencent state. Preview, plan, diff and check must make none. */
export const MUTATING_ACTIONS: readonly string[] = [
  PAID_ACTION,
  "ssl.CertificateOrderSubmit",
  "ssl.CertificateInfoSubmit",
  "ssl.CompleteCertificate",
  "ssl.CancelCertificateOrder",
  "ssl.UpdateCertificateInstance",
  "ssl.UploadConfirmLetter",
  "dnspod.CreateRecord",
  "dnspod.DeleteRecord",
  "dnspod.ModifyRecord",
];

export type SeedCertificates = NonNullable<SeedSpec["certificates"]>;

export function accountSeed(
  account: SeedAccount,
  certificates: SeedCertificates,
  options: { balance?: number; total?: number; packageId?: string; zones?: readonly string[] } = {},
): SeedSpec {
  return {
    accounts: [account],
    certificates: certificates.map((c) => ({ accountId: account.accountId, ...c })),
    packages: [{ accountId: account.accountId, packageId: options.packageId ?? "pkg-test-1", total: options.total ?? 1000, balance: options.balance ?? 100 }],
    zones: (options.zones ?? ["example.com"]).map((zone) => ({ accountId: account.accountId, zone })),
  };
}
