import { describe, expect, it } from "vitest";
import { createThrottle, validateThrottleConfig } from "../../../emulator/throttle";

describe("throttle (token buckets on real time)", () => {
  const fakeTime = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("default limits: 10/s for SSL, DNSPod per the rate table", () => {
    const th = createThrottle(true, () => 0);
    expect(th.rateFor("ssl", "CreateCertificateByPackage")).toBe(10);
    expect(th.rateFor("ssl", "DescribeCertificateDetail")).toBe(10);
    expect(th.rateFor("dnspod", "CreateRecord")).toBe(500);
    expect(th.rateFor("dnspod", "DeleteRecord")).toBe(500);
    expect(th.rateFor("dnspod", "ModifyRecord")).toBe(500);
    expect(th.rateFor("dnspod", "DescribeRecordList")).toBe(100);
    expect(th.rateFor("dnspod", "DescribeDomainList")).toBe(20);
  });

  it("allows a burst of `rate`, then refills at `rate` per second", () => {
    const clock = fakeTime();
    const th = createThrottle(true, clock.now);
    const take = () => th.take("acct", "ssl", "DescribeCertificates");
    expect(Array.from({ length: 10 }, take).every(Boolean)).toBe(true);
    expect(take()).toBe(false);
    clock.advance(99);
    expect(take()).toBe(false);
    clock.advance(1);
    expect(take()).toBe(true);
    expect(take()).toBe(false);
    clock.advance(10_000);
    expect(Array.from({ length: 11 }, take).filter(Boolean)).toHaveLength(10);
  });

  it("keeps buckets per account and per action", () => {
    const th = createThrottle({ "ssl.A": 1 }, () => 0);
    expect(th.take("x", "ssl", "A")).toBe(true);
    expect(th.take("x", "ssl", "A")).toBe(false);
    expect(th.take("y", "ssl", "A")).toBe(true);
    expect(th.take("x", "ssl", "B")).toBe(true);
  });

  it("overrides: `service.Action`, bare `Action`, `service.*`; 0 blocks, Infinity never throttles; false disables", () => {
    const th = createThrottle({ "ssl.A": 3, B: 4, "dnspod.*": 7, C: 0, D: Infinity }, () => 0);
    expect(th.rateFor("ssl", "A")).toBe(3);
    expect(th.rateFor("dnspod", "A")).toBe(7);
    expect(th.rateFor("ssl", "B")).toBe(4);
    expect(th.rateFor("ssl", "Z")).toBe(10);
    expect(th.take("x", "ssl", "C")).toBe(false);
    for (let i = 0; i < 1000; i++) expect(th.take("x", "ssl", "D")).toBe(true);
    th.configure(false);
    expect(th.rateFor("ssl", "C")).toBe(Infinity);
    expect(th.take("x", "ssl", "C")).toBe(true);
  });

  it("rejects bad configurations", () => {
    expect(() => validateThrottleConfig({ A: -1 })).toThrow("`A`");
    expect(() => validateThrottleConfig({ A: "10" })).toThrow("`A`");
    expect(() => validateThrottleConfig([1])).toThrow("throttle");
    expect(validateThrottleConfig(false)).toBe(false);
  });
});
