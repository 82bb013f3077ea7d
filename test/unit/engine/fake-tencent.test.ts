/**
 * The in-memory fake the engine's unit tests stand on (test/support/fake-*.ts):
 * its Tencent rules (links, a second renewal, balances), scripted faults and
 * the call log. If these drift, the engine tests prove nothing.
 */
import { describe, expect, it } from "vitest";
import type { RenewByPackageRequest } from "../../../engine/domain";
import { isTencentApiError } from "../../../engine/errors";
import { caught } from "../../support/caught";
import { serverError } from "../../support/fake-calls";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";

const REQUEST: RenewByPackageRequest = { oldCertificateId: "old1", productPid: 1013949, packageIds: ["pkg-1"], domainCount: 1, periodYears: 1, csrMethod: "online", algorithmType: "ECC", algorithmParam: "prime256v1" };

async function world(): Promise<FakeWorld> {
  const w = fakeWorld();
  await w.ssl.seed({ id: "old1" });
  w.ssl.seedPackage({ packageId: "pkg-1", balance: 3 });
  return w;
}

describe("the fake's paid call", () => {
  it("links both sides, takes the points, and refuses a second renewal with InvalidCertificateStatusCode", async () => {
    const w = await world();
    const id = await w.ssl.renewByPackage(REQUEST);
    expect(w.ssl.view("old1").link.renewOrderId).toBe(id);
    expect(w.ssl.view(id)).toMatchObject({ status: 5, phase: "awaiting-submission", link: { originCertificateId: "old1" } });
    expect((await w.ssl.listPackages())[0]!.balance).toBe(2);
    const e = await caught(w.ssl.renewByPackage(REQUEST));
    expect(isTencentApiError(e) && e.code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(w.calls.count("renewByPackage")).toBe(2);
    expect(w.calls.count("renewByPackage", true)).toBe(1);
  });

  it("can accept a second renewal, link only the new side, and show the old side's link late", async () => {
    const w = await world();
    w.ssl.renewal = { link: "new-only", linkDelayReads: 0, secondRenewal: "accept", order: {} };
    const a = await w.ssl.renewByPackage(REQUEST);
    const b = await w.ssl.renewByPackage(REQUEST);
    expect(w.ssl.renewalIds()).toEqual([a, b]);
    expect((await w.ssl.getCertificate("old1")).link.renewOrderId).toBe("");
    const page = await w.ssl.listCertificates({});
    expect(page.certificates.filter((c) => c.link.originCertificateId === "old1").map((c) => c.certificateId)).toEqual([a, b]);

    const v = await world();
    v.ssl.renewal = { ...v.ssl.renewal, linkDelayReads: 2 };
    const id = await v.ssl.renewByPackage(REQUEST);
    const links = [];
    for (let i = 0; i < 3; i++) links.push((await v.ssl.getCertificate("old1")).link.renewOrderId);
    expect(links).toEqual(["", "", id]);
  });

  it("refuses a payment the packages cannot cover, before committing", async () => {
    const w = await world();
    const e = await caught(w.ssl.renewByPackage({ ...REQUEST, domainCount: 5 }));
    expect(isTencentApiError(e) && e.code).toBe("FailedOperation.PackageCountLimit");
    expect(w.ssl.renewalIds()).toEqual([]);
  });
});

describe("the fake's faults and status machine", () => {
  it("a fault before commit changes nothing; after commit the change happened; skip and times count calls", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", serverError("renewByPackage"));
    await caught(w.ssl.renewByPackage(REQUEST));
    expect(w.ssl.renewalIds()).toEqual([]);
    w.calls.fail("renewByPackage", serverError("renewByPackage"), { afterCommit: true });
    await caught(w.ssl.renewByPackage(REQUEST));
    expect(w.ssl.renewalIds()).toHaveLength(1);
    expect(w.calls.log.map((c) => [c.ok, c.committed])).toEqual([[false, false], [false, true]]);

    w.calls.fail("getCertificate", serverError("getCertificate"), { skip: 1, times: 2 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await w.ssl.getCertificate("old1").then(() => "ok", () => "fail"));
    expect(outcomes).toEqual(["ok", "fail", "fail", "ok"]);
  });

  it("an order issues a real certificate for its key once its records are published", async () => {
    const w = await world();
    const id = await w.ssl.renewByPackage(REQUEST);
    await w.ssl.submitOrder(id, "DNS");
    expect((await w.ssl.getCertificate(id)).phase).toBe("validating");
    w.dns.publishAll(w.ssl.view(id).dvAuths);
    const issued = await w.ssl.getCertificate(id);
    expect(issued.phase).toBe("issued");
    const inspector = w.deps().inspector;
    expect(inspector.matchesPrivateKey(issued.certificatePem!, issued.privateKeyPem!)).toBe(true);
    const bundle = inspector.bundle(issued.certificatePem!);
    expect(inspector.chainInOrder(bundle.leafPem, bundle.chainPem)).toBe(true);
    expect(inspector.parse(bundle.leafPem).domains).toEqual(["example.com"]);
  });

  it("the fake clock's sleep returns at once, moves the clock, and honours an abort", async () => {
    const w = fakeWorld();
    const t0 = w.clock.now().getTime();
    await w.sleep(90_000);
    expect(w.clock.now().getTime() - t0).toBe(90_000);
    expect(w.sleep.sleeps).toEqual([90_000]);
    const c = new AbortController();
    c.abort(new Error("aborted"));
    await expect(w.sleep(1, c.signal)).rejects.toThrow("aborted");
  });
});
