import { describe, expect, it } from "vitest";
import { backoffDelayMs, backoffStatus, countsAsFailure, DEFAULT_BACKOFF, formatDuration, recordFailure } from "../../../engine/backoff";
import { AuthError, InvalidInputError, PaymentRefusedError, PendingHumanActionError, TencentApiError, TimedOutError, TransportError } from "../../../engine/errors";

const H = 3_600_000;
const err = { kind: "TencentApi", code: "FailedOperation.X", message: "boom" };

describe("backoffDelayMs: min(cap, base · 2^(n−1))", () => {
  it("defaults: 1 h, 2 h, 4 h … capped at 32 h", () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: H, capMs: 32 * H });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n) / H)).toEqual([1, 2, 4, 8, 16, 32, 32, 32]);
  });
  it("no failures, no delay; huge counts stay at the cap", () => {
    expect(backoffDelayMs(0)).toBe(0);
    expect(backoffDelayMs(-1)).toBe(0);
    expect(backoffDelayMs(NaN)).toBe(0);
    expect(backoffDelayMs(5000)).toBe(32 * H);
  });
  it("a custom policy", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, { baseMs: 10, capMs: 35 }))).toEqual([10, 20, 35, 35]);
  });
});

describe("recordFailure", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  it("starts at 1 failure with the base delay", () => {
    expect(recordFailure(undefined, t0, err)).toEqual({
      failures: 1,
      firstFailureAt: "2026-01-01T00:00:00.000Z",
      lastFailureAt: "2026-01-01T00:00:00.000Z",
      nextAttemptAt: "2026-01-01T01:00:00.000Z",
      lastError: err,
    });
  });
  it("counts on, keeps the first failure time, doubles from the last failure", () => {
    const first = recordFailure(undefined, t0, err);
    const t1 = new Date("2026-01-01T05:00:00Z");
    const second = recordFailure(first, t1, { ...err, message: "again" });
    expect(second).toMatchObject({ failures: 2, firstFailureAt: first.firstFailureAt, lastFailureAt: t1.toISOString(), nextAttemptAt: "2026-01-01T07:00:00.000Z" });
    expect(second.lastError.message).toBe("again");
  });
});

describe("backoffStatus", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  const rec = recordFailure(recordFailure(undefined, t0, err), t0, err); // 2 failures, until +2 h
  it("active before nextAttemptAt, with why and until when", () => {
    const s = backoffStatus("c1", rec, new Date(t0.getTime() + 30 * 60_000));
    expect(s).toEqual({
      active: true,
      until: new Date("2026-01-01T02:00:00Z"),
      failures: 2,
      remainingMs: 90 * 60_000,
      message: "c1 is backed off after 2 consecutive failed renewal(s) until 2026-01-01T02:00:00.000Z (in 1h 30m)",
      lastError: "TencentApi FailedOperation.X: boom",
    });
  });
  it("over once nextAttemptAt has passed", () => {
    const s = backoffStatus("c1", rec, new Date("2026-01-01T02:00:00Z"));
    expect(s.active).toBe(false);
    expect(s.message).toBe("c1 failed 2 time(s) in a row; the backoff ended at 2026-01-01T02:00:00.000Z and the next run tries again");
  });
  it("nothing recorded", () => {
    expect(backoffStatus("c1", undefined, t0)).toEqual({ active: false, until: null, failures: 0, remainingMs: 0, message: "", lastError: "" });
  });
});

describe("countsAsFailure", () => {
  it("counts Tencent refusals, transport errors and unknown errors", () => {
    expect(countsAsFailure(new TencentApiError("CreateCertificateByPackage", "FailedOperation.X", "x"))).toBe(true);
    expect(countsAsFailure(new PaymentRefusedError("InsufficientPackages", "x"))).toBe(true);
    expect(countsAsFailure(new TransportError("DescribeCertificates", "x"))).toBe(true);
    expect(countsAsFailure(new Error("x"))).toBe(true);
  });
  it("does not count resumable stops, bad input or credentials", () => {
    expect(countsAsFailure(new PendingHumanActionError("confirmation-letter", "x", "y", {}))).toBe(false);
    expect(countsAsFailure(new TimedOutError("x", 1, {}))).toBe(false);
    expect(countsAsFailure(new InvalidInputError("f", "x"))).toBe(false);
    expect(countsAsFailure(new AuthError("AuthFailure.SignatureFailure", "x"))).toBe(false);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [12_000, "12s"],
    [200_000, "3m 20s"],
    [H + 59 * 60_000, "1h 59m"],
    [32 * H, "32h 0m"],
    [-5, "0s"],
  ])("%d ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
