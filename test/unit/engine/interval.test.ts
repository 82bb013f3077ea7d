import { describe, expect, it } from "vitest";
import { DENSE_MAX_MS, nextInterval, type IntervalInput, type IntervalPolicy } from "../../../engine/interval";

/** The engine's defaults (engine/wait.ts). */
const POLICY: IntervalPolicy = { fastMs: 1000, slowMs: 60_000, fastWindowMs: 60_000, factor: 1.5, firstLookMs: 5_000, expectedIssuanceMs: [60_000, 600_000] };
const FAR = 10 ** 12;
const S = 1000;

function at(now: number, patch: Partial<IntervalInput> = {}): IntervalInput {
  return { now, deadline: FAR, actedAt: 0, previousAt: 0, statusMsg: "", waitIssueSince: null, dv: true, ...patch };
}

/** The look times (s after acting) a DV order that never issues gets, up to `untilS`. */
function schedule(policy: IntervalPolicy, untilS: number, statusMsg = ""): number[] {
  const looks: number[] = [];
  let now = 0;
  let previousAt = 0;
  let waitIssueSince: number | null = null;
  while (now < untilS * S) {
    const d = nextInterval(policy, at(now, { previousAt, statusMsg, waitIssueSince }));
    waitIssueSince = d.waitIssueSince;
    previousAt = now;
    now += d.sleepMs;
    looks.push(now / S);
  }
  return looks;
}

describe("nextInterval: sparse early, dense near the expected issuance", () => {
  it("one early look, then the first expected moment; dense after it; sparse in between; a look ahead of the later moment, then dense", () => {
    expect(schedule(POLICY, 700)).toEqual([
      5, 60, 65, 70, 75, 112.5, 168.75, 228.75, 288.75, 348.75, 408.75, 468.75, 528.75, 540, 600, 610, 620, 630, 640, 650, 660, 720,
    ]);
  });

  it("a CA issuing at 60 s is seen at the second look (2 calls), at 10 min at the 15th", () => {
    const looks = schedule(POLICY, 700);
    expect(looks.findIndex((t) => t >= 60) + 1).toBe(2);
    expect(looks.findIndex((t) => t >= 600) + 1).toBe(15);
  });

  it("inside a dense stretch the interval is E/12, at most DENSE_MAX_MS", () => {
    expect(nextInterval(POLICY, at(62 * S)).intervalMs).toBe(5 * S);
    expect(nextInterval(POLICY, at(605 * S)).intervalMs).toBe(DENSE_MAX_MS);
  });

  it("long waits settle at slowMs (once a minute)", () => {
    const looks = schedule(POLICY, 3 * 3600);
    const tail = looks.slice(-10);
    for (let i = 1; i < tail.length; i++) expect(tail[i]! - tail[i - 1]!).toBe(60);
  });

  it("an order not validated by DNS (OV/EV review) gets no dense stretch: it backs off to slowMs", () => {
    const d = (now: number) => nextInterval(POLICY, at(now * S, { dv: false })).intervalMs / S;
    expect(d(5)).toBe(2.5);
    expect(d(10)).toBe(5);
    expect(d(60)).toBe(30);
    expect(d(300)).toBe(60);
  });
});

describe("nextInterval: what Tencent says moves the moments", () => {
  it("WAIT-ISSUE first seen: validation passed after the previous look, so the moments count from there", () => {
    // Looks at 5, 60 (validation pending), 65, 70, 75, then WAIT-ISSUE at 112.5: validation passed after 75.
    const d = nextInterval(POLICY, at(112.5 * S, { previousAt: 75 * S, statusMsg: "WAIT-ISSUE" }));
    expect(d.waitIssueSince).toBe(75 * S);
    expect(d.intervalMs).toBe((75 + 60 - 112.5) * S); // the first moment, 60 s after validation
  });

  it("WAIT-ISSUE at the first look after acting: the moments count from when we acted", () => {
    const d = nextInterval(POLICY, at(5 * S, { previousAt: -2 * S, statusMsg: "wait-issue" }));
    expect(d.waitIssueSince).toBe(0);
    expect(d.intervalMs).toBe(55 * S);
  });

  it("the stretch is kept while WAIT-ISSUE lasts and ends when it does", () => {
    expect(nextInterval(POLICY, at(130 * S, { previousAt: 120 * S, statusMsg: "WAIT-ISSUE", waitIssueSince: 75 * S })).waitIssueSince).toBe(75 * S);
    expect(nextInterval(POLICY, at(130 * S, { previousAt: 120 * S, statusMsg: "", waitIssueSince: 75 * S })).waitIssueSince).toBeNull();
  });

  it("before the first look, the first look", () => {
    expect(nextInterval(POLICY, at(3 * S, { actedAt: 1 * S })).intervalMs).toBe(3 * S);
  });
});

describe("nextInterval: bounds", () => {
  it("every interval stays within [fastMs, slowMs]: tests that shrink them shrink the whole schedule", () => {
    const tiny: IntervalPolicy = { ...POLICY, fastMs: 20, slowMs: 100 };
    const looks = schedule(tiny, 5);
    const gaps = looks.map((t, i) => Math.round((t - (looks[i - 1] ?? 0)) * S));
    expect(Math.max(...gaps)).toBe(100);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
  });

  it("the sleep stops at the deadline, and is never negative past it", () => {
    expect(nextInterval(POLICY, at(20 * S, { deadline: 27 * S }))).toEqual({ intervalMs: 40 * S, sleepMs: 7 * S, waitIssueSince: null });
    expect(nextInterval(POLICY, at(30 * S, { deadline: 27 * S })).sleepMs).toBe(0);
  });

  it("no expected moments: the first look, then backing off by the factor up to slowMs", () => {
    const none: IntervalPolicy = { ...POLICY, expectedIssuanceMs: [] };
    expect(schedule(none, 200)).toEqual([5, 7.5, 11.25, 16.875, 25.3125, 37.96875, 56.953125, 85.4296875, 128.14453125, 188.14453125, 248.14453125]);
  });
});
