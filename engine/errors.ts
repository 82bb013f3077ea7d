/**
 * Branded errors. The provider runs from serialized code in another process,
 * so `instanceof` is not reliable: every error carries a `Symbol.for` brand and
 * a `kind`, and each kind has an `isXxx()` guard that checks the brand.
 */

const BRAND = Symbol.for("tencentcloud-cert-renewal.error");

export type ErrorKind =
  | "InvalidInput"
  | "Auth"
  | "PaymentRefused"
  | "PendingHumanAction"
  | "TimedOut"
  | "ValidationFailed"
  | "ReviewFailed"
  | "OrderCancelled"
  | "VerificationFailed"
  | "TencentApi"
  | "Transport"
  | "LockHeld"
  | "PaymentUnknown";

export interface RenewalErrorOptions {
  /** The lineage this error belongs to, when known. */
  readonly originalCertificateId?: string;
  /** The in-flight renewal, when one exists: the caller resumes it. */
  readonly newCertificateId?: string;
  /** True when rerunning the same request continues where this one stopped. */
  readonly resumable?: boolean;
  readonly cause?: unknown;
}

export class RenewalError extends Error {
  readonly [BRAND] = true;
  readonly kind: ErrorKind;
  readonly originalCertificateId: string;
  readonly newCertificateId: string;
  readonly resumable: boolean;

  constructor(kind: ErrorKind, message: string, options: RenewalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `${kind}Error`;
    this.kind = kind;
    this.originalCertificateId = options.originalCertificateId ?? "";
    this.newCertificateId = options.newCertificateId ?? "";
    this.resumable = options.resumable ?? false;
  }
}

/** Bad input: names the field, the value received and the fix. Raised before anything is paid. */
export class InvalidInputError extends RenewalError {
  readonly field: string;
  constructor(field: string, message: string) {
    super("InvalidInput", message);
    this.field = field;
  }
}

/** Credentials missing, wrong, expired or not allowed. */
export class AuthError extends RenewalError {
  readonly code: string;
  constructor(code: string, message: string, options: RenewalErrorOptions = {}) {
    super("Auth", message, options);
    this.code = code;
  }
}

/** No package can pay, or Tencent refused the payment. Nothing was paid. */
export class PaymentRefusedError extends RenewalError {
  readonly code: string;
  constructor(code: string, message: string, options: RenewalErrorOptions = {}) {
    super("PaymentRefused", message, options);
    this.code = code;
  }
}

/** A human must act in the console (OV/EV letter, manual DNS). Resumable. */
export class PendingHumanActionError extends RenewalError {
  /** `submit-info`: an order waiting in status 5 for its application data (console). */
  readonly action: "confirmation-letter" | "manual-dns" | "submit-info";
  readonly instructions: string;
  constructor(
    action: "confirmation-letter" | "manual-dns" | "submit-info",
    message: string,
    instructions: string,
    options: RenewalErrorOptions,
  ) {
    super("PendingHumanAction", message, { ...options, resumable: true });
    this.action = action;
    this.instructions = instructions;
  }
}

/** Our wait timeout passed before issuance. Resumable: the order is not lost. */
export class TimedOutError extends RenewalError {
  readonly waitedMs: number;
  constructor(message: string, waitedMs: number, options: RenewalErrorOptions) {
    super("TimedOut", message, { ...options, resumable: true });
    this.waitedMs = waitedMs;
  }
}

/** A Tencent API error the engine could not handle. Keeps `Code` and `RequestId`. */
export class TencentApiError extends RenewalError {
  readonly code: string;
  readonly requestId: string;
  readonly action: string;
  readonly httpStatus: number;
  constructor(
    action: string,
    code: string,
    message: string,
    details: { requestId?: string; httpStatus?: number } & RenewalErrorOptions = {},
  ) {
    super("TencentApi", message, details);
    this.action = action;
    this.code = code;
    this.requestId = details.requestId ?? "";
    this.httpStatus = details.httpStatus ?? 0;
  }
}

/**
 * How far a failed request got: `not-sent` (connection refused: nothing reached
 * Tencent), `no-answer` (timeout, reset: it may still be running there), or
 * `answered` (an unreadable answer came back: Tencent finished with it).
 */
export type TransportReach = "not-sent" | "no-answer" | "answered";

/** Network, timeout, non-JSON body: the request's outcome is unknown. */
export class TransportError extends RenewalError {
  readonly action: string;
  readonly reach: TransportReach;
  constructor(action: string, message: string, options: RenewalErrorOptions & { reach?: TransportReach } = {}) {
    super("Transport", message, options);
    this.action = action;
    this.reach = options.reach ?? "no-answer";
  }
}

/**
 * Another run holds the lineage lock (one renewal per lineage at a time). Names the holder
 * (owner, pid, host, start time). Resumable: rerun once that run has finished.
 */
export class LockHeldError extends RenewalError {
  readonly holder: string;
  constructor(message: string, holder: string, options: RenewalErrorOptions = {}) {
    super("LockHeld", message, { ...options, resumable: true });
    this.holder = holder;
  }
}

/**
 * A paid call was sent and its outcome is still unknown: no evidence shows it was paid or refused.
 * No further paid call is made on the lineage until evidence or an operator resolves it
 * (`tccert resolve <id> --not-paid`) or the quarantine period passes. Resumable.
 */
export class PaymentUnknownError extends RenewalError {
  /** When the unresolved paid call was attempted (ISO). */
  readonly attemptedAt: string;
  constructor(message: string, attemptedAt: string, options: RenewalErrorOptions = {}) {
    super("PaymentUnknown", message, { ...options, resumable: true });
    this.attemptedAt = attemptedAt;
  }
}

export function isRenewalError(e: unknown): e is RenewalError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

function guard<T extends RenewalError>(kind: ErrorKind) {
  return (e: unknown): e is T => isRenewalError(e) && e.kind === kind;
}

export const isInvalidInputError = guard<InvalidInputError>("InvalidInput");
export const isAuthError = guard<AuthError>("Auth");
export const isPaymentRefusedError = guard<PaymentRefusedError>("PaymentRefused");
export const isPendingHumanActionError = guard<PendingHumanActionError>("PendingHumanAction");
export const isTimedOutError = guard<TimedOutError>("TimedOut");
export const isTencentApiError = guard<TencentApiError>("TencentApi");
export const isTransportError = guard<TransportError>("Transport");
export const isValidationFailedError = guard<RenewalError>("ValidationFailed");
export const isReviewFailedError = guard<RenewalError>("ReviewFailed");
export const isOrderCancelledError = guard<RenewalError>("OrderCancelled");
export const isVerificationFailedError = guard<RenewalError>("VerificationFailed");
export const isLockHeldError = guard<LockHeldError>("LockHeld");
export const isPaymentUnknownError = guard<PaymentUnknownError>("PaymentUnknown");

/**
 * A failure whose request may not have been executed or may succeed later:
 * transport errors, HTTP 5xx, throttling, Tencent's internal and CA-busy errors.
 * The engine re-reads state before repeating a mutating call after one of these.
 */
export function isTransientError(e: unknown): boolean {
  if (isTransportError(e)) return true;
  if (!isTencentApiError(e)) return false;
  if (e.httpStatus >= 500) return true;
  return /^(InternalError|RequestLimitExceeded|LimitExceeded\.RateLimitExceeded|FailedOperation\.(NetworkError|FrequencyLimit|SystemError|CannotGetOrder)|ServiceUnavailable|ResourceUnavailable|ResourceBusy|ClientError\.HttpStatusCodeError)/.test(e.code);
}
