/**
 * `tccert doctor` against the emulator (issue 12): read-only whatever it finds. Under the default
 * profile every check passes (exit 0); under the pessimistic one it names each deviation it can see
 * without paying (exit 2). Either way the emulator's call log shows read actions only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBE_READ_ACTIONS } from "../../../engine/probe-port";
import { createTencentApis } from "../../../tencent";
import { startCliWorld, type CliWorld } from "./harness";

interface Report {
  status: string;
  certificates: string[];
  checks: { id: string; subject: string; status: string; evidence: string; fix: string }[];
  notes: string[];
  recorded?: string[];
}

const READS = new Set([...PROBE_READ_ACTIONS.ssl.map((a) => `ssl.${a}`), ...PROBE_READ_ACTIONS.dnspod.map((a) => `dnspod.${a}`)]);

/**
 * Every API call the emulator saw after `seq`: its service.action. The clock check's `GET /` (for the
 * server's Date header; no action, nothing executed) is logged without a service or action: left out.
 */
function callsSince(world: CliWorld, seq: number): string[] {
  return world.emu.admin.calls().calls.filter((c) => c.seq > seq && !(c.service === null && c.action === "")).map((c) => `${c.service ?? "?"}.${c.action}`);
}

function lastSeq(world: CliWorld): number {
  return world.emu.admin.calls().calls.at(-1)?.seq ?? 0;
}

async function doctor(world: CliWorld, args: string[] = []): Promise<{ code: number; report: Report; calls: string[]; stdout: string }> {
  const from = lastSeq(world);
  const r = await world.run(["doctor", "--json", ...args]);
  return { code: r.code, report: r.json<Report>(), calls: callsSince(world, from), stdout: r.stdout };
}

const byId = (report: Report, id: string) => report.checks.filter((c) => c.id === id);

describe("tccert doctor on the demo seed", () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await startCliWorld("demo");
  });
  afterAll(() => world.close());

  it("exits 0 under the default profile, every check passing, with read actions only", async () => {
    const { code, report, calls } = await doctor(world);
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(code).toBe(0);
    expect(report.status).toBe("pass");
    expect(report.certificates).toEqual(expect.arrayContaining(["DemoShop", "DemoCorp", "DemoBlog"]));
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(world.mutatingCalls()).toBe(0);
    expect(byId(report, "link.symmetric")[0]?.evidence).toMatch(/DemoApi \(issued\) names DemoApiOld/);
    expect(report.notes.join(" ")).toMatch(/paid and mutating actions cannot be checked: Tencent has no dry run/);
  });

  it("--record writes every raw answer as a redacted fixture: no key, no credential", async () => {
    const dir = path.join(world.dir, "record");
    const r = await world.run(["doctor", "--record", dir, "--certificate-id", "DemoShop"]);
    expect(r.stdout).toMatch(/^doctor: http:\/\/127\.0\.0\.1:\d+ \(site cn\), SecretId AKID…0000; read-only: nothing was paid or changed$/m);
    expect(r.stdout).toMatch(/^recorded \d+ file\(s\), redacted \(no keys, no credentials, account ids masked\), in /m);
    const files = fs.readdirSync(dir).sort();
    expect(files).toContain("doctor.json");
    expect(files).toContain("ssl.DescribeCertificateDetail.1.json");
    expect(files.every((f) => f === "doctor.json" || /^(ssl|dnspod)\.[A-Za-z]+\.\d+\.json$/.test(f))).toBe(true);
    const all = files.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    expect(all).not.toMatch(/PRIVATE KEY/);
    expect(all).not.toContain(world.env["TENCENTCLOUD_SECRET_KEY"]);
    expect(all).not.toContain(world.env["TENCENTCLOUD_SECRET_ID"]);
    const detail = JSON.parse(fs.readFileSync(path.join(dir, "ssl.DescribeCertificateDetail.1.json"), "utf8")) as { source: string; input: unknown; output: { Response: Record<string, unknown> } };
    expect(detail.source).toBe("tccert doctor (redacted)");
    expect(detail.input).toEqual({ CertificateId: "DemoShop" });
    // The emulator returns the seeded key here: it was there, and it is gone.
    expect(detail.output.Response["CertificatePrivateKey"]).toBe("REDACTED");
    expect(String(detail.output.Response["CertificatePublicKey"])).toMatch(/BEGIN CERTIFICATE/);
    expect((fs.statSync(path.join(dir, "doctor.json")).mode & 0o777).toString(8)).toBe("600");
  });

  it("exits 1 when a check fails (a certificate the account does not hold), and 64 for an id that is not one", async () => {
    const missing = await doctor(world, ["--certificate-id", "NotThere1"]);
    expect(missing.code).toBe(1);
    expect(byId(missing.report, "certificate.found")[0]).toMatchObject({ status: "fail", subject: "NotThere1" });
    const bad = await world.run(["doctor", "--certificate-id", "not an id!"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/certificate id "not an id!" is not a Tencent certificate id/);
  });
});

describe("tccert doctor --site", () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await startCliWorld("demo");
  });
  afterAll(() => world.close());

  it("intl names Tencent Cloud International's hosts (the emulator answers either); a bad site is refused before any call", async () => {
    const intl = await world.run(["--site", "intl", "doctor", "--certificate-id", "DemoBlog"]);
    expect(intl.stdout).toMatch(/^doctor: http:\/\/127\.0\.0\.1:\d+ \(site intl\), /m);
    expect(intl.stdout).toMatch(/^PASS +clock\.skew +ssl\.intl\.tencentcloudapi\.com /m);
    const before = world.totalCalls();
    const bad = await world.run(["doctor"], { env: { TENCENTCLOUD_SITE: "mars" } });
    expect(bad.code).toBe(64);
    expect(bad.stderr).toBe('tccert: tencent: invalid TENCENTCLOUD_SITE "mars": expected "cn" (the China site, *.tencentcloudapi.com) or "intl" (Tencent Cloud International, *.intl.tencentcloudapi.com).\n');
    expect(world.totalCalls()).toBe(before);
  });
});

describe("tccert doctor under the pessimistic profile", () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await startCliWorld("demo");
    world.emu.admin.useProfile("pessimistic");
    // An existing CNAME in the zone, to see how DNSPod writes CNAME values back.
    const apis = createTencentApis({ credentials: { secretId: world.env["TENCENTCLOUD_SECRET_ID"]!, secretKey: world.env["TENCENTCLOUD_SECRET_KEY"]! }, endpoint: world.emu.url, env: {} });
    await apis.dns.createRecord({ zone: "example.com", subDomain: "cdn", type: "CNAME", value: "shop.example.com.cdn.dnsv1.com" });
    // The pessimistic DNSPod lists a new record only after its index delay (dnsIndexDelaySeconds).
    world.emu.admin.advanceClock(world.emu.admin.rules().rules.dnsIndexDelaySeconds + 1);
  });
  afterAll(() => world.close());

  it("exits 2 naming each deviation it can see read-only, and still sends read actions only", async () => {
    const before = world.mutatingCalls();
    const { code, report, calls } = await doctor(world);
    expect(code).toBe(2);
    expect(report.status).toBe("unknown");
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(world.mutatingCalls()).toBe(before);
    const shop = (id: string) => report.checks.find((c) => c.id === id && c.subject === "DemoShop");
    expect(shop("certificate.chain")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/CertificatePublicKey carries the leaf only/) });
    expect(shop("certificate.paid")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/IsVip is true in the detail but false in DescribeCertificates/) });
    expect(byId(report, "link.symmetric")[0]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/only on the new side: DemoApi \(issued\) names DemoApiOld/) });
    expect(byId(report, "dns.values")[0]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/CNAME values come back with a trailing dot.*"shop\.example\.com\.cdn\.dnsv1\.com\."/) });
  });

  it("names a link cleared after issuance when a renewal in flight still shows it", async () => {
    world.emu.admin.setRules({ linkSides: "both", linkClearedAfterIssue: true, linkDelaySeconds: 0 });
    // A renewal left in flight: the OV renewal stops for a human step (it pays once; doctor then only reads).
    const pending = await world.run(["renew", "DemoCorp", "--json"]);
    expect(pending.code).toBe(2);
    const { code, report, calls } = await doctor(world);
    expect(code).toBe(2);
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(byId(report, "link.symmetric")[0]?.status).toBe("pass");
    expect(byId(report, "link.kept-after-issuance")[0]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/the link is cleared after issuance/) });
    // Also visible: the list's HasRenewOrder as a flag, and the OV renewal waiting in status 5 for its data.
    expect(byId(report, "link.has-renew-order")[0]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/HasRenewOrder is not a certificate id: DemoCorp: "yes"/) });
    expect(byId(report, "renewal.awaiting-submission")[0]).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/of DemoCorp waits in Status 5/) });
  });

  it("names Tencent-side auto-renewal and a DvAuthDomain that is not the zone holding the record", async () => {
    world.emu.admin.setRules({ tencentAutoRenew: true });
    // A delegated sub-zone, and a DV order waiting for validation whose records belong in it.
    world.emu.admin.seed({ zones: [{ accountId: "demo", zone: "shop.example.com" }] });
    const apis = createTencentApis({ credentials: { secretId: world.env["TENCENTCLOUD_SECRET_ID"]!, secretKey: world.env["TENCENTCLOUD_SECRET_KEY"]! }, endpoint: world.emu.url, env: {} });
    const order = await apis.ssl.renewByPackage({ oldCertificateId: "DemoShop", productPid: 1013949, packageIds: ["DemoPack0001"], domainCount: 1, periodYears: 1, csrMethod: "online", algorithmType: "RSA", algorithmParam: "2048", verifyType: "DNS" });
    if ((await apis.ssl.getCertificate(order)).status === 5) await apis.ssl.submitOrder(order, "DNS");
    const { code, report, calls } = await doctor(world);
    expect(code).toBe(2);
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(report.checks.find((c) => c.id === "certificate.tencent-renewal" && c.subject === "DemoShop")).toMatchObject({ status: "unknown", evidence: expect.stringMatching(/^AutoRenewFlag 1, .*Tencent may renew this certificate on its own/) });
    expect(report.checks.find((c) => c.id === "dns.dv-auth-domain" && c.subject === order)).toMatchObject({
      status: "unknown",
      evidence: expect.stringMatching(/DvAuthDomain "example\.com", DNSPod zone by longest suffix "shop\.example\.com": DvAuthDomain is not the zone that holds the record/),
    });
  });
});
