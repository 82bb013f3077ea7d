/**
 * scan, renew (one id, --all-due, --dry-run, --out), deploy: end to end
 * against the emulator, in-process through runCli. JSON shapes and exit codes
 * are pinned.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineDeps } from "../../../runtime";
import { FLEET, seed, startCliWorld, type CliWorld } from "./harness";

interface ScanJson {
  certificates: {
    certificateId: string;
    domain: string;
    domains: string[];
    certType: string;
    notAfter: string | null;
    daysLeft: number | null;
    due: boolean;
    reason: string;
    message: string;
    renewable: boolean;
    inFlight: { certificateId: string; status: number; phase: string } | null;
    pendingAction: { kind: string; message: string } | null;
    backoff: unknown;
  }[];
  due: number;
  pending: number;
  backedOff: number;
}

interface RenewJson {
  results: {
    id: string;
    ok: boolean;
    outcome?: string;
    paidThisRun?: boolean;
    certificateId?: string;
    previousCertificateId?: string;
    originalCertificateId?: string;
    hasPrivateKey?: boolean;
    files?: string[];
    notAfter?: string;
    deployment?: { results: { resourceType: string; status: string }[] } | null;
    error?: { kind: string; code: string; message: string; resumable: boolean; newCertificateId: string; instructions?: string };
    skipped?: { reason: string; until: string; message: string };
    backoff?: { failures: number; until: string } | null;
  }[];
}

describe("scan", () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await startCliWorld(seed(FLEET));
  });
  afterAll(async () => w.close());

  it("--json lists every paid certificate with expiry, due and why; exit 2 when something is due", async () => {
    const r = await w.run(["--json", "scan"]);
    expect(r.code).toBe(2);
    const body = r.json<ScanJson>();
    expect(Object.keys(body).sort()).toEqual(["backedOff", "certificates", "due", "pending"]);
    expect(body.certificates.map((c) => c.certificateId)).toEqual(["dueA", "dueB", "dueC", "fresh"]);
    expect(body.due).toBe(3);
    expect(body.pending).toBe(0);
    const a = body.certificates[0]!;
    expect(Object.keys(a).sort()).toEqual(
      ["backoff", "certType", "certificateId", "daysLeft", "domain", "domains", "due", "inFlight", "message", "notAfter", "pendingAction", "reason", "renewable"].sort(),
    );
    expect(a).toMatchObject({ due: true, reason: "NearingExpiry", renewable: true, inFlight: null, pendingAction: null, backoff: null, certType: "DV" });
    expect(a.message).toMatch(/^dueA expires in [45] day\(s\), inside renewBeforeDays=30$/);
    expect(body.certificates[3]).toMatchObject({ certificateId: "fresh", due: false, reason: "NotDue" });
    // Read-only, list calls only.
    expect(w.count("ssl.DescribeCertificates")).toBe(1);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("filters: --within-days, --domain, --ids; exit 0 when nothing left is due", async () => {
    const within = (await w.run(["--json", "scan", "--within-days", "13"])).json<ScanJson>();
    expect(within.certificates.map((c) => c.certificateId)).toEqual(["dueA", "dueB"]);
    const byDomain = await w.run(["--json", "scan", "--domain", "fresh.example.com"]);
    expect(byDomain.code).toBe(0);
    expect(byDomain.json<ScanJson>().certificates.map((c) => c.certificateId)).toEqual(["fresh"]);
    const byIds = (await w.run(["--json", "scan", "--ids", "dueC,fresh"])).json<ScanJson>();
    expect(byIds.certificates.map((c) => c.certificateId)).toEqual(["dueC", "fresh"]);
  });

  it("a table when not --json, with a WHY column and a footer", async () => {
    const r = await w.run(["scan"]);
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+DOMAIN\s+TYPE\s+EXPIRES\s+DAYS\s+DUE\s+RENEWABLE\s+IN FLIGHT\s+BACKOFF\s+WHY$/);
    expect(lines[1]).toMatch(/^dueA\s+a\.example\.com\s+DV\s+\d{4}-\d\d-\d\d\s+[45]\s+yes\s+yes\s+-\s+-\s+NearingExpiry$/);
    expect(lines.at(-1)).toBe("4 certificate(s); 3 due; 0 waiting for a human; 0 backed off");
    expect(r.stderr).toBe("");
  });
});

describe("renew", () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await startCliWorld(seed(FLEET));
  });
  afterAll(async () => w.close());

  it("--dry-run explains what would be paid for and pays nothing (exit 2: something is due)", async () => {
    const r = await w.run(["--json", "renew", "--all-due", "--dry-run"]);
    expect(r.code).toBe(2);
    const body = r.json<{ dryRun: boolean; plans: Record<string, unknown>[] }>();
    expect(body.dryRun).toBe(true);
    expect(body.plans.map((p) => p["id"])).toEqual(["dueA", "dueB", "dueC"]);
    expect(body.plans[0]).toMatchObject({ due: true, reason: "NearingExpiry", points: 1, productPid: 1013949, packageIds: ["pkgCli0001"] });
    expect(String(body.plans[0]!["wouldPay"])).toMatch(/^about 1 point\(s\) from pkgCli0001 for product 1013949: /);
    expect(w.mutatingCalls()).toBe(0);

    const human = await w.run(["renew", "fresh", "dueA", "--dry-run"]);
    expect(human.code).toBe(2);
    expect(human.stdout).toContain("fresh: fresh expires in");
    expect(human.stdout).toContain("  would pay: nothing: not due");
    expect(human.stdout).toMatch(/dueA: .*\n {2}would pay: about 1 point\(s\) from pkgCli0001/);
    expect(human.stdout.trimEnd().split("\n").at(-1)).toBe("dry run: nothing was paid");
    expect(w.mutatingCalls()).toBe(0);
  });

  it("--dry-run of a certificate that is not due exits 0", async () => {
    const r = await w.run(["renew", "fresh", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("one id: renews, writes cert/chain/fullchain/key (0600) under --out, JSON without secrets", async () => {
    const out = path.join(w.dir, "out-one");
    const r = await w.run(["--json", "renew", "dueA", "--key-algorithm", "EC_P256", "--out", out]);
    expect(r.code).toBe(0);
    const body = r.json<RenewJson>();
    expect(body.results).toHaveLength(1);
    const res = body.results[0]!;
    expect(res).toMatchObject({ id: "dueA", ok: true, outcome: "renewed", paidThisRun: true, previousCertificateId: "dueA", originalCertificateId: "dueA", hasPrivateKey: true });
    expect(res).not.toHaveProperty("privateKeyPem");
    const newId = res.certificateId!;
    expect(newId).not.toBe("dueA");
    expect(res.files!.map((f) => path.basename(f))).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
    const dir = path.join(out, newId);
    expect(fs.statSync(path.join(dir, "privkey.pem")).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, "privkey.pem"), "utf8")).toMatch(/^-----BEGIN (EC )?PRIVATE KEY-----/);
    expect(fs.readFileSync(path.join(dir, "fullchain.pem"), "utf8").match(/BEGIN CERTIFICATE/g)!.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).not.toMatch(/PRIVATE KEY/);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    // Progress went to stderr, one line per event, stdout stayed pure JSON.
    expect(r.stderr).toMatch(/^\[preflight\] reading certificate dueA/m);
    expect(r.stderr).toMatch(/^\[pay\] paying for the renewal of dueA/m);
    expect(r.stderr).toMatch(/^\[cleanup\] /m);
    expect(r.stderr).toMatch(/^✔ dueA: renewed → \w+, valid until \d{4}-\d\d-\d\d$/m);
  });

  it("renewing it again adopts the renewal: nothing is paid twice (exit 0)", async () => {
    const r = await w.run(["--json", "renew", "dueA"]);
    expect(r.code).toBe(0);
    expect(r.json<RenewJson>().results[0]).toMatchObject({ ok: true, outcome: "adopted", paidThisRun: false });
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("--all-due renews every due certificate, in parallel, and reports each", async () => {
    const before = w.count("ssl.CreateCertificateByPackage");
    const out = path.join(w.dir, "out-all");
    const r = await w.run(["--json", "renew", "--all-due", "--concurrency", "3", "--out", out]);
    expect(r.code).toBe(0);
    const body = r.json<RenewJson>();
    // dueA is renewed already; its renewal is the lineage's newest and not due.
    expect(body.results.map((x) => x.id)).toEqual(["dueB", "dueC"]);
    expect(body.results.every((x) => x.ok && x.outcome === "renewed" && x.paidThisRun)).toBe(true);
    expect(w.count("ssl.CreateCertificateByPackage") - before).toBe(2);
    expect(fs.readdirSync(out).sort()).toEqual(body.results.map((x) => x.certificateId!).sort());
    // Progress lines carry the id when several certificates run together.
    expect(r.stderr).toMatch(/^dueB \[pay\] /m);
    expect(r.stderr).toMatch(/^dueC \[pay\] /m);
    expect(r.stderr.split("\n")[0]).toBe("2 certificate(s) due: dueB, dueC");

    const scan = await w.run(["--json", "scan"]);
    expect(scan.code).toBe(0);
    expect(scan.json<ScanJson>().due).toBe(0);
    const again = await w.run(["renew", "--all-due"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("nothing to renew\n");
  });

  it("deploy pushes the issued renewal to the resources bound to the old certificate", async () => {
    const r = await w.run(["--json", "deploy", "dueC", "--resource-types", "clb,cdn", "--region", "ap-guangzhou"]);
    expect(r.code).toBe(0);
    const body = r.json<{ from: string; to: string; deployRecordId: number; results: { resourceType: string; instanceId: string; status: string }[] }>();
    expect(body.from).toBe("dueC");
    expect(body.to).not.toBe("dueC");
    expect(body.deployRecordId).toBeGreaterThan(0);
    expect(body.results.map((x) => [x.resourceType, x.instanceId, x.status]).sort()).toEqual([
      ["cdn", "c.example.com", "success"],
      ["clb", "lb-c", "success"],
    ]);
    expect(w.count("ssl.UpdateCertificateInstance")).toBeGreaterThanOrEqual(1);

    // A second deploy finds nothing left bound to the old certificate.
    const again = await w.run(["deploy", "dueC", "--resource-types", "clb,cdn", "--region", "ap-guangzhou"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("nothing to deploy: no clb/cdn resources are bound to dueC (any more)\n");
  });

  it("deploy of a certificate never renewed exits 1 and says what to run", async () => {
    const r = await w.run(["deploy", "fresh", "--resource-types", "clb"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tccert: certificate fresh has no renewal to deploy (it is the newest certificate of its lineage). Run `tccert renew fresh` first.\n");
  });
});

describe("renew with --deploy, and a human step (the demo seed)", () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await startCliWorld("demo");
  });
  afterAll(async () => w.close());

  it("renews the DV certificate and deploys it in the same run", async () => {
    const r = await w.run(["renew", "DemoShop", "--deploy", "clb,cdn", "--region", "ap-guangzhou"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DemoShop: renewed → \w+ \(valid until /);
    expect(r.stderr).toMatch(/^\[deploy\] clb lb-demoshop\/lbl-demoshop \(ap-guangzhou\): success$/m);
    expect(r.stderr).toMatch(/^\[deploy\] cdn shop\.example\.com shop\.example\.com: success$/m);
  });

  it("the OV certificate stops at the confirmation letter: exit 2, what to do, and scan shows it as pending", async () => {
    const r = await w.run(["--json", "renew", "DemoCorp"]);
    expect(r.code).toBe(2);
    const res = r.json<RenewJson>().results[0]!;
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ kind: "PendingHumanAction", resumable: true });
    expect(res.error!.instructions).toMatch(/^Open the Tencent Cloud SSL console, find certificate \w+, download the confirmation letter template/);
    expect(res.backoff).toBeNull();

    const scan = await w.run(["scan"]);
    expect(scan.code).toBe(2);
    expect(scan.stdout).toMatch(new RegExp(`^ {2}DemoCorp: PENDING HUMAN ACTION: upload the signed confirmation letter for ${res.error!.newCertificateId} in the SSL console, then rerun renew$`, "m"));

    // Once the console accepted the letter, a rerun completes it without paying again.
    const paid = w.count("ssl.CreateCertificateByPackage");
    w.emu.admin.acceptLetter(res.error!.newCertificateId);
    const resumed = await w.run(["--json", "renew", "DemoCorp"]);
    expect(resumed.code).toBe(0);
    expect(resumed.json<RenewJson>().results[0]).toMatchObject({ ok: true, outcome: "renewed", paidThisRun: false, certificateId: res.error!.newCertificateId });
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(paid);
  });
});

describe("manual DNS: a human step Tencent's listing cannot show", () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await startCliWorld(seed([{ certificateId: "manual1", domain: "m.example.com", certType: "DV", expiresInDays: 6 }]));
  });
  afterAll(async () => w.close());

  it("renew stops with the records to publish (exit 2); scan shows them as a pending human action; a rerun after publishing completes it", async () => {
    const r = await w.run(["--json", "renew", "manual1", "--validation", "manual-dns", "--wait-timeout-minutes", "0"]);
    expect(r.code).toBe(2);
    const res = r.json<RenewJson>().results[0]!;
    expect(res.error).toMatchObject({ kind: "PendingHumanAction", resumable: true });
    expect(res.error!.instructions).toMatch(/^Create these records, then rerun: CNAME _\w+\.m\.example\.com = \S+$/);
    const newId = res.error!.newCertificateId;
    expect(w.count("dnspod.CreateRecord")).toBe(0); // manual: we publish nothing

    const scan = await w.run(["--json", "scan"]);
    expect(scan.code).toBe(2);
    const row = scan.json<ScanJson>().certificates[0]!;
    expect(row.inFlight).toMatchObject({ certificateId: newId, phase: "validating" });
    const action = row.pendingAction as unknown as { kind: string; message: string; records: { type: string; name: string; value: string }[] };
    expect(action.kind).toBe("manual-dns");
    expect(action.records).toHaveLength(1);
    expect(action.message).toBe(`publish 1 DNS record(s) for renewal ${newId}, then rerun renew: ${action.records[0]!.type} ${action.records[0]!.name} = ${action.records[0]!.value}`);
    expect(scan.json<ScanJson>().pending).toBe(1);
    const table = await w.run(["scan"]);
    expect(table.stdout).toContain(`  manual1: PENDING HUMAN ACTION: publish 1 DNS record(s) for renewal ${newId}, then rerun renew: CNAME `);

    const rec = action.records[0]!;
    // The user publishes the record (here through DNSPod's API, as any DNS tool would), then reruns.
    const deps = createEngineDeps({ endpoint: w.emu.url, env: w.env, stateDir: w.stateDir });
    await deps.dns.createRecord({ zone: "example.com", subDomain: rec.name.replace(/\.example\.com$/, ""), type: rec.type as "CNAME", value: rec.value });
    const done = await w.run(["--json", "renew", "manual1", "--validation", "manual-dns"]);
    expect(done.code).toBe(0);
    // The CA issued as soon as the record was visible, so this run finds the renewal issued and adopts it; nothing is paid again.
    expect(done.json<RenewJson>().results[0]).toMatchObject({ ok: true, outcome: "adopted", paidThisRun: false, certificateId: newId });
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    const after = await w.run(["--json", "scan"]);
    expect(after.json<ScanJson>().pending).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(w.stateDir, "pending-actions.json"), "utf8"))).toEqual({ version: 1, certificates: {} });
  });
});
