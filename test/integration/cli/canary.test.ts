/**
 * `tccert renew <id> --canary` against the emulator (issue 12): shows what would be paid and asks
 * first; refuses without a terminal unless --yes; pays once; journals the balances before paying;
 * reads the order and both link sides at the sample times (shrunk here with --canary-samples);
 * stops after issuance without deploying; --record writes the raw answers redacted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/program";
import { startCliWorld, type CliWorld } from "./harness";

const PAID = "ssl.CreateCertificateByPackage";

interface Sample {
  atSeconds: number;
  order: { status: number | null; statusMsg: string; verifyType: string; dvAuths: unknown[]; originCertificateId: string };
  old: { renewOrder: string; hasRenewOrder: string };
}
interface Canary {
  canary: {
    plan: { productPid: number; packageIds: string[]; points: number };
    balancesBeforePaying: { packageId: string; balance: number }[];
    observation: { oldCertificateId: string; newCertificateId: string; samples: Sample[] } | null;
    result: { outcome: string; certificateId: string } | null;
    deployed: boolean;
  };
  recorded?: string[];
}

/** The CLI with a terminal on stdin that answers `answer`. */
async function onTerminal(world: CliWorld, argv: string[], answer: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let out = "";
  let err = "";
  const stdout = new PassThrough();
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  const stderr = new PassThrough();
  stderr.on("data", (d: Buffer) => {
    err += d.toString();
    if (d.toString().includes("Type yes to pay")) stdin.write(`${answer}\n`);
  });
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const code = await runCli(argv, { stdout, stderr, stdin, env: world.env });
  return { code, stdout: out, stderr: err };
}

describe("tccert renew --canary", () => {
  let world: CliWorld;
  beforeEach(async () => {
    world = await startCliWorld("demo");
  });
  afterEach(() => world.close());

  it("refuses without a terminal and without --yes after showing the plan: exit 1, nothing paid", async () => {
    const r = await world.run(["renew", "DemoShop", "--canary"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^canary: renewal of DemoShop \(shop\.example\.com, www\.shop\.example\.com\), /m);
    expect(r.stderr).toMatch(/^ {2}product: {2}PID 1013949: product 1013949 DNSPod DV \(C1\), derived from PackageType 48/m);
    expect(r.stderr).toMatch(/^ {2}packages: DemoPack0001 \(balance 100\)$/m);
    expect(r.stderr).toMatch(/^ {2}points: {3}about 1$/m);
    expect(r.stderr).toContain("tccert: renew --canary asks before paying, and stdin is not a terminal: rerun with --yes to pay for the renewal shown above. Nothing was paid.");
    expect(world.count(PAID)).toBe(0);
    expect(world.mutatingCalls()).toBe(0);
  });

  it.each([
    [["renew", "DemoShop", "--canary", "--deploy", "clb", "--region", "ap-guangzhou"], "--canary stops after issuance and never deploys: drop --deploy, check the result, then run `tccert deploy <id> --resource-types ...`."],
    [["renew", "DemoShop", "DemoBlog", "--canary"], "--canary renews exactly one certificate, watched: name one id (got 2), e.g. `tccert renew <id> --canary`."],
    [["renew", "--all-due", "--canary"], "--canary renews exactly one certificate, watched: name one id instead of --all-due, e.g. `tccert renew <id> --canary`."],
    [["renew", "DemoShop", "--canary", "--dry-run"], "--canary and --dry-run conflict: --dry-run pays nothing, --canary pays once after asking. Drop one."],
    [["renew", "DemoShop", "--yes"], "--yes only applies with --canary (e.g. `tccert renew <id> --canary --yes`)."],
    [["renew", "DemoShop", "--canary", "--canary-samples", "5,0"], '--canary-samples must be seconds from 0 to 3600, ascending, separated by commas; got "5,0". The default is 0,5,30,300.'],
  ])("refuses %j at input time, before any call (exit 64)", async (argv, message) => {
    const before = world.totalCalls();
    const r = await world.run(argv);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(`tccert: ${message}`);
    expect(world.totalCalls()).toBe(before);
  });

  it("on a terminal, an answer other than yes pays nothing (exit 1)", async () => {
    const r = await onTerminal(world, ["renew", "DemoShop", "--canary"], "no");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Pay for this renewal? Type yes to pay, anything else to stop:");
    expect(r.stderr).toContain("canary: not confirmed. Nothing was paid.");
    expect(world.count(PAID)).toBe(0);
  });

  it("on a terminal, yes pays once, observes the order at each sample, stops after issuance, deploys nothing", async () => {
    const r = await onTerminal(world, ["renew", "DemoShop", "--canary", "--canary-samples", "0,1"], "yes");
    expect(r.code).toBe(0);
    expect(world.count(PAID)).toBe(1);
    expect(world.count("ssl.UpdateCertificateInstance")).toBe(0);
    expect(r.stdout).toMatch(/^AT +STATUS +STATUSMSG +VERIFYTYPE +DVAUTHS +NEW\.ORIGIN +OLD\.RENEWORDER +OLD\.HASRENEWORDER +ERRORS$/m);
    expect(r.stdout).toMatch(/^\+0s +/m);
    expect(r.stdout).toMatch(/^\+1s +/m);
    expect(r.stdout).toMatch(/^DemoShop: renewed → \w+ \(valid until .*\); not deployed \(--canary stops after issuance\)$/m);
  });

  it("--yes --json --record: the samples, the balances journaled before paying, redacted raw answers", async () => {
    const dir = path.join(world.dir, "canary-record");
    const r = await world.run(["renew", "DemoShop", "--canary", "--yes", "--json", "--canary-samples", "0,1,2", "--record", dir]);
    expect(r.code).toBe(0);
    const c = r.json<Canary>().canary;
    expect(world.count(PAID)).toBe(1);
    expect(c.plan).toMatchObject({ productPid: 1013949, packageIds: ["DemoPack0001"], points: 1 });
    expect(c.balancesBeforePaying).toEqual([{ packageId: "DemoPack0001", balance: 100 }]);
    expect(c.deployed).toBe(false);
    const o = c.observation!;
    expect(o.oldCertificateId).toBe("DemoShop");
    expect(c.result).toMatchObject({ outcome: "renewed", certificateId: o.newCertificateId });
    expect(o.samples.map((s) => s.atSeconds)).toEqual([0, 1, 2]);
    // The default profile links both sides at once.
    expect(o.samples[0]?.order.originCertificateId).toBe("DemoShop");
    expect(o.samples[0]?.old.renewOrder).toBe(o.newCertificateId);
    expect(typeof o.samples[0]?.order.status).toBe("number");
    // Issued by the last sample (the harness issues at once).
    expect(o.samples[2]?.order.status).toBe(1);

    // The payment intent journaled before paying holds the balances read just before paying.
    const journal = JSON.parse(fs.readFileSync(path.join(world.stateDir, "journal", "DemoShop.json"), "utf8")) as { payment?: { balances: unknown }; history?: { payment?: { balances: unknown } }[] };
    const intent = journal.payment ?? journal.history?.find((h) => h.payment)?.payment;
    expect(intent?.balances).toEqual([{ packageId: "DemoPack0001", balance: 100 }]);
    expect(world.emu.admin.inspectPackages("demo").find((p) => p["packageId"] === "DemoPack0001")?.["balance"]).toBeLessThan(100);

    const files = fs.readdirSync(dir).sort();
    expect(files).toContain("canary.json");
    expect(files).toContain("ssl.DescribeCertificateDetail.canary-1.json");
    const all = files.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    expect(all).not.toMatch(/PRIVATE KEY/);
    expect(all).not.toContain(world.env["TENCENTCLOUD_SECRET_KEY"]);
    expect(all).not.toContain(world.env["TENCENTCLOUD_SECRET_ID"]);
  });

  it("pays nothing for a certificate that is not due, and says why (exit 0)", async () => {
    const r = await world.run(["renew", "DemoBlog", "--canary", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^canary: nothing would be paid: .*; pass --force to renew anyway\. Nothing was paid\.$/m);
    const j = await world.run(["renew", "DemoBlog", "--canary", "--yes", "--json"]);
    expect(j.json<{ canary: { nothingToPay: string } }>().canary.nothingToPay).toMatch(/pass --force to renew anyway$/);
    expect(world.count(PAID)).toBe(0);
  });

  it("shows a late, one-sided link as Tencent answers it", async () => {
    world.emu.admin.setRules({ linkDelaySeconds: 3600, linkSides: "new-only" });
    const r = await world.run(["renew", "DemoShop", "--canary", "--yes", "--json", "--canary-samples", "0"]);
    expect(r.code).toBe(0);
    const s = r.json<Canary>().canary.observation!.samples[0]!;
    expect(s.order.originCertificateId).toBe("");
    expect(s.old.renewOrder).toBe("");
    expect(world.count(PAID)).toBe(1);
  });
});
