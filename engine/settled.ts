/**
 * Words and dates for front ends whose plans must settle (Terraform): nothing here changes with
 * the passage of time alone, so a status stored by one apply equals the status the next plan reads
 * until something really changes. Pure; no I/O.
 */
import type { PolicyDecision } from "./policy";

const DAY_MS = 86_400_000;

/**
 * Tencent's quick-renewal window in its newest documentation: 30 calendar days before expiry. Only
 * an estimate for messages: Tencent's `RenewAble` decides.
 */
export const TENCENT_RENEWAL_WINDOW_DAYS = 30;

/** When Tencent should allow renewing a certificate that expires at `notAfter` (an estimate). */
export function tencentRenewableFrom(notAfter: Date): Date {
  return new Date(notAfter.getTime() - TENCENT_RENEWAL_WINDOW_DAYS * DAY_MS);
}

const iso = (d: Date | null): string => (d ? d.toISOString() : "an unknown date");

/** The decision in words without day counts ("expires in N days" would change every day). */
export function settledMessage(decision: PolicyDecision, current: { certificateId: string; notAfter: Date | null }, renewBeforeDays: number): string {
  const id = current.certificateId;
  switch (decision.reason) {
    case "NotDue":
      return `${id} is valid until ${iso(current.notAfter)}; renewal is due from ${iso(decision.renewAfter)} (renewBeforeDays=${renewBeforeDays})`;
    case "NearingExpiry":
      return `${id} is due for renewal since ${iso(decision.renewAfter)} (valid until ${iso(current.notAfter)}, renewBeforeDays=${renewBeforeDays})`;
    case "Expired":
      return `${id} expired at ${iso(current.notAfter)}`;
    case "TencentNotYetRenewable":
      return `${id} (valid until ${iso(current.notAfter)}) is due, but Tencent does not allow renewing it yet (RenewAble is false); Tencent opens renewal about ${TENCENT_RENEWAL_WINDOW_DAYS} days before expiry`;
    default:
      // OrderInFlight, Forced, InputsChanged, NotRenewable: the engine's messages carry no day count.
      return decision.message;
  }
}

/**
 * A forced renewal Tencent will not honour yet: the reason and the date Tencent should allow it,
 * or null when it can go ahead. A renewal already paid for (in flight) is always resumable.
 */
export function forcedRenewalRefusal(
  current: { certificateId: string; notAfter: Date | null; renewable: boolean },
  inFlight: boolean,
  now: Date,
): string | null {
  if (inFlight || current.renewable) return null;
  const id = current.certificateId;
  if (!current.notAfter)
    return `Tencent does not allow renewing ${id} (RenewAble is false) and it has no expiry date; check it with \`tccert scan --ids ${id}\`.`;
  const from = tencentRenewableFrom(current.notAfter);
  const when =
    from.getTime() > now.getTime()
      ? `Tencent opens renewal about ${TENCENT_RENEWAL_WINDOW_DAYS} days before expiry: from about ${from.toISOString()} (${id} is valid until ${current.notAfter.toISOString()})`
      : `by Tencent's documented ${TENCENT_RENEWAL_WINDOW_DAYS}-day window it should be renewable since ${from.toISOString()}, so check \`tccert scan --ids ${id}\` (a renewal may already exist)`;
  return `Tencent does not allow renewing ${id} yet (RenewAble is false); ${when}.`;
}
