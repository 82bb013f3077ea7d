/**
 * Issue 11: the payment intent, the evidence and the lineage lock, against the in-memory fake.
 * Every test counts the paid calls SENT (refused or not): at most one per renewal.
 */
import { describe, expect, it } from "vitest";
import { ensureRenewed, isInvalidInputError, isLockHeldError, isPaymentUnknownError, resolvePayment } from "../../../engine";
import type { JournalEntry } from "../../../engine/ports";
import { caught } from "../../support/caught";
import { serverError, tencentError } from "../../support/fake-calls";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";
import { MemoryJournal } from "../../support/memory-journal";

async function world(): Promise<FakeWorld> {
  const w = fakeWorld();
  await w.ssl.seed({ id: "old1" });
  w.ssl.seedPackage({ packageId: "pkg-1", balance: 10 });
  return w;
}

const renew = (w: FakeWorld, extra: Parameters<FakeWorld["deps"]>[0] = {}, key: { source: "local"; algorithm: "EC_P256" | "RSA_2048" } = { source: "local", algorithm: "EC_P256" }) =>
  ensureRenewed(w.deps(extra), w.options({ certificateId: "old1", key }));

const sent = (w: FakeWorld) => w.calls.count("renewByPackage");

describe("the payment intent", () => {
  it("is written before the paid call is sent, marked sent, then confirmed with the new id", async () => {
    const w = await world();
    const r = await renew(w);
    const statuses = w.journal.saves.map((e) => e.payment?.status ?? "");
    expect(statuses.indexOf("intent")).toBeLessThan(statuses.indexOf("sent"));
    expect(statuses.indexOf("sent")).toBeLessThan(statuses.indexOf("confirmed"));
    const intent = w.journal.saves.find((e) => e.payment?.status === "sent")!;
    expect(intent.privateKeyPem).toContain("PRIVATE KEY");
    expect(intent.payment!.balances).toEqual([{ packageId: "pkg-1", balance: 10 }]);
    expect(intent.payment!.domains.length).toBeGreaterThan(0);
    expect(w.journal.peek("old1")!.newCertificateId).toBe(r.certificateId);
    expect(sent(w)).toBe(1);
  });

  it("a run that dies right after its paid call committed (link one-sided): the rerun finds the new certificate and pays nothing", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, link: "new-only" };
    // Saves: intent, sent; the process dies before the confirmation reaches the journal.
    let saves = 0;
    const dying = Object.create(w.journal) as MemoryJournal;
    dying.save = async (e) => {
      if (++saves === 3) throw new Error("killed");
      return w.journal.save(e);
    };
    await caught(renew(w, { journal: dying }));
    expect(w.journal.peek("old1")!.payment!.status).toBe("sent");
    const r = await renew(w);
    expect(r.outcome).toBe("renewed");
    expect(sent(w)).toBe(1);
    expect(w.ssl.renewalIds()).toHaveLength(1);
    // The key the journal made before paying is the certificate's key.
    expect(w.deps().inspector.matchesPrivateKey(r.certificatePem, r.privateKeyPem)).toBe(true);
    expect(w.journal.peek("old1")!.payment).toMatchObject({ status: "confirmed" });
  });

  it("an unknown outcome with no evidence blocks every rerun until the quarantine passes", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", serverError("renewByPackage"));
    const first = await caught(renew(w));
    expect(isPaymentUnknownError(first)).toBe(true);
    expect(first.message).toContain("whether Tencent executed the paid call sent at");
    expect(first.message).toContain("tccert resolve old1 --not-paid");
    expect(first.resumable).toBe(true);
    w.clock.advance(10 * 60_000);
    expect(isPaymentUnknownError(await caught(renew(w)))).toBe(true);
    expect(sent(w)).toBe(1);
    w.clock.advance(21 * 60_000);
    const r = await renew(w);
    expect(r.outcome).toBe("renewed");
    expect(sent(w)).toBe(2);
    expect(w.ssl.renewalIds()).toHaveLength(1);
  });

  it("TradeError is ambiguous: the run stops, nothing is sent again", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", tencentError("renewByPackage", "FailedOperation.TradeError"));
    expect(isPaymentUnknownError(await caught(renew(w)))).toBe(true);
    expect(sent(w)).toBe(1);
  });

  it("a balance drop with no order found blocks even after the quarantine, until an operator resolves it", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", serverError("renewByPackage"));
    await caught(renew(w));
    w.ssl.packages[0] = { ...w.ssl.packages[0]!, balance: 9 };
    w.clock.advance(60 * 60_000);
    const blocked = await caught(renew(w));
    expect(isPaymentUnknownError(blocked)).toBe(true);
    expect(blocked.message).toContain("package pkg-1 went from 10 to 9 point(s)");
    const resolved = await resolvePayment(w.deps(), "old1", "not-paid");
    expect(resolved.oldCertificateId).toBe("old1");
    const r = await renew(w);
    expect(r.outcome).toBe("renewed");
    expect(sent(w)).toBe(2);
    // The resolved attempt is kept in the history, with its key.
    expect(w.journal.peek("old1")!.history!.some((e) => e.payment?.resolvedBy?.startsWith("operator") && e.privateKeyPem)).toBe(true);
  });

  it("resolve with nothing unresolved is a usage error and changes nothing", async () => {
    const w = await world();
    const e = await caught(resolvePayment(w.deps(), "old1", "not-paid"));
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.message).toContain("there is no unresolved payment or unpaid prepared key");
  });

  it("throttling proves the call was not executed: it is sent again in the same run", async () => {
    const w = await world();
    w.calls.fail("renewByPackage", tencentError("renewByPackage", "RequestLimitExceeded"), { times: 2 });
    const r = await renew(w);
    expect(r.outcome).toBe("renewed");
    expect(sent(w)).toBe(3);
    expect(w.ssl.renewalIds()).toHaveLength(1);
  });
});

describe("leftover keys", () => {
  function leftover(w: FakeWorld, privateKeyPem: string, csrPem: string, status: "intent" | "refused"): void {
    const entry: JournalEntry = {
      originalCertificateId: "old1",
      oldCertificateId: "old1",
      newCertificateId: "",
      keySource: "local",
      privateKeyPem,
      csrPem,
      createdRecords: [],
      payment: { status, attemptedAt: w.clock.now().toISOString(), oldCertificateId: "old1", domains: ["example.com"], balances: [], knownCertificateIds: [] },
      updatedAt: w.clock.now().toISOString(),
    };
    w.journal.put(entry);
  }

  it("a prepared, never-sent key that matches the options is reused", async () => {
    const w = await world();
    const deps = w.deps();
    const pair = await deps.keys.generateKey("EC_P256");
    const old = w.ssl.view("old1");
    leftover(w, pair.privateKeyPem, await deps.keys.createCsr(pair, old.domain, old.domains), "intent");
    const r = await renew(w);
    expect(r.privateKeyPem).toBe(pair.privateKeyPem);
    expect(sent(w)).toBe(1);
  });

  it("a leftover that conflicts with the options is named in an error, never silently preferred", async () => {
    const w = await world();
    const deps = w.deps();
    const pair = await deps.keys.generateKey("EC_P256");
    const old = w.ssl.view("old1");
    leftover(w, pair.privateKeyPem, await deps.keys.createCsr(pair, old.domain, old.domains), "intent");
    const e = await caught(renew(w, {}, { source: "local", algorithm: "RSA_2048" }));
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.message).toMatch(/^a renewal of old1 was prepared at .* with a key that was never paid for, and this run asks for key\.algorithm RSA_2048 \(the prepared key is EC_P256\)\. Nothing was paid\./);
    expect(e.message).toContain("tccert resolve old1 --not-paid");
    expect(e.message).not.toContain("PRIVATE KEY");
    expect(sent(w)).toBe(0);
  });

  it("a leftover key that does not match its CSR is not reused", async () => {
    const w = await world();
    const deps = w.deps();
    const a = await deps.keys.generateKey("EC_P256");
    const b = await deps.keys.generateKey("EC_P256");
    const old = w.ssl.view("old1");
    leftover(w, a.privateKeyPem, await deps.keys.createCsr(b, old.domain, old.domains), "refused");
    const r = await renew(w);
    expect(r.privateKeyPem).not.toBe(a.privateKeyPem);
    expect(deps.inspector.matchesPrivateKey(r.certificatePem, r.privateKeyPem)).toBe(true);
  });
});

describe("after payment, the state cannot be written", () => {
  it("names the paid certificate and says a rerun resumes; the rerun pays nothing", async () => {
    const w = await world();
    // Saves: intent, sent, then the confirmation fails.
    const full = Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    let saves = 0;
    const journal = w.journal;
    const failing = Object.create(journal) as MemoryJournal;
    failing.save = async (e) => {
      if (++saves === 3) throw full;
      return journal.save(e);
    };
    const e = await caught(renew(w, { journal: failing }));
    const [paid] = w.ssl.renewalIds();
    expect(e.message).toContain(`after paying for renewal ${paid}`);
    expect(e.message).toContain("rerun: the rerun finds the renewal from Tencent's evidence and resumes it; nothing is paid again");
    expect(e.resumable).toBe(true);
    const r = await renew(w);
    expect(r.certificateId).toBe(paid);
    expect(sent(w)).toBe(1);
  });
});

describe("overlapping runs", () => {
  it("two ensureRenewed calls in one process: one pays, the other resumes or adopts; one paid call", async () => {
    const w = await world();
    const [a, b] = await Promise.all([renew(w), renew(w)]);
    expect(sent(w)).toBe(1);
    expect(a.certificateId).toBe(b.certificateId);
    expect(a.privateKeyPem).toBe(b.privateKeyPem);
  });

  it("a second state dir sees an order placed moments ago and does not pay; its key stays with the first", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, link: "new-only", order: { readsToIssue: 1000 } };
    const first = await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1", waitTimeoutMinutes: 0 })));
    expect(first.kind).toBe("TimedOut");
    const other = new MemoryJournal();
    const second = await caught(ensureRenewed(w.deps({ journal: other }), w.options({ certificateId: "old1", waitTimeoutMinutes: 0 })));
    expect(second.kind).toBe("TimedOut");
    expect(second.newCertificateId).toBe(w.ssl.renewalIds()[0]);
    expect(sent(w)).toBe(1);
    // The first state dir finishes it with its key; the other one adopts it without a key it never had.
    w.ssl.rescript(w.ssl.renewalIds()[0]!, { readsToIssue: 0 });
    const done = await renew(w);
    expect(w.deps().inspector.matchesPrivateKey(done.certificatePem, done.privateKeyPem)).toBe(true);
    const adopted = await ensureRenewed(w.deps({ journal: other }), w.options({ certificateId: "old1" }));
    expect(adopted).toMatchObject({ outcome: "adopted", certificateId: done.certificateId, privateKeyPem: "" });
    expect(sent(w)).toBe(1);
  });

  it("a second state dir 2 s later, with no link shown on either side yet: the fresh same-domain order stops it (LockHeld), and it resumes once linked", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, link: "new-only", originHidden: true, secondRenewal: "accept", order: { readsToIssue: 1000 } };
    await caught(ensureRenewed(w.deps(), w.options({ certificateId: "old1", waitTimeoutMinutes: 0 })));
    w.clock.advance(2000);
    const other = new MemoryJournal();
    const second = await caught(ensureRenewed(w.deps({ journal: other }), w.options({ certificateId: "old1" })));
    expect(isLockHeldError(second)).toBe(true);
    expect(second.resumable).toBe(true);
    expect(second.message).toMatch(/^renewal of old1: not paying, because certificate renewal-1 for the same domains was created at .* and is not linked to old1 yet/);
    expect(sent(w)).toBe(1);
    w.ssl.reveal();
    const third = await caught(ensureRenewed(w.deps({ journal: other }), w.options({ certificateId: "old1", waitTimeoutMinutes: 0 })));
    expect(third.kind).toBe("TimedOut");
    expect(third.newCertificateId).toBe("renewal-1");
    expect(sent(w)).toBe(1);
  });

  it("once renewed, a one-sided link cleared from the old certificate never leads to a second purchase", async () => {
    const w = await world();
    w.ssl.renewal = { ...w.ssl.renewal, link: "new-only" };
    const r = await renew(w);
    // Another state dir (no journal) looks at the lineage: the OriginCertificateId search finds the renewal.
    const again = await ensureRenewed(w.deps({ journal: new MemoryJournal() }), w.options({ certificateId: "old1" }));
    expect(again.outcome).toBe("adopted");
    expect(again.certificateId).toBe(r.certificateId);
    expect(sent(w)).toBe(1);
  });
});
