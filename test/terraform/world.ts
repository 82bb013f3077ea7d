/**
 * The world of the Terraform acceptance scenarios (issue 14): the embedded emulator, a user project
 * that installed the packed tarball (test/cdktf/support/packed-project.ts), a root module inside it
 * (a synthesized cdktf stack folder, or HCL files), and Terraform running the configuration's exact
 * programs from that folder: the simulator (test/cdktf/support/tf-sim.ts), or a real `terraform`
 * binary with TERRAFORM_LIVE=1 (./live-terraform.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../emulator";
import type { Value } from "../cdktf/support/hcl";
import { packedProject, REPO, type PackedProject } from "../cdktf/support/packed-project";
import { SimulatedTerraform, type Plan } from "../cdktf/support/tf-sim";
import { accountSeed, MUTATING_ACTIONS, PAID_ACTION, type SeedCertificates } from "../support/seed";

export const ACCOUNT = { accountId: "acct-tf", secretId: "AKIDTERRAFORMTESTACCOUNT0000000000001", secretKey: "terraform-test-secret-key-00000000001" };
export const DAY = 24 * 3600;
export const MODULE_IN_PACKAGE = "node_modules/tencentcloud-cert-renewal/terraform/modules/renewed-certificate";

export function seed(certificates: SeedCertificates): SeedSpec {
  return accountSeed(ACCOUNT, certificates, { packageId: "pkg-tf-1", total: 100, balance: 60 });
}

/** What a scenario drives: plan, apply, outputs, and what Terraform printed. */
export interface TerraformRunner {
  plan(): Promise<Plan>;
  apply(plan: Plan): Promise<void>;
  output(name: string): Value;
  printable(): { where: string; text: string }[];
  readonly runs: SimulatedTerraform["runs"];
}

export interface TfWorld {
  readonly emu: RunningEmulator;
  readonly project: PackedProject;
  readonly env: Record<string, string>;
  /** A root module folder for a synthesized cdktf stack: cdktf.out/stacks/<stack> inside a cdktf project folder. */
  cdktf(name: string, build: (app: App, stackId: string) => void, vars?: Record<string, Value>): { tf: SimulatedTerraform; stackDir: string; json: Record<string, unknown> };
  /** A root module folder with these HCL files (module sources may use ./node_modules/... as users write them). */
  hcl(name: string, files: Record<string, string>, vars?: Record<string, Value>): { tf: SimulatedTerraform; dir: string };
  paid(okOnly?: boolean): number;
  mutating(): number;
  advanceDays(days: number): void;
  close(): Promise<void>;
}

export async function startTfWorld(spec: SeedSpec): Promise<TfWorld> {
  const project = packedProject();
  const emu = await startEmulator({ port: 0, seed: spec, throttle: false, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  const dirs: string[] = [];
  const workdir = (name: string) => {
    const d = project.workdir(name);
    dirs.push(d);
    return d;
  };
  const home = workdir("home");
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    npm_config_update_notifier: "false",
    TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId,
    TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey,
    TCCERT_ENDPOINT: emu.url,
    TCCERT_STATE_DIR: path.join(home, ".tccert-state"),
  };
  const calls = () => emu.admin.calls();
  return {
    emu,
    project,
    env,
    cdktf(name, build, vars) {
      const projectDir = workdir(name);
      const app = new App({ outdir: path.join(projectDir, "cdktf.out") });
      build(app, name);
      app.synth();
      const stackDir = path.join(projectDir, "cdktf.out", "stacks", name);
      const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
      return { tf: new SimulatedTerraform({ stackDir, env, ...(vars ? { vars } : {}) }), stackDir, json };
    },
    hcl(name, files, vars) {
      const dir = workdir(name);
      for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
      // As in a user's project: the root module next to the package's node_modules.
      fs.symlinkSync(path.join(project.dir, "node_modules"), path.join(dir, "node_modules"));
      return { tf: new SimulatedTerraform({ stackDir: dir, env, ...(vars ? { vars } : {}) }), dir };
    },
    paid: (okOnly = false) => (okOnly ? calls().okCounts[PAID_ACTION] : calls().counts[PAID_ACTION]) ?? 0,
    mutating: () => MUTATING_ACTIONS.reduce((s, k) => s + (calls().counts[k] ?? 0), 0),
    advanceDays: (days) => void emu.admin.advanceClock(days * DAY),
    async close() {
      await emu.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** The HCL files of a folder of this repository (e.g. examples/terraform-hcl), as text. */
export function hclFilesOf(relative: string): Record<string, string> {
  const dir = path.join(REPO, relative);
  if (!fs.existsSync(dir)) throw new Error(`${relative} does not exist (issue 14 asks for it)`);
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith(".tf") || f.endsWith(".tfvars")).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** PEM private keys (any flavour) in a text. */
export const KEY_PEM = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/** A cdktf stack built from constructs, as a main.ts builds it. */
export function stackOf(build: (stack: Construct) => void): (app: App, stackId: string) => void {
  return (app, stackId) => build(new TerraformStack(app, stackId));
}
