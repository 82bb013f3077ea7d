/**
 * The renewal decision as data: a chain of small pure checks. Each check either
 * passes (returns null) or decides, with a machine reason and a human message.
 * `now` is injected; nothing here does I/O, so Pulumi's diff, the CDKTF plan
 * and `tccert scan` can all call it without spending money.
 */

export type RenewalReason =
  | "OrderInFlight" // a paid renewal exists (the link is set): resume it, never pay again
  | "Forced" // renewalTrigger changed / --force
  | "InputsChanged" // an input that shapes the certificate changed
  | "Expired" // past notAfter
  | "NearingExpiry" // inside renewBeforeDays
  | "TencentNotYetRenewable" // we want to renew but Tencent's RenewAble is false
  | "NotRenewable" // not a paid, issued certificate: nothing we can renew
  | "NotDue";

export type Verdict = "renew" | "wait" | "blocked";

export interface PolicyInput {
  readonly now: Date;
  /** The lineage's newest certificate. */
  readonly certificate: {
    readonly certificateId: string;
    readonly notAfter: Date | null;
    /** Tencent's `RenewAble`. `undefined` when unknown (e.g. from stored state in a diff). */
    readonly renewable?: boolean;
    /** `RenewOrder`/`HasRenewOrder`: the renewal already paid for; "" when none. */
    readonly renewOrderId: string;
    /** @default true */
    readonly paid?: boolean;
    /** @default true */
    readonly issued?: boolean;
  };
  /** Renew this many days before `notAfter`. */
  readonly renewBeforeDays: number;
  /** @default false */
  readonly forced?: boolean;
  /** Names of inputs that changed since the certificate was made. @default [] */
  readonly changedInputs?: readonly string[];
}

export interface PolicyDecision {
  /** True when a renewal (new or resumed) should run now. */
  readonly due: boolean;
  readonly verdict: Verdict;
  readonly reason: RenewalReason;
  readonly message: string;
  /** When our own policy wants the renewal: notAfter − renewBeforeDays; null when unknown. */
  readonly renewAfter: Date | null;
  /** Whole days until notAfter (negative once expired); null when unknown. */
  readonly daysLeft: number | null;
}

const DAY_MS = 86_400_000;

/** When our own policy wants the renewal: `notAfter − renewBeforeDays` (whole days of 24 hours). */
export function renewAfterOf(notAfter: Date, renewBeforeDays: number): Date {
  return new Date(notAfter.getTime() - renewBeforeDays * DAY_MS);
}

type Check = (input: PolicyInput, derived: Derived) => Omit<PolicyDecision, "renewAfter" | "daysLeft"> | null;

interface Derived {
  readonly renewAfter: Date | null;
  readonly daysLeft: number | null;
  readonly id: string;
}

const orderInFlight: Check = (i, d) =>
  i.certificate.renewOrderId !== ""
    ? {
        due: true,
        verdict: "renew",
        reason: "OrderInFlight",
        message: `${d.id} already has a paid renewal ${i.certificate.renewOrderId} in flight; it will be resumed, not bought again`,
      }
    : null;

const notRenewable: Check = (i, d) => {
  if (i.certificate.paid === false)
    return {
      due: false,
      verdict: "blocked",
      reason: "NotRenewable",
      message: `${d.id} is not a paid certificate; only paid certificates renew through benefit packages`,
    };
  if (i.certificate.issued === false)
    return {
      due: false,
      verdict: "blocked",
      reason: "NotRenewable",
      message: `${d.id} is not an issued certificate, so there is nothing to renew yet`,
    };
  return null;
};

function gatedByTencent(
  i: PolicyInput,
  reason: RenewalReason,
  message: string,
): Omit<PolicyDecision, "renewAfter" | "daysLeft"> {
  if (i.certificate.renewable === false)
    return {
      due: false,
      verdict: "wait",
      reason: "TencentNotYetRenewable",
      message: `${message}, but Tencent does not allow renewing it yet (RenewAble is false; Tencent opens renewal shortly before expiry)`,
    };
  return { due: true, verdict: "renew", reason, message };
}

const forced: Check = (i, d) => (i.forced ? gatedByTencent(i, "Forced", `${d.id}: renewal forced`) : null);

const inputsChanged: Check = (i, d) =>
  i.changedInputs && i.changedInputs.length > 0
    ? gatedByTencent(i, "InputsChanged", `${d.id}: inputs changed (${i.changedInputs.join(", ")})`)
    : null;

const expired: Check = (i, d) =>
  d.daysLeft !== null && i.certificate.notAfter !== null && i.certificate.notAfter.getTime() <= i.now.getTime()
    ? gatedByTencent(i, "Expired", `${d.id} expired ${-d.daysLeft} day(s) ago`)
    : null;

const nearingExpiry: Check = (i, d) =>
  d.renewAfter !== null && i.now.getTime() >= d.renewAfter.getTime()
    ? gatedByTencent(
        i,
        "NearingExpiry",
        `${d.id} expires in ${d.daysLeft} day(s), inside renewBeforeDays=${i.renewBeforeDays}`,
      )
    : null;

const notDue: Check = (i, d) => ({
  due: false,
  verdict: "wait",
  reason: "NotDue",
  message:
    d.renewAfter === null
      ? `${d.id} has no expiry date yet`
      : `${d.id} expires in ${d.daysLeft} day(s); renewal is due from ${d.renewAfter.toISOString()} (renewBeforeDays=${i.renewBeforeDays})`,
});

/** The chain, in order. The first check that decides wins. */
export const POLICY_CHECKS: readonly Check[] = [orderInFlight, notRenewable, forced, inputsChanged, expired, nearingExpiry, notDue];

export function evaluatePolicy(input: PolicyInput): PolicyDecision {
  const notAfter = input.certificate.notAfter;
  const derived: Derived = {
    id: input.certificate.certificateId,
    renewAfter: notAfter === null ? null : renewAfterOf(notAfter, input.renewBeforeDays),
    daysLeft: notAfter === null ? null : Math.floor((notAfter.getTime() - input.now.getTime()) / DAY_MS),
  };
  for (const check of POLICY_CHECKS) {
    const decided = check(input, derived);
    if (decided) return { ...decided, renewAfter: derived.renewAfter, daysLeft: derived.daysLeft };
  }
  /* c8 ignore next */
  throw new Error("unreachable: notDue always decides");
}
