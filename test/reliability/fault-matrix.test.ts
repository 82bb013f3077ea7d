/**
 * Fault matrix: every Tencent action a renewal uses × every fault the emulator can script, run
 * through the engine (in process, real SDK over HTTP) and through the built CLI (a child
 * process), under both emulator profiles (`default`, and `pessimistic`: Tencent's renewal link
 * late, one-sided, cleared after issue; a second renewal accepted and charged). The pessimistic
 * profile runs every CreateCertificateByPackage cell and a seeded sample of the others.
 * Each cell ends in one of two acceptable outcomes:
 *   (a) "completed": the renewal finished, paying exactly once;
 *   (b) "resumed": it stopped with a typed, resumable error (CLI: exit 2, or exit 1 whose JSON
 *       error says resumable), and a rerun completed without paying again. A stop on an unknown
 *       paid-call outcome (PaymentUnknown) with no charge anywhere is settled "later": the engine
 *       runs with a short quarantine; the CLI has no flag for it, so the operator's
 *       `tccert resolve <id> --not-paid` settles it (the console shows no charge).
 * Payment is counted from the benefit-package balance (an after-commit fault pays even though
 * its call is logged as failed) and from the ok-count of CreateCertificateByPackage.
 * Every cell also checks that the key we output matches the certificate, that no validation
 * record is left in DNSPod, and that the scripted fault did fire.
 *
 * One emulator for the whole matrix; each cell has its own account (faults are scoped to it),
 * certificate, state dir and output dir, so cells run concurrently.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type FaultRule, type RunningEmulator } from "../../emulator";
import type { EngineDeps } from "../../engine/deps";
import { isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import { createTencentApis } from "../../tencent";
import { PROFILES, type Profile } from "./audit";
import { callsOf, cellAccount, markdownTable, pointsPaid, pool, prng, recordsLeft, runCli, seedCell, tempDir, type CellAccount } from "./support";

type Service = "ssl" | "dnspod";
/** Every action the engine's renewal (with deploy) calls; checked against the call log below. */
const ACTIONS: readonly [Service, string][] = [
  ["ssl", "DescribeCertificateDetail"],
  ["ssl", "DescribePackages"],
  // The evidence search before paying (certificates for the same domains, OriginCertificateId).
  ["ssl", "DescribeCertificates"],
  ["ssl", "CreateCertificateByPackage"],
  ["ssl", "CertificateOrderSubmit"],
  ["ssl", "CompleteCertificate"],
  // The account's DNSPod zones: a validation record's zone is the longest suffix among them.
  ["dnspod", "DescribeDomainList"],
  ["dnspod", "DescribeRecordList"],
  ["dnspod", "CreateRecord"],
  ["dnspod", "DeleteRecord"],
  ["ssl", "UpdateCertificateInstance"],
  ["ssl", "DescribeHostUpdateRecordDetail"],
  // The chain, when CertificatePublicKey carries the leaf only (pessimistic `chainInPublicKey: false`).
  ["ssl", "DownloadCertificate"],
];

/** Actions only one profile's renewal calls. */
const ONLY_IN: Readonly<Record<string, Profile>> = { DownloadCertificate: "pessimistic" };
const actionsOf = (p: Profile) => ACTIONS.filter(([, a]) => (ONLY_IN[a] ?? p) === p);

type FaultSpec = { readonly label: string; readonly rule: Omit<FaultRule, "action" | "service" | "accountId" | "times"> & Record<string, unknown>; readonly timeoutSeconds?: number };

/** The engine runs the SDK with a 1 s timeout, so 1.5 s of latency is a timeout. */
const ENGINE_TIMEOUT_SECONDS = 1;
const FAULTS: readonly FaultSpec[] = [
  { label: "error InternalError", rule: { kind: "error", code: "InternalError" } },
  { label: "error RequestLimitExceeded", rule: { kind: "error", code: "RequestLimitExceeded" } },
  { label: "error-after-commit", rule: { kind: "error-after-commit", code: "InternalError" } },
  { label: "latency 1.5 s", rule: { kind: "latency", ms: 1500 } },
  { label: "reset", rule: { kind: "reset" } },
  { label: "reset afterCommit", rule: { kind: "reset", afterCommit: true } },
  { label: "non-json", rule: { kind: "non-json" } },
  { label: "non-json afterCommit", rule: { kind: "non-json", afterCommit: true } },
  { label: "http-500", rule: { kind: "http-500" } },
  { label: "http-500 afterCommit", rule: { kind: "http-500", afterCommit: true } },
];

type Surface = "engine" | "cli";
interface CellResult {
  readonly profile: Profile;
  readonly surface: Surface;
  readonly action: string;
  readonly fault: string;
  /** "completed", "resumed", or "DEFECT: …". */
  readonly outcome: string;
  /** How the first run stopped, when it did. */
  readonly firstStop: string;
  readonly points: number;
  readonly paidOk: number;
  /** CreateCertificateByPackage calls sent, any outcome. */
  readonly paidSent: number;
  readonly keyMatches: boolean;
  readonly recordsLeft: number;
  readonly faultFired: boolean;
  readonly ms: number;
}

let emu: RunningEmulator;
/** The profile of the emulator the cells now run against (the describe blocks run one after the other). */
let profile: Profile = "default";
const results: CellResult[] = [];
let cellNo = 0;
/** The engine's quarantine of an unknown paid-call outcome with no evidence at all (30 min by default). */
const QUARANTINE_MS = 2000;

afterAll(() => {
  const order = (r: CellResult) => ACTIONS.findIndex(([, a]) => a === r.action) * 100 + FAULTS.findIndex((f) => f.label === r.fault);
  const sorted = [...results].sort((a, b) => order(a) - order(b) || a.surface.localeCompare(b.surface));
  const rows = ACTIONS.flatMap(([, action]) =>
    FAULTS.map((f) => {
      const cell = (p: Profile, s: Surface) => {
        const r = sorted.find((x) => x.profile === p && x.surface === s && x.action === action && x.fault === f.label);
        if (!r) return (ONLY_IN[action] ?? p) !== p ? "(not called)" : p === "pessimistic" ? "(not sampled)" : "not run";
        return `${r.outcome}${r.firstStop ? ` (${r.firstStop})` : ""}, paid ${r.points}, sent ${r.paidSent}`;
      };
      return [action, f.label, ...PROFILES.flatMap((p) => [cell(p, "engine"), cell(p, "cli")])];
    }),
  );
  const table = markdownTable(["action", "fault", ...PROFILES.flatMap((p) => [`engine (${p})`, `CLI (${p})`])], rows);
  const summary = (p: Profile, s: Surface) => {
    const mine = results.filter((r) => r.profile === p && r.surface === s);
    return `${p} / ${s}: ${mine.length} cells, ${mine.filter((r) => r.outcome === "completed").length} completed, ${mine.filter((r) => r.outcome.startsWith("resumed")).length} resumed after a resumable stop, ${mine.filter((r) => r.outcome.startsWith("DEFECT")).length} defects; payments per cell: ${[...new Set(mine.map((r) => r.points))].join(", ")}; paid calls sent per lineage (max): ${Math.max(0, ...mine.map((r) => r.paidSent))}; lineages with 2+ paid calls sent: ${mine.filter((r) => r.paidSent >= 2).length}; outputs without a matching key: ${mine.filter((r) => !r.keyMatches).length}`;
  };
  const text = [
    "# Fault matrix (generated by test/reliability/fault-matrix.test.ts; do not edit)",
    "",
    "Each cell: `completed` = the first run finished; `resumed` = it stopped with a typed resumable error (shown in brackets) and a rerun finished; `resumed later` = the rerun at once stopped again on the unknown paid-call outcome and a run after the quarantine (engine, " +
      `${QUARANTINE_MS / 1000} s) or after \`tccert resolve --not-paid\` (CLI: no flag shortens its 30-minute quarantine) finished. \`paid\` = benefit points consumed (1 = exactly one renewal bought); \`sent\` = CreateCertificateByPackage calls sent, any outcome.`,
    `The engine runs with a ${ENGINE_TIMEOUT_SECONDS} s SDK timeout, so its latency cells time out; the CLI keeps its 60 s timeout (no flag shrinks it), so there the latency is only slow.`,
    `Profile \`pessimistic\` runs every CreateCertificateByPackage cell and ${PESSIMISTIC_SAMPLE} other cells drawn with seed ${SAMPLE_SEED}.`,
    "",
    table,
    "",
    ...PROFILES.flatMap((p) => [summary(p, "engine"), "", summary(p, "cli"), ""]),
  ].join("\n");
  console.log(text);
  if (results.length === CELLS.length * 2 + PESSIMISTIC_CELLS.length * 2) fs.writeFileSync(path.join(__dirname, "fault-matrix.md"), text);
});

function ruleFor(service: Service, action: string, account: CellAccount, f: FaultSpec): FaultRule {
  return { ...f.rule, service, action, accountId: account.accountId, times: 1 } as FaultRule;
}

function faultFired(account: CellAccount): boolean {
  return emu.admin.faults().every((f) => f.rule.accountId !== account.accountId);
}

function keyMatches(certificatePem: string, privateKeyPem: string): boolean {
  try {
    return new crypto.X509Certificate(certificatePem).checkPrivateKey(crypto.createPrivateKey(privateKeyPem));
  } catch {
    return false;
  }
}

function engineDeps(account: CellAccount, stateDir: string): EngineDeps {
  const credentials = { secretId: account.secretId, secretKey: account.secretKey };
  const retry = { retries: 5, baseDelayMs: 5, maxDelayMs: 40 };
  const base = createEngineDeps({ endpoint: emu.url, credentials, stateDir, env: {}, polling: { fastMs: 20, slowMs: 100, fastWindowMs: 500, waitingEventEveryMs: 200, paidCallGraceMs: 3000, paymentQuarantineMs: QUARANTINE_MS }, retry });
  // Build the adapter directly: a short SDK timeout, and no client-side rate limits (cells share
  // one process; the emulator does not throttle), which the runtime does not expose.
  const apis = createTencentApis({ credentials, endpoint: emu.url, env: {}, retry, timeoutSeconds: ENGINE_TIMEOUT_SECONDS, rateLimit: { sslPerSecond: 1000, dnspodPerSecond: 1000 } });
  return { ...base, ssl: apis.ssl, dns: apis.dns };
}

/** The cells' certificates are TrustAsia DV (see seedCell), a product whose PID is named explicitly. */
const PRODUCT_PID = 1018584;
const OPTIONS = { key: { source: "local", algorithm: "EC_P256" }, payment: { productPid: PRODUCT_PID }, deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }], waitTimeoutMinutes: 0.5 } as const;

/** What a cell found: the run's outcome plus what the emulator shows for the cell's account. */
function cellResult(
  surface: Surface,
  action: string,
  f: FaultSpec,
  account: CellAccount,
  run: { outcome: string; firstStop: string; keyMatches: boolean; started: number },
): CellResult {
  return {
    profile,
    surface,
    action,
    fault: f.label,
    outcome: run.outcome,
    firstStop: run.firstStop,
    points: pointsPaid(emu, account.accountId),
    paidOk: callsOf(emu, account.accountId, "CreateCertificateByPackage"),
    paidSent: callsOf(emu, account.accountId, "CreateCertificateByPackage", false),
    keyMatches: run.keyMatches,
    recordsLeft: recordsLeft(emu, account.accountId),
    faultFired: faultFired(account),
    ms: Date.now() - run.started,
  };
}

async function engineCell(service: Service, action: string, f: FaultSpec): Promise<CellResult> {
  const started = Date.now();
  const id = `fmE${++cellNo}`;
  const account = cellAccount(`fault-engine-${action}-${f.label}`);
  seedCell(emu, id, account);
  const stateDir = tempDir("fm-engine");
  emu.admin.addFault(ruleFor(service, action, account, f));
  const deps = engineDeps(account, stateDir);
  const opts = resolveOptions({ certificateId: id, ...OPTIONS });
  let firstStop = "";
  let outcome = "completed";
  let result = await ensureRenewed(deps, opts).catch((e: unknown) => e);
  if (!(result && typeof result === "object" && "certificatePem" in result)) {
    const e = result;
    if (!isRenewalError(e)) outcome = `DEFECT: untyped error ${String(e)}`;
    else if (!e.resumable) outcome = `DEFECT: non-resumable ${e.kind}: ${e.message}`;
    else outcome = "resumed";
    firstStop = isRenewalError(e) ? e.kind : "untyped";
    result = await ensureRenewed(deps, opts).catch((x: unknown) => x);
    if (isRenewalError(result) && result.kind === "PaymentUnknown") {
      // Later: past the quarantine (no evidence of a charge) or the link delay (evidence shows up).
      await new Promise((r) => setTimeout(r, QUARANTINE_MS + 200));
      emu.admin.advanceClock(emu.admin.rules().rules.linkDelaySeconds + 1);
      outcome = "resumed later";
      result = await ensureRenewed(deps, opts).catch((x: unknown) => x);
    }
    if (!(result && typeof result === "object" && "certificatePem" in result))
      outcome = `DEFECT: the rerun failed too: ${isRenewalError(result) ? `${result.kind}: ${result.message}` : String(result)}`;
  }
  const r = result as { certificatePem?: string; privateKeyPem?: string };
  fs.rmSync(stateDir, { recursive: true, force: true });
  const matches = r.certificatePem !== undefined && keyMatches(r.certificatePem, r.privateKeyPem ?? "");
  return cellResult("engine", action, f, account, { outcome, firstStop, keyMatches: matches, started });
}

interface CliReport {
  results?: { id: string; ok: boolean; certificateId?: string; hasPrivateKey?: boolean; files?: string[]; error?: { kind: string; resumable: boolean; message: string } }[];
  error?: { kind: string; resumable: boolean; message: string };
}

function parseReport(stdout: string): CliReport | null {
  const start = stdout.indexOf("{");
  if (start < 0) return null;
  try {
    return JSON.parse(stdout.slice(start)) as CliReport;
  } catch {
    return null;
  }
}

async function cliCell(service: Service, action: string, f: FaultSpec): Promise<CellResult> {
  const started = Date.now();
  const id = `fmC${++cellNo}`;
  const account = cellAccount(`fault-cli-${action}-${f.label}`);
  seedCell(emu, id, account);
  const dir = tempDir("fm-cli");
  const env = { TENCENTCLOUD_SECRET_ID: account.secretId, TENCENTCLOUD_SECRET_KEY: account.secretKey };
  const argv = ["--json", "--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", id, "--key-algorithm", "EC_P256", "--product-pid", String(PRODUCT_PID), "--deploy", "clb", "--region", "ap-guangzhou", "--wait-timeout-minutes", "1", "--out", path.join(dir, "out")];
  emu.admin.addFault(ruleFor(service, action, account, f));
  let run = await runCli(argv, env, { cwd: dir });
  let report = parseReport(run.stdout);
  let outcome = "completed";
  let firstStop = "";
  const errorOf = (rep: CliReport | null) => rep?.results?.[0]?.error ?? rep?.error;
  if (run.code !== 0) {
    const err = errorOf(report);
    firstStop = `exit ${run.code}${err ? ` ${err.kind}` : ""}`;
    if (run.code === 2 || (run.code === 1 && err?.resumable === true)) outcome = "resumed";
    else outcome = `DEFECT: exit ${run.code}, not resumable: ${err ? `${err.kind}: ${err.message}` : run.stderr.slice(0, 300)}`;
    run = await runCli([...argv, "--ignore-backoff"], env, { cwd: dir });
    report = parseReport(run.stdout);
    if (run.code === 2 && errorOf(report)?.kind === "PaymentUnknown") {
      // Later: the link delay passed; with no charge anywhere, the operator settles it from the console.
      emu.admin.advanceClock(emu.admin.rules().rules.linkDelaySeconds + 1);
      if (pointsPaid(emu, account.accountId) === 0)
        await runCli(["--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "resolve", id, "--not-paid"], env, { cwd: dir });
      outcome = "resumed later";
      run = await runCli([...argv, "--ignore-backoff"], env, { cwd: dir });
      report = parseReport(run.stdout);
    }
    if (run.code !== 0) outcome = `DEFECT: the rerun exited ${run.code}: ${errorOf(report)?.message ?? run.stderr.slice(0, 300)}`;
  }
  const done = report?.results?.[0];
  let matches = false;
  if (done?.ok && done.certificateId) {
    const base = path.join(dir, "out", done.certificateId);
    const cert = fs.readFileSync(path.join(base, "cert.pem"), "utf8");
    matches = done.hasPrivateKey === true && keyMatches(cert, fs.readFileSync(path.join(base, "privkey.pem"), "utf8"));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return cellResult("cli", action, f, account, { outcome, firstStop, keyMatches: matches, started });
}

function expectCell(r: CellResult): void {
  const where = `${r.profile}: ${r.surface} × ${r.action} × ${r.fault}`;
  expect.soft(r.outcome, where).toMatch(/^(completed|resumed|resumed later)$/);
  expect.soft(r.points, `${where}: benefit points paid`).toBe(1);
  expect.soft(r.paidOk, `${where}: ok CreateCertificateByPackage calls`).toBeLessThanOrEqual(1);
  // Sent, whatever the answer: a call proven not executed (throttled, never left) may be sent again.
  // A second send only where the fault stopped the first one before Tencent executed it.
  const firstNotExecuted = r.action === "CreateCertificateByPackage" && !/after-commit|afterCommit|latency/.test(r.fault);
  expect.soft(r.paidSent, `${where}: CreateCertificateByPackage calls sent`).toBeLessThanOrEqual(firstNotExecuted ? 2 : 1);
  expect.soft(r.keyMatches, `${where}: the key output matches the certificate`).toBe(true);
  expect.soft(r.recordsLeft, `${where}: validation records left in DNSPod`).toBe(0);
  expect.soft(r.faultFired, `${where}: the scripted fault fired`).toBe(true);
}

const cellsOf = (p: Profile) => actionsOf(p).flatMap(([service, action]) => FAULTS.map((f) => [service, action, f] as const));
const CELLS = cellsOf("default");
/** Pessimistic: every paid-call cell, plus a seeded sample of the others. */
const PESSIMISTIC_SAMPLE = 24;
const SAMPLE_SEED = 0xfa017;
const PESSIMISTIC_CELLS = (() => {
  const all = cellsOf("pessimistic");
  const paid = all.filter(([, action]) => action === "CreateCertificateByPackage");
  const others = all.filter(([, action]) => action !== "CreateCertificateByPackage");
  const random = prng(SAMPLE_SEED);
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [others[i], others[j]] = [others[j]!, others[i]!];
  }
  return [...paid, ...others.slice(0, PESSIMISTIC_SAMPLE)];
})();
const CELLS_OF: Record<Profile, typeof CELLS> = { default: CELLS, pessimistic: PESSIMISTIC_CELLS };

describe.each(PROFILES)("fault matrix, emulator profile %s: each action × each fault, the renewal completes or resumes, paying once", (p) => {
  beforeAll(async () => {
    profile = p;
    emu = await startEmulator({ port: 0, throttle: false, profile: p, log: () => undefined });
    emu.admin.setIssuanceDelay(0);
    emu.admin.setDeploySecondsPerResource(0);
  });
  afterAll(async () => {
    await emu.close();
  });

  it("the matrix covers every action a renewal with deploy calls", async () => {
    const account = cellAccount(`fault-coverage-${p}`);
    seedCell(emu, "fmCover", account);
    const dir = tempDir("fm-cover");
    await ensureRenewed(engineDeps(account, dir), resolveOptions({ certificateId: "fmCover", ...OPTIONS }));
    fs.rmSync(dir, { recursive: true, force: true });
    const used = new Set(emu.admin.calls().calls.filter((c) => c.accountId === account.accountId).map((c) => c.action));
    expect([...used].sort()).toEqual(actionsOf(p).map(([, a]) => a).sort());
  });

  it("through the engine", async () => {
    const cells = await pool(CELLS_OF[p], 8, ([service, action, f]) => engineCell(service, action, f));
    results.push(...cells);
    for (const r of cells) expectCell(r);
  });

  it("through the CLI (node dist/cli/main.js renew)", async () => {
    const cells = await pool(CELLS_OF[p], 4, ([service, action, f]) => cliCell(service, action, f));
    results.push(...cells);
    for (const r of cells) expectCell(r);
  });
});

/** The regression blocks' emulator: default profile, instant issuance and deployment. */
function withDefaultEmulator(): void {
  beforeAll(async () => {
    profile = "default";
    emu = await startEmulator({ port: 0, throttle: false, log: () => undefined });
    emu.admin.setIssuanceDelay(0);
    emu.admin.setDeploySecondsPerResource(0);
  });
  afterAll(async () => {
    await emu.close();
  });
}

describe("regressions found by the fault matrix", () => {
  withDefaultEmulator();

  it.each(["error-after-commit", "reset afterCommit"])(
    "regression: a DNSPod validation record whose CreateRecord answer was lost (%s) was never removed",
    async (label) => {
      const f = FAULTS.find((x) => x.label === label)!;
      const account = cellAccount(`regression-record-${label}`);
      seedCell(emu, `fmReg${label.length}`, account);
      emu.admin.addFault(ruleFor("dnspod", "CreateRecord", account, f));
      const dir = tempDir("fm-reg");
      const result = await ensureRenewed(engineDeps(account, dir), resolveOptions({ certificateId: `fmReg${label.length}`, ...OPTIONS }));
      fs.rmSync(dir, { recursive: true, force: true });
      expect(result.outcome).toBe("renewed");
      expect(faultFired(account)).toBe(true);
      // The record DNSPod created was found, journaled and removed with the others.
      expect(callsOf(emu, account.accountId, "CreateRecord", false)).toBe(1);
      expect(recordsLeft(emu, account.accountId)).toBe(0);
    },
  );
});

describe("regressions found by probing longer outages", () => {
  withDefaultEmulator();

  it.each([
    ["ssl", "CertificateOrderSubmit"],
    ["dnspod", "CreateRecord"],
    ["ssl", "UpdateCertificateInstance"],
  ] as const)(
    "regression: an outage of %s.%s after payment ended in a non-resumable error without the paid order's id",
    async (service, action) => {
      const account = cellAccount(`regression-outage-${action}`);
      const id = `fmOut${action.length}`;
      seedCell(emu, id, account);
      // 12 failures: more than one run tolerates (retries, then 8 transient failures), fewer than two.
      emu.admin.addFault({ service, action, accountId: account.accountId, kind: "http-500", times: 12 });
      const dir = tempDir("fm-outage");
      const deps = engineDeps(account, dir);
      const opts = resolveOptions({ certificateId: id, ...OPTIONS });
      const e = await ensureRenewed(deps, opts).catch((x: unknown) => x);
      expect(isRenewalError(e) && { kind: e.kind, resumable: e.resumable }).toEqual({ kind: "TencentApi", resumable: true });
      expect((e as { newCertificateId: string }).newCertificateId).not.toBe("");
      expect((e as Error).message).toMatch(/HTTP 500 .* is paid and kept: rerun to resume it; nothing is paid again\.$/);
      const result = await ensureRenewed(deps, opts);
      fs.rmSync(dir, { recursive: true, force: true });
      expect(result.certificateId).toBe((e as { newCertificateId: string }).newCertificateId);
      expect(pointsPaid(emu, account.accountId)).toBe(1);
      expect(faultFired(account)).toBe(true);
      expect(recordsLeft(emu, account.accountId)).toBe(0);
    },
  );
});
