import { describe, expect, it } from "vitest";
import type { BenefitPackage, Certificate } from "../../../engine/domain";
import { isInvalidInputError, isPaymentRefusedError } from "../../../engine/errors";
import { chooseProduct, choosePackages, domainCount, estimatePoints } from "../../../engine/payment";

const now = new Date("2026-11-28T00:00:00Z");
const pkg = (id: string, balance: number, expiresInDays: number | null, status = "usable"): BenefitPackage => ({
  packageId: id,
  type: "ssl_100",
  total: 100,
  balance,
  status,
  expireTime: expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000),
  pid: 0,
});
const cert = (over: Partial<Certificate> = {}): Certificate =>
  ({ certificateId: "abcd1234", packageType: "48", productZhName: "DNSPod DV", isDv: true, certType: "DV", domain: "a.example.com", domainNumber: 0, domains: ["a.example.com", "www.a.example.com"], ...over }) as Certificate;

describe("payment choice", () => {
  it("derives the product from PackageType and explains it", () => {
    expect(chooseProduct(cert(), undefined)).toEqual({ productPid: 1013949, explanation: "product 1013949 DNSPod DV (C1), derived from PackageType 48" });
    expect(chooseProduct(cert(), 1013953).productPid).toBe(1013953);
  });

  it("fails before paying when the product is unknown, naming the field", () => {
    try {
      chooseProduct(cert({ packageType: "8", productZhName: "GeoTrust EV" }), undefined);
      expect.unreachable();
    } catch (e) {
      expect(isInvalidInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(/^payment.productPid is needed.*GeoTrust EV.*Nothing was paid\.$/);
    }
  });

  it("counts domains as Tencent does: DomainNumber, else without the free www twin", () => {
    expect(domainCount(cert())).toBe(1);
    expect(domainCount(cert({ domains: ["a.example.com", "b.example.com", "www.a.example.com"] }))).toBe(2);
    expect(domainCount(cert({ domainNumber: 5 }))).toBe(5);
  });

  it("estimates points per domain and validation level", () => {
    expect(estimatePoints(cert())).toBe(1);
    expect(estimatePoints(cert({ isDv: false, certType: "OV", domains: ["x"] }))).toBe(3);
    expect(estimatePoints(cert({ isDv: false, certType: "EV", domains: ["x"] }))).toBe(5);
  });

  it("picks the usable packages expiring soonest that cover the cost", () => {
    const c = choosePackages([pkg("late", 50, 300), pkg("soon", 1, 10), pkg("dead", 50, -1), pkg("used", 50, 100, "used"), pkg("mid", 5, 50)], 3, undefined, now);
    expect(c.packageIds).toEqual(["soon", "mid"]);
    expect(c.explanation).toContain("expiring soonest");
  });

  it("refuses before paying when the balance is short", () => {
    try {
      choosePackages([pkg("a", 1, 10)], 3, undefined, now);
      expect.unreachable();
    } catch (e) {
      expect(isPaymentRefusedError(e)).toBe(true);
      expect((e as Error).message).toContain("hold 1 point(s), and this renewal needs about 3");
    }
  });

  it("checks explicit package ids", () => {
    expect(() => choosePackages([pkg("a", 5, 10)], 1, ["zzz"], now)).toThrow(/does not have: zzz/);
    expect(() => choosePackages([pkg("a", 5, -1)], 1, ["a"], now)).toThrow(/cannot pay/);
    expect(choosePackages([pkg("a", 5, 10)], 1, ["a"], now).packageIds).toEqual(["a"]);
  });
});
