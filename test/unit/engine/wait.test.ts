/**
 * The issuance wait (engine/wait.ts) against the in-memory fake: every branch
 * of the loop, asserted on the fake's call log, the hooks and the progress.
 */
import { describe, expect, it } from "vitest";
import type { Certificate, DvAuth, ValidationMethod } from "../../../engine/domain";
import { isPendingHumanActionError, isRenewalError, isTimedOutError, type RenewalError } from "../../../engine/errors";
import { waitForIssuance, type WaitRequest } from "../../../engine/wait";
import { serverError, tencentError } from "../../support/fake-calls";
import type { CertSeed, OrderScript } from "../../support/fake-ssl";
import { fakeWorld, type FakeWorld } from "../../support/fake-world";

const MINUTE = 60_000;

interface Setup {
  readonly w: FakeWorld;
  readonly req: WaitRequest;
  /** onRecordPlanned / onRecordCreated, in call order. */
  readonly hooks: string[];
  readonly records: DvAuth[];
}

async function setup(
  options: { order?: Partial<OrderScript>; seed?: Partial<CertSeed>; validation?: ValidationMethod; waitTimeoutMs?: number; zones?: string[] } = {},
): Promise<Setup> {
  const w = fakeWorld(options.zones ? { zones: options.zones } : {});
  await w.ssl.seed({ id: "new1", status: 5, originCertificateId: "old1", order: options.order ?? {}, ...options.seed });
  const hooks: string[] = [];
  const records: DvAuth[] = [];
  const req: WaitRequest = {
    rootId: "root1",
    oldCertificateId: "old1",
    order: w.ssl.view("new1"),
    validation: options.validation ?? "dnspod",
    waitTimeoutMs: options.waitTimeoutMs ?? 10 * MINUTE,
    progress: (e) => w.events.push(e),
    signal: undefined,
    onRecordPlanned: async (r) => void hooks.push(`planned ${r.type} ${r.subDomain}.${r.zone} ${r.value}`),
    onRecordCreated: async (zone, id) => void hooks.push(`created ${zone}/${id}`),
    onRecords: (r) => void records.push(...r),
  };
  return { w, req, hooks, records };
}

function wait(s: Setup, patch: Partial<WaitRequest> = {}): Promise<Certificate> {
  return waitForIssuance(s.w.deps(), { ...s.req, ...patch });
}

async function failure(p: Promise<unknown>): Promise<RenewalError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isRenewalError(e)) throw new Error(`expected a RenewalError, got ${String(e)}`);
  return e;
}

function phases(w: FakeWorld): string[] {
  return w.events.flatMap((e) => (e.type === "phase" ? [e.phase] : []));
}

describe("waitForIssuance: submit and validate", () => {
  it("an order already issued is returned without a call", async () => {
    const s = await setup({ seed: { status: 1 } });
    const cert = await wait(s);
    expect(cert.phase).toBe("issued");
    expect(s.w.calls.log).toEqual([]);
  });

  it("status 5, dnspod: submits once (DNS), plans then creates each record, and returns the issued certificate", async () => {
    const s = await setup();
    const cert = await wait(s);
    expect(cert.phase).toBe("issued");
    expect(cert.certificatePem).toContain("BEGIN CERTIFICATE");
    expect(s.w.calls.argsOf("submitOrder")).toEqual([["new1", "DNS"]]);
    expect(s.w.calls.count("createRecord")).toBe(1);
    expect(s.w.calls.count("completeCertificate")).toBe(0); // DNSPod brand: not supported, not called
    const auth = s.w.ssl.view("new1").dvAuths[0]!;
    const recordId = s.w.dns.all()[0]!.recordId;
    expect(s.hooks).toEqual([`planned TXT _dnsauth.example.com ${auth.value}`, `created example.com/${recordId}`]);
    expect(s.records).toEqual([auth]);
    expect(phases(s.w)).toEqual(["submit", "validate"]);
    expect(s.w.events.filter((e) => e.type === "dns-record").map((e) => (e.type === "dns-record" ? e.action : ""))).toEqual(["created"]);
    expect(s.w.sleep.sleeps[0]).toBe(5000); // after acting, the first look comes after firstLookMs
  });

  it("one record per name, a wildcard sharing its base name's", async () => {
    const s = await setup({ seed: { domains: ["example.com", "*.example.com", "api.example.com"] } });
    await wait(s);
    expect(s.w.dns.all().map((r) => r.name).sort()).toEqual(["_dnsauth", "_dnsauth.api"]);
    expect(s.w.calls.count("createRecord")).toBe(2);
  });

  it("DNS_AUTO: submits with DNS_AUTO and touches no DNS record", async () => {
    const s = await setup({ validation: "DNS_AUTO", order: { readsToIssue: 1 } });
    expect((await wait(s)).phase).toBe("issued");
    expect(phases(s.w)).toEqual(["submit", "validate"]);
    expect(s.w.calls.argsOf("submitOrder")).toEqual([["new1", "DNS_AUTO"]]);
    expect(s.w.calls.count("listRecords") + s.w.calls.count("createRecord") + s.w.calls.count("deleteRecord")).toBe(0);
    expect(s.records).toHaveLength(1);
  });

  it("a brand that supports CompleteCertificate is asked to check exactly once", async () => {
    const s = await setup({ seed: { packageType: "2", productZhName: "TrustAsia DV" }, order: { readsToIssue: 4 } });
    await wait(s);
    expect(s.w.calls.argsOf("completeCertificate")).toEqual([["new1"]]);
  });

  it("CompleteCertificate refused by Tencent: a warning, and the wait goes on", async () => {
    const s = await setup({ seed: { packageType: "2" } });
    s.w.calls.fail("completeCertificate", tencentError("completeCertificate", "FailedOperation.CertificateStatusNotAllowVerify"));
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("completeCertificate")).toBe(1);
    expect(s.w.events.some((e) => e.type === "warning" && e.message.includes("FailedOperation.CertificateStatusNotAllowVerify"))).toBe(true);
  });

  it("a transient submit failure is re-read and submitted again only while the status is still 5", async () => {
    const s = await setup();
    s.w.calls.fail("submitOrder", serverError("submitOrder"));
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("submitOrder")).toBe(2);
    expect(s.w.events.some((e) => e.type === "warning" && e.message.startsWith("CertificateOrderSubmit on new1"))).toBe(true);
  });

  it("a submit whose answer was lost after it committed is not sent again", async () => {
    const s = await setup();
    s.w.calls.fail("submitOrder", serverError("submitOrder"), { afterCommit: true });
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("submitOrder")).toBe(1);
  });

  it("'already submitted' answers count as submitted", async () => {
    const s = await setup();
    s.w.calls.fail("submitOrder", tencentError("submitOrder", "FailedOperation.CertificateOrderSubmitProcessing"), { afterCommit: true });
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("submitOrder")).toBe(1);
    expect(s.w.events.some((e) => e.type === "warning")).toBe(false);
  });

  it("a submit refused for good is thrown as is", async () => {
    const s = await setup();
    const refusal = tencentError("submitOrder", "FailedOperation.InvalidParam");
    s.w.calls.fail("submitOrder", refusal);
    expect(await failure(wait(s))).toBe(refusal);
    expect(s.w.calls.count("submitOrder")).toBe(1);
  });

  it("gives up after 8 tolerated transient failures, with the ninth", async () => {
    const s = await setup();
    s.w.calls.fail("submitOrder", serverError("submitOrder"), { times: 9 });
    const e = await failure(wait(s));
    expect(e.message).toContain("InternalError");
    expect(s.w.calls.count("submitOrder")).toBe(9);
  });
});

describe("waitForIssuance: DNS records", () => {
  it("a record DNSPod already has with this order's value is reused, not created", async () => {
    const s = await setup({ seed: { status: 4 } });
    const auth = s.w.ssl.view("new1").dvAuths[0]!;
    const id = s.w.dns.publish(auth.zone, auth.subDomain, "TXT", auth.value);
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("createRecord")).toBe(0);
    expect(s.hooks).toEqual([`created example.com/${id}`]);
    expect(s.w.events.some((e) => e.type === "dns-record" && e.action === "reused")).toBe(true);
  });

  it("a created record whose answer was lost is found by its value and journaled, not created twice", async () => {
    const s = await setup();
    s.w.calls.fail("createRecord", serverError("createRecord"), { afterCommit: true });
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("createRecord")).toBe(1);
    expect(s.w.dns.all()).toHaveLength(1);
    expect(s.hooks[1]).toBe(`created example.com/${s.w.dns.all()[0]!.recordId}`);
    expect(s.w.events.some((e) => e.type === "dns-record" && e.message.includes("its answer was lost"))).toBe(true);
  });

  it("a create that failed before committing is tried again on the next look", async () => {
    const s = await setup();
    s.w.calls.fail("createRecord", serverError("createRecord"));
    expect((await wait(s)).phase).toBe("issued");
    expect(s.w.calls.count("createRecord")).toBe(2);
    expect(s.w.dns.all()).toHaveLength(1);
    expect(s.w.events.some((e) => e.type === "warning" && e.message.startsWith("DNS validation records:"))).toBe(true);
  });

  it("CreateRecord answering DomainNotExists: ValidationFailed, resumable, naming the zone and the manual-dns way out", async () => {
    const s = await setup();
    s.w.calls.fail("createRecord", tencentError("createRecord", "InvalidParameterValue.DomainNotExists"));
    const e = await failure(wait(s));
    expect(e.kind).toBe("ValidationFailed");
    expect(e.resumable).toBe(true);
    expect(e.newCertificateId).toBe("new1");
    expect(e.message).toContain("zone example.com is not in this account's DNSPod (InvalidParameterValue.DomainNotExists)");
    expect(e.message).toContain('"manual-dns"');
  });

  // Pins today's behaviour: DNSPod already refuses the listing of a zone it does not have, so the
  // friendlier ValidationFailed above is only reached when the listing succeeds.
  it("a zone DNSPod does not have (found on the listing): ValidationFailed naming the zone and the fix, resumable", async () => {
    const s = await setup({ seed: { domains: ["example.org"] } });
    const e = await failure(wait(s));
    expect(e.kind).toBe("ValidationFailed");
    expect(e.resumable).toBe(true);
    // The zone is looked up among the account's DNSPod domains (DescribeDomainList), not trusted from DvAuthDomain.
    expect(e.message).toContain(`validation "dnspod": no DNSPod zone of this account holds _dnsauth.`);
    expect(e.message).toContain(`(zones: example.com)`);
    expect(e.message).toContain(`use validation "manual-dns"`);
    expect(s.w.calls.count("createRecord")).toBe(0);
  });

  it("a CNAME value DNSPod returns with a trailing dot is this order's record: reused, not created twice", async () => {
    const { sameRecordValue } = await import("../../../engine/wait-steps");
    expect(sameRecordValue("abc.dnsv.cn.", "ABC.dnsv.cn")).toBe(true);
    expect(sameRecordValue('"token-1"', "token-1")).toBe(true);
    expect(sameRecordValue("token-1", "token-2")).toBe(false);
  });

  it("FILE validation is refused (resumable), before any DNS call", async () => {
    const s = await setup();
    const order = { ...s.w.ssl.view("new1"), status: 4, phase: "validating" as const };
    const file: DvAuth = { key: "", value: "abc", zone: "example.com", subDomain: "", recordType: "FILE", path: "/.well-known/pki-validation/x.txt" };
    const e = await failure(wait(s, { order: { ...order, dvAuths: [file] } }));
    expect(e.kind).toBe("ValidationFailed");
    expect(e.resumable).toBe(true);
    expect(e.message).toContain("FILE validation at /.well-known/pki-validation/x.txt");
    expect(s.w.calls.log).toEqual([]);
  });

  it("manual-dns: announces the records, creates none, and stops at the deadline as a human step; the rerun completes once they exist", async () => {
    const s = await setup({ validation: "manual-dns", waitTimeoutMs: 2 * MINUTE });
    const e = await failure(wait(s));
    expect(isPendingHumanActionError(e) && e.action).toBe("manual-dns");
    expect(e.resumable).toBe(true);
    const auth = s.w.ssl.view("new1").dvAuths[0]!;
    expect(isPendingHumanActionError(e) && e.instructions).toBe(`Create these records, then rerun: TXT ${auth.key} = ${auth.value}`);
    expect(s.w.events.filter((x) => x.type === "dns-record" && x.action === "manual")).toHaveLength(1);
    expect(s.w.calls.count("createRecord")).toBe(0);

    s.w.dns.publishAll(s.w.ssl.view("new1").dvAuths);
    expect((await wait(s, { order: s.w.ssl.view("new1") })).phase).toBe("issued");
    expect(s.w.calls.count("submitOrder")).toBe(1);
  });
});

describe("waitForIssuance: stops", () => {
  it("status 8: the confirmation letter, a resumable human step", async () => {
    const s = await setup({ order: { outcome: "letter" } });
    const e = await failure(wait(s));
    expect(isPendingHumanActionError(e) && e.action).toBe("confirmation-letter");
    expect(e.resumable).toBe(true);
    expect(e.newCertificateId).toBe("new1");
    expect(e.originalCertificateId).toBe("root1");
  });

  it("status 2: ReviewFailed with Tencent's reason, not resumable", async () => {
    const s = await setup({ seed: { status: 2 } });
    s.w.ssl.set("new1", { statusMsg: "DOMAIN-MISMATCH" });
    const e = await failure(wait(s, { order: s.w.ssl.view("new1") }));
    expect(e.kind).toBe("ReviewFailed");
    expect(e.resumable).toBe(false);
    expect(e.message).toContain("failed review (status 2: DOMAIN-MISMATCH)");
  });

  it("review failing during the wait stops it", async () => {
    const s = await setup({ order: { outcome: "review-failed" } });
    expect((await failure(wait(s))).kind).toBe("ReviewFailed");
  });

  it.each([6, 7, 10, 14])("status %i: OrderCancelled", async (status) => {
    const s = await setup({ seed: { status } });
    const e = await failure(wait(s));
    expect(e.kind).toBe("OrderCancelled");
    expect(e.message).toContain(`(status ${status})`);
    expect(s.w.calls.log).toEqual([]);
  });

  it("a cancellation during the wait stops it", async () => {
    const s = await setup({ order: { outcome: "cancelled" } });
    expect((await failure(wait(s))).kind).toBe("OrderCancelled");
  });

  it("our own timeout: TimedOutError, resumable, after exactly the wait timeout and never sleeping past it", async () => {
    const s = await setup({ order: { outcome: "never", statusMsg: "PRE-REVIEWING" }, waitTimeoutMs: 7 * MINUTE });
    const e = await failure(wait(s));
    expect(isTimedOutError(e)).toBe(true);
    expect(e.resumable).toBe(true);
    expect(isTimedOutError(e) && e.waitedMs).toBe(7 * MINUTE);
    expect(e.message).toContain("is not issued after 7 minute(s) (status 4 PRE-REVIEWING)");
    const slept = s.w.sleep.sleeps.reduce((a, b) => a + b, 0);
    expect(slept).toBeGreaterThanOrEqual(7 * MINUTE);
    expect(slept).toBeLessThan(7 * MINUTE + 1); // the last sleep is cut at the deadline (sub-ms rounding aside)
    expect(Math.max(...s.w.sleep.sleeps)).toBeLessThanOrEqual(30_000);
  });

  it("'still waiting' events are at least waitingEventEveryMs apart", async () => {
    const s = await setup({ order: { outcome: "never" }, waitTimeoutMs: 5 * MINUTE });
    await failure(wait(s));
    const waits = s.w.events.flatMap((e) => (e.type === "waiting" ? [e.elapsedMs] : []));
    expect(waits.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < waits.length; i++) expect(waits[i]! - waits[i - 1]!).toBeGreaterThanOrEqual(30_000);
  });

  it("WAIT-ISSUE from the first look: the schedule counts from the records' publication (5 s, 60 s, every 5 s for 15 s, then sparse; slowMs 30 s here)", async () => {
    const s = await setup({ order: { outcome: "never", statusMsg: "WAIT-ISSUE" }, waitTimeoutMs: 3 * MINUTE });
    await failure(wait(s));
    expect(s.w.sleep.sleeps.slice(0, 7)).toEqual([5000, 30_000, 25_000, 5000, 5000, 5000, 30_000]);
  });

  it("every poll takes its turn in the poll budget, and only polls do", async () => {
    const s = await setup({ order: { readsToIssue: 3 } });
    const taken: string[] = [];
    const deps = { ...s.w.deps(), pollBudget: { take: async (action: string) => void taken.push(action) } };
    expect((await waitForIssuance(deps, s.req)).phase).toBe("issued");
    const reads = s.w.calls.count("getCertificate");
    expect(reads).toBeGreaterThan(1);
    // The read right after submitting is an action's follow-up, not a poll.
    expect(taken).toEqual(Array.from({ length: reads - 1 }, () => "DescribeCertificateDetail"));
  });

  it("'still waiting' events count the status reads so far", async () => {
    const s = await setup({ order: { outcome: "never" }, waitTimeoutMs: 3 * MINUTE });
    await failure(wait(s));
    const last = s.w.events.filter((e) => e.type === "waiting").at(-1);
    expect(last?.message).toMatch(/\((\d+) status read\(s\)\)$/);
    const reported = Number(/\((\d+) status read/.exec(last!.message)![1]);
    expect(reported).toBeLessThanOrEqual(s.w.calls.count("getCertificate"));
    expect(reported).toBeGreaterThan(1);
  });

  it("an aborted signal stops the wait with its reason", async () => {
    const s = await setup({ order: { outcome: "never" } });
    const controller = new AbortController();
    const reason = new Error("stop now");
    controller.abort(reason);
    await expect(wait(s, { signal: controller.signal })).rejects.toBe(reason);
  });
});
