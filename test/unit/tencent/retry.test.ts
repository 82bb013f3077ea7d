import TencentCloudSDKHttpException from "tencentcloud-sdk-nodejs/tencentcloud/common/exception/tencent_cloud_sdk_exception";
import { describe, expect, it } from "vitest";
import {
  isAuthError,
  isPaymentRefusedError,
  isTencentApiError,
  isTransportError,
  TencentApiError,
} from "../../../engine/errors";
import { classifyError, type ClassifiedFailure, type FailureClass } from "../../../tencent/errors";
import { ACTION_KINDS, backoffDelayMs, callKindOf, shouldRetry, withRetry, type AttemptOutcome } from "../../../tencent/retry";

const ctx = { service: "ssl" as const, action: "DescribeCertificateDetail", secretId: "AKIDEMULATORDEMO000000000000000000000" };

function apiError(code: string, message = "m", requestId = "req-1"): TencentCloudSDKHttpException {
  const e = new TencentCloudSDKHttpException(message, requestId, "trace");
  e.code = code;
  return e;
}

describe("classifyError", () => {
  it.each([
    ["RequestLimitExceeded", "throttled"],
    ["RequestLimitExceeded.IPLimitExceeded", "throttled"],
    ["RequestLimitExceeded.RequestLimitExceeded", "throttled"],
    ["LimitExceeded.RateLimitExceeded", "throttled"],
    ["FailedOperation.FrequencyLimit", "throttled"],
    ["InternalError", "server-error"],
    ["InternalError.BackendResponseError", "server-error"],
    ["FailedOperation.NetworkError", "server-error"],
    ["FailedOperation.CertificateNotFound", "final"],
    ["LimitExceeded", "final"],
    ["FailedOperation.NetworkErrorX", "final"],
  ] as const)("API code %s is %s and keeps Code and RequestId", (code, failure) => {
    const c = classifyError(apiError(code, "said so", "rid-9"), ctx);
    expect(c.failure).toBe(failure);
    expect(isTencentApiError(c.error)).toBe(true);
    const e = c.error as TencentApiError;
    expect(e.code).toBe(code);
    expect(e.requestId).toBe("rid-9");
    expect(e.action).toBe("DescribeCertificateDetail");
    expect(e.message).toBe(`tencent: DescribeCertificateDetail: ${code}: said so (RequestId rid-9)`);
  });

  it.each([
    ["AuthFailure.SecretIdNotFound", /TENCENTCLOUD_SECRET_ID.*tencentcloud:secretId/],
    ["AuthFailure.SignatureFailure", /TENCENTCLOUD_SECRET_KEY/],
    ["AuthFailure.SignatureExpire", /clock/],
    ["AuthFailure.TokenFailure", /TENCENTCLOUD_SESSION_TOKEN/],
    ["AuthFailure.UnauthorizedOperation", /ssl:DescribeCertificateDetail/],
    ["AuthFailure.InvalidAuthorization", /TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN/],
  ])("%s becomes an actionable AuthError that never prints the full SecretId", (code, hint) => {
    const c = classifyError(apiError(code), ctx);
    expect(c.failure).toBe("final");
    expect(isAuthError(c.error)).toBe(true);
    expect(c.error.message).toMatch(/^tencent: DescribeCertificateDetail: AuthFailure\./);
    expect(c.error.message).toMatch(hint);
    expect(c.error.message).not.toContain(ctx.secretId);
  });

  it("leaves payment refusals as TencentApiError with their code (the engine decides what they mean)", () => {
    const c = classifyError(apiError("FailedOperation.PackageCountLimit"), { ...ctx, action: "CreateCertificateByPackage" });
    expect(isTencentApiError(c.error)).toBe(true);
    expect(isPaymentRefusedError(c.error)).toBe(false);
    expect(c.error).toMatchObject({ code: "FailedOperation.PackageCountLimit", action: "CreateCertificateByPackage" });
    expect(c.failure).toBe("final");
  });

  it("classifies HTTP status answers", () => {
    const e = new TencentCloudSDKHttpException("Bad Gateway", "", "t");
    e.httpCode = 502;
    const c = classifyError(e, ctx);
    expect(c.failure).toBe("server-error");
    expect(c.error).toMatchObject({ code: "ClientError.HttpStatusCodeError", httpStatus: 502 });
    expect(c.error.message).toBe("tencent: DescribeCertificateDetail: HTTP 502 Bad Gateway from the API gateway; the request's outcome is unknown");
    const notFound = new TencentCloudSDKHttpException("Not Found", "", "t");
    notFound.httpCode = 404;
    expect(classifyError(notFound, ctx).failure).toBe("final");
  });

  it("tells requests that never left from outcomes that are unknown", () => {
    const refused = classifyError(new TencentCloudSDKHttpException("request to http://x/ failed, reason: connect ECONNREFUSED 127.0.0.1:1", "", "t"), ctx);
    expect(refused.failure).toBe("not-sent");
    expect(isTransportError(refused.error)).toBe(true);
    expect(refused.error.message).toContain("the request was not sent");
    const reset = classifyError(new TencentCloudSDKHttpException("request to http://x/ failed, reason: socket hang up", "", "t"), ctx);
    expect(reset.failure).toBe("transport");
    expect(reset.error.message).toContain("outcome is unknown");
    const timeout = classifyError(new TencentCloudSDKHttpException("network timeout at: http://x/", "", "t"), ctx);
    expect(timeout.error.message).toContain("no answer within the timeout");
  });

  it("classifies the SDK's unwrapped FetchError and TypeError", () => {
    const fetchError = Object.assign(new Error("invalid json response body at http://x/ reason: Unexpected token"), { name: "FetchError" });
    const f = classifyError(fetchError, ctx);
    expect(f.failure).toBe("transport");
    expect(f.error.message).toContain("not JSON");
    const t = classifyError(new TypeError("Cannot read properties of undefined (reading 'Error')"), ctx);
    expect(t.failure).toBe("transport");
    expect(t.error.message).toContain("without a Response envelope");
  });

  it("keeps one line and bounds what it quotes", () => {
    const c = classifyError(apiError("InvalidParameter", `line1\nline2 ${"x".repeat(1000)}`), ctx);
    expect(c.error.message).not.toContain("\n");
    expect(c.error.message.length).toBeLessThan(420);
  });
});

describe("retry policy", () => {
  const classes: FailureClass[] = ["throttled", "not-sent", "server-error", "transport", "final"];

  it("never retries the paid call", () => {
    expect(callKindOf("CreateCertificateByPackage")).toBe("paid");
    for (const f of classes) expect(shouldRetry("paid", f)).toBe(false);
  });

  it("retries mutating calls only when the request provably did not execute", () => {
    for (const a of ["CertificateOrderSubmit", "CreateRecord", "CancelCertificateOrder", "UpdateCertificateInstance"]) expect(callKindOf(a)).toBe("mutating");
    expect(classes.filter((f) => shouldRetry("mutating", f))).toEqual(["throttled", "not-sent"]);
  });

  it("retries reads and idempotent calls on every transient failure, never on a final answer", () => {
    for (const k of ["read", "idempotent"] as const) expect(classes.filter((f) => shouldRetry(k, f))).toEqual(["throttled", "not-sent", "server-error", "transport"]);
    expect(ACTION_KINDS.DescribeCertificateDetail).toBe("read");
    expect(ACTION_KINDS.DeleteRecord).toBe("idempotent");
  });

  it("treats unknown actions as mutating", () => {
    expect(callKindOf("SomethingNew")).toBe("mutating");
  });

  it("backs off with full jitter under a doubling, capped ceiling", () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, opts, () => 0.999)).toBe(799);
    expect(backoffDelayMs(10, opts, () => 0.999)).toBe(999);
    expect(backoffDelayMs(5, opts, () => 0)).toBe(0);
  });
});

describe("withRetry", () => {
  const fail = (failure: FailureClass): AttemptOutcome<string> => ({
    ok: false,
    failure: { failure, error: new TencentApiError("A", failure, `tencent: A: ${failure}`) } as ClassifiedFailure,
  });
  const script = (outcomes: AttemptOutcome<string>[]) => {
    let calls = 0;
    const attempt = async () => outcomes[Math.min(calls++, outcomes.length - 1)] as AttemptOutcome<string>;
    return { attempt, calls: () => calls };
  };
  const fast = { baseDelayMs: 1, maxDelayMs: 2 };

  it("retries a read until it succeeds", async () => {
    const s = script([fail("throttled"), fail("server-error"), { ok: true, value: "done" }]);
    await expect(withRetry("read", fast, s.attempt)).resolves.toBe("done");
    expect(s.calls()).toBe(3);
  });

  it("gives up after the configured retries with the last error", async () => {
    const s = script([fail("throttled"), fail("throttled"), fail("transport")]);
    await expect(withRetry("read", { ...fast, retries: 2 }, s.attempt)).rejects.toThrow("tencent: A: transport (gave up after 3 attempts)");
    expect(s.calls()).toBe(3);
  });

  it("does not retry a mutating call whose outcome is unknown", async () => {
    const s = script([fail("transport"), { ok: true, value: "never" }]);
    const e = await withRetry("mutating", fast, s.attempt).then(() => new Error("resolved"), (x: Error) => x);
    expect(e.message).toBe("tencent: A: transport");
    expect(s.calls()).toBe(1);
  });

  it("does not retry the paid call even when throttled", async () => {
    const s = script([fail("throttled"), { ok: true, value: "never" }]);
    await expect(withRetry("paid", fast, s.attempt)).rejects.toThrow("throttled");
    expect(s.calls()).toBe(1);
  });
});
