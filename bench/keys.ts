/**
 * P5: RSA-2048 key + CSR through our KeyFactory vs `openssl req -newkey`,
 * measured in the same run (N of each, median). Goal: ours ≤ 1.5× openssl.
 *
 *   npm run build && node dist/bench/keys.js [N]
 *
 * The openssl figure includes spawning the process, as a user's shell script
 * would pay it; ours runs in-process. RSA prime search is random, so medians
 * over N≈10 still wobble by tens of percent between runs.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createKeyFactory } from "../crypto";

export const GOAL_RATIO = 1.5;

export interface KeysBenchResult {
  readonly runs: number;
  /** Median ms for generateKey("RSA_2048") + createCsr through our KeyFactory. */
  readonly oursMedianMs: number;
  /** Median ms for one `openssl req -newkey rsa:2048` process; null when openssl is missing. */
  readonly opensslMedianMs: number | null;
  /** ours / openssl; null when openssl is missing. */
  readonly ratio: number | null;
  readonly goalRatio: number;
  readonly meetsGoal: boolean | null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? Number.NaN;
  const lo = sorted[mid - 1] ?? hi;
  return sorted.length % 2 === 1 ? hi : (lo + hi) / 2;
}

/** Runs openssl once; resolves its wall time, or null when openssl cannot be started. */
function opensslOnce(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=x", "-keyout", "-", "-out", "-"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") resolve(null);
      else reject(err);
    });
    child.on("close", (code) => {
      if (code !== 0 || bytes === 0) reject(new Error(`bench: openssl req exited with ${String(code)}`));
      else resolve(performance.now() - start);
    });
  });
}

async function oursOnce(): Promise<number> {
  const factory = createKeyFactory();
  const start = performance.now();
  const key = await factory.generateKey("RSA_2048");
  const csr = await factory.createCsr(key, "x.example.com", []);
  const ms = performance.now() - start;
  if (!csr.includes("BEGIN CERTIFICATE REQUEST")) throw new Error("bench: no CSR produced");
  return ms;
}

export async function run(runs = 10): Promise<KeysBenchResult> {
  await oursOnce(); // warm up forge's code paths once, as a long-lived process would be
  const ours: number[] = [];
  const openssl: number[] = [];
  let opensslMissing = false;
  // Interleave so both see the same machine load.
  for (let i = 0; i < runs; i++) {
    ours.push(await oursOnce());
    if (!opensslMissing) {
      const ms = await opensslOnce();
      if (ms === null) opensslMissing = true;
      else openssl.push(ms);
    }
  }
  const oursMedianMs = median(ours);
  const opensslMedianMs = opensslMissing ? null : median(openssl);
  const ratio = opensslMedianMs === null ? null : oursMedianMs / opensslMedianMs;
  return { runs, oursMedianMs, opensslMedianMs, ratio, goalRatio: GOAL_RATIO, meetsGoal: ratio === null ? null : ratio <= GOAL_RATIO };
}

export function report(r: KeysBenchResult): string {
  const lines = [
    `keys: RSA-2048 key + CSR, median of ${r.runs}`,
    `  ours (KeyFactory, forge → native keygen):  ${r.oursMedianMs.toFixed(1)} ms`,
  ];
  if (r.opensslMedianMs === null || r.ratio === null) {
    lines.push("  openssl req -newkey rsa:2048: openssl not found on PATH; ratio skipped");
  } else {
    lines.push(`  openssl req -newkey rsa:2048 (spawned):    ${r.opensslMedianMs.toFixed(1)} ms`);
    lines.push(`  ratio ours/openssl: ${r.ratio.toFixed(2)}×   goal ≤ ${r.goalRatio}×   ${r.meetsGoal === true ? "MET" : "NOT MET"}`);
  }
  return lines.join("\n");
}

if (require.main === module) {
  const arg = Number(process.argv[2] ?? "10");
  run(Number.isInteger(arg) && arg > 0 ? arg : 10)
    .then((r) => console.log(report(r)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
