/**
 * A project that installed the packed tarball, the way users meet the package (the same steps as
 * test/package/run.mjs: `npm pack`, then `npm install <tarball>` into a fresh project), so that the
 * synthesized `npx --no-install tccert ...` runs the installed bin from a stack folder inside it.
 *
 * Packing and installing take tens of seconds, so the project is cached in the OS temp dir under a
 * hash of what the tarball ships (package.json and the built dist/ files it lists): every test file
 * and worker reuses it, and a rebuild that changes dist/ makes a new one. A directory lock keeps two
 * workers from installing the same project at once. `npm pack --ignore-scripts`: `npm test` builds
 * dist/ first; prepack would rebuild dist/ under the feet of the other running workers.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "../../..");

export interface PackedProject {
  /** The project root: package.json and node_modules/ with the tarball installed. */
  readonly dir: string;
  /** A fresh folder inside the project (a user's cdktf project or HCL root module lives here). */
  workdir(name: string): string;
}

function filesHash(): string {
  const pkg = fs.readFileSync(path.join(REPO, "package.json"));
  const h = crypto.createHash("sha256").update(pkg);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!p.endsWith(".map")) h.update(path.relative(REPO, p)).update(fs.readFileSync(p));
    }
  };
  const files = (JSON.parse(pkg.toString()) as { files: string[] }).files.filter((f) => !f.startsWith("!") && !f.includes("*"));
  for (const f of files) {
    const p = path.join(REPO, f);
    if (!fs.existsSync(p)) continue;
    if (fs.statSync(p).isDirectory()) walk(p);
    else h.update(f).update(fs.readFileSync(p));
  }
  return h.digest("hex").slice(0, 16);
}

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };
  for (const k of ["TCCERT_ENDPOINT", "TCCERT_STATE_DIR", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]) delete env[k];
  return env;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function build(dir: string): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], { cwd: REPO, env: npmEnv(), encoding: "utf8", timeout: 300_000 });
  const [info] = JSON.parse(out.slice(out.search(/^\[/m))) as { filename: string }[];
  fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ name: "tf-user-project", private: true }, null, 2));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", path.join(tmp, info!.filename)], { cwd: tmp, env: npmEnv(), encoding: "utf8", timeout: 600_000 });
  if (!fs.existsSync(path.join(tmp, "node_modules/.bin/tccert"))) throw new Error(`packed project: ${tmp} has no node_modules/.bin/tccert`);
  fs.renameSync(tmp, dir);
}

/** Other builds' projects not used for an hour are removed (each is ~75 MB). */
function prune(root: string, keep: string): void {
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    if (dir === keep || name.includes(".")) continue;
    const used = fs.statSync(path.join(dir, ".used"), { throwIfNoEntry: false }) ?? fs.statSync(dir);
    if (Date.now() - used.mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

let cached: PackedProject | undefined;

/** The cached project for the current build (packed and installed on first use). Synchronous: call it in beforeAll. */
export function packedProject(): PackedProject {
  if (cached) return cached;
  const root = path.join(os.tmpdir(), "tccert-packed-projects");
  fs.mkdirSync(root, { recursive: true });
  const dir = path.join(root, filesHash());
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 900_000;
  while (!fs.existsSync(dir)) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another worker installs it; a lock older than 15 minutes is from a dead one.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 900_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`packed project: gave up waiting for ${lock}`);
      sleep(1000);
      continue;
    }
    try {
      if (!fs.existsSync(dir)) build(dir);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  fs.writeFileSync(path.join(dir, ".used"), new Date().toISOString());
  prune(root, dir);
  let n = 0;
  const runs = path.join(dir, "runs");
  cached = {
    dir,
    workdir(name) {
      const d = path.join(runs, `${process.pid}-${n++}-${name.replace(/\W+/g, "-")}`);
      fs.rmSync(d, { recursive: true, force: true });
      fs.mkdirSync(d, { recursive: true });
      return d;
    },
  };
  return cached;
}
