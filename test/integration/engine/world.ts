/**
 * A test world: the embedded emulator over HTTP, the real SDK through our
 * adapter, real crypto, a file journal in a temp dir. Delays are shrunk, not
 * mocked away.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../../emulator";
import type { EngineDeps } from "../../../engine/deps";
import { resolveOptions, type RenewalOptions } from "../../../engine/options";
import type { ProgressEvent } from "../../../engine/progress";
import { createEngineDeps } from "../../../runtime";
import { accountSeed, MUTATING_ACTIONS, type SeedCertificates } from "../../support/seed";

export const ACCOUNT = { accountId: "acct-test", secretId: "AKIDTESTACCOUNT00000000000000000000001", secretKey: "test-secret-key-0000000000000000000001" };

/** Actions that spend money or change Tencent state. */
export const MUTATING = MUTATING_ACTIONS;

export interface World {
  readonly emu: RunningEmulator;
  readonly stateDir: string;
  readonly events: ProgressEvent[];
  deps(overrides?: Partial<EngineDeps>): EngineDeps;
  options(o: Partial<RenewalOptions> & { certificateId: string }): ReturnType<typeof resolveOptions>;
  /** Calls of `service.Action` (ok only by default). */
  count(key: string, okOnly?: boolean): number;
  mutatingCalls(): number;
  close(): Promise<void>;
}

export function seedFor(parts: { certificates: SeedCertificates; balance?: number; zones?: string[] }): SeedSpec {
  return accountSeed(ACCOUNT, parts.certificates, { total: 100, balance: parts.balance ?? 50, ...(parts.zones ? { zones: parts.zones } : {}) });
}

export async function startWorld(seed: SeedSpec, opts: { issuanceDelaySeconds?: number; throttle?: boolean } = {}): Promise<World> {
  const emu = await startEmulator({ port: 0, seed, throttle: opts.throttle ?? false, log: () => undefined });
  emu.admin.setIssuanceDelay(opts.issuanceDelaySeconds ?? 0);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-world-"));
  const events: ProgressEvent[] = [];
  const world: World = {
    emu,
    stateDir,
    events,
    deps: (overrides = {}) => ({
      ...createEngineDeps({
        endpoint: emu.url,
        credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
        stateDir,
        env: {},
        polling: { fastMs: 20, slowMs: 100, fastWindowMs: 500, waitingEventEveryMs: 200, paidCallGraceMs: 300 },
        timeoutSeconds: 1,
        retry: { retries: 5, baseDelayMs: 5, maxDelayMs: 40 },
        progress: (e) => events.push(e),
      }),
      ...overrides,
    }),
    options: (o) => resolveOptions({ waitTimeoutMinutes: 0.2, ...o }),
    count: (key, okOnly = true) => (okOnly ? emu.admin.calls().okCounts[key] : emu.admin.calls().counts[key]) ?? 0,
    mutatingCalls: () => MUTATING.reduce((s, k) => s + (emu.admin.calls().counts[k] ?? 0), 0),
    close: async () => {
      await emu.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return world;
}
