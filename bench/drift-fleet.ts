/**
 * `tccert scan --deployments` on a fleet (issue 17), against the embedded emulator with its
 * per-action throttle on (10 req/s for SSL, as Tencent documents), the CLI in a child process as a
 * pipeline runs it:
 *
 *  - 1,000 paid certificates: 500 lineages, each an old certificate and its issued renewal;
 *  - 5,000 bindings (CLB listeners in two regions, CDN domains): one lineage's renewal serves 160
 *    CDN domains (more than one 100-instance detail page), the rest spread over the others; in every
 *    tenth lineage one resource still serves the old certificate (49 drifted resources).
 *
 * Baseline, measured in the same run: the rate-limit floor, max over actions of calls ÷ 10 req/s
 * (the limits are per action). Goals:
 *  - calls ≤ 1 list page + ⌈1000/100⌉ task calls + ⌈1000/100⌉ × 4 result polls + one detail call per
 *    certificate with bindings plus one per extra page (550) = 601;
 *  - wall time ≤ 1.2 × the rate-limit floor (the detail calls dominate: ~55 s at 10 req/s);
 *  - exactly the seeded drift reported (49 resources), 5,000 bindings listed.
 *
 * Run: `npm run build && node dist/bench/drift-fleet.js`.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator, type SeedBoundResource, type SeedCertificate, type SeedSpec } from "../emulator";

const ACCOUNT = { accountId: "acct-drift", secretId: "AKIDDRIFTBENCH0000000000000000000001", secretKey: "drift-bench-secret-key-00000000000000001" };
const BIN = path.resolve(__dirname, "../cli/main.js");
const SSL_RATE = 10;
const LINEAGES = 500;
const BINDINGS = 5000;
const BIG = 160;

export const GOALS = { calls: 601, floorRatio: 1.2, drifted: 49 } as const;

export interface DriftFleetResult {
  readonly certificates: number;
  readonly bindings: number;
  readonly code: number;
  readonly seconds: number;
  readonly calls: number;
  readonly callsByAction: Record<string, number>;
  readonly floorSeconds: number;
  readonly ratio: number;
  readonly drifted: number;
  readonly listed: number;
  readonly meetsGoals: boolean;
}

function binding(k: number, lineage: number): SeedBoundResource {
  return k % 2 === 0
    ? { resourceType: "clb", region: k % 4 === 0 ? "ap-guangzhou" : "ap-shanghai", instanceId: `lb-${lineage}-${k % 3}`, listenerId: `lbl-${k}` }
    : { resourceType: "cdn", instanceId: `d${k}.h${lineage}.example.com`, domain: `d${k}.h${lineage}.example.com` };
}

/** 500 lineages (old → renewal), 5,000 bindings, 49 of them on an old certificate. */
export function seedDriftFleet(): SeedSpec {
  const onOld = new Map<number, SeedBoundResource[]>();
  const onNew = new Map<number, SeedBoundResource[]>();
  const push = (m: Map<number, SeedBoundResource[]>, l: number, r: SeedBoundResource) => m.set(l, [...(m.get(l) ?? []), r]);
  for (let k = 0; k < BIG; k++) push(onNew, 0, { resourceType: "cdn", instanceId: `big${k}.example.com`, domain: `big${k}.example.com` });
  for (let k = 0; k < BINDINGS - BIG; k++) {
    const lineage = 1 + (k % (LINEAGES - 1));
    const drifted = lineage % 10 === 0 && !onOld.has(lineage);
    push(drifted ? onOld : onNew, lineage, binding(k, lineage));
  }
  const certificates: SeedCertificate[] = [];
  for (let l = 0; l < LINEAGES; l++) {
    const old = `old${String(l).padStart(4, "0")}`;
    certificates.push({ accountId: ACCOUNT.accountId, certificateId: old, domain: `h${l}.example.com`, expiresInDays: 60, boundResources: onOld.get(l) ?? [] });
    certificates.push({ accountId: ACCOUNT.accountId, certificateId: `new${String(l).padStart(4, "0")}`, domain: `h${l}.example.com`, expiresInDays: 355, renewalOf: old, boundResources: onNew.get(l) ?? [] });
  }
  return { accounts: [ACCOUNT], certificates };
}

function runCli(argv: readonly string[], env: Record<string, string>, cwd: string): Promise<{ code: number; seconds: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { PATH: process.env["PATH"] ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, seconds: (performance.now() - start) / 1000, stdout, stderr }));
  });
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(options: { print?: boolean } = {}): Promise<DriftFleetResult> {
  const say = (s: string) => (options.print ?? true ? console.log(s) : undefined);
  const emu = await startEmulator({ port: 0, seed: seedDriftFleet(), throttle: true, log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-drift-fleet-"));
  try {
    const env = { TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey, TCCERT_ENDPOINT: emu.url, TCCERT_STATE_DIR: path.join(dir, "state") };
    emu.admin.resetCalls();
    const r = await runCli(["--json", "scan", "--deployments"], env, dir);
    if (r.code !== 2 && r.code !== 0) throw new Error(`bench: scan --deployments exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    const body = JSON.parse(r.stdout) as { driftedCount: number; lineages: { certificates: { resources: unknown[] }[] }[] };
    const listed = body.lineages.reduce((n, l) => n + l.certificates.reduce((m, c) => m + c.resources.length, 0), 0);
    const counts = emu.admin.calls().counts;
    const calls = Object.values(counts).reduce((a, b) => a + b, 0);
    const floorSeconds = Math.max(...Object.values(counts).map((n) => n / SSL_RATE));
    const ratio = r.seconds / floorSeconds;
    const meetsGoals = calls <= GOALS.calls && ratio <= GOALS.floorRatio && body.driftedCount === GOALS.drifted && listed === BINDINGS;
    const result = { certificates: LINEAGES * 2, bindings: BINDINGS, code: r.code, seconds: round(r.seconds), calls, callsByAction: counts, floorSeconds: round(floorSeconds), ratio: round(ratio), drifted: body.driftedCount, listed, meetsGoals };
    say(`scan --deployments of ${result.certificates} certificates with ${result.bindings} bindings (child process, emulator throttling SSL at ${SSL_RATE} req/s per action):`);
    say(`  exit ${r.code}; ${listed} bindings listed; ${result.drifted} drifted (seeded ${GOALS.drifted})`);
    say(`  calls ${calls} (goal ≤ ${GOALS.calls}): ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(", ")}`);
    say(`  took ${result.seconds} s; rate-limit floor (busiest action ÷ ${SSL_RATE}/s) ${result.floorSeconds} s → ratio ${result.ratio} (goal ≤ ${GOALS.floorRatio})`);
    say(`  → ${meetsGoals ? "meets goals" : "MISSES a goal"}`);
    return result;
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
