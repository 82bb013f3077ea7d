/**
 * CLI test harness: the embedded emulator, and the CLI driven in-process
 * through `runCli` with captured streams, or spawned as the built binary.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../../emulator";
import { runCli } from "../../../cli/program";
import { accountSeed, MUTATING_ACTIONS, type SeedCertificates } from "../../support/seed";

export const ACCOUNT = { accountId: "acct-cli", secretId: "AKIDCLITESTACCOUNT000000000000000001", secretKey: "cli-test-secret-key-00000000000000000001" };

/** Actions that spend money or change Tencent state. */
export const MUTATING = MUTATING_ACTIONS;

export type SeedCert = SeedCertificates[number];

export function seed(certificates: readonly SeedCert[], balance = 100): SeedSpec {
  return accountSeed(ACCOUNT, [...certificates], { packageId: "pkgCli0001", balance });
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CliWorld {
  readonly emu: RunningEmulator;
  readonly dir: string;
  readonly stateDir: string;
  readonly env: Record<string, string>;
  /** In-process, through runCli. `tty` makes stderr look like a terminal. */
  run(argv: readonly string[], opts?: { env?: Record<string, string | undefined>; tty?: boolean }): Promise<CliRun>;
  /** The built binary, `node dist/cli/main.js`. */
  spawn(argv: readonly string[], opts?: { env?: Record<string, string | undefined> }): Promise<CliRun>;
  totalCalls(): number;
  /** Calls of `service.Action`, answered with an error or not. */
  count(key: string): number;
  mutatingCalls(): number;
  close(): Promise<void>;
}

function result(code: number, stdout: string, stderr: string): CliRun {
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

export const ROOT = path.resolve(__dirname, "../../..");
export const BIN = path.join(ROOT, "dist/cli/main.js");

export async function startCliWorld(spec: SeedSpec | "demo", opts: { throttle?: boolean } = {}): Promise<CliWorld> {
  const emu = await startEmulator({ port: 0, seed: spec, throttle: opts.throttle ?? false, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  emu.admin.setDeploySecondsPerResource(0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-cli-"));
  const stateDir = path.join(dir, "state");
  const creds = spec === "demo" ? { id: "AKIDEMULATORDEMO000000000000000000000", key: "emulator-demo-secret-key-000000000000" } : { id: ACCOUNT.secretId, key: ACCOUNT.secretKey };
  const env: Record<string, string> = {
    TENCENTCLOUD_SECRET_ID: creds.id,
    TENCENTCLOUD_SECRET_KEY: creds.key,
    TCCERT_ENDPOINT: emu.url,
    TCCERT_STATE_DIR: stateDir,
    TERM: "xterm",
  };
  const merged = (extra: Record<string, string | undefined> = {}) => {
    const e: Record<string, string | undefined> = { ...env, ...extra };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    return e;
  };
  return {
    emu,
    dir,
    stateDir,
    env,
    async run(argv, o = {}) {
      let out = "";
      let err = "";
      const stdout = new PassThrough();
      stdout.on("data", (d: Buffer) => (out += d.toString()));
      const stderr = new PassThrough();
      stderr.on("data", (d: Buffer) => (err += d.toString()));
      if (o.tty) Object.assign(stderr, { isTTY: true, columns: 120 });
      const code = await runCli(argv, { stdout, stderr, env: merged(o.env) });
      return result(code, out, err);
    },
    spawn(argv, o = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...argv], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", ...merged(o.env) } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve(result(code ?? -1, out, err)));
      });
    },
    totalCalls: () => Object.values(emu.admin.calls().counts).reduce((a, b) => a + b, 0),
    count: (key) => emu.admin.calls().counts[key] ?? 0,
    mutatingCalls: () => MUTATING.reduce((s, k) => s + (emu.admin.calls().counts[k] ?? 0), 0),
    async close() {
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Four DV certificates on example.com, three of them due, plus one not due. */
export const FLEET: readonly SeedCert[] = [
  { certificateId: "dueA", domain: "a.example.com", certType: "DV", expiresInDays: 5 },
  { certificateId: "dueB", domain: "b.example.com", certType: "DV", expiresInDays: 12 },
  {
    certificateId: "dueC",
    domain: "c.example.com",
    certType: "DV",
    expiresInDays: 20,
    boundResources: [
      { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-c", listenerId: "lbl-c" },
      { resourceType: "cdn", instanceId: "c.example.com", domain: "c.example.com" },
    ],
  },
  { certificateId: "fresh", domain: "fresh.example.com", certType: "DV", expiresInDays: 200 },
];
