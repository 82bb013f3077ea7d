#!/usr/bin/env node
// The release check (`npm run test:package`, run by .ci/run): the package as users meet it.
//   1. `npm pack` (its `prepack` builds), and the tarball holds what users need and nothing else;
//   2. the tarball, with its peers, installed into fresh temporary projects shaped like the real
//      templates: a Pulumi TypeScript project, a cdktf TypeScript project, a plain Node ESM project,
//      and a CLI-only install;
//   3. each type-checks (every moduleResolution a project can use: node, node16, nodenext, bundler)
//      and runs a small program: import every entry point, construct the resource, synth;
//   4. `npx tccert --version`, `--help` and `npx tccert scan` against the emulator the test starts.
// Installs come from the local npm cache where it can (--prefer-offline).
import { execFileSync, spawn } from "node:child_process";
import console from "node:console";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { projects } from "./projects.mjs";
import { probePlugin } from "./plugin-probe.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const keep = process.argv.includes("--keep");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-package-"));
const started = Date.now();
const env = { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };
for (const k of ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "TCCERT_ENDPOINT", "TCCERT_STATE_DIR", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"]) delete env[k];
// npm ci in CI honours the proxy for the registry; keep the user's registry settings, drop only loopback proxies for the emulator calls below.
const npmEnv = { ...env, ...pick(process.env, ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"]) };

function pick(o, keys) {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

function step(name) {
  console.log(`[test:package +${((Date.now() - started) / 1000).toFixed(1)}s] ${name}`);
}

function run(cmd, args, cwd, opts = {}) {
  try {
    return execFileSync(cmd, args, { cwd, env: opts.env ?? env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: opts.timeout ?? 300_000 });
  } catch (e) {
    if (opts.allowExit !== undefined && e.status === opts.allowExit) return e.stdout;
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${e.status ?? e.signal}:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

function check(cond, message) {
  if (!cond) throw new Error(`test:package: ${message}`);
}

/** Versions of the peers as installed here, so the temporary projects hit the npm cache. */
function installed(name) {
  return JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
}

/** npm pack's JSON, after whatever the prepack build printed. */
function jsonTail(text) {
  return text.slice(text.search(/^\[/m));
}

function pack() {
  step("npm pack (prepack builds)");
  const [info] = JSON.parse(jsonTail(run("npm", ["pack", "--json", "--pack-destination", work], root, { env: npmEnv })));
  const files = info.files.map((f) => f.path);
  for (const must of ["dist/cli/main.js", "dist/engine/index.d.ts", "dist/provider/index.d.ts", "dist/constructs/index.d.ts", "dist/emulator/schema/ssl.json", "README.md", "bin/pulumi-resource-tencentcloud-cert-renewal", "bin/PulumiPlugin.yaml", "schema.json"])
    check(files.includes(must), `the tarball lacks ${must}`);
  const extra = files.filter((f) => /^dist\/(bench|schema-gen)\/|\.map$|\.test\.|^test\//.test(f));
  check(extra.length === 0, `the tarball ships what users do not need: ${extra.slice(0, 5).join(", ")}`);
  step(`packed ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(0)} kB`);
  return { tarball: path.join(work, info.filename), version: info.version };
}

function writeProject(dir, files) {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

function install(dir, deps) {
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...deps], dir, { env: npmEnv, timeout: 600_000 });
}

/** `tccert emulator --port 0 --seed demo`, from the CLI-only project; resolves with its URL. */
function startEmulator(dir) {
  const child = spawn(path.join(dir, "node_modules/.bin/tccert"), ["emulator", "--port", "0", "--seed", "demo", "--json"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`the emulator did not start in 30 s: ${err}`)), 30_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve({ url: JSON.parse(line).url, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("exit", r), child.kill("SIGTERM")))) });
      }
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited ${code}: ${err}`)));
  });
}

async function main() {
  const { tarball, version } = pack();
  const versions = Object.fromEntries(["@pulumi/pulumi", "cdktf", "constructs", "@cdktf/provider-tls", "@cdktf/provider-external", "typescript", "@types/node"].map((n) => [n, installed(n)]));
  const cliDir = path.join(work, "cli-only");
  writeProject(cliDir, { "package.json": { name: "cli-only", private: true } });
  step("CLI-only: npm install <tarball>");
  install(cliDir, [tarball]);
  const tccert = (args, opts) => run("npx", ["--no-install", "tccert", ...args], cliDir, opts);
  check(tccert(["--version"]).trim() === version, `npx tccert --version did not print ${version}`);
  check(/--state-dir/.test(tccert(["--help"])), "npx tccert --help did not list the global flags");
  const emu = await startEmulator(cliDir);
  try {
    const demoEnv = { ...env, TCCERT_ENDPOINT: emu.url, TCCERT_STATE_DIR: path.join(cliDir, ".tccert-state"), TENCENTCLOUD_SECRET_ID: "AKIDEMULATORDEMO000000000000000000000", TENCENTCLOUD_SECRET_KEY: "emulator-demo-secret-key-000000000000" };
    const scan = tccert(["scan"], { env: demoEnv, allowExit: 2 });
    check(/DemoShop/.test(scan) && /\d+ certificate\(s\); [1-9]\d* due/.test(scan), `npx tccert scan against the emulator did not list DemoShop as due:\n${scan}`);
    step("CLI-only: --version, --help and scan against the emulator work");
    for (const p of projects({ tarball, versions, emulatorUrl: emu.url })) {
      const dir = path.join(work, p.name);
      writeProject(dir, p.files);
      step(`${p.name}: npm install ${p.install.join(" ").replace(tarball, "<tarball>")}`);
      install(dir, p.install);
      for (const tsconfig of p.typecheck) {
        run(path.join(dir, "node_modules/.bin/tsc"), ["-p", tsconfig], dir);
        step(`${p.name}: tsc -p ${tsconfig} passes`);
      }
      const output = run(process.execPath, p.run, dir, { env: { ...env, TCCERT_STATE_DIR: path.join(dir, ".tccert-state") } });
      check(output.includes("PACKAGE-CHECK-OK"), `${p.name}: the program did not finish:\n${output}`);
      step(`${p.name}: ${output.trim().split("\n").pop()}`);
      if (p.name === "pulumi-typescript") {
        const plugin = await probePlugin(dir);
        check(plugin.token === "tencentcloud-cert-renewal:index:RenewedCertificate" && plugin.version === version, `the plugin bin answered ${JSON.stringify(plugin)}`);
        step(`${p.name}: the plugin bin printed port ${plugin.port}; GetSchema has ${plugin.token}, GetPluginInfo ${plugin.version}`);
      }
    }
  } finally {
    await emu.stop();
  }
  step(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    console.error(`test:package FAILED; the projects are kept in ${work}`);
    process.exitCode = 1;
  },
);
