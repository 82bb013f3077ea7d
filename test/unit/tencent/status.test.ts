import { describe, expect, it } from "vitest";
import { phaseOfStatus } from "../../../tencent/status";

describe("phaseOfStatus", () => {
  it.each([
    [0, "validating"],
    [1, "issued"],
    [2, "review-failed"],
    [3, "expired"],
    [4, "validating"],
    [5, "awaiting-submission"],
    [6, "cancelling"],
    [7, "cancelled"],
    [8, "pending-letter"],
    [9, "revoked"],
    [10, "revoked"],
    [11, "busy"],
    [12, "revoked"],
    [13, "busy"],
    [14, "refunded"],
    [15, "busy"],
  ] as const)("maps status %i to %s", (status, phase) => {
    expect(phaseOfStatus(status)).toBe(phase);
  });

  it("maps statuses outside Tencent's table to unknown", () => {
    for (const s of [-1, 16, 99, 1.5, Number.NaN]) expect(phaseOfStatus(s)).toBe("unknown");
  });
});
