/**
 * Classify everything the Tencent SDK can throw (reference §6.5) into the
 * engine's branded errors, plus a failure class the retry policy decides on.
 *
 * | thrown                                              | branded error      | failure class           |
 * |-----------------------------------------------------|--------------------|-------------------------|
 * | SDK exception with `code` `AuthFailure.*`, `UnauthorizedOperation*` | AuthError | final         |
 * | SDK exception with `code` RequestLimitExceeded*, LimitExceeded.RateLimitExceeded, FailedOperation.FrequencyLimit | TencentApiError | throttled |
 * | SDK exception with `code` InternalError*, FailedOperation.NetworkError, ServiceUnavailable | TencentApiError | server-error |
 * | SDK exception with any other `code`                 | TencentApiError    | final                   |
 * | SDK exception with `httpCode` 5xx / 429 / other     | TencentApiError (`ClientError.HttpStatusCodeError`) | server-error / throttled / final |
 * | SDK exception without code: ECONNREFUSED, ENOTFOUND… | TransportError    | not-sent                |
 * | SDK exception without code: timeout, reset, …       | TransportError     | transport               |
 * | `FetchError` (body not JSON), `TypeError` (JSON without `Response`) | TransportError | transport  |
 *
 * Payment refusals (`FailedOperation.Package*`, `TradeError`, …) stay
 * `TencentApiError`s with their code: the engine decides what a refusal means.
 *
 * Messages start with `tencent: <Action>:` and quote only what Tencent or the
 * network said, never a request body (it may hold a CSR or a key).
 */
import TencentCloudSDKHttpException from "tencentcloud-sdk-nodejs/tencentcloud/common/exception/tencent_cloud_sdk_exception";
import {
  AuthError,
  TencentApiError,
  TransportError,
  isRenewalError,
  type RenewalError,
} from "../engine/errors";
import { redact } from "./credentials";

export type FailureClass =
  /** Rejected by a rate limit before execution: safe to retry any call but a paid one. */
  | "throttled"
  /** The request never left this machine (connection refused, name not resolved). */
  | "not-sent"
  /** Tencent's side failed (InternalError, CA busy, HTTP 5xx): the outcome is unknown. */
  | "server-error"
  /** Timeout, reset, unreadable answer: the outcome is unknown. */
  | "transport"
  /** A definite answer that retrying will not change. */
  | "final";

export interface ClassifiedFailure {
  readonly error: RenewalError;
  readonly failure: FailureClass;
}

export interface ErrorContext {
  readonly service: "ssl" | "dnspod";
  readonly action: string;
  /** For naming the key in auth messages (redacted). */
  readonly secretId?: string;
  /**
   * The endpoint override the user gave (`--endpoint`, `TCCERT_ENDPOINT`, `tencentcloud:endpoint`), as
   * its origin. Connection errors name it (the SDK's own message names `ssl.tencentcloudapi.com:PORT`),
   * and a refused connection there fails at once: nothing listens, and retrying will not start it.
   * @default none (the real Tencent endpoints)
   */
  readonly endpoint?: string;
}

/** A request that never left: named by the endpoint the user gave, when there is one. */
function notSent(msg: string, ctx: ErrorContext, thrown: unknown): ClassifiedFailure {
  const { action, endpoint } = ctx;
  if (endpoint === undefined)
    return {
      error: new TransportError(action, `tencent: ${action}: could not connect (${msg}); the request was not sent. Check the endpoint and the network.`, { cause: thrown, reach: "not-sent" }),
      failure: "not-sent",
    };
  const refused = /\bECONNREFUSED\b/.test(msg);
  const code = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/.exec(msg)?.[1] ?? "error";
  const why = refused ? "nothing is listening there" : `the connection failed (${code})`;
  const text = `tencent: ${action}: could not connect to ${endpoint}, the endpoint override you gave (--endpoint or TCCERT_ENDPOINT): ${why}; the request was not sent. Start the emulator there (\`tccert emulator --port PORT\`) or fix the endpoint; unset it to use Tencent's real endpoints.`;
  // A refused connection on the given endpoint is not transient: fail now rather than after six attempts.
  return { error: new TransportError(action, text, { cause: thrown, reach: "not-sent" }), failure: refused ? "final" : "not-sent" };
}

/** The code Tencent's own SDKs use for a non-200 HTTP answer. */
export const HTTP_STATUS_CODE_ERROR = "ClientError.HttpStatusCodeError";

const THROTTLE_PREFIXES = ["RequestLimitExceeded", "LimitExceeded.RateLimitExceeded", "FailedOperation.FrequencyLimit"];
const SERVER_PREFIXES = ["InternalError", "FailedOperation.NetworkError", "ServiceUnavailable"];
/** Transport failures that prove nothing reached the server. */
const NOT_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

const hasPrefix = (code: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => code === p || code.startsWith(`${p}.`));

export function isThrottleCode(code: string): boolean {
  return hasPrefix(code, THROTTLE_PREFIXES);
}

export function isServerErrorCode(code: string): boolean {
  return hasPrefix(code, SERVER_PREFIXES);
}

/** Quote a foreign message safely: one line, bounded. */
function quote(message: unknown): string {
  const s = typeof message === "string" ? message : String(message);
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

interface SdkExceptionShape {
  readonly message: string;
  readonly requestId: string;
  readonly code?: unknown;
  readonly httpCode?: unknown;
}

function asSdkException(e: unknown): SdkExceptionShape | null {
  if (e instanceof TencentCloudSDKHttpException) return e;
  // Duck-typed too: another copy of the SDK has another class.
  if (e instanceof Error && typeof (e as unknown as Record<string, unknown>).requestId === "string" && typeof (e as unknown as Record<string, unknown>).traceId === "string") {
    return e as unknown as SdkExceptionShape;
  }
  return null;
}

function authHint(code: string, ctx: ErrorContext): string {
  const id = ctx.secretId === undefined ? "" : ` ${redact(ctx.secretId)}`;
  switch (code) {
    case "AuthFailure.SecretIdNotFound":
    case "AuthFailure.InvalidSecretId":
      return `the SecretId${id} is unknown or disabled: check TENCENTCLOUD_SECRET_ID (or the Pulumi config key tencentcloud:secretId)`;
    case "AuthFailure.SignatureFailure":
      return `the request signature did not verify: TENCENTCLOUD_SECRET_KEY (tencentcloud:secretKey) does not belong to TENCENTCLOUD_SECRET_ID${id}`;
    case "AuthFailure.SignatureExpire":
      return "the request time differs from Tencent's clock by more than 5 minutes (clock skew): sync this machine's clock (NTP) and retry";
    case "AuthFailure.TokenFailure":
      return "the session token is invalid or expired: refresh TENCENTCLOUD_SESSION_TOKEN (tencentcloud:securityToken) together with its TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY";
    case "AuthFailure.UnauthorizedOperation":
    case "UnauthorizedOperation":
      return `the credentials${id} are valid but not allowed to call ${ctx.service}:${ctx.action}: grant it in CAM to the user or role of TENCENTCLOUD_SECRET_ID`;
    default:
      if (code.startsWith("UnauthorizedOperation")) {
        return `the credentials${id} are not allowed to call ${ctx.service}:${ctx.action}: grant it in CAM to the user or role of TENCENTCLOUD_SECRET_ID`;
      }
      return "check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN (or tencentcloud:secretId / tencentcloud:secretKey)";
  }
}

function classifyApiError(code: string, message: string, requestId: string, ctx: ErrorContext, cause: unknown): ClassifiedFailure {
  const { action } = ctx;
  const rid = requestId === "" ? "" : ` (RequestId ${requestId})`;
  if (code.startsWith("AuthFailure") || code.startsWith("UnauthorizedOperation")) {
    const text = `tencent: ${action}: ${code}: ${authHint(code, ctx)}. Tencent said: ${quote(message)}${rid}`;
    return { error: new AuthError(code, text, { cause }), failure: "final" };
  }
  const failure: FailureClass = isThrottleCode(code) ? "throttled" : isServerErrorCode(code) ? "server-error" : "final";
  const text = `tencent: ${action}: ${code}: ${quote(message)}${rid}`;
  return { error: new TencentApiError(action, code, text, { requestId, httpStatus: 200, cause }), failure };
}

/** Turn anything an SDK call threw into a branded error and a failure class. */
export function classifyError(thrown: unknown, ctx: ErrorContext): ClassifiedFailure {
  const { action } = ctx;
  if (isRenewalError(thrown)) return { error: thrown, failure: "final" };

  const sdk = asSdkException(thrown);
  if (sdk !== null) {
    if (typeof sdk.code === "string" && sdk.code !== "") {
      return classifyApiError(sdk.code, sdk.message, sdk.requestId, ctx, thrown);
    }
    if (typeof sdk.httpCode === "number") {
      const status = sdk.httpCode;
      const failure: FailureClass = status >= 500 ? "server-error" : status === 429 ? "throttled" : "final";
      const text = `tencent: ${action}: HTTP ${status} ${quote(sdk.message)} from the API gateway; the request's outcome is unknown`;
      return { error: new TencentApiError(action, HTTP_STATUS_CODE_ERROR, text, { httpStatus: status, cause: thrown }), failure };
    }
    const msg = quote(sdk.message);
    if (NOT_SENT.test(msg)) return notSent(msg, ctx, thrown);
    const what = /timeout/i.test(msg) ? "no answer within the timeout" : "transport error";
    return {
      error: new TransportError(action, `tencent: ${action}: ${what} (${msg}); the request's outcome is unknown`, { cause: thrown, reach: "no-answer" }),
      failure: "transport",
    };
  }

  if (thrown instanceof Error && thrown.name === "FetchError") {
    return {
      error: new TransportError(action, `tencent: ${action}: the answer was not JSON (${quote(thrown.message)}); the request's outcome is unknown`, { cause: thrown, reach: "answered" }),
      failure: "transport",
    };
  }
  if (thrown instanceof TypeError) {
    return {
      error: new TransportError(action, `tencent: ${action}: malformed answer without a Response envelope (${quote(thrown.message)}); the request's outcome is unknown`, { cause: thrown, reach: "answered" }),
      failure: "transport",
    };
  }
  const msg = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    error: new TransportError(action, `tencent: ${action}: unexpected failure (${quote(msg)}); the request's outcome is unknown`, { cause: thrown }),
    failure: "transport",
  };
}
