import { afterEach, describe, expect, it } from "vitest";
import * as crypto from "node:crypto";
import { createCertificateInspector, createKeyFactory } from "../../../crypto";
import {
  isPaymentRefusedError,
  isPendingHumanActionError,
  isRenewalError,
  isTimedOutError,
  type PendingHumanActionError,
  type RenewalError,
} from "../../../engine/errors";
import { ensureRenewed, inspectLineage } from "../../../engine/renewal";
import { seedFor, startWorld, type World } from "./world";

const inspector = createCertificateInspector();
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DV = (id: string, days = 20, extra: Record<string, unknown> = {}) => ({
  certificateId: id,
  domain: `${id}.example.com`,
  sans: [`www.${id}.example.com`],
  certType: "DV" as const,
  expiresInDays: days,
  ...extra,
});

describe("DV renewal against the emulator, through the real SDK", () => {
  it.each([
    ["local RSA", { source: "local", algorithm: "RSA_2048" }],
    ["local EC", { source: "local", algorithm: "EC_P256" }],
    ["online", { source: "online", algorithm: "RSA_2048" }],
    ["original", { source: "original", algorithm: "RSA_2048" }],
  ] as const)("renews with key source %s: pays once, verifies, cleans up", async (_n, key) => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "shop", key }));
    expect(result.outcome).toBe("renewed");
    expect(result.paidThisRun).toBe(true);
    expect(result.certificateId).not.toBe("shop");
    expect(result.previousCertificateId).toBe("shop");
    expect(result.originalCertificateId).toBe("shop");
    expect(result.domains).toEqual(expect.arrayContaining(["shop.example.com", "www.shop.example.com"]));
    expect(result.privateKeyPem).not.toBe("");
    expect(inspector.matchesPrivateKey(result.certificatePem, result.privateKeyPem)).toBe(true);
    expect(result.fullchainPem.startsWith(result.certificatePem.trim())).toBe(true);
    expect(result.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
    // Validation records were created and then removed.
    expect(world.count("dnspod.CreateRecord")).toBeGreaterThan(0);
    expect(world.count("dnspod.DeleteRecord")).toBe(world.count("dnspod.CreateRecord"));
    expect(world.emu.admin.inspectZone("example.com", "acct-test").filter((r) => String(r["type"] ?? r["Type"]) !== "NS")).toEqual([]);
  });

  it("renews with an uploaded CSR, and outputs no key (the user holds it)", async () => {
    world = await startWorld(seedFor({ certificates: [DV("api")] }));
    const keys = createKeyFactory();
    const pair = await keys.generateKey("EC_P256");
    const csrPem = await keys.createCsr(pair, "api.example.com", ["api.example.com", "www.api.example.com"]);
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "api", key: { source: "csr", csrPem } }));
    expect(result.privateKeyPem).toBe("");
    expect(inspector.matchesPrivateKey(result.certificatePem, pair.privateKeyPem)).toBe(true);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("rejects a CSR for other domains before paying", async () => {
    world = await startWorld(seedFor({ certificates: [DV("api")] }));
    const keys = createKeyFactory();
    const csrPem = await keys.createCsr(await keys.generateKey("EC_P256"), "evil.example.com", ["evil.example.com"]);
    await expect(ensureRenewed(world.deps(), world.options({ certificateId: "api", key: { source: "csr", csrPem } }))).rejects.toThrow(
      /key.csrPem requests evil.example.com, but certificate api covers api.example.com, www.api.example.com.*Nothing was paid/,
    );
    expect(world.mutatingCalls()).toBe(0);
  });

  it("DNS_AUTO: Tencent publishes the record; we create none", async () => {
    world = await startWorld(seedFor({ certificates: [DV("auto")] }));
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "auto", validation: "DNS_AUTO" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("dnspod.CreateRecord")).toBe(0);
  });

  it("manual DNS: stops with the records to publish, then completes once they exist", async () => {
    world = await startWorld(seedFor({ certificates: [DV("man")] }));
    const deps = world.deps();
    const opts = world.options({ certificateId: "man", validation: "manual-dns", waitTimeoutMinutes: 0.01 });
    let pending: PendingHumanActionError | undefined;
    try {
      await ensureRenewed(deps, opts);
    } catch (e) {
      if (isPendingHumanActionError(e)) pending = e;
      else throw e;
    }
    expect(pending?.action).toBe("manual-dns");
    expect(pending?.resumable).toBe(true);
    expect(world.count("dnspod.CreateRecord")).toBe(0);
    const newId = pending!.newCertificateId;
    const cert = await deps.ssl.getCertificate(newId);
    expect(cert.dvAuths.length).toBeGreaterThan(0);
    expect(pending!.instructions).toContain(cert.dvAuths[0]!.value);
    // The human publishes the records (here through DNSPod).
    for (const a of cert.dvAuths) await deps.dns.createRecord({ zone: a.zone, subDomain: a.subDomain, type: a.recordType as "TXT", value: a.value });
    const result = await ensureRenewed(deps, world.options({ certificateId: "man", validation: "manual-dns" }));
    expect(result.certificateId).toBe(newId);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("OV and failures", () => {
  it("OV: pending human action, then the letter is accepted, then the next run completes", async () => {
    world = await startWorld(seedFor({ certificates: [{ certificateId: "corp", domain: "corp.example.com", certType: "OV", expiresInDays: 25 }] }));
    const deps = world.deps();
    const opts = world.options({ certificateId: "corp" });
    const first = await ensureRenewed(deps, opts).catch((e: unknown) => e);
    expect(isPendingHumanActionError(first)).toBe(true);
    const p = first as PendingHumanActionError;
    expect(p.action).toBe("confirmation-letter");
    expect(p.instructions).toContain(p.newCertificateId);
    expect(p.instructions).toMatch(/console/);
    // Rerunning before the letter is accepted pays nothing more.
    await expect(ensureRenewed(deps, opts)).rejects.toMatchObject({ kind: "PendingHumanAction" });
    world.emu.admin.acceptLetter(p.newCertificateId);
    const result = await ensureRenewed(deps, opts);
    expect(result.certificateId).toBe(p.newCertificateId);
    expect(inspector.matchesPrivateKey(result.certificatePem, result.privateKeyPem)).toBe(true);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("review failed: a clear, typed error and no second payment", async () => {
    world = await startWorld(seedFor({ certificates: [{ certificateId: "corp", domain: "corp.example.com", certType: "OV", expiresInDays: 25 }] }));
    const deps = world.deps();
    const opts = world.options({ certificateId: "corp" });
    const first = (await ensureRenewed(deps, opts).catch((e: unknown) => e)) as PendingHumanActionError;
    world.emu.admin.failReview(first.newCertificateId, "organisation could not be verified");
    const e = await ensureRenewed(deps, opts).catch((x: unknown) => x);
    expect(isRenewalError(e) && e.kind).toBe("ReviewFailed");
    expect((e as Error).message).toMatch(/failed review.*resubmit/);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("order cancelled: a clear error and no second payment", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    const deps = world.deps();
    const pending = (await ensureRenewed(deps, world.options({ certificateId: "shop", validation: "manual-dns", waitTimeoutMinutes: 0 })).catch((e: unknown) => e)) as PendingHumanActionError;
    expect(isPendingHumanActionError(pending)).toBe(true);
    await deps.ssl.cancelOrder(pending.newCertificateId);
    const e = await ensureRenewed(deps, world.options({ certificateId: "shop" })).catch((x: unknown) => x);
    expect(isRenewalError(e) && e.kind).toBe("OrderCancelled");
    expect((e as Error).message).toContain(pending.newCertificateId);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("packages insufficient: refused before paying, with the balance and the fix", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")], balance: 0 }));
    const e = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" })).catch((x: unknown) => x);
    expect(isPaymentRefusedError(e)).toBe(true);
    expect((e as Error).message).toMatch(/hold 0 point\(s\).*Buy a benefit package.*Nothing was paid/);
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(0);
    expect(world.mutatingCalls()).toBe(0);
  });

  it("a wait timeout is resumable, and the rerun completes the same order", async () => {
    world = await startWorld(seedFor({ certificates: [DV("slow")] }), { issuanceDelaySeconds: 3600 });
    const deps = world.deps();
    const e = await ensureRenewed(deps, world.options({ certificateId: "slow", waitTimeoutMinutes: 0.005 })).catch((x: unknown) => x);
    expect(isTimedOutError(e)).toBe(true);
    expect((e as Error).message).toMatch(/Nothing is lost: rerun/);
    world.emu.admin.advanceClock(3601);
    const result = await ensureRenewed(deps, world.options({ certificateId: "slow" }));
    expect(result.certificateId).toBe((e as { newCertificateId: string }).newCertificateId);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("money stays at zero until the renewal is due", () => {
  it("inspecting and ensuring a certificate that is not due make no paid or mutating call", async () => {
    world = await startWorld(seedFor({ certificates: [DV("blog", 200)] }));
    const deps = world.deps();
    const { decision } = await inspectLineage(deps, world.options({ certificateId: "blog" }));
    expect(decision).toMatchObject({ due: false, reason: "NotDue" });
    const result = await ensureRenewed(deps, world.options({ certificateId: "blog" }));
    expect(result.outcome).toBe("adopted");
    expect(result.certificateId).toBe("blog");
    expect(result.paidThisRun).toBe(false);
    expect(world.mutatingCalls()).toBe(0);
  });

  it("a second run after success adopts the renewal and returns the same key, paying nothing", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    const deps = world.deps();
    const first = await ensureRenewed(deps, world.options({ certificateId: "shop" }));
    const second = await ensureRenewed(deps, world.options({ certificateId: "shop" }));
    expect(second.outcome).toBe("adopted");
    expect(second.certificateId).toBe(first.certificateId);
    expect(crypto.createHash("sha256").update(second.privateKeyPem).digest("hex")).toBe(crypto.createHash("sha256").update(first.privateKeyPem).digest("hex"));
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("faults", () => {
  it("CreateCertificateByPackage failing after commit: the order is found through the link, not bought again", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "error-after-commit", code: "InternalError" });
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(1);
    expect(world.emu.admin.inspectPackages("acct-test").map((p) => p["balance"] ?? p["Balance"])).toEqual([49]);
  });

  it("a transport failure after commit (connection reset) is resolved through the link", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "reset", afterCommit: true });
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "shop" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(1);
  });

  it("regression: a paid call that got no answer is not sent again while it may still be running at Tencent", async () => {
    world = await startWorld(seedFor({ certificates: [DV("slowpay")] }));
    // The answer takes 2.5 s; the SDK gives up after 1 s; the engine reads the link for 0.3 s.
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "latency", ms: 2500 });
    const deps = world.deps();
    const first = await ensureRenewed(deps, world.options({ certificateId: "slowpay" })).catch((e: unknown) => e);
    expect(isRenewalError(first) && first.kind).toBe("PaymentUnknown");
    expect((first as RenewalError).resumable).toBe(true);
    expect((first as Error).message).toMatch(/ambiguous answer.*No further paid call is made on this lineage/);
    // The one request still runs at Tencent and commits when its latency is over.
    await new Promise((r) => setTimeout(r, 2000));
    const result = await ensureRenewed(deps, world.options({ certificateId: "slowpay" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(1);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("an HTTP 500 from the paid call is ambiguous: the run stops, reruns stay blocked until evidence or the quarantine settles it", async () => {
    world = await startWorld(seedFor({ certificates: [DV("p500")] }));
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "http-500", times: 1 });
    const first = await ensureRenewed(world.deps(), world.options({ certificateId: "p500" })).catch((e: unknown) => e);
    expect(isRenewalError(first) && first.kind).toBe("PaymentUnknown");
    expect((first as Error).message).toContain("tccert resolve p500 --not-paid");
    const again = await ensureRenewed(world.deps(), world.options({ certificateId: "p500" })).catch((e: unknown) => e);
    expect(isRenewalError(again) && again.kind).toBe("PaymentUnknown");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(1);
    // No evidence at all once the quarantine has passed: the attempt was not executed, pay now.
    const result = await ensureRenewed(world.deps({ polling: { fastMs: 20, slowMs: 100, paidCallGraceMs: 200, paymentQuarantineMs: 0 } }), world.options({ certificateId: "p500" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(2);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("a paid call whose answer is late is found through the link within the grace period", async () => {
    world = await startWorld(seedFor({ certificates: [DV("latepay")] }));
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "latency", ms: 1500 });
    const result = await ensureRenewed(world.deps({ polling: { fastMs: 20, slowMs: 100, paidCallGraceMs: 3000 } }), world.options({ certificateId: "latepay" }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(1);
  });

  it("transient faults on every action used: the renewal completes with exactly one payment", async () => {
    world = await startWorld(seedFor({ certificates: [DV("shop")] }));
    const actions: [string, string][] = [
      ["ssl", "DescribeCertificateDetail"],
      ["ssl", "DescribePackages"],
      ["ssl", "CertificateOrderSubmit"],
      ["dnspod", "DescribeRecordList"],
      ["dnspod", "CreateRecord"],
      ["dnspod", "DeleteRecord"],
    ];
    for (const [service, action] of actions) {
      world.emu.admin.addFault({ service: service as "ssl", action, kind: "error", code: "RequestLimitExceeded", times: 2 });
      world.emu.admin.addFault({ service: service as "ssl", action, kind: "http-500", times: 1 });
    }
    // Throttling proves the paid call was not executed: it may be sent again in the same run.
    world.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "error", code: "RequestLimitExceeded", times: 2 });
    const result = await ensureRenewed(world.deps(), world.options({ certificateId: "shop", waitTimeoutMinutes: 0.5 }));
    expect(result.outcome).toBe("renewed");
    expect(world.count("ssl.CreateCertificateByPackage", false)).toBe(3);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
    expect(world.emu.admin.faults().every((f) => f.remaining === 0)).toBe(true);
    // DNSPod-brand certificates do not take CompleteCertificate (Tencent's docs): it is not called.
    expect(world.count("ssl.CompleteCertificate", false)).toBe(0);
  });
});
