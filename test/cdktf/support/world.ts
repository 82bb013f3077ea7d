/**
 * The world of the CDKTF tests: the embedded emulator, a stack synthesized into a folder of a
 * project that installed the packed tarball (./packed-project.ts), and the simulated Terraform
 * that runs the synthesized argv as is (`npx --no-install tccert tf-*`, the installed bin) from
 * the stack directory with the credentials in its environment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../../emulator";
import { packedProject } from "./packed-project";
import { SimulatedTerraform } from "./tf-sim";
import { accountSeed, MUTATING_ACTIONS, PAID_ACTION, type SeedCertificates } from "../../support/seed";

export const REPO = path.resolve(__dirname, "../../..");
export const CLI = path.join(REPO, "dist/cli/main.js");
export const ACCOUNT = { accountId: "acct-cdktf", secretId: "AKIDCDKTFTESTACCOUNT000000000000000001", secretKey: "cdktf-test-secret-key-000000000000001" };

/** Actions that spend money or change Tencent state. */
export const MUTATING = MUTATING_ACTIONS;
export const PAID = PAID_ACTION;

export function seed(certificates: SeedCertificates): SeedSpec {
  return accountSeed(ACCOUNT, certificates, { packageId: "pkg-cdktf-1", total: 100, balance: 60 });
}

/** Legacy: the synthesized program prefix mapped to this checkout's build (examples test only; the world runs npx as synthesized). */
export function rewriteToBuild(argv: readonly string[]): string[] {
  const prefix = ["npx", "--no-install", "tccert"];
  if (prefix.every((p, i) => argv[i] === p)) return [process.execPath, CLI, ...argv.slice(prefix.length)];
  return [...argv];
}

export interface CdktfWorld {
  readonly emu: RunningEmulator;
  readonly dir: string;
  readonly stateDir: string;
  /** Terraform's environment: credentials and endpoint, as a user exports them. */
  readonly env: Record<string, string>;
  /** Synthesize a stack into <dir>/cdktf.out and return the simulated Terraform over it (state carried over from `previous`). */
  synth(build: (stack: Construct) => void, previous?: SimulatedTerraform): { tf: SimulatedTerraform; stackDir: string; json: Record<string, unknown> };
  count(action: string, okOnly?: boolean): number;
  mutatingCalls(): number;
  close(): Promise<void>;
}

export async function startCdktfWorld(spec: SeedSpec): Promise<CdktfWorld> {
  const emu = await startEmulator({ port: 0, seed: spec, throttle: false, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  const dir = packedProject().workdir("cdktf-world");
  const stateDir = path.join(dir, "tccert-state");
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: dir,
    TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId,
    TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey,
    TCCERT_ENDPOINT: emu.url,
    TCCERT_STATE_DIR: stateDir,
  };
  let n = 0;
  return {
    emu,
    dir,
    stateDir,
    env,
    synth(build, previous) {
      const outdir = path.join(dir, `cdktf.out.${n++}`);
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "certs");
      build(stack);
      app.synth();
      const stackDir = path.join(outdir, "stacks", "certs");
      const tf = new SimulatedTerraform({ stackDir, env });
      if (previous) for (const [k, v] of previous.state) tf.state.set(k, { attrs: v.attrs, tainted: v.tainted });
      const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
      return { tf, stackDir, json };
    },
    count: (action, okOnly = true) => (okOnly ? emu.admin.calls().okCounts[action] : emu.admin.calls().counts[action]) ?? 0,
    mutatingCalls: () => MUTATING.reduce((s, k) => s + (emu.admin.calls().counts[k] ?? 0), 0),
    async close() {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
