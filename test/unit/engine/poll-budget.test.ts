import { describe, expect, it } from "vitest";
import { createPollBudget, sharedPollBudget } from "../../../engine/poll-budget";

describe("poll budget: a token bucket of one per action", () => {
  it("spaces polls of one action 1000/perSecond ms apart, from the first free slot", () => {
    let now = 0;
    const b = createPollBudget({ perSecond: () => 5, now: () => now });
    expect([b.reserve("A"), b.reserve("A"), b.reserve("A")]).toEqual([0, 200, 400]);
    now = 1000; // idle long enough: the next one goes at once
    expect(b.reserve("A")).toBe(0);
  });

  it("never more than perSecond in any one-second window, however many renewals ask at once", () => {
    let now = 0;
    const b = createPollBudget({ perSecond: () => 5, now: () => now });
    const slots = Array.from({ length: 40 }, () => b.reserve("DescribeCertificateDetail"));
    for (let i = 5; i < slots.length; i++) expect(slots[i]! - slots[i - 5]!).toBeGreaterThanOrEqual(1000);
    now = 50;
    expect(b.reserve("DescribeCertificateDetail")).toBe(40 * 200 - 50);
  });

  it("each action has its own budget at its own rate", () => {
    const b = createPollBudget({ perSecond: (a) => (a === "A" ? 5 : 10), now: () => 0 });
    expect([b.reserve("A"), b.reserve("A"), b.reserve("B"), b.reserve("B")]).toEqual([0, 200, 0, 100]);
  });

  it("take sleeps for the wait through the sleep it is given (none when the slot is free)", async () => {
    const b = createPollBudget({ perSecond: () => 4, now: () => 0 });
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    await b.take("A", sleep);
    await b.take("A", sleep);
    await b.take("A", sleep);
    expect(slept).toEqual([250, 500]);
  });

  it("refuses a rate that is not a positive number", () => {
    const b = createPollBudget({ perSecond: () => 0, now: () => 0 });
    expect(() => b.reserve("A")).toThrow(/poll budget for A must be a positive number of polls per second, got 0/);
  });

  it("the shared budget is one per key in the process", () => {
    const a = sharedPollBudget("test-endpoint-1", () => 5);
    expect(sharedPollBudget("test-endpoint-1", () => 1)).toBe(a);
    expect(sharedPollBudget("test-endpoint-2", () => 5)).not.toBe(a);
  });
});
