/**
 * The CLI on a fleet, against the embedded emulator (the CLI runs in a child
 * process, as a pipeline runs it, so its wall time and peak RSS are its own):
 *
 *  1. P3 scan: `tccert scan --json` of an account seeded with 5,000 paid
 *     certificates. Goals: ≤ 6 list calls (DescribeCertificates, read from the
 *     emulator's call log), ≤ 3 s wall time, ≤ 200 MB peak RSS.
 *  2. `tccert renew --all-due` of N due certificates (default 200) with the
 *     emulator throttling every SSL action at 10 req/s. Baseline, measured in the
 *     same run: the rate-limit floor, the least time those very calls can take:
 *       - as the issue defines it: all SSL calls ÷ 10 req/s;
 *       - per action (the emulator's buckets are per action, so actions overlap):
 *         max over actions of calls ÷ rate.
 *     Goal: within 1.2× of the floor, with 0 throttling errors surfaced (results
 *     with an error). Throttled answers the adapter absorbed are reported too.
 *     `--concurrency` defaults to the CLI's own default, 4.
 *
 * Run: `npm run build && node dist/bench/fleet.js [--certificates 5000] [--renewals 200] [--concurrency 4]`
 * or `node -e 'require("./dist/bench/fleet").run()'`.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator, type SeedSpec } from "../emulator";

const ACCOUNT = { accountId: "acct-fleet", secretId: "AKIDFLEETBENCH0000000000000000000001", secretKey: "fleet-bench-secret-key-00000000000000001" };
const BIN = path.resolve(__dirname, "../cli/main.js");
const SSL_RATE = 10;

export const GOALS = { scanListCalls: 6, scanSeconds: 3, scanRssMb: 200, renewRatio: 1.2 } as const;

export interface ChildFigures {
  readonly code: number;
  readonly seconds: number;
  /** Peak resident set size of the CLI process, in MB; null when it could not be measured. */
  readonly peakRssMb: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FleetBenchResult {
  readonly scan: {
    readonly certificates: number;
    readonly listCalls: number;
    readonly otherCalls: number;
    readonly seconds: number;
    readonly peakRssMb: number | null;
    readonly rows: number;
    readonly meetsGoals: boolean;
  };
  readonly renew: {
    readonly certificates: number;
    readonly concurrency: number;
    readonly seconds: number;
    readonly peakRssMb: number | null;
    readonly renewed: number;
    readonly errorsSurfaced: number;
    readonly throttledAnswers: number;
    readonly sslCalls: number;
    readonly dnspodCalls: number;
    readonly callsByAction: Record<string, number>;
    /** All SSL calls ÷ 10 req/s. */
    readonly floorSeconds: number;
    /** max over actions of calls ÷ rate. */
    readonly perActionFloorSeconds: number;
    readonly ratio: number;
    readonly perActionRatio: number;
    readonly meetsGoal: boolean;
  } | null;
}

function seedFleet(count: number, dueCount: number, prefix: string): SeedSpec {
  const certificates = Array.from({ length: count }, (_, i) => ({
    accountId: ACCOUNT.accountId,
    certificateId: `${prefix}${String(i).padStart(5, "0")}`,
    domain: `h${i}.example.com`,
    certType: "DV" as const,
    // The first dueCount are due (inside 30 days); the rest are spread over the year.
    expiresInDays: i < dueCount ? 5 + (i % 20) : 40 + (i % 300),
  }));
  return {
    accounts: [ACCOUNT],
    certificates,
    packages: [{ accountId: ACCOUNT.accountId, packageId: "pkgFleet0001", total: 100_000, balance: 100_000 }],
    zones: [{ accountId: ACCOUNT.accountId, zone: "example.com" }],
  };
}

const TIME = "/usr/bin/time";

/** Runs the built CLI in a child process; peak RSS from GNU time when present. */
function runCli(argv: readonly string[], env: Record<string, string>, cwd: string): Promise<ChildFigures> {
  const useTime = fs.existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const args = useTime ? ["-f", "TCCERT_BENCH_MAXRSS_KB=%M", process.execPath, BIN, ...argv] : [BIN, ...argv];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env["PATH"] ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      const m = /TCCERT_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({
        code: code ?? -1,
        seconds,
        peakRssMb: m ? Number(m[1]) / 1024 : null,
        stdout,
        stderr: stderr.replace(/TCCERT_BENCH_MAXRSS_KB=\d+\n?/, ""),
      });
    });
  });
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export async function benchScan(certificates = 5000): Promise<FleetBenchResult["scan"]> {
  const emu = await startEmulator({ port: 0, seed: seedFleet(certificates, Math.min(50, certificates), "s"), throttle: true, log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-fleet-scan-"));
  try {
    const env = { TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey, TCCERT_ENDPOINT: emu.url, TCCERT_STATE_DIR: path.join(dir, "state") };
    emu.admin.resetCalls();
    const r = await runCli(["--json", "scan"], env, dir);
    if (r.code !== 2 && r.code !== 0) throw new Error(`bench: scan exited ${r.code}: ${r.stderr}`);
    const rows = (JSON.parse(r.stdout) as { certificates: unknown[] }).certificates.length;
    const counts = emu.admin.calls().counts;
    const listCalls = counts["ssl.DescribeCertificates"] ?? 0;
    const otherCalls = Object.values(counts).reduce((a, b) => a + b, 0) - listCalls;
    const meetsGoals = listCalls <= GOALS.scanListCalls && otherCalls === 0 && r.seconds <= GOALS.scanSeconds && (r.peakRssMb ?? Infinity) <= GOALS.scanRssMb;
    return { certificates, listCalls, otherCalls, seconds: round(r.seconds), peakRssMb: r.peakRssMb === null ? null : round(r.peakRssMb, 1), rows, meetsGoals };
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchRenew(count = 200, concurrency = 4): Promise<NonNullable<FleetBenchResult["renew"]>> {
  // A few certificates that are not due ride along, so --all-due has something to leave alone.
  const emu = await startEmulator({ port: 0, seed: seedFleet(count + 10, count, "r"), throttle: true, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-fleet-renew-"));
  try {
    const env = { TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey, TCCERT_ENDPOINT: emu.url, TCCERT_STATE_DIR: path.join(dir, "state") };
    emu.admin.resetCalls();
    const r = await runCli(["--json", "renew", "--all-due", "--concurrency", String(concurrency)], env, dir);
    const results = (JSON.parse(r.stdout || '{"results":[]}') as { results: { ok: boolean; outcome?: string }[] }).results;
    const snapshot = emu.admin.calls();
    const counts = snapshot.counts;
    const throttledAnswers = snapshot.calls.filter((c) => /RequestLimitExceeded|RateLimitExceeded|FrequencyLimit/.test(c.outcome)).length;
    const ssl = Object.entries(counts).filter(([k]) => k.startsWith("ssl."));
    const sslCalls = ssl.reduce((s, [, n]) => s + n, 0);
    const dnspodCalls = Object.entries(counts).filter(([k]) => k.startsWith("dnspod.")).reduce((s, [, n]) => s + n, 0);
    const floorSeconds = sslCalls / SSL_RATE;
    const perActionFloorSeconds = Math.max(...ssl.map(([, n]) => n / SSL_RATE));
    const errorsSurfaced = results.filter((x) => !x.ok).length;
    return {
      certificates: count,
      concurrency,
      seconds: round(r.seconds),
      peakRssMb: r.peakRssMb === null ? null : round(r.peakRssMb, 1),
      renewed: results.filter((x) => x.ok && x.outcome === "renewed").length,
      errorsSurfaced,
      throttledAnswers,
      sslCalls,
      dnspodCalls,
      callsByAction: counts,
      floorSeconds: round(floorSeconds),
      perActionFloorSeconds: round(perActionFloorSeconds),
      ratio: round(r.seconds / floorSeconds),
      perActionRatio: round(r.seconds / perActionFloorSeconds),
      meetsGoal: r.code === 0 && errorsSurfaced === 0 && r.seconds <= GOALS.renewRatio * floorSeconds,
    };
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** Runs both benchmarks and prints the figures. `renewals: 0` skips the renew run. */
export async function run(options: { certificates?: number; renewals?: number; concurrency?: number; print?: boolean } = {}): Promise<FleetBenchResult> {
  const print = options.print ?? true;
  const say = (s: string) => (print ? console.log(s) : undefined);
  const scan = await benchScan(options.certificates ?? 5000);
  say(`P3 scan of ${scan.certificates} certificates (child process):`);
  say(`  list calls ${scan.listCalls} (goal ≤ ${GOALS.scanListCalls}), other calls ${scan.otherCalls}, rows ${scan.rows}`);
  say(`  wall ${scan.seconds} s (goal ≤ ${GOALS.scanSeconds} s), peak RSS ${scan.peakRssMb ?? "n/a"} MB (goal ≤ ${GOALS.scanRssMb} MB) → ${scan.meetsGoals ? "meets goals" : "MISSES a goal"}`);
  const n = options.renewals ?? 200;
  let renew: FleetBenchResult["renew"] = null;
  if (n > 0) {
    renew = await benchRenew(n, options.concurrency ?? 4);
    say(`renew --all-due of ${renew.certificates} due certificates, emulator throttling SSL at ${SSL_RATE} req/s per action, --concurrency ${renew.concurrency} (child process):`);
    say(`  took ${renew.seconds} s; renewed ${renew.renewed}; errors surfaced ${renew.errorsSurfaced}; throttled answers absorbed ${renew.throttledAnswers}; peak RSS ${renew.peakRssMb ?? "n/a"} MB`);
    say(`  calls: ${renew.sslCalls} SSL, ${renew.dnspodCalls} DNSPod; ${Object.entries(renew.callsByAction).map(([k, v]) => `${k}=${v}`).join(", ")}`);
    say(`  floor (all SSL calls ÷ ${SSL_RATE}/s): ${renew.floorSeconds} s → ratio ${renew.ratio} (goal ≤ ${GOALS.renewRatio})`);
    say(`  per-action floor (busiest action ÷ ${SSL_RATE}/s): ${renew.perActionFloorSeconds} s → ratio ${renew.perActionRatio}`);
    say(`  → ${renew.meetsGoal ? "meets goal" : "MISSES the goal"}`);
  }
  return { scan, renew };
}

if (require.main === module) {
  run({ certificates: arg("certificates", 5000), renewals: arg("renewals", 200), concurrency: arg("concurrency", 4) }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
