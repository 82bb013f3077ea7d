import { describe, expect, it } from "vitest";
import { limiterFor, rateFor } from "../../../tencent/rate-limit";

describe("rateFor", () => {
  it("defaults to 10/s for SSL and the documented DNSPod rates", () => {
    expect(rateFor("ssl", "DescribeCertificateDetail")).toBe(10);
    expect(rateFor("ssl", "CreateCertificateByPackage")).toBe(10);
    expect(rateFor("dnspod", "CreateRecord")).toBe(500);
    expect(rateFor("dnspod", "DeleteRecord")).toBe(500);
    expect(rateFor("dnspod", "DescribeRecordList")).toBe(100);
    expect(rateFor("dnspod", "ModifyRecordStatus")).toBe(20);
  });

  it("lets per-action settings win over per-service ones", () => {
    const o = { sslPerSecond: 3, dnspodPerSecond: 7, perAction: { DescribePackages: 1 } };
    expect(rateFor("ssl", "DescribeCertificates", o)).toBe(3);
    expect(rateFor("ssl", "DescribePackages", o)).toBe(1);
    expect(rateFor("dnspod", "CreateRecord", o)).toBe(7);
  });
});

describe("limiterFor", () => {
  it("shares one limiter per (endpoint, action) in a process", () => {
    const a = limiterFor("unit://x", "DescribeCertificates", 10);
    expect(limiterFor("unit://x", "DescribeCertificates", 10)).toBe(a);
    expect(limiterFor("unit://x", "DescribePackages", 10)).not.toBe(a);
    expect(limiterFor("unit://y", "DescribeCertificates", 10)).not.toBe(a);
  });

  it("rejects a rate that is not a positive number", () => {
    expect(() => limiterFor("unit://z", "A", 0)).toThrow(/positive number/);
    expect(() => limiterFor("unit://z", "A", Number.NaN)).toThrow(/positive number/);
  });
});
