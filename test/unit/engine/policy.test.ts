import { describe, expect, it } from "vitest";
import { evaluatePolicy, type PolicyInput } from "../../../engine/policy";

const DAY = 86_400_000;
const now = new Date("2026-11-28T00:00:00Z");
const cert = (daysLeft: number, extra: Partial<PolicyInput["certificate"]> = {}): PolicyInput["certificate"] => ({
  certificateId: "abcd1234",
  notAfter: new Date(now.getTime() + daysLeft * DAY),
  renewable: true,
  renewOrderId: "",
  ...extra,
});

describe("renewal policy", () => {
  it("is not due far from expiry, and says when it will be", () => {
    const d = evaluatePolicy({ now, certificate: cert(200), renewBeforeDays: 30 });
    expect(d).toMatchObject({ due: false, verdict: "wait", reason: "NotDue", daysLeft: 200 });
    expect(d.renewAfter?.toISOString()).toBe(new Date(now.getTime() + 170 * DAY).toISOString());
    expect(d.message).toContain("renewBeforeDays=30");
  });

  it("is due inside renewBeforeDays", () => {
    const d = evaluatePolicy({ now, certificate: cert(20), renewBeforeDays: 30 });
    expect(d).toMatchObject({ due: true, verdict: "renew", reason: "NearingExpiry", daysLeft: 20 });
  });

  it("is due exactly at the boundary", () => {
    expect(evaluatePolicy({ now, certificate: cert(30), renewBeforeDays: 30 }).due).toBe(true);
    expect(evaluatePolicy({ now, certificate: cert(30.01), renewBeforeDays: 30 }).due).toBe(false);
  });

  it("waits for Tencent when it does not allow renewal yet", () => {
    const d = evaluatePolicy({ now, certificate: cert(40, { renewable: false }), renewBeforeDays: 60 });
    expect(d).toMatchObject({ due: false, verdict: "wait", reason: "TencentNotYetRenewable" });
    expect(d.message).toContain("RenewAble is false");
  });

  it("treats an unknown RenewAble (a diff from stored state) as allowed", () => {
    const { renewable: _r, ...noRenewable } = cert(10);
    expect(evaluatePolicy({ now, certificate: noRenewable, renewBeforeDays: 30 }).due).toBe(true);
  });

  it("resumes an order in flight before anything else, even when not due", () => {
    const d = evaluatePolicy({ now, certificate: cert(300, { renewOrderId: "new12345", renewable: false }), renewBeforeDays: 30 });
    expect(d).toMatchObject({ due: true, reason: "OrderInFlight" });
    expect(d.message).toContain("new12345");
    expect(d.message).toContain("not bought again");
  });

  it("reports expired certificates", () => {
    const d = evaluatePolicy({ now, certificate: cert(-3), renewBeforeDays: 30 });
    expect(d).toMatchObject({ due: true, reason: "Expired" });
    expect(d.message).toContain("expired 3 day(s) ago");
  });

  it("honours force and changed inputs", () => {
    expect(evaluatePolicy({ now, certificate: cert(200), renewBeforeDays: 30, forced: true }).reason).toBe("Forced");
    const d = evaluatePolicy({ now, certificate: cert(200), renewBeforeDays: 30, changedInputs: ["key.algorithm"] });
    expect(d).toMatchObject({ due: true, reason: "InputsChanged" });
    expect(d.message).toContain("key.algorithm");
  });

  it("blocks unpaid or unissued certificates", () => {
    expect(evaluatePolicy({ now, certificate: cert(5, { paid: false }), renewBeforeDays: 30 })).toMatchObject({ verdict: "blocked", reason: "NotRenewable" });
    expect(evaluatePolicy({ now, certificate: cert(5, { issued: false }), renewBeforeDays: 30 })).toMatchObject({ verdict: "blocked", reason: "NotRenewable" });
  });

  it("handles a certificate without an expiry date", () => {
    const d = evaluatePolicy({ now, certificate: cert(0, { notAfter: null }), renewBeforeDays: 30 });
    expect(d).toMatchObject({ due: false, reason: "NotDue", renewAfter: null, daysLeft: null });
  });
});

describe("CompleteCertificate support by brand", () => {
  it("is skipped for DNSPod and WoTrus products, as Tencent documents", async () => {
    const { acceptsCompleteCertificate } = await import("../../../engine/wait");
    expect(acceptsCompleteCertificate({ productZhName: "DNSPod SSL 域名型SSL证书(C1)", packageType: "48" })).toBe(false);
    expect(acceptsCompleteCertificate({ productZhName: "", packageType: "27" })).toBe(false);
    expect(acceptsCompleteCertificate({ productZhName: "TrustAsia 域名型", packageType: "11" })).toBe(true);
    expect(acceptsCompleteCertificate({ productZhName: "", packageType: "" })).toBe(true);
  });
});
