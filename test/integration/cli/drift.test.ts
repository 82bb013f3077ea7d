/**
 * Issue 17, deployment drift, through the real CLI (runCli in-process) on the emulator's demo seed:
 * DemoApiOld was renewed into DemoApi and its CLB listener moved, but its CDN domain still serves
 * DemoApiOld; DemoShop (20 days left, no renewal) serves a CLB listener and a CDN domain.
 * Messages, JSON shapes and exit codes are pinned.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed, startCliWorld, type CliWorld } from "./harness";

interface Resource {
  certificateId: string;
  resourceType: string;
  region: string;
  instanceId: string;
  listenerId: string;
  domain: string;
  drift: { reason: string; message: string; targetCertificateId: string | null } | null;
}

interface DriftJson {
  withinDays: number;
  lineages: {
    lineageId: string;
    newestIssuedId: string | null;
    drifted: number;
    certificates: { certificateId: string; phase: string; notAfter: string | null; daysLeft: number | null; bindings: string; error: string; cacheAgeSeconds: number | null; regionErrors: string[]; resources: Resource[] }[];
  }[];
  drifted: Resource[];
  driftedCount: number;
  incomplete: string[];
}

interface FixJson {
  dryRun: boolean;
  results: { resourceType: string; region: string; instanceId: string; listenerId: string; domain: string; from: string; to: string | null; reason: string; status: string; message: string; deployRecordId: number }[];
  moved: number;
}

// Days are whole days left (floor), as in `scan`: a seeded "45 days" reads 44 a moment later.
const SUPERSEDED = "serves DemoApiOld, superseded by its issued renewal DemoApi \\(4[45] day\\(s\\) left\\); move it to DemoApi with `tccert deploy --drifted`";
const SHOP_EXPIRING = "serves DemoShop, which expires in (19|20) day\\(s\\) \\(within 30\\); renew it first \\(`tccert renew DemoShop`\\), then `tccert deploy --drifted`";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld("demo");
});
afterAll(async () => w.close());

describe("tccert scan --deployments on the demo seed", () => {
  it("--json reports the resource on the superseded certificate (and DemoShop's, expiring) and exits 2; read-only", async () => {
    const r = await w.run(["--json", "scan", "--deployments"]);
    expect(r.code).toBe(2);
    const body = r.json<DriftJson>();
    expect(Object.keys(body).sort()).toEqual(["drifted", "driftedCount", "incomplete", "lineages", "withinDays"]);
    expect(body.withinDays).toBe(30);
    const api = body.lineages.find((l) => l.lineageId === "DemoApiOld")!;
    expect(api.newestIssuedId).toBe("DemoApi");
    expect(api.certificates.map((c) => [c.certificateId, c.bindings, c.resources.length])).toEqual([
      ["DemoApiOld", "read", 1],
      ["DemoApi", "read", 1],
    ]);
    expect(api.certificates[1]!.resources[0]).toEqual({ resourceType: "clb", region: "ap-shanghai", instanceId: "lb-demoapi", listenerId: "lbl-demoapi", domain: "", certificateId: "DemoApi", drift: null });
    expect(typeof api.certificates[0]!.cacheAgeSeconds).toBe("number");
    const stale = body.drifted.find((d) => d.certificateId === "DemoApiOld")!;
    expect(stale).toEqual({
      resourceType: "cdn", region: "", instanceId: "api.example.com", listenerId: "", domain: "api.example.com", certificateId: "DemoApiOld",
      drift: { reason: "Superseded", message: expect.stringMatching(new RegExp(`^${SUPERSEDED}$`)), targetCertificateId: "DemoApi" },
    });
    expect(body.drifted.filter((d) => d.certificateId === "DemoShop").map((d) => [d.resourceType, d.instanceId, d.drift?.reason])).toEqual([
      ["clb", "lb-demoshop", "Expiring"],
      ["cdn", "shop.example.com", "Expiring"],
    ]);
    expect(body.driftedCount).toBe(3);
    expect(body.incomplete).toEqual([]);
    // One task call (≤ 100 ids), results polled until done, one detail call per certificate with bindings.
    expect(w.count("ssl.CreateCertificateBindResourceSyncTask")).toBe(1);
    expect(w.count("ssl.DescribeCertificateBindResourceTaskResult")).toBeGreaterThanOrEqual(2);
    expect(w.count("ssl.DescribeCertificateBindResourceTaskDetail")).toBe(3);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("as a table: one row per bound resource with the answer's age, a DRIFT line per drifted resource, and a count", async () => {
    const r = await w.run(["scan", "--deployments"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^LINEAGE +CERTIFICATE +EXPIRES +DAYS +TYPE +REGION +INSTANCE +LISTENER\/DOMAIN +ANSWER AGE +DRIFT$/m);
    expect(r.stdout).toMatch(/^DemoApiOld +DemoApiOld +\d{4}-\d\d-\d\d +4[45] +cdn +- +api\.example\.com +api\.example\.com +\d+s +Superseded → DemoApi$/m);
    expect(r.stdout).toMatch(/^DemoApiOld +DemoApi +\d{4}-\d\d-\d\d +35[45] +clb +ap-shanghai +lb-demoapi +lbl-demoapi +\d+s +ok$/m);
    expect(r.stdout).toMatch(new RegExp(`^ {2}cdn api\\.example\\.com \\(on DemoApiOld\\): DRIFT: ${SUPERSEDED}$`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^ {2}clb ap-guangzhou lb-demoshop/lbl-demoshop \\(on DemoShop\\): DRIFT: ${SHOP_EXPIRING}$`, "m"));
    expect(r.stdout).toMatch(/^4 lineage\(s\); 4 bound resource\(s\); 3 drifted \(superseded, expired, or expiring within 30 days\); 0 certificate\(s\) not read$/m);
    // Tencent's cache (IsCache: 1) answered: no new task for a certificate asked about a moment ago.
    expect(w.count("ssl.CreateCertificateBindResourceSyncTask")).toBe(2);
  });

  it("--within-days 7 leaves DemoShop (20 days) out; --summary appends Markdown for the job summary", async () => {
    const file = path.join(w.dir, "summary.md");
    fs.writeFileSync(file, "# earlier step\n");
    const r = await w.run(["scan", "--deployments", "--within-days", "7", "--summary", file]);
    expect(r.code).toBe(2);
    const md = fs.readFileSync(file, "utf8");
    expect(md.startsWith("# earlier step\n## tccert: deployment drift\n\n**1 drifted resource(s)** serve a superseded, expired or soon-expiring certificate (within 7 days). Exit code 2.\n")).toBe(true);
    expect(md).toContain("| Certificate | Expires | Type | Region | Instance | Listener/domain | Drift | Move to |");
    expect(md).toMatch(/^\| DemoApiOld \| \d{4}-\d\d-\d\d \(4[45] d\) \| cdn \| - \| api\.example\.com \| api\.example\.com \| Superseded \| DemoApi \|$/m);
    expect(md).toContain("Fix: `tccert deploy --drifted` moves each drifted resource onto the newest issued certificate of its lineage (`--dry-run` lists the moves first).");
    expect(md).toContain("<details><summary>All 4 bound resource(s)</summary>");
  });
});

describe("tccert deploy --drifted on the demo seed", () => {
  it("--dry-run lists what would move, one result per resource, and sends nothing", async () => {
    const before = w.count("ssl.UpdateCertificateInstance");
    const r = await w.run(["--json", "deploy", "--drifted", "--dry-run"]);
    expect(r.code).toBe(2);
    const body = r.json<FixJson>();
    expect(body.dryRun).toBe(true);
    expect(body.results.map((f) => [f.from, f.resourceType, f.instanceId, f.to, f.status])).toEqual([
      ["DemoApiOld", "cdn", "api.example.com", "DemoApi", "would-move"],
      ["DemoShop", "clb", "lb-demoshop", null, "needs-renewal"],
      ["DemoShop", "cdn", "shop.example.com", null, "needs-renewal"],
    ]);
    expect(w.count("ssl.UpdateCertificateInstance")).toBe(before);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("moves the resource off the superseded certificate (one result per resource); DemoShop's wait for a renewal: exit 2", async () => {
    const r = await w.run(["deploy", "--drifted"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^TYPE +REGION +INSTANCE +LISTENER\/DOMAIN +FROM +TO +DRIFT +RESULT$/m);
    expect(r.stdout).toMatch(/^cdn +- +api\.example\.com +api\.example\.com +DemoApiOld +DemoApi +Superseded +moved$/m);
    expect(r.stdout).toMatch(/^clb +ap-guangzhou +lb-demoshop +lbl-demoshop +DemoShop +- +Expiring +needs-renewal$/m);
    expect(r.stdout).toContain("  clb lb-demoshop/lbl-demoshop (on DemoShop): needs-renewal: no newer issued certificate to move to: renew DemoShop first (`tccert renew DemoShop`), then rerun `tccert deploy --drifted`\n");
    expect(r.stdout).toMatch(/^1\/3 drifted resource\(s\) moved$/m);
    expect(w.count("ssl.UpdateCertificateInstance")).toBe(1);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);
    const cdn = w.emu.admin.inspectCertificate("DemoApi")!["boundResources"] as { resourceType: string; instanceId: string }[];
    expect(cdn.map((b) => `${b.resourceType}:${b.instanceId}`).sort()).toEqual(["cdn:api.example.com", "clb:lb-demoapi"]);
  });

  it("a second scan --deployments exits 0 for that lineage: the cached answer predates the deployment, so it is asked afresh", async () => {
    const r = await w.run(["--json", "scan", "--deployments", "--ids", "DemoApi"]);
    expect(r.code).toBe(0);
    const body = r.json<DriftJson>();
    expect(body.lineages.map((l) => l.lineageId)).toEqual(["DemoApiOld"]);
    expect(body.driftedCount).toBe(0);
    expect(body.lineages[0]!.certificates.map((c) => [c.certificateId, c.resources.map((x) => `${x.resourceType}:${x.instanceId}`).sort()])).toEqual([
      ["DemoApiOld", []],
      ["DemoApi", ["cdn:api.example.com", "clb:lb-demoapi"]],
    ]);
    const human = await w.run(["scan", "--deployments", "--ids", "DemoApiOld"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^1 lineage\(s\); 2 bound resource\(s\); 0 drifted \(superseded, expired, or expiring within 30 days\); 0 certificate\(s\) not read$/m);
  });

  it("is idempotent: a rerun for that lineage finds nothing drifted and sends nothing", async () => {
    const before = w.count("ssl.UpdateCertificateInstance");
    const r = await w.run(["deploy", "--drifted", "--ids", "DemoApi"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("nothing drifted: every bound resource serves its lineage's newest issued certificate, none expiring soon\n");
    expect(w.count("ssl.UpdateCertificateInstance")).toBe(before);
  });
});

describe("deploy --drifted after a renewal with a local key (the local-key rule of renew --deploy)", () => {
  let v: CliWorld;
  beforeAll(async () => {
    v = await startCliWorld("demo");
    // Pessimistic answer: Tencent refuses to deploy by id a certificate whose key it does not hold.
    v.emu.admin.setRules({ deployNeedsHeldKey: true });
  });
  afterAll(async () => v.close());

  it("deploys the renewal by content (fullchain + the journaled key), one result per resource; no key in the output", async () => {
    const renewed = await v.run(["--json", "renew", "DemoShop", "--key-algorithm", "EC_P256"]);
    expect(renewed.code).toBe(0);
    const newId = renewed.json<{ results: { certificateId: string }[] }>().results[0]!.certificateId;
    const scan = await v.run(["--json", "scan", "--deployments", "--ids", "DemoShop"]);
    expect(scan.code).toBe(2);
    expect(scan.json<DriftJson>().drifted.map((d) => [d.certificateId, d.resourceType, d.drift?.reason, d.drift?.targetCertificateId])).toEqual([
      ["DemoShop", "clb", "Superseded", newId],
      ["DemoShop", "cdn", "Superseded", newId],
    ]);
    const r = await v.run(["--json", "deploy", "--drifted", "--ids", "DemoShop"]);
    expect(r.code).toBe(0);
    const body = r.json<FixJson>();
    expect(body.results.map((f) => [f.resourceType, f.instanceId, f.from, f.to, f.status])).toEqual([
      ["clb", "lb-demoshop", "DemoShop", newId, "moved"],
      ["cdn", "shop.example.com", "DemoShop", newId, "moved"],
    ]);
    expect(r.stdout + r.stderr).not.toContain("PRIVATE KEY");
    const deploys = v.emu.admin.calls().calls.filter((c) => c.action === "UpdateCertificateInstance");
    expect(deploys).toHaveLength(1);
    expect((await v.run(["scan", "--deployments", "--ids", "DemoShop"])).code).toBe(0);
  });
});

describe("a resource type the adapter cannot itemise (the emulator lists only CLB and CDN in detail)", () => {
  let v: CliWorld;
  beforeAll(async () => {
    v = await startCliWorld(
      seed([
        { certificateId: "wafOld01", domain: "waf.example.com", expiresInDays: 60, boundResources: [{ resourceType: "waf", region: "ap-guangzhou", instanceId: "waf-1", domain: "waf.example.com" }] },
        { certificateId: "wafNew01", domain: "waf.example.com", expiresInDays: 300, renewalOf: "wafOld01" },
      ]),
    );
  });
  afterAll(async () => v.close());

  it("is reported from Tencent's counts as a stand-in row, and deploy --drifted reports the real resource it moved", async () => {
    const scan = await v.run(["--json", "scan", "--deployments"]);
    expect(scan.code).toBe(2);
    expect(scan.json<DriftJson>().drifted.map((d) => [d.certificateId, d.resourceType, d.region, d.instanceId, d.drift?.reason])).toEqual([["wafOld01", "waf", "ap-guangzhou", "(1 not itemised)", "Superseded"]]);
    const r = await v.run(["--json", "deploy", "--drifted"]);
    expect(r.code).toBe(0);
    expect(r.json<FixJson>().results.map((f) => [f.resourceType, f.region, f.instanceId, f.from, f.to, f.status])).toEqual([["waf", "ap-guangzhou", "waf-1", "wafOld01", "wafNew01", "moved"]]);
    expect((await v.run(["scan", "--deployments"])).code).toBe(0);
  });
});

describe("tccert demo (the built binary)", () => {
  it("shows the seeded drift, fixes it with deploy --drifted, and a second scan finds none", async () => {
    const r = await w.spawn(["demo", "--out", path.join(w.dir, "demo-out")], { env: { TCCERT_ENDPOINT: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("\n▶ 5. tccert scan --deployments: which cloud resources still serve an old certificate\n");
    expect(r.stderr).toMatch(new RegExp(`^ {2}cdn api\\.example\\.com \\(on DemoApiOld\\): DRIFT: ${SUPERSEDED}$`, "m"));
    expect(r.stderr).toContain("   (exit 2: drift found)\n");
    expect(r.stderr).toMatch(/^cdn +- +api\.example\.com +api\.example\.com +DemoApiOld +DemoApi +Superseded +moved$/m);
    expect(r.stderr).toContain("1/1 drifted resource(s) moved\n");
    expect(r.stderr).toContain("   (exit 0: no drift left)\n");
    expect(r.stderr).toContain("   • deployment drift: found by scan --deployments (exit 2), fixed by deploy --drifted (exit 0), then scan --deployments exit 0\n");
  });
});

describe("what Tencent cannot answer, and bad flags", () => {
  it("a region error makes the certificates of the lineage unknown: named, exit 1 when nothing else drifted", async () => {
    w.emu.admin.setBindResourceRegionError("ap-shanghai", "InternalError: the clb service did not answer", "clb");
    try {
      const r = await w.run(["scan", "--deployments", "--ids", "DemoApi", "--max-cache-minutes", "0"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("  DemoApi: UNKNOWN: region not read: clb ap-shanghai: InternalError: the clb service did not answer\n");
      // Tencent reports the region's error for every certificate it looked at.
      expect(r.stdout).toContain("  DemoApiOld: UNKNOWN: region not read: clb ap-shanghai: InternalError: the clb service did not answer\n");
      expect(r.stderr).toBe("tccert: could not read where DemoApiOld, DemoApi are deployed, so drift there is not ruled out; run the scan again (see UNKNOWN above).\n");
    } finally {
      w.emu.admin.setBindResourceRegionError("ap-shanghai", "", "clb");
    }
  });

  it("--ids naming no lineage is an error, not a silent pass", async () => {
    const r = await w.run(["scan", "--deployments", "--ids", "Nope1234"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tccert: --ids: Nope1234 is not a certificate of any paid lineage in this account, so nothing was checked for it. Run `tccert scan --deployments` without --ids to list the lineages.\n");
  });

  const cases: { argv: string[]; message: string }[] = [
    { argv: ["scan", "--summary", "x.md"], message: `tccert: --summary applies only with --deployments (e.g. tccert scan --deployments --summary "$GITHUB_STEP_SUMMARY").` },
    { argv: ["scan", "--deployments", "--max-cache-minutes", "31"], message: `tccert: --max-cache-minutes must be a whole number of minutes from 0 to 30 (Tencent keeps answers half an hour; 0 always asks afresh); got "31".` },
    { argv: ["scan", "--deployments", "--domain", "shop.example.com"], message: "tccert: --domain does not apply with --deployments; use --ids with a certificate id of the lineage instead." },
    { argv: ["scan", "--deployments", "--summary", "/nonexistent-dir/x.md"], message: `tccert: --summary: cannot write "/nonexistent-dir/x.md" (its directory must exist and be writable); in GitHub Actions pass "$GITHUB_STEP_SUMMARY".` },
    { argv: ["deploy", "DemoApiOld", "--drifted"], message: 'tccert: deploy --drifted takes no certificate id (got "DemoApiOld"); to limit it to a lineage, pass --ids DemoApiOld.' },
    { argv: ["deploy", "--drifted", "--resource-types", "clb"], message: "tccert: --resource-types does not apply with --drifted: each drifted resource moves with its own type and region." },
    { argv: ["deploy", "DemoApiOld", "--resource-types", "clb", "--dry-run"], message: "tccert: --dry-run applies only with --drifted (e.g. tccert deploy --drifted --dry-run)." },
    { argv: ["deploy"], message: "tccert: deploy needs the id of the certificate whose resources move to its renewal, e.g. `tccert deploy <id> --resource-types clb,cdn`, or --drifted to move every drifted resource." },
  ];
  for (const c of cases) {
    it(`${c.argv.join(" ")}: exit 64 before any call`, async () => {
      const before = w.totalCalls();
      const r = await w.run(c.argv);
      expect(r.code).toBe(64);
      expect(r.stderr).toBe(`${c.message}\n`);
      expect(w.totalCalls()).toBe(before);
    });
  }
});
