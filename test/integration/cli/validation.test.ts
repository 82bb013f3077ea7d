/**
 * Bad flags and bad environments: a clear message, exit 64, and not one call
 * to Tencent (the emulator's call log stays empty). Messages are pinned.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLEET, seed, startCliWorld, type CliWorld } from "./harness";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld(seed(FLEET));
});
afterAll(async () => w.close());

interface Case {
  readonly name: string;
  readonly argv: (w: CliWorld) => string[];
  readonly env?: Record<string, string | undefined>;
  readonly message: string | RegExp;
}

const CASES: readonly Case[] = [
  {
    name: "missing credential (TENCENTCLOUD_SECRET_KEY)",
    argv: () => ["scan"],
    env: { TENCENTCLOUD_SECRET_KEY: undefined },
    message: /^tccert: tencent: missing credentials: TENCENTCLOUD_SECRET_KEY \(SecretId AKID…0001 was given\); set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/,
  },
  {
    name: "missing credentials for renew",
    argv: () => ["renew", "dueA"],
    env: { TENCENTCLOUD_SECRET_KEY: undefined, TENCENTCLOUD_SECRET_ID: undefined },
    message: /^tccert: tencent: missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY; /,
  },
  {
    name: "bad --endpoint",
    argv: () => ["--endpoint", "ftp://127.0.0.1:1", "scan"],
    message: `tccert: tencent: invalid endpoint "ftp://127.0.0.1:1": protocol ftp: is not http: or https:. Expected an http(s) URL with a host and an optional port and nothing else, e.g. http://127.0.0.1:8443.`,
  },
  {
    name: "bad TCCERT_ENDPOINT",
    argv: () => ["scan"],
    env: { TCCERT_ENDPOINT: "not a url" },
    message: `tccert: tencent: invalid TCCERT_ENDPOINT "not a url": not a URL. Expected an http(s) URL with a host and an optional port and nothing else, e.g. http://127.0.0.1:8443.`,
  },
  {
    name: "negative --within-days",
    argv: () => ["scan", "--within-days", "-1"],
    message: `tccert: --within-days must be a whole number of days, 0 or more; got "-1".`,
  },
  {
    name: "--within-days not a number",
    argv: () => ["scan", "--within-days", "soon"],
    message: `tccert: --within-days must be a whole number of days, 0 or more; got "soon".`,
  },
  {
    name: "bad --ids",
    argv: () => ["scan", "--ids", "a b,c"],
    message: `tccert: --ids must be a comma-separated list of certificate ids such as "a1B2c3D4,e5F6g7H8"; got "a b,c".`,
  },
  {
    name: "conflicting --key-source and --csr",
    argv: (w) => ["renew", "dueA", "--key-source", "online", "--csr", path.join(w.dir, "req.csr")],
    message: `tccert: --csr conflicts with --key-source online: a CSR means you hold the key. Drop --key-source or use --key-source csr.`,
  },
  {
    name: "--key with --csr",
    argv: (w) => ["renew", "dueA", "--key", path.join(w.dir, "k.pem"), "--csr", path.join(w.dir, "req.csr")],
    message: `tccert: --key and --csr conflict: give your private key (we make the CSR) or your CSR (you keep the key), not both.`,
  },
  {
    name: "unreadable --csr",
    argv: (w) => ["renew", "dueA", "--csr", path.join(w.dir, "missing.csr")],
    message: /^tccert: --csr: cannot read ".*missing\.csr" \(ENOENT\)\. Pass a readable PEM file\.$/,
  },
  {
    name: "unwritable --out",
    argv: (w) => ["renew", "dueA", "--out", path.join(w.dir, "a-file", "sub")],
    message: /^tccert: --out ".*a-file\/sub" is not a writable directory \(ENOTDIR\)\. Choose a directory you can write to\.$/,
  },
  {
    name: "no ids and no --all-due",
    argv: () => ["renew"],
    message: "tccert: renew needs certificate ids, or --all-due. Run `tccert scan` to see what is due.",
  },
  {
    name: "ids with --all-due",
    argv: () => ["renew", "dueA", "--all-due"],
    message: "tccert: --all-due renews everything due; do not also name ids (got dueA).",
  },
  {
    name: "malformed certificate id",
    argv: () => ["renew", "bad/id"],
    message: `tccert: certificate id "bad/id" is not a Tencent certificate id (letters, digits, - and _, such as "a1B2c3D4"). Find ids with \`tccert scan\`.`,
  },
  {
    name: "--concurrency 0",
    argv: () => ["renew", "--all-due", "--concurrency", "0"],
    message: `tccert: --concurrency must be a whole number from 1 to 64; got "0".`,
  },
  {
    name: "--renew-before-days 0",
    argv: () => ["renew", "dueA", "--renew-before-days", "0"],
    message: /^tccert: --renew-before-days must be a whole number of days from 1 to 365; got 0\./,
  },
  {
    name: "--wait-timeout-minutes not a number",
    argv: () => ["renew", "dueA", "--wait-timeout-minutes", "ten"],
    message: `tccert: --wait-timeout-minutes must be a number; got "ten".`,
  },
  {
    name: "--product-pid not a product",
    argv: () => ["renew", "dueA", "--product-pid", "12"],
    message: /^tccert: --product-pid must be Tencent's 7-digit product PID such as 1013949; got 12\./,
  },
  {
    name: "--key-algorithm outside the choices",
    argv: () => ["renew", "dueA", "--key-algorithm", "RSA_1024"],
    message: "tccert: option '--key-algorithm <alg>' argument 'RSA_1024' is invalid. Allowed choices are RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384.",
  },
  {
    name: "--region without --deploy",
    argv: () => ["renew", "dueA", "--region", "ap-guangzhou"],
    message: "tccert: --region only applies with --deploy (e.g. --deploy clb --region ap-guangzhou).",
  },
  {
    name: "unknown deploy resource type",
    argv: () => ["deploy", "dueC", "--resource-types", "clb,floppy"],
    message: `tccert: --resource-types: unknown type "floppy"; allowed: clb, cdn, waf, live, ddos, teo, apigateway, vod, tke, tcb, tse, cos, mqtt, scf, tdmq, gaap.`,
  },
  {
    name: "deploy without --resource-types",
    argv: () => ["deploy", "dueC"],
    message: "tccert: deploy dueC needs --resource-types, e.g. --resource-types clb,cdn; or run `tccert deploy --drifted` (no id) to move every drifted resource.",
  },
  {
    name: "unknown flag",
    argv: () => ["scan", "--bogus"],
    message: "tccert: unknown option '--bogus'",
  },
  {
    name: "bad --request-timeout",
    argv: () => ["--request-timeout", "0", "scan"],
    message: 'tccert: --request-timeout must be a whole number of seconds from 1 to 600; got "0". The default is 60.',
  },
  {
    name: "unwritable --state-dir",
    argv: (w) => ["--state-dir", path.join(w.dir, "a-file"), "renew", "dueA"],
    message: /^tccert: --state-dir ".*a-file" is not a writable directory \(EEXIST\); it keeps renewal journals and the backoff state\./,
  },
];

describe("tccert rejects bad flags and environments before any network call", () => {
  beforeAll(() => {
    fs.writeFileSync(path.join(w.dir, "a-file"), "not a directory");
    fs.writeFileSync(path.join(w.dir, "req.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
    fs.writeFileSync(path.join(w.dir, "k.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
  });

  it.each(CASES)("$name", async (c) => {
    const before = w.totalCalls();
    const r = await w.run(c.argv(w), c.env ? { env: c.env } : {});
    expect(r.code).toBe(64);
    const firstLine = r.stderr.split("\n")[0] ?? "";
    if (typeof c.message === "string") expect(firstLine).toBe(c.message);
    else expect(firstLine).toMatch(c.message);
    expect(r.stdout).toBe("");
    expect(w.totalCalls()).toBe(before);
    expect(w.totalCalls()).toBe(0);
  });

  it("with --json a usage error is also a JSON object on stdout", async () => {
    const r = await w.run(["--json", "scan", "--within-days", "-3"]);
    expect(r.code).toBe(64);
    expect(r.json()).toEqual({ error: { kind: "InvalidInput", message: `--within-days must be a whole number of days, 0 or more; got "-3".`, resumable: false } });
    expect(w.totalCalls()).toBe(0);
  });

  it("with --json a flag error from the parser is a JSON object on stdout as well", async () => {
    const r = await w.run(["--json", "renew", "dueA", "--key-algorithm", "RSA_1"]);
    expect(r.code).toBe(64);
    expect(r.json()).toEqual({ error: { kind: "InvalidInput", message: "option '--key-algorithm <alg>' argument 'RSA_1' is invalid. Allowed choices are RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384.", resumable: false } });
    expect(r.stderr).toBe("tccert: option '--key-algorithm <alg>' argument 'RSA_1' is invalid. Allowed choices are RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384.\n");
    expect(w.totalCalls()).toBe(0);
  });

  it("never echoes the SecretKey, even in a credential error", async () => {
    const r = await w.run(["scan"], { env: { TENCENTCLOUD_SECRET_ID: undefined } });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("TENCENTCLOUD_SECRET_ID");
    expect(r.stderr + r.stdout).not.toContain(w.env["TENCENTCLOUD_SECRET_KEY"]);
  });
});

describe("an unknown certificate id needs Tencent's answer: clear, names the id, pays nothing", () => {
  it("renew", async () => {
    const r = await w.run(["renew", "NoSuchCert"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NoSuchCert: TencentApi: certificate NoSuchCert was not found in this account \(Tencent answered FailedOperation\.CertificateNotFound, RequestId [\w-]+\)\. Check the id with `tccert scan`; nothing was paid\.$/m);
    expect(w.count("ssl.DescribeCertificateDetail")).toBeGreaterThan(0);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("renew --dry-run --json", async () => {
    const r = await w.run(["--json", "renew", "NoSuchCert", "--dry-run"]);
    expect(r.code).toBe(1);
    const body = r.json<{ plans: { id: string; error: { kind: string; message: string } }[] }>();
    expect(body.plans[0]?.id).toBe("NoSuchCert");
    expect(body.plans[0]?.error.message).toMatch(/^certificate NoSuchCert was not found in this account/);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("deploy", async () => {
    const r = await w.run(["deploy", "NoSuchCert", "--resource-types", "clb"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tccert: certificate NoSuchCert was not found in this account \(Tencent answered FailedOperation\.CertificateNotFound/);
    expect(w.mutatingCalls()).toBe(0);
  });

  it("an unknown id is not put in backoff", async () => {
    expect(fs.existsSync(path.join(w.stateDir, "backoff.json")) ? Object.keys(JSON.parse(fs.readFileSync(path.join(w.stateDir, "backoff.json"), "utf8")).certificates) : []).not.toContain("NoSuchCert");
  });
});
