/**
 * Renewal benchmarks against the embedded emulator, through the real SDK.
 *
 * P1: median lag from the moment the CA issues (emulator clock) to the moment
 *     the engine returns. Goal ≤ 10 s (issue 12 traded the earlier 2 s for the polling
 *     budget, bench/polling.ts), while long waits poll at most twice a minute.
 *     The lag is measured in real time with short issuance delays; the long-wait
 *     cadence is measured in simulated time (the engine's injected clock and sleep
 *     drive the emulator clock), so an hour of waiting takes a second.
 * P2: Tencent API calls in one whole DV renewal (no deployment), CA 2 s: context; the
 *     goals (60 s, 10 min) are measured by bench/polling.ts.
 *
 * Run: npm run build && node dist/bench/renewal.js
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import type { EngineDeps } from "../engine/deps";
import { resolveOptions } from "../engine/options";
import { ensureRenewed } from "../engine/renewal";
import { createEngineDeps } from "../runtime";

const ACCOUNT = { accountId: "bench", secretId: "AKIDBENCHRENEWAL000000000000000000000", secretKey: "bench-renewal-secret-key-00000000000" };

export interface RenewalBenchResult {
  readonly p1MedianLagMs: number;
  readonly p1LagsMs: readonly number[];
  readonly longWaitPollsPerMinute: number;
  readonly longWaitSimulatedMinutes: number;
  readonly p2Calls: number;
  readonly p2CallsByAction: Readonly<Record<string, number>>;
}

async function world(count: number): Promise<{ emu: RunningEmulator; dir: string; deps: (o?: Partial<EngineDeps>) => EngineDeps }> {
  const emu = await startEmulator({
    port: 0,
    throttle: false,
    log: () => undefined,
    seed: {
      accounts: [ACCOUNT],
      packages: [{ accountId: "bench", packageId: "pkg-bench", total: 1000, balance: 1000 }],
      zones: [{ accountId: "bench", zone: "example.com" }],
      certificates: Array.from({ length: count }, (_, i) => ({
        accountId: "bench",
        certificateId: `bench${i}`,
        domain: `b${i}.example.com`,
        certType: "DV" as const,
        expiresInDays: 10,
      })),
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-bench-"));
  const deps = (o: Partial<EngineDeps> = {}) => ({
    ...createEngineDeps({ endpoint: emu.url, credentials: ACCOUNT, stateDir: dir, env: {} }),
    ...o,
  });
  return { emu, dir, deps };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function run(options: { delaysSeconds?: readonly number[] } = {}): Promise<RenewalBenchResult> {
  const delays = options.delaysSeconds ?? [2, 3, 5, 8, 13];
  const w = await world(delays.length + 2);
  try {
    // P2: one whole DV renewal, default engine settings, issuance 2 s after validation.
    w.emu.admin.setIssuanceDelay(2);
    w.emu.admin.resetCalls();
    await ensureRenewed(w.deps(), resolveOptions({ certificateId: "bench0", key: { algorithm: "EC_P256" } }));
    const counts = w.emu.admin.calls().counts;
    const p2Calls = Object.values(counts).reduce((a, b) => a + b, 0);

    // P1: lag between issuance (emulator clock) and the engine's return, default polling.
    const lags: number[] = [];
    for (const [i, delay] of delays.entries()) {
      w.emu.admin.setIssuanceDelay(delay);
      const id = `bench${i + 1}`;
      const result = await ensureRenewed(w.deps(), resolveOptions({ certificateId: id, key: { algorithm: "EC_P256" } }));
      const returnedAt = w.emu.admin.now().getTime();
      const rec = w.emu.admin.inspectCertificate(result.certificateId) as { dcvPassedAt?: string | null } | undefined;
      if (!rec?.dcvPassedAt) throw new Error(`bench: no dcvPassedAt on ${result.certificateId}`);
      lags.push(returnedAt - (Date.parse(rec.dcvPassedAt) + delay * 1000));
    }

    // Long waits: issuance 3 h after validation, in simulated time.
    const issuanceSeconds = 3 * 3600;
    w.emu.admin.setIssuanceDelay(issuanceSeconds);
    let virtual = w.emu.admin.now().getTime();
    const start = virtual;
    w.emu.admin.resetCalls();
    await ensureRenewed(
      w.deps({
        clock: { now: () => new Date(virtual) },
        sleep: async (ms) => {
          virtual += ms;
          w.emu.admin.setClock(new Date(virtual));
        },
      }),
      resolveOptions({ certificateId: `bench${delays.length + 1}`, key: { algorithm: "EC_P256" }, waitTimeoutMinutes: 4 * 60 }),
    );
    const minutes = (virtual - start) / 60_000;
    // Steady state: polls between 10 minutes in and 5 minutes before the end (the first
    // minutes poll fast on purpose: the CA may issue any moment after validation).
    const from = start + 10 * 60_000;
    const to = virtual - 5 * 60_000;
    const polls = w.emu.admin
      .calls()
      .calls.filter((c) => c.action === "DescribeCertificateDetail" && Date.parse(c.time) >= from && Date.parse(c.time) < to).length;
    const longWaitPollsPerMinute = polls / ((to - from) / 60_000);
    return { p1MedianLagMs: median(lags), p1LagsMs: lags, longWaitPollsPerMinute, longWaitSimulatedMinutes: minutes, p2Calls, p2CallsByAction: counts };
  } finally {
    await w.emu.close();
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
}

export function report(r: RenewalBenchResult): string[] {
  return [
    `P1  median issue→return lag: ${(r.p1MedianLagMs / 1000).toFixed(2)} s (goal ≤ 10 s since issue 12's polling budget; ratio to goal ${(r.p1MedianLagMs / 10_000).toFixed(2)}×) — lags ${r.p1LagsMs.map((l) => (l / 1000).toFixed(2)).join(", ")} s`,
    `P1  long wait: ${r.longWaitPollsPerMinute.toFixed(2)} polls/min in steady state of a ${r.longWaitSimulatedMinutes.toFixed(0)}-minute simulated wait (goal ≤ 2/min)`,
    `P2  Tencent API calls in one whole DV renewal, CA 2 s: ${r.p2Calls} (context; the P2 goals are in the polling section) — ${Object.entries(r.p2CallsByAction).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  ];
}

if (require.main === module) {
  run().then(
    (r) => console.log(report(r).join("\n")),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
