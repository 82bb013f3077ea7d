/**
 * Auth failures reach the user as actionable errors that name what to check, on every surface:
 * the CLI (stderr + exit code), the engine (a typed AuthError), and the Pulumi provider through
 * Pulumi's real dynamic-provider host. The emulator is its own process (`tccert emulator`), so
 * the clock-skew case is honest: the client process runs with a clock 10 minutes behind
 * (fixtures/skewed-clock.cjs, preloaded through NODE_OPTIONS into that child only), exactly as a
 * drifted machine would, and the emulator checks the signature's timestamp against true time.
 * Every case makes no mutating call.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import { HostError, makeProjectDir, projectRequire, serializeProvider, startHost } from "../pulumi/host";
import { MUTATING, REPO, cellAccount, runCli, startStandaloneEmulator, tempDir, type StandaloneEmulator } from "./support";

const SKEW = path.join(__dirname, "fixtures", "skewed-clock.cjs");
const OK = cellAccount("auth-ok");
const TOKEN = { ...cellAccount("auth-token"), sessionToken: "auth-session-token-0000000000000000000001", sessionTokenExpiresAt: "2020-01-01T00:00:00Z" };
const UNKNOWN_ID = "AKIDUNKNOWNUNKNOWNUNKNOWN000000000009";
const WRONG_KEY = "wrong-secret-key-for-auth-tests-000000001";

interface Case {
  readonly name: string;
  readonly creds: { secretId?: string; secretKey?: string; sessionToken?: string };
  readonly skewMs?: number;
  /** The code of the AuthError. */
  readonly code: string;
  /** What the message must say (pinned). */
  readonly message: RegExp;
}

const CASES: readonly Case[] = [
  {
    name: "a wrong SecretKey",
    creds: { secretId: OK.secretId, secretKey: WRONG_KEY },
    code: "AuthFailure.SignatureFailure",
    message: /^tencent: DescribeCertificateDetail: AuthFailure\.SignatureFailure: the request signature did not verify: TENCENTCLOUD_SECRET_KEY \(tencentcloud:secretKey\) does not belong to TENCENTCLOUD_SECRET_ID AKID…[0-9A-Z]{4}\. Tencent said: .+\(RequestId [0-9a-f-]{36}\)$/,
  },
  {
    name: "an unknown SecretId",
    creds: { secretId: UNKNOWN_ID, secretKey: OK.secretKey },
    code: "AuthFailure.SecretIdNotFound",
    message: /^tencent: DescribeCertificateDetail: AuthFailure\.SecretIdNotFound: the SecretId AKID…0009 is unknown or disabled: check TENCENTCLOUD_SECRET_ID \(or the Pulumi config key tencentcloud:secretId\)\. Tencent said: .+$/,
  },
  {
    name: "an expired signature (this machine's clock is 10 minutes behind)",
    creds: { secretId: OK.secretId, secretKey: OK.secretKey },
    skewMs: -600_000,
    code: "AuthFailure.SignatureExpire",
    message: /^tencent: DescribeCertificateDetail: AuthFailure\.SignatureExpire: the request time differs from Tencent's clock by more than 5 minutes \(clock skew\): sync this machine's clock \(NTP\) and retry\. Tencent said: .+$/,
  },
  {
    name: "an expired session token",
    creds: { secretId: TOKEN.secretId, secretKey: TOKEN.secretKey, sessionToken: TOKEN.sessionToken },
    code: "AuthFailure.TokenFailure",
    message: /^tencent: DescribeCertificateDetail: AuthFailure\.TokenFailure: the session token is invalid or expired: refresh TENCENTCLOUD_SESSION_TOKEN \(tencentcloud:securityToken\) together with its TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY\. Tencent said: .+$/,
  },
];

const MISSING_ENV = /^tencent: missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY; set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY \(plus TENCENTCLOUD_SESSION_TOKEN for temporary credentials\), or the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey \(`pulumi config set --secret tencentcloud:secretKey \.\.\.`\)\.$/;
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MISSING = "tencent: missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY; ";
const ENV_HOW = "set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SESSION_TOKEN for temporary credentials)";
/** Each front end names the way to set credentials that its users have (issue 15). */
const MISSING_CLI = new RegExp(`^${escape(`${MISSING}${ENV_HOW} in the environment of tccert, e.g. \`export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...\` (in CI, from repository secrets).`)}$`);
const MISSING_PULUMI = new RegExp(
  escape(`${MISSING}set the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey (\`pulumi config set --secret tencentcloud:secretKey ...\`), or ${ENV_HOW.replace(/^set /, "")} in the environment of \`pulumi\`.`),
);

let emu: StandaloneEmulator;
const CERT = "authCert1";

beforeAll(async () => {
  emu = await startStandaloneEmulator("auth");
  await emu.admin("POST", "seed", {
    accounts: [OK, TOKEN],
    certificates: [OK, TOKEN].map((a, i) => ({ certificateId: i === 0 ? CERT : "authCert2", accountId: a.accountId, domain: `auth${i}.example.com`, certType: "DV", expiresInDays: 10 })),
    packages: [OK, TOKEN].map((a) => ({ accountId: a.accountId, total: 10, balance: 10 })),
    zones: [OK, TOKEN].map((a) => ({ accountId: a.accountId, zone: "example.com" })),
  });
});
afterAll(async () => emu?.close());

const certFor = (c: Case) => (c.creds.secretId === TOKEN.secretId ? "authCert2" : CERT);

async function mutating(): Promise<number> {
  return (await emu.calls()).filter((c) => MUTATING.includes(c.action)).length;
}

/** The engine in its own process (for the skewed clock), over the built package; prints the error as JSON. */
function engineChild(c: Case): Promise<{ kind: string; code: string; message: string; isAuth: boolean }> {
  const script = `
    const { createEngineDeps } = require(${JSON.stringify(path.join(REPO, "dist/runtime"))});
    const { ensureRenewed, resolveOptions, isAuthError } = require(${JSON.stringify(path.join(REPO, "dist/engine"))});
    const deps = createEngineDeps({ endpoint: process.env.EMU, env: {}, stateDir: process.env.STATE, credentials: JSON.parse(process.env.CREDS) });
    ensureRenewed(deps, resolveOptions({ certificateId: process.env.CERT })).then(
      () => console.log(JSON.stringify({ kind: "none" })),
      (e) => console.log(JSON.stringify({ kind: e.kind, code: e.code, message: e.message, isAuth: isAuthError(e) })),
    );`;
  const dir = tempDir("auth-engine");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], {
      env: {
        PATH: process.env["PATH"] ?? "",
        EMU: emu.url,
        STATE: dir,
        CERT: certFor(c),
        CREDS: JSON.stringify(c.creds),
        ...(c.skewMs !== undefined ? { NODE_OPTIONS: `--require ${SKEW}`, TCCERT_TEST_CLOCK_SKEW_MS: String(c.skewMs) } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", () => {
      fs.rmSync(dir, { recursive: true, force: true });
      try {
        resolve(JSON.parse(out) as { kind: string; code: string; message: string; isAuth: boolean });
      } catch {
        reject(new Error(`engine child printed no JSON: ${out} ${err}`));
      }
    });
  });
}

function cliEnv(c: Case): Record<string, string> {
  return {
    ...(c.creds.secretId !== undefined ? { TENCENTCLOUD_SECRET_ID: c.creds.secretId } : {}),
    ...(c.creds.secretKey !== undefined ? { TENCENTCLOUD_SECRET_KEY: c.creds.secretKey } : {}),
    ...(c.creds.sessionToken !== undefined ? { TENCENTCLOUD_SESSION_TOKEN: c.creds.sessionToken } : {}),
    ...(c.skewMs !== undefined ? { NODE_OPTIONS: `--require ${SKEW}`, TCCERT_TEST_CLOCK_SKEW_MS: String(c.skewMs) } : {}),
  };
}

describe("auth failures: actionable, naming what to check, on every surface, and nothing mutated", () => {
  it.each(CASES)("engine: $name", async (c) => {
    const before = await mutating();
    const e = await engineChild(c);
    expect(e.isAuth).toBe(true);
    expect(e.code).toBe(c.code);
    expect(e.message).toMatch(c.message);
    expect(e.message).not.toContain(c.creds.secretKey ?? "\u0000");
    expect(await mutating()).toBe(before);
  });

  it("engine: missing credentials fail before any call", async () => {
    const before = (await emu.calls()).length;
    let error: unknown;
    try {
      createEngineDeps({ endpoint: emu.url, env: {}, stateDir: tempDir("auth-missing") });
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error)).toBe(true);
    expect((error as { code: string }).code).toBe("MissingCredentials");
    expect((error as Error).message).toMatch(MISSING_ENV);
    // And through the engine entry point with credentials from an environment that lacks them.
    await expect(async () => ensureRenewed(createEngineDeps({ endpoint: emu.url, env: {} }), resolveOptions({ certificateId: CERT }))).rejects.toMatchObject({ kind: "Auth", code: "MissingCredentials" });
    expect((await emu.calls()).length).toBe(before);
  });

  it.each(CASES)("CLI: $name → exit 1, the message on stderr, the JSON error on stdout", async (c) => {
    const before = await mutating();
    const dir = tempDir("auth-cli");
    const r = await runCli(["--json", "--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", certFor(c)], cliEnv(c), { cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { error: { kind: string; code: string; message: string; resumable: boolean } }[] };
    const error = report.results[0]!.error;
    expect(error).toMatchObject({ kind: "Auth", code: c.code, resumable: false });
    expect(error.message).toMatch(c.message);
    expect(r.stderr).toContain(error.message);
    expect(r.stdout + r.stderr).not.toContain(c.creds.secretKey ?? "\u0000");
    expect(await mutating()).toBe(before);
  });

  it("CLI: missing credentials → exit 64 before any call, naming the variables", async () => {
    const before = (await emu.calls()).length;
    const dir = tempDir("auth-cli-missing");
    const r = await runCli(["--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", CERT], {}, { cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(64);
    const line = r.stderr.trim().split("\n").pop()!;
    expect(line.replace(/^tccert: /, "")).toMatch(MISSING_CLI);
    expect((await emu.calls()).length).toBe(before);
  });

  describe("Pulumi, through the real dynamic-provider host", () => {
    let projectDir: string;
    let providerText: string;
    beforeAll(async () => {
      projectDir = makeProjectDir();
      const pkg = projectRequire(projectDir)("tencentcloud-cert-renewal/pulumi") as { renewedCertificateProvider: object };
      providerText = (await serializeProvider(pkg.renewedCertificateProvider)).text;
    });
    afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));

    async function up(config: Record<string, string>, env: Record<string, string>, certificateId: string): Promise<{ error: unknown; printed: string }> {
      const host = await startHost(projectDir, { ...env, TCCERT_STATE_DIR: path.join(projectDir, "state") });
      try {
        await host.configure({ "tencentcloud:endpoint": emu.url, ...config });
        const checked = await host.check("auth", {}, { certificateId, __provider: providerText });
        const error = await host.create("auth", checked.inputs).then(
          () => null,
          (e: unknown) => e,
        );
        return { error, printed: host.stdout() + host.stderr() };
      } finally {
        await host.close();
      }
    }

    it.each(CASES)("$name → create fails with the auth message, no partial state", async (c) => {
      const before = await mutating();
      const config = {
        ...(c.creds.secretId !== undefined ? { "tencentcloud:secretId": c.creds.secretId } : {}),
        ...(c.creds.secretKey !== undefined ? { "tencentcloud:secretKey": c.creds.secretKey } : {}),
        ...(c.creds.sessionToken !== undefined ? { "tencentcloud:securityToken": c.creds.sessionToken } : {}),
      };
      const env = c.skewMs !== undefined ? { NODE_OPTIONS: `--require ${SKEW}`, TCCERT_TEST_CLOCK_SKEW_MS: String(c.skewMs) } : {};
      const { error, printed } = await up(config, env, certFor(c));
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).partial).toBeNull();
      expect((error as HostError).message).toMatch(c.message);
      expect((error as HostError).message + printed).not.toContain(c.creds.secretKey ?? "\u0000");
      expect(await mutating()).toBe(before);
    });

    it("regression: an expired session token's message named only TENCENTCLOUD_SESSION_TOKEN, not the Pulumi config key tencentcloud:securityToken", async () => {
      const c = CASES.find((x) => x.code === "AuthFailure.TokenFailure")!;
      const { error } = await up({ "tencentcloud:secretId": TOKEN.secretId, "tencentcloud:secretKey": TOKEN.secretKey, "tencentcloud:securityToken": TOKEN.sessionToken }, {}, certFor(c));
      expect((error as HostError).message).toContain("refresh TENCENTCLOUD_SESSION_TOKEN (tencentcloud:securityToken)");
      expect((error as HostError).message).not.toContain(TOKEN.sessionToken);
    });

    it("missing credentials → create fails naming the variables and config keys", async () => {
      const before = (await emu.calls()).length;
      const { error } = await up({}, {}, CERT);
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).message).toMatch(MISSING_PULUMI);
      expect((await emu.calls()).length).toBe(before);
    });
  });
});
