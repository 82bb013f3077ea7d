/**
 * Issue 15: every command in the fenced bash blocks of README.md and of each examples/**\/README.md
 * runs as written here, or is named in NEEDS_ELSEWHERE with what it needs that this machine lacks
 * (the pulumi, terraform or cdktf CLI, a real Tencent account, a placeholder to fill in). A new
 * README command fails this test until it runs or is classified.
 *
 * How a block runs: its runnable lines, in order, in one bash session, in a fresh temporary
 * directory (not the clone), against the emulator:
 * - `tccert` and `npx tccert` are the built CLI, `node dist/cli/main.js` (the README says `npx
 *   tccert` works from a clone); `npm ci` is this checkout's install; `npm run <script>` is the
 *   package.json script, its `npm run build` already done (this test runs on a build);
 * - the emulator's port 8443 becomes a free port (engineers and CI run tests side by side);
 * - an emulator started in "terminal 1" (no `&`) is put in the background, waited for, and made
 *   quick: issuance 1 s after validation, deployments instant (Tencent: minutes to hours);
 * - blocks that do not start an emulator (the real-account usage) get this test's emulator, with
 *   the demo seed and demo credentials, in place of the account the checklisted `export` names.
 * A line passes when it exits 0, or 2 (tccert's documented "something is due or waits for a human").
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "dist/cli/main.js");
const DEMO_CREDENTIALS = { TENCENTCLOUD_SECRET_ID: "AKIDEMULATORDEMO000000000000000000000", TENCENTCLOUD_SECRET_KEY: "emulator-demo-secret-key-000000000000" };

/** README commands that need what this machine does not have, each with what it needs. Keyed by the command as written (comment removed). */
const NEEDS_ELSEWHERE: Readonly<Record<string, string>> = {
  "npm test": "the whole suite (minutes, every project); CI runs it (.ci/run)",
  "git clone <this repository> tccert && (cd tccert && npm ci && npm pack)": "the repository's URL and the network; npm run test:package packs and installs the tarball",
  "npm install ./tccert/tencentcloud-cert-renewal-0.1.0.tgz": "the tarball from the clone above; npm run test:package installs it into fresh projects",
  "npm install git+https://<host>/<owner>/tencentcloud-cert-renewal.git#<tag-or-commit>": "the published repository's URL (a placeholder) and the network",
  "export TENCENTCLOUD_SECRET_ID=… TENCENTCLOUD_SECRET_KEY=…": "a real Tencent account's key; the walk uses the emulator's demo credentials instead",
  "tccert deploy <old-certificate-id> --resource-types clb,cdn --region ap-guangzhou": "a placeholder id; the CI example's README runs `tccert deploy DemoShop …` as written",
  "cd examples/cdktf-renewal": "a clone's layout; it only leads to the cdktf commands below",
  "cdktf plan": "the cdktf CLI (not on this machine; Terraform alone cannot run a cdktf app)",
  "cdktf deploy": "the cdktf CLI (not on this machine; Terraform alone cannot run a cdktf app)",
  "export TENCENTCLOUD_SECRET_ID=AKID...": "a real Tencent account's key",
  "export TENCENTCLOUD_SECRET_KEY=...": "a real Tencent account's key",
  "cdktf plan -var certificate_id=<your paid certificate id>": "the cdktf CLI, Terraform and a real Tencent account",
  "cdktf deploy -var certificate_id=<your paid certificate id>": "the cdktf CLI, Terraform and a real Tencent account",
  "cd examples/terraform-hcl": "a clone's layout; it only leads to the terraform commands below",
  'id="$(terraform output -raw certificate_id)"': "the terraform CLI and an applied stack; test/pulumi/bound.test.ts and test/integration/cli/drift.test.ts read the same bindings",
  "jq --arg id \"$id\" '.lineages[].certificates[] | select(.certificateId == $id) | .resources' deployments.json": "the certificate id from the terraform output above (the scan before it then gets an empty --ids and says so)",
  "terraform init": "the terraform (or tofu) CLI and the registry for hashicorp/external and hashicorp/tls",
  "terraform plan": "the terraform (or tofu) CLI (test/terraform runs the same plan/apply scenarios on a simulator, and on a real binary with TERRAFORM_LIVE=1)",
  "terraform apply": "the terraform (or tofu) CLI (test/terraform runs the same plan/apply scenarios on a simulator, and on a real binary with TERRAFORM_LIVE=1)",
  "terraform plan -var certificate_id=<your paid certificate id>": "the terraform CLI and a real Tencent account",
  "terraform apply -var certificate_id=<your paid certificate id>": "the terraform CLI and a real Tencent account",
  "pulumi login --local": "the pulumi CLI",
  "pulumi stack init dev": "the pulumi CLI",
  "pulumi config set tencentcloud:endpoint http://127.0.0.1:8443": "the pulumi CLI",
  "pulumi config set tencentcloud:secretId AKIDEMULATORDEMO000000000000000000000": "the pulumi CLI",
  "pulumi config set --secret tencentcloud:secretKey emulator-demo-secret-key-000000000000": "the pulumi CLI",
  "pulumi up": "the pulumi CLI",
  "pulumi preview": "the pulumi CLI",
  "pulumi config set tencentcloud:secretId AKID...": "the pulumi CLI and a real Tencent account",
  "pulumi config set --secret tencentcloud:secretKey ...": "the pulumi CLI and a real Tencent account",
  "pulumi config rm tencentcloud:endpoint": "the pulumi CLI",
  "pulumi config set certificateId <your paid certificate id>": "the pulumi CLI and a real Tencent account",
  // Issue 16: the provider plugin from Python, Go, C#, YAML (README "Use from Python, Go, C#, YAML", examples/pulumi-python, examples/pulumi-yaml).
  // What these commands rely on is tested by test/plugin (the plugin executable over gRPC, its schema, the YAML example against the schema).
  "npm install ./tccert/tencentcloud-cert-renewal-0.1.0.tgz @pulumi/pulumi": "the tarball from the clone above; npm run test:package installs it into fresh projects",
  "npm install ../../tencentcloud-cert-renewal-0.1.0.tgz @pulumi/pulumi": "a clone's layout and its npm pack tarball",
  "mkdir tccert-plugin && cd tccert-plugin && npm init -y && npm install ../tccert/tencentcloud-cert-renewal-0.1.0.tgz @pulumi/pulumi": "the tarball from the clone above and the npm registry",
  "cp node_modules/tencentcloud-cert-renewal/bin/pulumi-resource-tencentcloud-cert-renewal .": "the folder made by the npm install above",
  "pulumi plugin install resource tencentcloud-cert-renewal 0.1.0 --file .": "the pulumi CLI",
  "pulumi package add ./node_modules/tencentcloud-cert-renewal/bin": "the pulumi CLI (and for Python, Go or C#, that language's toolchain)",
  "pulumi config set tencentcloud-cert-renewal:secretId AKID...": "the pulumi CLI and a real Tencent account",
  "pulumi config set --secret tencentcloud-cert-renewal:secretKey ...": "the pulumi CLI and a real Tencent account",
  "pulumi config set certificateId DemoShop": "the pulumi CLI",
  "pulumi config set tencentcloud-cert-renewal:endpoint http://127.0.0.1:8443": "the pulumi CLI",
  "pulumi config set tencentcloud-cert-renewal:secretId AKIDEMULATORDEMO000000000000000000000": "the pulumi CLI",
  "pulumi config set --secret tencentcloud-cert-renewal:secretKey emulator-demo-secret-key-000000000000": "the pulumi CLI",
};

interface Block {
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly commands: readonly string[];
}

/** The documents walked: README.md and every README.md under examples/. */
function docs(): string[] {
  const found = (fs.readdirSync(path.join(ROOT, "examples"), { recursive: true }) as string[]).filter((f) => path.basename(f) === "README.md").map((f) => path.join("examples", f));
  return ["README.md", ...found.sort()];
}

/** A line without its shell comment (a `#` at the start or after a blank, outside quotes). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trim();
  }
  return line.trim();
}

function blocksOf(doc: string): Block[] {
  const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
  const blocks: Block[] = [];
  for (const m of text.matchAll(/^```(bash|sh|shell|console)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, m.index).split("\n").length;
    const commands = m[2]!
      .replace(/\\\n/g, " ")
      .split("\n")
      .map(stripComment)
      .filter((c) => c !== "");
    blocks.push({ doc, line, commands });
  }
  return blocks;
}

const EMULATOR_START = /(^|[\s;&|])((npx )?tccert emulator|npm run emulator)\b/;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** `tccert`, `npx` and `npm` as the walk means them (see the module comment), in `bin`. */
function writeShims(bin: string): void {
  fs.mkdirSync(bin, { recursive: true });
  const shim = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  shim(
    "tccert",
    `if [ "$1" = emulator ]; then case " $* " in *" --port "*) ;; *) set -- "$@" --port "$WALK_PORT" ;; esac; fi\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"`,
  );
  shim("npx", `if [ "$1" = tccert ]; then shift; exec tccert "$@"; fi\necho "README walk: npx $1 is not available here; classify the command in NEEDS_ELSEWHERE" >&2\nexit 127`);
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const cases = Object.entries(scripts).flatMap(([name, text]) => {
    if (name === "build") return [`  build) test -f ${JSON.stringify(BIN)} ;;`];
    const cli = /^npm run build && node dist\/cli\/main\.js (.*)$/.exec(text);
    return cli ? [`  ${name}) shift 2; exec tccert ${cli[1]} "$@" ;;`] : [];
  });
  shim(
    "npm",
    [
      `if [ "$1" = ci ]; then test -d ${JSON.stringify(path.join(ROOT, "node_modules"))} && echo "npm ci: this checkout is installed"; exit $?; fi`,
      `if [ "$1" != run ]; then echo "README walk: npm $1 is not run here; classify the command in NEEDS_ELSEWHERE" >&2; exit 127; fi`,
      `case "$2" in`,
      ...cases,
      `  *) echo "README walk: npm run $2 is not run here; classify it in NEEDS_ELSEWHERE" >&2; exit 127 ;;`,
      `esac`,
    ].join("\n"),
  );
}

/** The bash script of a block's runnable lines, each followed by its exit code on `$WALK_RC`. */
function scriptOf(commands: readonly string[]): string {
  const lines = ["set +e"];
  commands.forEach((command, i) => {
    if (command in NEEDS_ELSEWHERE) return;
    let c = command.replace(/\b8443\b/g, "$WALK_PORT");
    const startsEmulator = EMULATOR_START.test(c);
    if (startsEmulator && !c.endsWith("&")) c = `${c} > emulator.log 2>&1 &`; // "terminal 1"
    lines.push(c, `echo "${i} $?" >> "$WALK_RC"`);
    if (startsEmulator)
      lines.push(
        `for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$WALK_PORT) 2>/dev/null && break; sleep 0.1; done`,
        `curl -sf -XPOST http://127.0.0.1:$WALK_PORT/_emulator/admin/setIssuanceDelay -d '{"args":[1]}' > /dev/null`,
        `curl -sf -XPOST http://127.0.0.1:$WALK_PORT/_emulator/admin/setDeploySecondsPerResource -d '{"args":[0]}' > /dev/null`,
      );
  });
  lines.push("kill $(jobs -p) 2>/dev/null", "wait");
  return `${lines.join("\n")}\n`;
}

interface BlockRun {
  readonly codes: ReadonlyMap<number, number>;
  readonly output: string;
}

async function runBlock(block: Block, bin: string, emu: RunningEmulator): Promise<BlockRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-readme-"));
  const rc = path.join(dir, ".walk-rc");
  fs.writeFileSync(path.join(dir, ".walk.sh"), scriptOf(block.commands));
  const env = {
    PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: dir,
    TERM: "dumb",
    WALK_RC: rc,
    WALK_PORT: String(await freePort()),
    TCCERT_ENDPOINT: emu.url,
    ...DEMO_CREDENTIALS,
  };
  const child = spawn("bash", [".walk.sh"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 50_000);
  await new Promise((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  const codes = new Map(
    (fs.existsSync(rc) ? fs.readFileSync(rc, "utf8") : "")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ").map(Number) as [number, number]),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { codes, output };
}

const BLOCKS = docs().flatMap(blocksOf);
let emu: RunningEmulator;
let bin: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: "demo", log: () => undefined });
  emu.admin.setIssuanceDelay(1);
  emu.admin.setDeploySecondsPerResource(0);
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-readme-bin-"));
  writeShims(bin);
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(bin, { recursive: true, force: true });
});

describe("the README walk", () => {
  it("finds the blocks it walks (README.md's and the examples')", () => {
    const docsWithBlocks = new Set(BLOCKS.map((b) => b.doc));
    expect(docsWithBlocks).toContain("README.md");
    expect([...docsWithBlocks].filter((d) => d.startsWith("examples/")).length).toBeGreaterThanOrEqual(3);
  });

  it("every checklisted command is still in a README (the checklist names nothing stale)", () => {
    const all = new Set(BLOCKS.flatMap((b) => b.commands));
    expect(Object.keys(NEEDS_ELSEWHERE).filter((c) => !all.has(c))).toEqual([]);
  });

  it.each(BLOCKS.filter((b) => b.commands.some((c) => !(c in NEEDS_ELSEWHERE))).map((b) => [`${b.doc}:${b.line}`, b] as const))(
    "%s: every command runs as written (exit 0, or 2: something due or waiting for a human)",
    async (_name, block) => {
      const run = await runBlock(block, bin, emu);
      const failed = block.commands
        .map((command, i) => ({ command, i, code: run.codes.get(i) }))
        .filter(({ command, code }) => !(command in NEEDS_ELSEWHERE) && code !== 0 && code !== 2)
        .map(({ command, code }) => `${command}  → exit ${code ?? "never reached"}`);
      expect(failed, run.output).toEqual([]);
      expect(run.output).not.toMatch(/unexpected error|not available here|not run here/);
    },
  );
});
