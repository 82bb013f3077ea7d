import { describe, expect, it } from "vitest";
import {
  InvalidInputError,
  PendingHumanActionError,
  TimedOutError,
  isInvalidInputError,
  isPendingHumanActionError,
  isRenewalError,
  isTimedOutError,
} from "../../../engine/errors";

describe("branded errors", () => {
  it("are recognised by brand, not by instanceof", () => {
    const e = new InvalidInputError("renewBeforeDays", "bad");
    // Simulate an error that crossed a serialization boundary: a plain object with the brand.
    const clone = Object.assign(Object.create(null), e, { [Symbol.for("tencentcloud-cert-renewal.error")]: true, kind: "InvalidInput" });
    expect(isInvalidInputError(e)).toBe(true);
    expect(isInvalidInputError(clone)).toBe(true);
    expect(isTimedOutError(e)).toBe(false);
    expect(isRenewalError(new Error("x"))).toBe(false);
    expect(isRenewalError(null)).toBe(false);
  });

  it("human actions and timeouts are resumable and keep the lineage", () => {
    const p = new PendingHumanActionError("confirmation-letter", "m", "upload the letter", {
      originalCertificateId: "old",
      newCertificateId: "new",
    });
    expect(isPendingHumanActionError(p)).toBe(true);
    expect(p.resumable).toBe(true);
    expect(p.newCertificateId).toBe("new");
    const t = new TimedOutError("m", 1000, { originalCertificateId: "old" });
    expect(t.resumable).toBe(true);
    expect(t.name).toBe("TimedOutError");
  });
});
