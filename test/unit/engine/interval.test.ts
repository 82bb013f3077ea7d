import { describe, expect, it } from "vitest";
import { nextInterval, type IntervalInput, type IntervalPolicy } from "../../../engine/interval";

const POLICY: IntervalPolicy = { fastMs: 1000, slowMs: 30_000, fastWindowMs: 60_000, factor: 1.5 };
const FAR = 10 ** 12;

describe("nextInterval: the polling policy", () => {
  const rows: { name: string; input: IntervalInput; intervalMs: number; sleepMs: number; waitIssueSince: number | null }[] = [
    { name: "right after acting (fast/factor): exactly fastMs", input: { previousMs: 1000 / 1.5, statusMsg: "", waitIssueSince: null, now: 0, deadline: FAR }, intervalMs: 1000, sleepMs: 1000, waitIssueSince: null },
    { name: "backs off by the factor", input: { previousMs: 1000, statusMsg: "", waitIssueSince: null, now: 0, deadline: FAR }, intervalMs: 1500, sleepMs: 1500, waitIssueSince: null },
    { name: "never below fastMs", input: { previousMs: 10, statusMsg: "", waitIssueSince: null, now: 0, deadline: FAR }, intervalMs: 1000, sleepMs: 1000, waitIssueSince: null },
    { name: "never above slowMs", input: { previousMs: 25_000, statusMsg: "PRE-REVIEWING", waitIssueSince: null, now: 0, deadline: FAR }, intervalMs: 30_000, sleepMs: 30_000, waitIssueSince: null },
    { name: "WAIT-ISSUE first seen: fastMs, and the stretch starts now", input: { previousMs: 20_000, statusMsg: "WAIT-ISSUE", waitIssueSince: null, now: 5000, deadline: FAR }, intervalMs: 1000, sleepMs: 1000, waitIssueSince: 5000 },
    { name: "WAIT-ISSUE inside the fast window: fastMs, stretch kept", input: { previousMs: 1000, statusMsg: "WAIT-ISSUE", waitIssueSince: 5000, now: 64_999, deadline: FAR }, intervalMs: 1000, sleepMs: 1000, waitIssueSince: 5000 },
    { name: "WAIT-ISSUE past the fast window: backs off again", input: { previousMs: 1000, statusMsg: "WAIT-ISSUE", waitIssueSince: 5000, now: 65_000, deadline: FAR }, intervalMs: 1500, sleepMs: 1500, waitIssueSince: 5000 },
    { name: "leaving WAIT-ISSUE ends the stretch", input: { previousMs: 1000, statusMsg: "", waitIssueSince: 5000, now: 6000, deadline: FAR }, intervalMs: 1500, sleepMs: 1500, waitIssueSince: null },
    { name: "the sleep stops at the deadline", input: { previousMs: 20_000, statusMsg: "", waitIssueSince: null, now: 1000, deadline: 8000 }, intervalMs: 30_000, sleepMs: 7000, waitIssueSince: null },
    { name: "never a negative sleep past the deadline", input: { previousMs: 1000, statusMsg: "", waitIssueSince: null, now: 9000, deadline: 8000 }, intervalMs: 1500, sleepMs: 0, waitIssueSince: null },
  ];
  for (const row of rows)
    it(row.name, () => {
      expect(nextInterval(POLICY, row.input)).toEqual({ intervalMs: row.intervalMs, sleepMs: row.sleepMs, waitIssueSince: row.waitIssueSince });
    });

  it("from fastMs to slowMs in the expected steps, then stays there", () => {
    const seen: number[] = [];
    let previousMs = POLICY.fastMs / POLICY.factor;
    for (let i = 0; i < 12; i++) {
      previousMs = nextInterval(POLICY, { previousMs, statusMsg: "", waitIssueSince: null, now: 0, deadline: FAR }).intervalMs;
      seen.push(Math.round(previousMs));
    }
    expect(seen).toEqual([1000, 1500, 2250, 3375, 5063, 7594, 11391, 17086, 25629, 30000, 30000, 30000]);
  });
});
