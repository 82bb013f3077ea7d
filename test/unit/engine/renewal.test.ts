/**
 * The renewal state machine (`ensureRenewed`, `inspectLineage`) against the
 * in-memory fake, through the engine's public API. Each test asserts on the
 * fake's call log: what was paid, submitted, created and removed.
 */
import { describe, expect, it } from "vitest";
import { ensureRenewed, inspectLineage, isInvalidInputError, isPendingHumanActionError, isTimedOutError, type JournalEntry, type KeyPair, type RenewalResult } from "../../../engine";
import { caught } from "../../support/caught";
import { fakeKeys, freshKey } from "../../support/fake-issuer";
import type { CertSeed } from "../../support/fake-ssl";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";

const DAY = 86_400_000;

async function world(seed: Partial<CertSeed> = {}, balance = 10): Promise<FakeWorld> {
  const w = fakeWorld();
  await w.ssl.seed({ id: "old1", ...seed });
  w.ssl.seedPackage({ packageId: "pkg-1", balance });
  return w;
}

function notDue(w: FakeWorld): Date {
  return new Date(w.clock.now().getTime() + 90 * DAY);
}

/** A journal entry as a run that paid would have left it. */
function journaled(key: KeyPair, csrPem: string, patch: Partial<JournalEntry> = {}): JournalEntry {
  return { originalCertificateId: "old1", oldCertificateId: "old1", newCertificateId: "", keySource: "local", privateKeyPem: key.privateKeyPem, csrPem, createdRecords: [], updatedAt: "2025-05-31T00:00:00.000Z", ...patch };
}

/**
 * A rerun that finishes an order paid by an earlier run: the same order and the journaled key,
 * nothing paid. (If the CA issued between the runs, the rerun adopts it instead of resuming.)
 */
function expectResumed(r: RenewalResult, newId: string, w: FakeWorld): void {
  expect(["renewed", "adopted"]).toContain(r.outcome);
  expect(r).toMatchObject({ paidThisRun: false, certificateId: newId, privateKeyPem: w.journal.peek("old1")?.privateKeyPem });
  expect(r.privateKeyPem).toContain("PRIVATE KEY");
  expect(w.calls.count("renewByPackage")).toBe(1);
}

describe("not due: adopt, paying nothing", () => {
  it("inspectLineage reads only, and says why", async () => {
    const w = fakeWorld();
    await w.ssl.seed({ id: "old1", notAfter: notDue(w) });
    const { lineage, decision } = await inspectLineage(w.deps(), w.options({ certificateId: "old1" }));
    expect(decision).toMatchObject({ due: false, reason: "NotDue" });
    expect(lineage.current.certificateId).toBe("old1");
    expect(w.calls.mutating()).toBe(0);
  });

  it("inspectLineage sees an order in flight as due (resume), still without a mutating call", async () => {
    const w = fakeWorld();
    await w.ssl.seed({ id: "old1", notAfter: notDue(w), renewOrderId: "new1" });
    await w.ssl.seed({ id: "new1", status: 4, originCertificateId: "old1" });
    const { lineage, decision } = await inspectLineage(w.deps(), w.options({ certificateId: "old1" }));
    expect(decision).toMatchObject({ due: true, reason: "OrderInFlight" });
    expect(lineage.inFlight?.certificateId).toBe("new1");
    expect(w.calls.mutating()).toBe(0);
  });

  it("adopts the current certificate with no key when none of ours matches it", async () => {
    const w = fakeWorld();
    await w.ssl.seed({ id: "old1", notAfter: notDue(w) });
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r).toMatchObject({ outcome: "adopted", paidThisRun: false, certificateId: "old1", previousCertificateId: "", privateKeyPem: "", deployment: null });
    expect(r.decision.reason).toBe("NotDue");
    expect(r.certificatePem).toContain("BEGIN CERTIFICATE");
    expect(w.calls.mutating()).toBe(0);
  });

  it("adopts a renewal we made with the key from the journal when it matches the certificate", async () => {
    const w = fakeWorld();
    const key = await freshKey();
    await w.ssl.seed({ id: "old1", renewOrderId: "new1" });
    await w.ssl.seed({ id: "new1", originCertificateId: "old1", notAfter: notDue(w), key });
    w.journal.put(journaled(key, "", { newCertificateId: "new1", deployed: true }));
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r).toMatchObject({ outcome: "adopted", certificateId: "new1", privateKeyPem: key.privateKeyPem });
    expect(w.calls.mutating()).toBe(0);
  });

  it("never outputs a journaled key that does not match the certificate", async () => {
    const w = fakeWorld();
    const other = await freshKey();
    await w.ssl.seed({ id: "old1", renewOrderId: "new1" });
    await w.ssl.seed({ id: "new1", originCertificateId: "old1", notAfter: notDue(w) });
    w.journal.put(journaled(other, "", { newCertificateId: "new1" }));
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r.outcome).toBe("adopted");
    expect(r.privateKeyPem).toBe("");
  });

  it("returns the key Tencent holds (online CSR) when it matches", async () => {
    const w = fakeWorld();
    const key = await freshKey();
    await w.ssl.seed({ id: "old1", notAfter: notDue(w), key, tencentHoldsKey: true });
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r.privateKeyPem).toBe(key.privateKeyPem);
  });

  it("due, but Tencent does not allow renewing yet: adopted, nothing paid", async () => {
    const w = await world({ renewable: false });
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r).toMatchObject({ outcome: "adopted", paidThisRun: false });
    expect(r.decision.reason).toBe("TencentNotYetRenewable");
    expect(w.calls.mutating()).toBe(0);
  });

  it("a certificate that is not paid is refused as input, before any mutating call", async () => {
    const w = await world({ paid: false });
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(isInvalidInputError(e) && e.field).toBe("certificateId");
    expect(w.calls.mutating()).toBe(0);
  });

  it("a renewal whose deployment did not finish (a crash) is deployed when adopted", async () => {
    const w = fakeWorld();
    const key = await freshKey();
    await w.ssl.seed({ id: "old1", renewOrderId: "new1" });
    await w.ssl.seed({ id: "new1", originCertificateId: "old1", notAfter: notDue(w), key });
    w.journal.put(journaled(key, "", { newCertificateId: "new1" }));
    const deploy = [{ resourceType: "clb", regions: ["ap-guangzhou"] }];
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", deploy }));
    // Made from the journaled local key, so deployed by content (Tencent holds no key for it).
    const [args] = w.calls.argsOf("updateCertificateInstance") as unknown[][];
    expect(args?.slice(0, 3)).toEqual(["old1", "new1", deploy]);
    expect(args?.[3]).toMatchObject({ privateKeyPem: "(secret)", fullchainPem: expect.stringContaining("BEGIN CERTIFICATE") }); // the fake call log masks keys
    expect(r.deployment?.finished).toBe(true);
    expect(w.journal.peek("old1")?.deployed).toBe(true);
    expect(w.calls.count("renewByPackage")).toBe(0);
  });
});

describe("due: pay once, validate, verify, clean up", () => {
  it("dnspod with a local key: one payment, one submit, records created, planned and cleaned, the journal's key out", async () => {
    const w = await world();
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(w.calls.count("renewByPackage")).toBe(1);
    expect(w.calls.count("submitOrder")).toBe(1);
    expect(w.calls.count("createRecord")).toBe(1);
    expect(w.calls.count("deleteRecord")).toBe(1);
    expect(w.dns.all()).toEqual([]);
    const [newId] = w.ssl.renewalIds();
    expect(r).toMatchObject({ outcome: "renewed", paidThisRun: true, certificateId: newId, previousCertificateId: "old1", originalCertificateId: "old1", status: "issued" });
    const entry = w.journal.peek("old1")!;
    expect(r.privateKeyPem).toBe(entry.privateKeyPem);
    expect(r.domains).toEqual(["example.com"]);
    expect(r.dnsRecords).toHaveLength(1);
    expect(entry).toMatchObject({ newCertificateId: newId, createdRecords: [], plannedRecords: [] });
    // The record was journaled (planned, then created) before the cleanup removed it.
    expect(w.journal.saves.some((s) => (s.plannedRecords ?? []).length === 1)).toBe(true);
    expect(w.journal.saves.some((s) => s.createdRecords.length === 1)).toBe(true);
    // The key and CSR were journaled before the paid call.
    const paidAt = w.calls.log.findIndex((c) => c.method === "renewByPackage");
    expect(paidAt).toBeGreaterThan(-1);
    const req = w.calls.argsOf("renewByPackage")[0]![0] as { csrMethod: string; csrPem: string; verifyType: string };
    expect(req).toMatchObject({ csrMethod: "upload", verifyType: "DNS" });
    expect(w.journal.saves[0]?.csrPem).toBe(req.csrPem);
    expect(w.ssl.packages[0]!.balance).toBe(9);
  });

  it("DNS_AUTO: asks Tencent to validate and creates no record", async () => {
    const w = await world();
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", validation: "DNS_AUTO" }));
    expect(r.outcome).toBe("renewed");
    expect((w.calls.argsOf("renewByPackage")[0]![0] as { verifyType: string }).verifyType).toBe("DNS_AUTO");
    expect(w.calls.argsOf("submitOrder")).toEqual([[r.certificateId, "DNS_AUTO"]]);
    expect(w.calls.count("createRecord") + w.calls.count("deleteRecord")).toBe(0);
  });

  it("key.source online: Tencent's key is output", async () => {
    const w = await world();
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", key: { source: "online", algorithm: "EC_P256" } }));
    expect((w.calls.argsOf("renewByPackage")[0]![0] as { csrMethod: string }).csrMethod).toBe("online");
    expect(r.privateKeyPem).toContain("PRIVATE KEY");
    expect(r.privateKeyPem).toBe(w.ssl.view(r.certificateId).privateKeyPem);
  });

  it("key.source csr: the user's CSR is sent and no key is output", async () => {
    const w = await world();
    const key = await freshKey();
    const csrPem = await fakeKeys.createCsr(key, "example.com", ["example.com"]);
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", key: { source: "csr", csrPem } }));
    expect((w.calls.argsOf("renewByPackage")[0]![0] as { csrPem: string }).csrPem).toBe(csrPem);
    expect(r).toMatchObject({ outcome: "renewed", privateKeyPem: "" });
  });

  it("key.source csr for other domains is refused before paying", async () => {
    const w = await world();
    const csrPem = await fakeKeys.createCsr(await freshKey(), "other.example.net", ["other.example.net"]);
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1", key: { source: "csr", csrPem } })));
    expect(isInvalidInputError(e) && e.field).toBe("key.csrPem");
    expect(w.calls.mutating()).toBe(0);
  });

  it("deploys to the requested resources, following a task Tencent is still creating", async () => {
    const w = await world();
    w.ssl.deployPending = 1;
    const deploy = [{ resourceType: "clb", regions: ["ap-guangzhou", "ap-shanghai"] }];
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", deploy }));
    // A local key (ours, not Tencent's): deployed by content, the fullchain with the key.
    const content = { fullchainPem: r.fullchainPem, privateKeyPem: "(secret)" };
    expect(w.calls.argsOf("updateCertificateInstance")).toEqual([
      ["old1", r.certificateId, deploy, content],
      ["old1", r.certificateId, deploy, content],
    ]);
    expect(r.fullchainPem).not.toBe(r.certificatePem);
    expect(r.deployment?.results.map((x) => x.region)).toEqual(["ap-guangzhou", "ap-shanghai"]);
    expect(w.journal.peek("old1")?.deployed).toBe(true);
  });

  it("a second run after success adopts the renewal with the same key, paying nothing", async () => {
    const w = await world();
    const first = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    const before = w.calls.mutating();
    const second = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(second).toMatchObject({ outcome: "adopted", certificateId: first.certificateId, privateKeyPem: first.privateKeyPem });
    expect(w.calls.mutating()).toBe(before);
  });
});

describe("due: stops and resumes", () => {
  it("manual-dns: a human step at the deadline; the rerun, once the records exist, completes without paying again", async () => {
    const w = await world();
    const opts = w.options({ certificateId: "old1", validation: "manual-dns", waitTimeoutMinutes: 2 });
    const e = await caught(ensureRenewed(w.deps(), opts));
    expect(isPendingHumanActionError(e) && e.action).toBe("manual-dns");
    expect(e.resumable).toBe(true);
    const [newId] = w.ssl.renewalIds();
    expect(e.newCertificateId).toBe(newId);
    expect(w.calls.count("createRecord")).toBe(0);

    w.dns.publishAll(w.ssl.view(newId!).dvAuths);
    const r = await ensureRenewed(w.deps(), opts);
    expectResumed(r, newId!, w);
    expect(w.calls.count("renewByPackage")).toBe(1);
  });

  it("status 8: waits for the letter (resumable, records kept); once accepted, the rerun completes without paying again", async () => {
    const w = await world({ certType: "OV" });
    w.ssl.renewal = { ...w.ssl.renewal, order: { outcome: "letter" } };
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(isPendingHumanActionError(e) && e.action).toBe("confirmation-letter");
    expect(e.resumable).toBe(true);
    expect(w.calls.count("deleteRecord")).toBe(0);
    expect(w.dns.all()).toHaveLength(1);

    const [newId] = w.ssl.renewalIds();
    w.ssl.rescript(newId!, { outcome: "issue" });
    w.ssl.set(newId!, { status: 4 });
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expectResumed(r, newId!, w);
    expect(w.dns.all()).toEqual([]);
  });

  it("review failed: ReviewFailed, records removed, and a rerun does not pay again", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, order: { outcome: "review-failed" } };
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(e.kind).toBe("ReviewFailed");
    expect(e.resumable).toBe(false);
    expect(w.dns.all()).toEqual([]);
    expect((await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })))).kind).toBe("ReviewFailed");
    expect(w.calls.count("renewByPackage")).toBe(1);
  });

  it("cancelled: OrderCancelled, records removed, nothing bought again", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, order: { outcome: "cancelled" } };
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(e.kind).toBe("OrderCancelled");
    expect(w.dns.all()).toEqual([]);
    expect(w.calls.count("renewByPackage")).toBe(1);
  });

  it("our timeout: TimedOutError, resumable, records kept; the rerun completes the same order and cleans up", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, order: { outcome: "never", statusMsg: "PRE-REVIEWING" } };
    const opts = w.options({ certificateId: "old1", waitTimeoutMinutes: 5 });
    const e = await caught(ensureRenewed(w.deps(), opts));
    expect(isTimedOutError(e)).toBe(true);
    expect(e.resumable).toBe(true);
    const [newId] = w.ssl.renewalIds();
    expect(e.newCertificateId).toBe(newId);
    expect(w.dns.all()).toHaveLength(1);
    expect(w.journal.peek("old1")?.createdRecords).toHaveLength(1);

    w.ssl.rescript(newId!, { outcome: "issue" });
    const r = await ensureRenewed(w.deps(), opts);
    expectResumed(r, newId!, w);
    expect(w.calls.count("createRecord")).toBe(1);
    expect(w.dns.all()).toEqual([]);
  });

  it("resumes an order in flight (a crash after paying) with the journaled key: nothing paid", async () => {
    const w = await world({ renewOrderId: "new1" });
    const key = await freshKey();
    const csrPem = await fakeKeys.createCsr(key, "example.com", ["example.com"]);
    await w.ssl.seed({ id: "new1", status: 5, originCertificateId: "old1", key, csrPem });
    w.journal.put(journaled(key, csrPem));
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1" }));
    expect(r).toMatchObject({ outcome: "renewed", paidThisRun: false, certificateId: "new1", privateKeyPem: key.privateKeyPem });
    expect(r.decision.reason).toBe("OrderInFlight");
    expect(w.calls.count("renewByPackage")).toBe(0);
    expect(w.journal.peek("old1")?.newCertificateId).toBe("new1");
  });

  it("resumes an order Tencent made the key for, with no journal: nothing paid, Tencent's key out", async () => {
    const w = await world({ renewOrderId: "new1" });
    const key = await freshKey();
    await w.ssl.seed({ id: "new1", status: 4, originCertificateId: "old1", key, tencentHoldsKey: true });
    const r = await ensureRenewed(w.deps(), w.options({ certificateId: "old1", key: { source: "online", algorithm: "EC_P256" } }));
    expect(r).toMatchObject({ outcome: "renewed", paidThisRun: false, certificateId: "new1", privateKeyPem: key.privateKeyPem });
    expect(w.calls.count("renewByPackage")).toBe(0);
    expect(w.calls.count("submitOrder")).toBe(0);
  });
});

describe("verification before output", () => {
  it("a certificate for another key is not output (VerificationFailed), and the records are removed", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, order: { tamper: "wrong-key" } };
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(e.kind).toBe("VerificationFailed");
    expect(e.resumable).toBe(false);
    expect(e.message).toContain("does not match the private key");
    expect(w.dns.all()).toEqual([]);
    expect(w.calls.count("renewByPackage")).toBe(1);
  });

  it("a certificate that does not cover the domains is not output", async () => {
    const w = await world({ domains: ["example.com", "www.example.com"] });
    w.ssl.renewal = { ...w.ssl.renewal, order: { tamper: "wrong-domains" } };
    const e = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1" })));
    expect(e.kind).toBe("VerificationFailed");
    expect(e.message).toContain("does not cover example.com, www.example.com");
  });
});
