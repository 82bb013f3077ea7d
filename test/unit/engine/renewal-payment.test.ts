/**
 * The paid call (`CreateCertificateByPackage`) and its failures, against the
 * in-memory fake. Money is sacred: every test counts the paid calls sent.
 * Ambiguous failures without evidence are asserted only as "at most one paid
 * call, and a resumable stop": the exact error is the payment path's business.
 */
import { describe, expect, it } from "vitest";
import { ensureRenewed, isPaymentRefusedError } from "../../../engine";
import { caught } from "../../support/caught";
import { noAnswer, serverError, tencentError } from "../../support/fake-calls";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";

async function world(balance = 10): Promise<FakeWorld> {
  const w = fakeWorld();
  await w.ssl.seed({ id: "old1" });
  w.ssl.seedPackage({ packageId: "pkg-1", balance });
  return w;
}

function renew(w: FakeWorld) {
  return ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
}

describe("the paid call", () => {
  it("packages that cannot pay: refused before the paid call, naming the balance", async () => {
    const w = await world(0);
    const e = await caught(renew(w));
    expect(isPaymentRefusedError(e)).toBe(true);
    expect(e.resumable).toBe(false);
    expect(w.calls.mutating()).toBe(0);
  });

  it("Tencent refuses the paid call: PaymentRefusedError, one call, nothing made; a rerun may pay", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", tencentError("renewByPackage", "FailedOperation.PackageCountLimit"));
    const e = await caught(renew(w));
    expect(isPaymentRefusedError(e)).toBe(true);
    expect(e.message).toContain("FailedOperation.PackageCountLimit");
    expect(w.calls.count("renewByPackage")).toBe(1);
    expect(w.calls.count("submitOrder")).toBe(0);
    expect(w.ssl.renewalIds()).toEqual([]);
    expect(w.ssl.packages[0]!.balance).toBe(10);

    const r = await renew(w);
    expect(r).toMatchObject({ outcome: "renewed", paidThisRun: true });
    expect(w.calls.count("renewByPackage", true)).toBe(1);
  });

  it("Tencent refuses a second renewal of the same certificate: PaymentRefusedError, nothing made", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", tencentError("renewByPackage", "FailedOperation.InvalidCertificateStatusCode"));
    const e = await caught(renew(w));
    expect(isPaymentRefusedError(e)).toBe(true);
    expect(w.calls.count("renewByPackage")).toBe(1);
    expect(w.ssl.renewalIds()).toEqual([]);
  });
});

describe("the paid call's outcome is unknown", () => {
  it("5xx after Tencent committed, the link set: that order is resumed, never bought again", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", serverError("renewByPackage"), { afterCommit: true });
    const r = await renew(w);
    const [newId] = w.ssl.renewalIds();
    expect(r).toMatchObject({ outcome: "renewed", certificateId: newId });
    expect(w.calls.count("renewByPackage")).toBe(1);
    expect(w.ssl.renewalIds()).toHaveLength(1);
    expect(w.ssl.packages[0]!.balance).toBe(9);
  });

  it("no answer, committed, the link showing up a few reads later: that order is resumed", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, linkDelayReads: 2 };
    w.calls.fail("renewByPackage", noAnswer("renewByPackage"), { afterCommit: true });
    const r = await renew(w);
    const [newId] = w.ssl.renewalIds();
    expect(r.certificateId).toBe(newId);
    expect(w.calls.count("renewByPackage")).toBe(1);
    expect(w.ssl.renewalIds()).toHaveLength(1);
  });

  it("no answer, nothing at Tencent: stops resumably after at most one paid call", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", noAnswer("renewByPackage"));
    const e = await caught(renew(w));
    expect(e.resumable).toBe(true);
    expect(w.calls.count("renewByPackage")).toBeLessThanOrEqual(1);
    expect(w.calls.count("submitOrder")).toBe(0);
    expect(w.ssl.renewalIds()).toEqual([]);
  });

  it.each([
    ["HTTP 500", () => serverError("renewByPackage")],
    ["FailedOperation.TradeError", () => tencentError("renewByPackage", "FailedOperation.TradeError")],
  ])("%s and no evidence of payment: stops resumably after at most one paid call", async (_name, error) => {
    const w = await world();
    w.calls.fail("renewByPackage", error(), { times: 10 });
    const e = await caught(renew(w));
    expect(e.resumable).toBe(true);
    expect(w.calls.count("renewByPackage")).toBeLessThanOrEqual(1);
    expect(w.calls.count("submitOrder")).toBe(0);
  });
});
