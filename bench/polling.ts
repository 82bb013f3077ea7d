/**
 * P2, the polling budget, against the embedded emulator through the real SDK, in simulated time
 * (bench/virtual-time.ts: the engine's clock and sleep drive the emulator's clock), so a 10-minute
 * CA delay takes a fraction of a second and every figure is deterministic.
 *
 * - Tencent calls in one whole DV renewal (no deployment) when the CA issues 2 s, 60 s and 10 min
 *   after validation. Goals: ≤ 16 at 60 s, ≤ 30 at 10 min.
 * - The lag from issuance (the emulator's issue time) to the engine's return, at each of those
 *   delays and at delays around them (×0.8 … ×1.3: the schedule is not tuned to one instant).
 *   Goal: median ≤ 10 s.
 * - N renewals at once in one process (`renew --all-due` with concurrency, several Pulumi
 *   resources): the peak polls per second of an action, against its rate limit. Goal: never
 *   above half the limit. The demand (what the schedules asked for) is shown beside it.
 *
 * Run: npm run build && node dist/bench/polling.js
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type CallRecord, type RunningEmulator } from "../emulator";
import type { EngineDeps } from "../engine/deps";
import { resolveOptions } from "../engine/options";
import { createPollBudget, type PollBudget } from "../engine/poll-budget";
import { ensureRenewed } from "../engine/renewal";
import { createEngineDeps } from "../runtime";
import { rateFor } from "../tencent";
import { virtualTime, type VirtualTime } from "./virtual-time";

const ACCOUNT = { accountId: "bench-poll", secretId: "AKIDBENCHPOLLING00000000000000000000", secretKey: "bench-polling-secret-key-0000000000" };

export const GOALS = { callsAt60s: 16, callsAt10min: 30, medianLagMs: 10_000, shareOfLimit: 0.5 } as const;
/** The CA delays measured, in seconds. */
export const DELAYS = [2, 60, 600] as const;
/** Delays around each nominal one (multipliers), for the lag. */
const SPREAD = [0.8, 0.9, 1, 1.1, 1.2, 1.3] as const;
/** The polled action. */
const POLLED = "DescribeCertificateDetail";

export interface DelayResult {
  readonly delaySeconds: number;
  /** Calls in the renewal at exactly this delay, and by action. */
  readonly calls: number;
  readonly byAction: Readonly<Record<string, number>>;
  /** Calls at the spread of delays around it (max). */
  readonly maxCallsInSpread: number;
  /** Lag from issuance to return at each delay of the spread, ms. */
  readonly lagsMs: readonly number[];
  readonly medianLagMs: number;
}

export interface ConcurrencyResult {
  readonly renewals: number;
  readonly limitPerSecond: number;
  readonly budgetPerSecond: number;
  /** Most polls granted in any one-second window. */
  readonly peakPolls: number;
  /** Most polls the schedules asked for in any one-second window (before the budget). */
  readonly peakDemand: number;
  readonly callsPerRenewal: number;
}

export interface PollingBenchResult {
  readonly delays: readonly DelayResult[];
  readonly overallMedianLagMs: number;
  readonly concurrency: ConcurrencyResult;
}

export interface PollingBench {
  readonly emu: RunningEmulator;
  readonly dir: string;
  deps(vt: VirtualTime, budget: PollBudget): EngineDeps;
  /** The runtime's own deps for this emulator, nothing replaced. */
  runtimeDeps(): EngineDeps;
  close(): Promise<void>;
}

/** An emulator seeded with `count` due DV certificates `poll0`…, and engines in simulated time. */
export async function startPollingBench(count: number): Promise<PollingBench> {
  const emu = await startEmulator({
    port: 0,
    throttle: false,
    log: () => undefined,
    seed: {
      accounts: [ACCOUNT],
      packages: [{ accountId: ACCOUNT.accountId, packageId: "pkg-poll", total: 100_000, balance: 100_000 }],
      zones: [{ accountId: ACCOUNT.accountId, zone: "example.com" }],
      certificates: Array.from({ length: count }, (_, i) => ({
        accountId: ACCOUNT.accountId,
        certificateId: `poll${i}`,
        domain: `p${i}.example.com`,
        certType: "DV" as const,
        expiresInDays: 10,
      })),
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-bench-poll-"));
  return {
    emu,
    dir,
    close: async () => {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    runtimeDeps: () => createEngineDeps({ endpoint: emu.url, credentials: ACCOUNT, stateDir: dir, env: {} }),
    deps: (vt, budget) => ({
      ...createEngineDeps({ endpoint: emu.url, credentials: ACCOUNT, stateDir: dir, env: {} }),
      clock: vt.clock,
      sleep: vt.sleep,
      pollBudget: budget,
    }),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The largest number of `times` (ms) in any window [t, t + 1000). */
export function peakPerSecond(times: readonly number[]): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i]! - s[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** The default budget of the polled action: half its limit (see runtime/index.ts). */
function defaultBudget(vt: VirtualTime): ReturnType<typeof createPollBudget> {
  return createPollBudget({ perSecond: (action) => rateFor("ssl", action) / 2, now: () => vt.now() });
}

export interface OneRenewal {
  readonly calls: number;
  readonly byAction: Record<string, number>;
  /** From issuance to the engine's return, ms. */
  readonly lagMs: number;
  /** The emulator's call log of this renewal. */
  readonly log: readonly CallRecord[];
}

/** One whole renewal of `id` with the CA issuing `delaySeconds` after validation: its calls and its lag. */
export async function renewOnce(b: PollingBench, id: string, delaySeconds: number): Promise<OneRenewal> {
  b.emu.admin.setIssuanceDelay(delaySeconds);
  b.emu.admin.resetCalls();
  const vt = virtualTime(b.emu);
  const [result] = await vt.run([() => ensureRenewed(b.deps(vt, defaultBudget(vt)), resolveOptions({ certificateId: id, key: { algorithm: "EC_P256" }, waitTimeoutMinutes: 60 }))]);
  const returnedAt = vt.now();
  const rec = b.emu.admin.inspectCertificate(result!.certificateId) as { dcvPassedAt?: string | null } | undefined;
  if (!rec?.dcvPassedAt) throw new Error(`bench: no dcvPassedAt on ${result!.certificateId}`);
  const { counts: byAction, calls: log } = b.emu.admin.calls();
  return { calls: Object.values(byAction).reduce((a, c) => a + c, 0), byAction, lagMs: returnedAt - (Date.parse(rec.dcvPassedAt) + delaySeconds * 1000), log };
}

/** `renewals` renewals at once (`poll<first>`…), the CA issuing 60 s after validation: the polls' peak rate. */
export async function concurrent(b: PollingBench, first: number, renewals: number): Promise<ConcurrencyResult> {
  b.emu.admin.setIssuanceDelay(60);
  b.emu.admin.resetCalls();
  const vt = virtualTime(b.emu);
  const limit = rateFor("ssl", POLLED);
  const inner = defaultBudget(vt);
  const asked: number[] = [];
  const granted: number[] = [];
  // The slot the budget grants each poll (the emulator's own timestamps also carry the real time
  // spent on the work in between, which simulated time does not count).
  const budget: PollBudget = {
    async take(action, sleep, signal) {
      const now = vt.now();
      const waitMs = inner.reserve(action);
      if (action === POLLED) {
        asked.push(now);
        granted.push(now + waitMs);
      }
      if (waitMs > 0) await sleep(waitMs, signal);
    },
  };
  const ids = Array.from({ length: renewals }, (_, i) => `poll${first + i}`);
  await vt.run(ids.map((id) => () => ensureRenewed(b.deps(vt, budget), resolveOptions({ certificateId: id, key: { algorithm: "EC_P256" }, waitTimeoutMinutes: 60 }))));
  const total = Object.values(b.emu.admin.calls().counts).reduce((a, c) => a + c, 0);
  return { renewals, limitPerSecond: limit, budgetPerSecond: limit / 2, peakPolls: peakPerSecond(granted), peakDemand: peakPerSecond(asked), callsPerRenewal: total / renewals };
}

export async function run(options: { renewals?: number } = {}): Promise<PollingBenchResult> {
  const renewals = options.renewals ?? 40;
  const b = await startPollingBench(DELAYS.length * SPREAD.length + renewals);
  try {
    let n = 0;
    const delays: DelayResult[] = [];
    for (const d of DELAYS) {
      const runs = [];
      for (const m of SPREAD) runs.push({ m, ...(await renewOnce(b, `poll${n++}`, Math.round(d * m * 10) / 10)) });
      const exact = runs.find((r) => r.m === 1)!;
      const lagsMs = runs.map((r) => r.lagMs);
      delays.push({ delaySeconds: d, calls: exact.calls, byAction: exact.byAction, maxCallsInSpread: Math.max(...runs.map((r) => r.calls)), lagsMs, medianLagMs: median(lagsMs) });
    }
    const concurrency = await concurrent(b, n, renewals);
    return { delays, overallMedianLagMs: median(delays.flatMap((d) => d.lagsMs)), concurrency };
  } finally {
    await b.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function report(r: PollingBenchResult): string {
  const lines = [`P2 polling, simulated time (emulator clock); lags at ×${SPREAD.join(", ×")} of each delay`];
  for (const d of r.delays) {
    const goal = d.delaySeconds === 60 ? GOALS.callsAt60s : d.delaySeconds === 600 ? GOALS.callsAt10min : null;
    lines.push(
      `CA ${String(d.delaySeconds).padStart(3)} s: ${d.calls} calls${goal ? ` (goal ≤ ${goal}; ${(d.calls / goal).toFixed(2)}×)` : ""}, at most ${d.maxCallsInSpread} around it; ` +
        `lag median ${s(d.medianLagMs)} [${d.lagsMs.map(s).join(", ")}]`,
      `          ${Object.entries(d.byAction).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    );
  }
  const c = r.concurrency;
  lines.push(
    `median lag over all: ${s(r.overallMedianLagMs)} (goal ≤ ${s(GOALS.medianLagMs)}; ${(r.overallMedianLagMs / GOALS.medianLagMs).toFixed(2)}×)`,
    `${c.renewals} renewals at once, CA 60 s: ${POLLED} polls peak ${c.peakPolls}/s (budget ${c.budgetPerSecond}/s, limit ${c.limitPerSecond}/s: ${(c.peakPolls / c.limitPerSecond).toFixed(2)}× the limit, goal ≤ ${GOALS.shareOfLimit}×); ` +
      `the schedules asked for up to ${c.peakDemand}/s; ${c.callsPerRenewal.toFixed(1)} calls per renewal`,
  );
  return lines.join("\n");
}

if (require.main === module) {
  run().then(
    (r) => console.log(report(r)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
