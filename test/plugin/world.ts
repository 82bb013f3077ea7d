/**
 * A plugin test world: the embedded emulator (seeded like the demo, or as given), a throwaway
 * state dir, and the real plugin executable started and configured as the Pulumi engine would
 * (credentials in `Configure` args, the secret key as a secret value).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../emulator";
import { DEMO_ACCOUNT } from "../../emulator/backend/seed";
import { secret, startPlugin, type Plugin, type Props } from "./plugin-host";

export interface PluginWorld {
  readonly emu: RunningEmulator;
  /** The running plugin (a new one after `restart`). */
  readonly plugin: Plugin;
  readonly stateDir: string;
  /** Calls that reached the emulator so far, all actions, any outcome. */
  totalCalls(): number;
  /** Successful calls of one action, e.g. "ssl.CreateCertificateByPackage". */
  count(key: string): number;
  /** Calls the provider config that `configure` sends. */
  config(): Props;
  /** Crashes the plugin (SIGKILL) and starts and configures a new one, with the same state dir. */
  restart(): Promise<Plugin>;
  close(): Promise<void>;
}

export async function startPluginWorld(spec: SeedSpec | string = "demo", opts: { account?: { secretId: string; secretKey: string }; configure?: boolean } = {}): Promise<PluginWorld> {
  const emu = await startEmulator({ port: 0, seed: spec, throttle: false, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-plugin-"));
  let plugin = await startPlugin();
  const account = opts.account ?? DEMO_ACCOUNT;
  const config = (): Props => ({ secretId: account.secretId, secretKey: secret(account.secretKey), endpoint: emu.url, stateDir });
  if (opts.configure !== false) await plugin.configure(config());
  return {
    emu,
    get plugin() {
      return plugin;
    },
    stateDir,
    totalCalls: () => Object.values(emu.admin.calls().counts).reduce((a, b) => a + b, 0),
    count: (key) => emu.admin.calls().okCounts[key] ?? 0,
    config,
    async restart() {
      await plugin.crash();
      plugin = await startPlugin();
      await plugin.configure(config());
      return plugin;
    },
    async close() {
      await plugin.close();
      await emu.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Runs `f` and returns its result with the number of emulator calls it made. */
export async function counting<T>(w: PluginWorld, f: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = w.totalCalls();
  const result = await f();
  return { result, calls: w.totalCalls() - before };
}
