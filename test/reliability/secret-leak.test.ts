/**
 * Secret-leak scan. Scenarios run with known marker secrets — a SecretKey and a session token
 * starting with LEAKMARKER, a wrong SecretKey marker, a PKCS#12 password marker, a private key we
 * supply (`--key`, Pulumi `key.privateKeyPem`) — and with keys generated for us, read back from
 * the outputs and the journal. Then every place a secret must not reach is scanned for every
 * marker and for the base64 body lines of every key:
 *   the serialized `__provider`; Pulumi outputs minus the secret ones; the CLI's JSON and human
 *   output; stdout and stderr of the CLI, the external programs and the provider host; the
 *   synthesized Terraform JSON; typed error messages (and their cause chains) from bad
 *   credentials and failures; every file written, except the deliberate `--out` privkey.pem and
 *   the journal entries (both checked to be mode 0600).
 * Zero occurrences allowed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import { App, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenewedCertificate } from "../../constructs";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { SECRET_OUTPUTS } from "../../provider";
import { createEngineDeps } from "../../runtime";
import { makeProjectDir, projectRequire, serializeProvider, startHost, type Host, type Props } from "../pulumi/host";
import { listFiles, markdownTable, pemBodyLines, runCli, tempDir } from "./support";

const MARK = crypto.createHash("sha256").update("leak-scan").digest("hex").slice(0, 16);
const ACCOUNT = {
  accountId: "acct-leak",
  secretId: "AKIDLEAKSCAN0000000000000000000000001",
  secretKey: `LEAKMARKER-secret-${MARK}`,
  sessionToken: `LEAKMARKER-token-${MARK}`,
  sessionTokenExpiresAt: "2099-01-01T00:00:00Z",
};
const WRONG_KEY = `LEAKMARKER-wrong-${MARK}`;
const P12_PASSWORD = `LEAKMARKER-p12-${MARK}`;
/** The key we supply: its body must appear only in the deliberate privkey.pem and the journal. */
const SUPPLIED = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

/** Named texts to scan, and named secrets to look for. */
const scanned: { source: string; text: string }[] = [];
const secrets = new Map<string, string[]>();
const exemptFiles: { file: string; mode: number }[] = [];
const scan = (source: string, text: string) => scanned.push({ source, text });
const secret = (name: string, needles: string[]) => secrets.set(name, [...(secrets.get(name) ?? []), ...needles.filter((n) => n.length >= 16)]);

let emu: RunningEmulator;
let dir: string;
const due = (id: string) => ({ certificateId: id, accountId: ACCOUNT.accountId, domain: `${id.toLowerCase()}.example.com`, certType: "DV" as const, expiresInDays: 10 });

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    throttle: false,
    log: () => undefined,
    seed: {
      accounts: [ACCOUNT],
      certificates: ["leakCli1", "leakCli2", "leakPul1", "leakPul2", "leakPul3", "leakTf1", "leakEng1"].map(due),
      packages: [{ accountId: ACCOUNT.accountId, packageId: "pkg-leak", total: 100, balance: 100 }],
      zones: [{ accountId: ACCOUNT.accountId, zone: "example.com" }],
    },
  });
  emu.admin.setIssuanceDelay(0);
  dir = tempDir("leak");
  secret("SecretKey", [ACCOUNT.secretKey]);
  secret("session token", [ACCOUNT.sessionToken]);
  secret("wrong SecretKey", [WRONG_KEY]);
  secret("PKCS#12 password", [P12_PASSWORD]);
  secret("supplied private key", pemBodyLines(SUPPLIED));
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const cliEnv = (overrides: Record<string, string> = {}) => ({
  TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId,
  TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey,
  TENCENTCLOUD_SESSION_TOKEN: ACCOUNT.sessionToken,
  TCCERT_ENDPOINT: emu.url,
  TCCERT_STATE_DIR: path.join(dir, "cli-state"),
  ...overrides,
});

/** Files written under `root`: the deliberate key files are set aside (their mode checked), the rest scanned. */
function scanFiles(root: string, label: string): void {
  for (const f of listFiles(root)) {
    const rel = path.relative(root, f.file);
    if (path.basename(f.file) === "privkey.pem" || rel.split(path.sep).includes("journal")) {
      exemptFiles.push(f);
      const text = fs.readFileSync(f.file, "utf8");
      // Generated keys: their body lines are secrets to look for everywhere else.
      for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g)) secret(`key in ${label} ${rel}`, pemBodyLines(m[0].replace(/\\n/g, "\n")));
      continue;
    }
    scan(`${label} file ${rel}`, fs.readFileSync(f.file, "utf8"));
  }
}

describe("secret-leak scan", () => {
  it("CLI: renew with a supplied key (--json) and with a generated key (human), scan, and a wrong SecretKey", async () => {
    const keyFile = path.join(dir, "supplied-key.pem");
    fs.writeFileSync(keyFile, SUPPLIED, { mode: 0o600 });
    const runs = [
      { name: "renew --key --json", argv: ["--json", "renew", "leakCli1", "--key", keyFile, "--out", path.join(dir, "out")], env: cliEnv(), code: 0 },
      { name: "renew (generated key)", argv: ["renew", "leakCli2", "--key-algorithm", "RSA_2048", "--out", path.join(dir, "out")], env: cliEnv(), code: 0 },
      { name: "scan --json", argv: ["--json", "scan"], env: cliEnv(), code: 2 },
      { name: "renew, wrong SecretKey", argv: ["--json", "renew", "leakCli1"], env: cliEnv({ TENCENTCLOUD_SECRET_KEY: WRONG_KEY }), code: 1 },
      { name: "scan, wrong SecretKey", argv: ["scan"], env: cliEnv({ TENCENTCLOUD_SECRET_KEY: WRONG_KEY }), code: 1 },
    ];
    for (const r of runs) {
      const out = await runCli(r.argv, r.env, { cwd: dir });
      expect(out.code, `${r.name}: ${out.stderr}`).toBe(r.code);
      scan(`CLI ${r.name} stdout`, out.stdout);
      scan(`CLI ${r.name} stderr`, out.stderr);
    }
    scanFiles(path.join(dir, "out"), "CLI --out");
    scanFiles(path.join(dir, "cli-state"), "CLI state dir");
  });

  it("engine: a typed auth error from a wrong SecretKey, with its cause chain", async () => {
    const deps = createEngineDeps({ endpoint: emu.url, env: {}, stateDir: path.join(dir, "engine-state"), credentials: { secretId: ACCOUNT.secretId, secretKey: WRONG_KEY, sessionToken: ACCOUNT.sessionToken } });
    const e = await ensureRenewed(deps, resolveOptions({ certificateId: "leakEng1", key: { source: "local", privateKeyPem: SUPPLIED } })).catch((x: unknown) => x);
    expect((e as { kind: string }).kind).toBe("Auth");
    scan("engine auth error message", (e as Error).message);
    scan("engine auth error, inspected with causes", util.inspect(e, { depth: 8 }));
    const failed = await ensureRenewed(createEngineDeps({ endpoint: emu.url, env: {}, stateDir: path.join(dir, "engine-state"), credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, sessionToken: ACCOUNT.sessionToken } }), resolveOptions({ certificateId: "leakEng1", key: { source: "local", privateKeyPem: SUPPLIED }, payment: { packageIds: ["pkg-none"] } })).catch((x: unknown) => x);
    expect(["InvalidInput", "PaymentRefused"]).toContain((failed as { kind: string }).kind);
    scan("engine failure (unknown package), message", (failed as Error).message);
    scan("engine failure (unknown package), inspected with causes", util.inspect(failed, { depth: 8 }));
    // A failure after the key was journaled: the verification error of a CSR for other domains.
    const other = await ensureRenewed(createEngineDeps({ endpoint: emu.url, env: {}, stateDir: path.join(dir, "engine-state"), credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, sessionToken: ACCOUNT.sessionToken } }), resolveOptions({ certificateId: "leakEng1", key: { source: "local", privateKeyPem: SUPPLIED }, validation: "manual-dns", waitTimeoutMinutes: 0 })).catch((x: unknown) => x);
    expect((other as { kind: string }).kind).toBe("PendingHumanAction");
    scan("engine resumable stop (manual DNS), inspected", util.inspect(other, { depth: 8 }));
    scanFiles(path.join(dir, "engine-state"), "engine state dir");
  });

  it("Pulumi: __provider, outputs minus secrets, host stdout/stderr, and a failing create", async () => {
    const projectDir = makeProjectDir();
    const stateDir = path.join(projectDir, "tccert-state");
    let host: Host | undefined;
    try {
      const pkg = projectRequire(projectDir)("tencentcloud-cert-renewal/pulumi") as { renewedCertificateProvider: object };
      const providerText = (await serializeProvider(pkg.renewedCertificateProvider)).text;
      scan("Pulumi serialized __provider", providerText);
      host = await startHost(projectDir, { TCCERT_STATE_DIR: stateDir });
      await host.configure({ "tencentcloud:secretId": ACCOUNT.secretId, "tencentcloud:secretKey": ACCOUNT.secretKey, "tencentcloud:securityToken": ACCOUNT.sessionToken, "tencentcloud:endpoint": emu.url });
      const create = async (name: string, args: Props) => {
        const checked = await host!.check(name, {}, { ...args, __provider: providerText });
        expect(checked.failures).toEqual([]);
        return (await host!.create(name, checked.inputs)).properties;
      };
      const supplied = await create("leakPul1", { certificateId: "leakPul1", key: { source: "local", privateKeyPem: SUPPLIED }, pkcs12Password: P12_PASSWORD, waitTimeoutMinutes: 1 });
      const generated = await create("leakPul2", { certificateId: "leakPul2", key: { source: "local", algorithm: "RSA_2048" }, pkcs12Password: P12_PASSWORD, waitTimeoutMinutes: 1 });
      for (const [name, outs] of [["supplied", supplied], ["generated", generated]] as const) {
        expect(outs["privateKeyPem"]).toBeTruthy();
        secret(`Pulumi ${name} privateKeyPem output`, pemBodyLines(outs["privateKeyPem"] as string));
        const p12 = String(outs["pkcs12"] ?? "");
        expect(p12).not.toBe("");
        secret(`Pulumi ${name} pkcs12 output`, p12.match(/.{1,64}/g) ?? []);
        const publicOuts = Object.fromEntries(Object.entries(outs).filter(([k]) => !SECRET_OUTPUTS.includes(k) && k !== "__provider"));
        scan(`Pulumi ${name} outputs minus ${SECRET_OUTPUTS.join("/")}`, JSON.stringify(publicOuts));
      }
      // A failing create (a package that does not exist), and the wrong key.
      const bad = await create("leakPul3", { certificateId: "leakPul3", key: { source: "local", privateKeyPem: SUPPLIED }, payment: { packageIds: ["pkg-none"] } }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(Error);
      expect((bad as Error).message).toMatch(/pkg-none/);
      scan("Pulumi failing create error", (bad as Error).message);
      await host.waitForStdout("tccert");
      scan("Pulumi host stdout", host.stdout());
      scan("Pulumi host stderr", host.stderr());
      await host.close();
      host = await startHost(projectDir, { TCCERT_STATE_DIR: stateDir });
      await host.configure({ "tencentcloud:secretId": ACCOUNT.secretId, "tencentcloud:secretKey": WRONG_KEY, "tencentcloud:securityToken": ACCOUNT.sessionToken, "tencentcloud:endpoint": emu.url });
      const checked = await host.check("leakPul4", {}, { certificateId: "leakPul2", __provider: providerText });
      const authErr = await host.create("leakPul4", checked.inputs).catch((e: unknown) => e);
      expect(String((authErr as Error).message)).toMatch(/AuthFailure\.SignatureFailure/);
      scan("Pulumi auth error (wrong SecretKey)", (authErr as Error).message);
      scan("Pulumi host stdout (wrong SecretKey)", host.stdout());
      scan("Pulumi host stderr (wrong SecretKey)", host.stderr());
      scanFiles(stateDir, "Pulumi state dir");
    } finally {
      await host?.close();
      fs.rmSync(projectDir, { recursive: true, force: true });
    }
  });

  it("CDKTF: synthesized JSON (credentials in the environment at synth), and the tf-* programs' output", async () => {
    const saved = { ...process.env };
    let json = "";
    try {
      Object.assign(process.env, { TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey, TENCENTCLOUD_SESSION_TOKEN: ACCOUNT.sessionToken });
      const outdir = path.join(dir, "cdktf.out");
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "leak");
      new RenewedCertificate(stack, "local", { certificateId: "leakTf1", key: { source: "local", algorithm: "EC_P256" } });
      // Terraform offers no Tencent-held keys (online/original); with deploy, the key reaches only the renewal step's environment, as a reference.
      new RenewedCertificate(stack, "deploying", { certificateId: "leakTf1", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }] });
      app.synth();
      json = fs.readFileSync(path.join(outdir, "stacks", "leak", "cdk.tf.json"), "utf8");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(json).toContain("leakTf1");
    // Nothing in the synthesized JSON is a literal secret (the only sensitive values are tls_private_key's, computed in state).
    scan("CDKTF synthesized cdk.tf.json", json);
    const env = cliEnv({ TCCERT_STATE_DIR: path.join(dir, "tf-state") });
    const { createKeyFactory } = await import("../../crypto");
    const keys = createKeyFactory();
    const csrPem = await keys.createCsr({ algorithm: "RSA_2048", privateKeyPem: SUPPLIED, publicKeyPem: "" }, "leaktf1.example.com", ["leaktf1.example.com"]);
    const status = await runCli(["tf-status"], env, { cwd: dir, stdin: JSON.stringify({ certificate_id: "leakTf1", renew_before_days: "" }) });
    expect(status.code, status.stderr).toBe(0);
    const query = { certificate_id: "leakTf1", renew_before_days: "", key_source: "local", key_algorithm: "EC_P256", validation: "", product_pid: "", package_ids: "", wait_timeout_minutes: "1", deploy: "" };
    const renew = await runCli(["tf-renew", "--certificate-id", "leakTf1"], { ...env, TCCERT_TF_QUERY: JSON.stringify(query), TCCERT_CSR_PEM: csrPem }, { cwd: dir });
    expect(renew.code, renew.stderr).toBe(0);
    const material = await runCli(["tf-material"], env, { cwd: dir, stdin: JSON.stringify({ certificate_id: "leakTf1", key_source: "local", csr_pem: csrPem, after_renewal: "renew:leakTf1" }) });
    expect(material.code, material.stderr).toBe(0);
    const wrong = await runCli(["tf-status"], { ...env, TENCENTCLOUD_SECRET_KEY: WRONG_KEY }, { cwd: dir, stdin: JSON.stringify({ certificate_id: "leakTf1", renew_before_days: "" }) });
    expect(wrong.code).not.toBe(0);
    for (const [name, r] of [["tf-status", status], ["tf-renew", renew], ["tf-material", material], ["tf-status, wrong SecretKey", wrong]] as const) {
      scan(`CDKTF ${name} stdout`, r.stdout);
      scan(`CDKTF ${name} stderr`, r.stderr);
    }
    scanFiles(path.join(dir, "tf-state"), "CDKTF state dir");
  });

  it("zero occurrences of any secret in any scanned place; the deliberate key files are 0600", () => {
    const hits: string[] = [];
    for (const { source, text } of scanned)
      for (const [name, needles] of secrets) for (const n of needles) if (text.includes(n)) hits.push(`${name} in ${source}`);
    const rows = scanned.map((s) => [s.source, String(s.text.length), String([...secrets.values()].flat().filter((n) => s.text.includes(n)).length)]);
    console.log(
      [
        `secret-leak scan: ${scanned.length} places scanned for ${secrets.size} secrets (${[...secrets.values()].flat().length} needles: marker credentials, PKCS#12 password, base64 body lines of every key); ${exemptFiles.length} deliberate key files (privkey.pem, journal) checked for mode 0600`,
        "",
        markdownTable(["place", "chars", "occurrences"], rows),
      ].join("\n"),
    );
    expect(hits).toEqual([]);
    expect(scanned.length).toBeGreaterThanOrEqual(30);
    // The generated keys were found (so the scan looked for them).
    expect([...secrets.keys()].filter((k) => k.startsWith("key in")).length).toBeGreaterThanOrEqual(3);
    for (const f of exemptFiles) expect((f.mode & 0o777).toString(8), f.file).toBe("600");
  });
});
