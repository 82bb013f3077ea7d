/**
 * Shared pieces of the reliability suite: a seeded PRNG (never Math.random), one emulator
 * account per scenario (so scenarios run concurrently and faults scoped by `accountId` hit
 * only their own scenario), the built CLI spawned as a child, payment counting from the
 * call log and from the benefit-package balance, and a table printer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator, SeedSpec } from "../../emulator";
export { prng } from "../support/prng";

export const REPO = path.resolve(__dirname, "../..");
export const CLI = path.join(REPO, "dist/cli/main.js");

/** Actions that spend money or change Tencent state (the "no mutating call" checks). */
export const MUTATING = [
  "CreateCertificateByPackage",
  "CertificateOrderSubmit",
  "CertificateInfoSubmit",
  "CompleteCertificate",
  "CancelCertificateOrder",
  "UpdateCertificateInstance",
  "UploadConfirmLetter",
  "ReplaceCertificate",
  "CreateRecord",
  "DeleteRecord",
  "ModifyRecord",
];


export interface CellAccount {
  readonly accountId: string;
  readonly secretId: string;
  readonly secretKey: string;
}

/** A deterministic account for one scenario: ids and keys derived from its name. */
export function cellAccount(name: string, secretKeyPrefix = "reliability-secret"): CellAccount {
  const h = crypto.createHash("sha256").update(name).digest("hex");
  return {
    accountId: `acct-${name}`,
    secretId: `AKIDREL${h.slice(0, 29).toUpperCase()}`,
    secretKey: `${secretKeyPrefix}-${h.slice(0, 24)}`,
  };
}

export const PACKAGE_POINTS = 100;

/**
 * Seeds one account with one due single-domain TrustAsia DV certificate (1 point per renewal), a package,
 * the example.com zone, and a CLB listener bound to the certificate (the deploy target).
 */
export function seedCell(emu: RunningEmulator, certificateId: string, account: CellAccount, extra: Partial<NonNullable<SeedSpec["certificates"]>[number]> = {}): void {
  emu.admin.seed({
    accounts: [account],
    certificates: [
      {
        certificateId,
        accountId: account.accountId,
        domain: `${certificateId.toLowerCase()}.example.com`,
        certType: "DV",
        // A TrustAsia DV product: the engine calls CompleteCertificate for it (not for DNSPod or WoTrus brands).
        productPid: 1018584,
        expiresInDays: 10,
        boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: `lb-${certificateId}`, listenerId: `lbl-${certificateId}` }],
        ...extra,
      },
    ],
    packages: [{ accountId: account.accountId, packageId: `pkg-${certificateId}`, total: PACKAGE_POINTS, balance: PACKAGE_POINTS }],
    zones: [{ accountId: account.accountId, zone: "example.com" }],
  });
}

/** Points consumed from the account's packages: one per renewal of a single-domain DV certificate. */
export function pointsPaid(emu: RunningEmulator, accountId: string): number {
  const balance = emu.admin
    .inspectPackages(accountId)
    .map((p) => Number(p["balance"] ?? p["Balance"] ?? 0))
    .reduce((a, b) => a + b, 0);
  return PACKAGE_POINTS - balance;
}

/** Calls of `action` by this account; with `okOnly`, only those answered without error. */
export function callsOf(emu: RunningEmulator, accountId: string, action: string, okOnly = true): number {
  return emu.admin.calls().calls.filter((c) => c.accountId === accountId && c.action === action && (!okOnly || c.outcome === "ok")).length;
}

/** Mutating calls by this account, any outcome. */
export function mutatingCallsOf(emu: RunningEmulator, accountId: string): number {
  return emu.admin.calls().calls.filter((c) => c.accountId === accountId && MUTATING.includes(c.action)).length;
}

/** Validation records left in the account's example.com zone (anything but NS). */
export function recordsLeft(emu: RunningEmulator, accountId: string): number {
  return emu.admin.inspectZone("example.com", accountId).filter((r) => String(r["type"] ?? r["Type"]) !== "NS").length;
}

export interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** `node dist/cli/main.js ...argv` with exactly `env` (plus PATH); optionally SIGKILLed after `killAfterMs`. */
export function runCli(
  argv: readonly string[],
  env: Record<string, string>,
  opts: { cwd?: string; killAfterMs?: number; stdin?: string; killOnStderr?: RegExp; killOnStderrDelayMs?: number } = {},
): Promise<Spawned> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, ...argv], {
      cwd: opts.cwd ?? os.tmpdir(),
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env },
      stdio: [opts.stdin !== undefined ? "pipe" : "ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let armed = false;
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (armed || !opts.killOnStderr?.test(stderr)) return;
      armed = true;
      // With a delay: killed that long after the line appeared (e.g. inside the call it announces).
      if (opts.killOnStderrDelayMs) setTimeout(() => child.kill("SIGKILL"), opts.killOnStderrDelayMs);
      else child.kill("SIGKILL");
    });
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
    const timer = opts.killAfterMs !== undefined ? setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs) : null;
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tccert-rel-${prefix}-`));
}

/** A Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The base64 body lines of a PEM, each long enough to be unmistakable. */
export function pemBodyLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 40 && !l.startsWith("-----"));
}

/** Every file under `dir` (recursively), with its mode. */
export function listFiles(dir: string): { file: string; mode: number }[] {
  const out: { file: string; mode: number }[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push({ file: p, mode: fs.statSync(p).mode & 0o777 });
  }
  return out;
}

export interface StandaloneEmulator {
  readonly url: string;
  readonly dir: string;
  /** The `/_emulator/` admin surface over HTTP. */
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Calls by `accountId` (or all), from the call log. */
  calls(accountId?: string): Promise<{ action: string; accountId: string | null; outcome: string }[]>;
  close(): Promise<void>;
}

/** `tccert emulator --port 0 --state-file <dir>/emulator-state.json --no-throttle --json [--profile p]` as its own process. */
export async function startStandaloneEmulator(prefix: string, profile?: "default" | "pessimistic"): Promise<StandaloneEmulator> {
  const dir = tempDir(prefix);
  const args = ["emulator", "--port", "0", "--state-file", path.join(dir, "emulator-state.json"), "--no-throttle", "--json", ...(profile ? ["--profile", profile] : [])];
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`tccert emulator printed no URL: ${out}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once("exit", (code) => reject(new Error(`tccert emulator exited with ${code}`)));
  });
  const admin = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_emulator/${route}`, { method, headers: { "content-type": "application/json" }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    url,
    dir,
    admin,
    async calls(accountId) {
      const log = await admin<{ calls: { action: string; accountId: string | null; outcome: string }[] }>("GET", "calls");
      return accountId === undefined ? log.calls : log.calls.filter((c) => c.accountId === accountId);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
