/**
 * Bad-input catalogue: one table of bad inputs across every surface — the Pulumi `check` (through
 * Pulumi's real dynamic-provider host), the CDKTF synth, the `tccert tf-*` external programs'
 * stdin/env, the CLI's flags and environment, and the engine API (`resolveOptions`,
 * `createEngineDeps`, `ensureRenewed`). Each case must fail with an error that names the field
 * (pinned message) and, according to the emulator's call log, make no paid or mutating call.
 * Every surface points at the same running emulator (the Pulumi world's).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { isRenewalError } from "../../engine/errors";
import { resolveOptions, type RenewalOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import type { Props } from "../pulumi/host";
import { ACCOUNT, dv, seed, startPulumiWorld, type PulumiWorld } from "../pulumi/world";
import { MUTATING, runCli, tempDir } from "./support";

let world: PulumiWorld;
let dir: string;
const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
/** A real EC private key (the PKCS#12 output supports RSA only). */
const EC_KEY = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
/** A private-key-looking value that must never be echoed. */
const KEY_MARKER = "BADINPUTKEYMARKER0123456789";

beforeAll(async () => {
  world = await startPulumiWorld(
    seed([dv("bad", 10), dv("unpaid", 10, { paid: false }), dv("pending", 10, { status: 5 }), dv("later", 200)]),
  );
  dir = tempDir("bad-input");
  fs.writeFileSync(path.join(dir, "a-file"), "not a directory");
  fs.writeFileSync(path.join(dir, "key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
});
afterAll(async () => {
  await world?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Failure {
  /** The field the surface says is wrong (Pulumi property, error `field`, or "" when only the message names it). */
  readonly field: string;
  readonly message: string;
  /** CLI and external programs: the exit code. */
  readonly exit?: number | null;
}

type Surface = "pulumi check" | "cdktf synth" | "external program" | "cli" | "engine";
interface Case {
  readonly surface: Surface;
  readonly name: string;
  /** The field as the user knows it on that surface; the message must name it. */
  readonly field: string;
  /** The pinned message: an exact string or a tight pattern. */
  readonly message: string | RegExp;
  readonly exit?: number;
  readonly run: () => Promise<Failure>;
}

// ---------------------------------------------------------------- surfaces

const pulumiCheck = (args: Props) => async (): Promise<Failure> => {
  const r = await world.host.check("bad", {}, world.news(args));
  expect(r.failures.length, JSON.stringify(r.failures)).toBe(1);
  return { field: r.failures[0]!.property, message: r.failures[0]!.reason };
};

const synth = (config: unknown) => async (): Promise<Failure> => {
  try {
    Testing.synthScope((scope) => {
      new RenewedCertificate(scope, "cert", config as RenewedCertificateConfig);
    });
  } catch (e) {
    return { field: (e as { field?: string }).field ?? "", message: (e as Error).message };
  }
  throw new Error("synth accepted a bad config");
};

const terraformEnv = (): Record<string, string> => ({
  TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId,
  TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey,
  TCCERT_ENDPOINT: world.emu.url,
  TCCERT_STATE_DIR: path.join(dir, "state"),
});

const external = (command: string, stdin: string, env: Record<string, string> = {}, args: string[] = []) => async (): Promise<Failure> => {
  const r = await runCli([command, ...args], { ...terraformEnv(), ...env }, { cwd: dir, stdin });
  expect(r.stdout, "an external program prints nothing on stdout when it fails").toBe("");
  return { field: "", message: r.stderr.trim(), exit: r.code };
};

const cli = (argv: string[], env: Record<string, string | undefined> = {}) => async (): Promise<Failure> => {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...terraformEnv(), ...env })) if (v !== undefined) merged[k] = v;
  const r = await runCli(argv, merged, { cwd: dir });
  return { field: "", message: r.stderr.trim(), exit: r.code };
};

const engine = (f: () => unknown) => async (): Promise<Failure> => {
  try {
    await f();
  } catch (e) {
    if (!isRenewalError(e)) throw e;
    return { field: (e as { field?: string }).field ?? "", message: e.message };
  }
  throw new Error("the engine accepted bad input");
};
const deps = () => createEngineDeps({ endpoint: world.emu.url, credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey }, stateDir: path.join(dir, "engine-state"), env: {} });
const renew = (o: Partial<RenewalOptions> & { certificateId: string }) => engine(() => ensureRenewed(deps(), resolveOptions(o as RenewalOptions)));

const q = (o: Record<string, string>) => JSON.stringify(o);
const STATUS = { certificate_id: "bad", renew_before_days: "" };
// Terraform offers only keys it holds (local, csr): Tencent-held keys would print through data "external".
const MATERIAL = { certificate_id: "bad", key_source: "csr", csr_pem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", after_renewal: "renew:bad" };
const RENEW = { certificate_id: "bad", renew_before_days: "", key_source: "csr", key_algorithm: "", validation: "", product_pid: "", package_ids: "", wait_timeout_minutes: "1", deploy: "" };

// ---------------------------------------------------------------- the catalogue

const CASES: readonly Case[] = [
  // Pulumi check, through the host.
  { surface: "pulumi check", name: "certificateId with spaces", field: "certificateId", message: 'certificateId must be a Tencent certificate id such as "a1B2c3D4"; got "not an id". Find it with `tccert scan` or in the SSL console.', run: pulumiCheck({ certificateId: "not an id" }) },
  { surface: "pulumi check", name: "renewBeforeDays 0", field: "renewBeforeDays", message: "renewBeforeDays must be a whole number of days from 1 to 365; got 0. The default is 30.", run: pulumiCheck({ certificateId: "bad", renewBeforeDays: 0 }) },
  { surface: "pulumi check", name: "waitTimeoutMinutes negative", field: "waitTimeoutMinutes", message: "waitTimeoutMinutes must be a number of minutes from 0 to 10080; got -1. Use 0 to start the renewal and return at once.", run: pulumiCheck({ certificateId: "bad", waitTimeoutMinutes: -1 }) },
  { surface: "pulumi check", name: "an unknown validation", field: "validation", message: 'validation must be one of "dnspod", "DNS_AUTO", "manual-dns"; got "http-01".', run: pulumiCheck({ certificateId: "bad", validation: "http-01" }) },
  { surface: "pulumi check", name: "an unknown key.source", field: "key.source", message: 'key.source must be one of "local", "online", "original", "csr"; got "hsm".', run: pulumiCheck({ certificateId: "bad", key: { source: "hsm" } }) },
  { surface: "pulumi check", name: "key.privateKeyPem not a PEM (not echoed)", field: "key.privateKeyPem", message: "key.privateKeyPem must be an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1); the value given is not one (not shown: it may be secret).", run: pulumiCheck({ certificateId: "bad", key: { privateKeyPem: KEY_MARKER } }) },
  { surface: "pulumi check", name: "a 2-digit productPid", field: "payment.productPid", message: "payment.productPid must be Tencent's 7-digit product PID such as 1013949; got 12. Leave it out to derive it from the certificate.", run: pulumiCheck({ certificateId: "bad", payment: { productPid: 12 } }) },
  { surface: "pulumi check", name: "an unknown deploy type", field: "deploy[0].resourceType", message: /^deploy\[0\]\.resourceType must be one of clb, cdn, .*, gaap; got "s3"\.$/, run: pulumiCheck({ certificateId: "bad", deploy: [{ resourceType: "s3" }] }) },
  { surface: "pulumi check", name: "pkcs12Password with a supplied EC key", field: "pkcs12Password", message: "pkcs12Password: the PKCS#12 output supports RSA keys only, but key.privateKeyPem is an EC key (not shown). Supply an RSA key or leave pkcs12Password out.", run: pulumiCheck({ certificateId: "bad", key: { privateKeyPem: EC_KEY }, pkcs12Password: "long enough" }) },
  { surface: "pulumi check", name: "a misspelt input", field: "renewBeforeDay", message: /^renewBeforeDay is not an input of RenewedCertificate.*did you mean renewBeforeDays\?/, run: pulumiCheck({ certificateId: "bad", renewBeforeDay: 10 }) },

  // CDKTF synth.
  { surface: "cdktf synth", name: "an empty certificate id", field: "certificateId", message: 'RenewedCertificate "cert": certificateId must be a Tencent certificate id such as "a1B2c3D4"; got "". Find it with `tccert scan` or in the SSL console.', run: synth({ certificateId: "" }) },
  { surface: "cdktf synth", name: "renewBeforeDays as a string", field: "renewBeforeDays", message: 'RenewedCertificate "cert": renewBeforeDays must be a whole number of days from 1 to 365; got "30". The default is 30.', run: synth({ certificateId: "bad", renewBeforeDays: "30" }) },
  { surface: "cdktf synth", name: "csr without csrPem", field: "key.csrPem", message: 'RenewedCertificate "cert": key.csrPem is required with key.source "csr": pass your PEM certificate signing request.', run: synth({ certificateId: "bad", key: { source: "csr" } }) },
  // Issue 14: Terraform offers only keys it holds (a Tencent-held key would reach an unsensitive data "external" result).
  { surface: "cdktf synth", name: "an online key", field: "key.source", message: /^RenewedCertificate "cert": key\.source "online" is not offered by the CDKTF construct \(it takes local, csr\): Terraform cannot mark a data "external" result sensitive/, run: synth({ certificateId: "bad", key: { source: "online" } }) },
  { surface: "cdktf synth", name: "a private key in the config (not echoed)", field: "key.privateKeyPem", message: /^RenewedCertificate "cert": key\.privateKeyPem .*would be written, unencrypted, into the synthesized JSON/, run: synth({ certificateId: "bad", key: { privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${KEY_MARKER}\n-----END PRIVATE KEY-----` } }) },
  { surface: "cdktf synth", name: "no package ids", field: "payment.packageIds", message: /^RenewedCertificate "cert": payment\.packageIds must be a non-empty list of package ids from `DescribePackages`; got \[\]/, run: synth({ certificateId: "bad", payment: { packageIds: [] } }) },
  { surface: "cdktf synth", name: "an empty renewalTrigger", field: "renewalTrigger", message: /^RenewedCertificate "cert": renewalTrigger must not be empty/, run: synth({ certificateId: "bad", renewalTrigger: "" }) },

  // External programs, as Terraform runs them.
  { surface: "external program", name: "tf-status: stdin not JSON", field: "stdin", exit: 64, message: /^tccert: tf-status: stdin is not JSON/, run: external("tf-status", "certificate_id=bad") },
  { surface: "external program", name: "tf-status: a missing key", field: "renew_before_days", exit: 64, message: /missing query key "renew_before_days"/, run: external("tf-status", q({ certificate_id: "bad" })) },
  { surface: "external program", name: "tf-status: an unknown key", field: "extra", exit: 64, message: /unknown query key "extra"/, run: external("tf-status", q({ ...STATUS, extra: "x" })) },
  { surface: "external program", name: "tf-status: a bad certificate id", field: "certificate_id", exit: 64, message: /query key "certificate_id": certificateId must be a Tencent certificate id such as "a1B2c3D4"; got "<script>"/, run: external("tf-status", q({ ...STATUS, certificate_id: "<script>" })) },
  { surface: "external program", name: "tf-material: a bad key source", field: "key_source", exit: 64, message: /query key "key_source": key\.source must be one of "local", "online", "original", "csr"; got "remote"/, run: external("tf-material", q({ ...MATERIAL, key_source: "remote" })) },
  { surface: "external program", name: "tf-renew: a bad validation in TCCERT_TF_QUERY", field: "validation", exit: 64, message: /validation must be one of "dnspod", "DNS_AUTO", "manual-dns"; got "http"/, run: external("tf-renew", "", { TCCERT_TF_QUERY: q({ ...RENEW, validation: "http" }), TCCERT_CSR_PEM: MATERIAL.csr_pem }, ["--certificate-id", "bad"]) },

  // CLI flags and environment.
  { surface: "cli", name: "--key-source not a choice", field: "--key-source", exit: 64, message: /^tccert: option '--key-source <source>' argument 'hsm' is invalid\. Allowed choices are local, online, original, csr\.$/, run: cli(["renew", "bad", "--key-source", "hsm"]) },
  { surface: "cli", name: "--wait-timeout-minutes not a number", field: "--wait-timeout-minutes", exit: 64, message: 'tccert: --wait-timeout-minutes must be a number; got "soon".', run: cli(["renew", "bad", "--wait-timeout-minutes", "soon"]) },
  { surface: "cli", name: "--renew-before-days 0", field: "--renew-before-days", exit: 64, message: "tccert: --renew-before-days must be a whole number of days from 1 to 365; got 0. The default is 30.", run: cli(["renew", "bad", "--renew-before-days", "0"]) },
  { surface: "cli", name: "--concurrency 0", field: "--concurrency", exit: 64, message: 'tccert: --concurrency must be a whole number from 1 to 64; got "0".', run: cli(["renew", "bad", "--concurrency", "0"]) },
  { surface: "cli", name: "--key and --csr together", field: "--key", exit: 64, message: "tccert: --key and --csr conflict: give your private key (we make the CSR) or your CSR (you keep the key), not both.", run: cli(["renew", "bad", "--key", "k.pem", "--csr", "c.pem"]) },
  { surface: "cli", name: "--csr file missing", field: "--csr", exit: 64, message: 'tccert: --csr: cannot read "missing.csr" (ENOENT). Pass a readable PEM file.', run: cli(["renew", "bad", "--csr", "missing.csr"]) },
  { surface: "cli", name: "--region without --deploy", field: "--region", exit: 64, message: "tccert: --region only applies with --deploy (e.g. --deploy clb --region ap-guangzhou).", run: cli(["renew", "bad", "--region", "ap-guangzhou"]) },
  { surface: "cli", name: "--product-pid too short", field: "--product-pid", exit: 64, message: "tccert: --product-pid must be Tencent's 7-digit product PID such as 1013949; got 12. Leave it out to derive it from the certificate.", run: cli(["renew", "bad", "--product-pid", "12"]) },
  { surface: "cli", name: "--out is a file", field: "--out", exit: 64, message: /^tccert: --out ".*a-file" is not a writable directory \((EEXIST|ENOTDIR)\)\. Choose a directory you can write to\.$/, run: cli(["renew", "bad", "--out", "a-file"]) },
  { surface: "cli", name: "no certificate ids", field: "--all-due", exit: 64, message: "tccert: renew needs certificate ids, or --all-due. Run `tccert scan` to see what is due.", run: cli(["renew"]) },
  { surface: "cli", name: "TCCERT_ENDPOINT not http(s)", field: "TCCERT_ENDPOINT", exit: 64, message: 'tccert: tencent: invalid TCCERT_ENDPOINT "ftp://127.0.0.1:1": protocol ftp: is not http: or https:. Expected an http(s) URL with a host and an optional port and nothing else, e.g. http://127.0.0.1:8443.', run: cli(["renew", "bad"], { TCCERT_ENDPOINT: "ftp://127.0.0.1:1" }) },
  { surface: "cli", name: "--endpoint with a path", field: "endpoint", exit: 64, message: /^tccert: tencent: invalid endpoint "http:\/\/127\.0\.0\.1:1\/api": a path, query or fragment is not allowed/, run: cli(["--endpoint", "http://127.0.0.1:1/api", "renew", "bad"]) },
  { surface: "cli", name: "TENCENTCLOUD_SECRET_KEY missing", field: "TENCENTCLOUD_SECRET_KEY", exit: 64, message: /^tccert: tencent: missing credentials: TENCENTCLOUD_SECRET_KEY \(SecretId AKID…0001 was given\); set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/, run: cli(["renew", "bad"], { TENCENTCLOUD_SECRET_KEY: undefined }) },

  // Engine API.
  { surface: "engine", name: "resolveOptions: certificateId a number", field: "certificateId", message: 'certificateId must be a Tencent certificate id such as "a1B2c3D4"; got 42. Find it with `tccert scan` or in the SSL console.', run: engine(() => resolveOptions({ certificateId: 42 } as unknown as RenewalOptions)) },
  { surface: "engine", name: "resolveOptions: key.csrPem with a local key", field: "key.csrPem", message: 'key.csrPem is only used with key.source "csr", but key.source is "local". Remove key.csrPem or set key.source to "csr".', run: engine(() => resolveOptions({ certificateId: "bad", key: { source: "local", csrPem: CSR } })) },
  { surface: "engine", name: "resolveOptions: deploy regions not strings", field: "deploy[0].regions", message: 'deploy[0].regions must be a list of region names such as "ap-guangzhou"; got [1].', run: engine(() => resolveOptions({ certificateId: "bad", deploy: [{ resourceType: "clb", regions: [1] }] } as unknown as RenewalOptions)) },
  { surface: "engine", name: "createEngineDeps: endpoint not a URL", field: "endpoint", message: 'tencent: invalid endpoint "not a url": not a URL. Expected an http(s) URL with a host and an optional port and nothing else, e.g. http://127.0.0.1:8443.', run: engine(() => createEngineDeps({ endpoint: "not a url", credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey }, env: {} })) },
  { surface: "engine", name: "ensureRenewed: an unpaid certificate", field: "certificateId", message: "certificateId unpaid is not a paid certificate; only paid certificates renew through benefit packages. Point certificateId at an issued, paid certificate (see `tccert scan`). Nothing was paid.", run: renew({ certificateId: "unpaid" }) },
  { surface: "engine", name: "ensureRenewed: a certificate not issued", field: "certificateId", message: "certificateId pending is not an issued certificate, so there is nothing to renew yet. Point certificateId at an issued, paid certificate (see `tccert scan`). Nothing was paid.", run: renew({ certificateId: "pending", force: true }) },
  { surface: "engine", name: "ensureRenewed: a CSR for other domains", field: "key.csrPem", message: /^key\.csrPem requests evil\.example\.com, but certificate bad covers bad\.example\.com, www\.bad\.example\.com\. A renewal keeps the same domains: make a CSR for exactly those\. Nothing was paid\.$/, run: async () => renew({ certificateId: "bad", key: { source: "csr", csrPem: await evilCsr() } })() },
  { surface: "engine", name: "ensureRenewed: unknown packageIds", field: "payment.packageIds", message: /payment\.packageIds.*pkg-nope/, run: renew({ certificateId: "bad", payment: { packageIds: ["pkg-nope"] } }) },
];

async function evilCsr(): Promise<string> {
  const { createKeyFactory } = await import("../../crypto");
  const keys = createKeyFactory();
  return keys.createCsr(await keys.generateKey("EC_P256"), "evil.example.com", ["evil.example.com"]);
}

function mutatingAndPaid(): { mutating: number; paid: number } {
  const counts = world.emu.admin.calls().counts;
  const sum = (keys: string[]) => keys.reduce((s, k) => s + (counts[k] ?? 0), 0);
  return { mutating: sum(MUTATING.flatMap((a) => [`ssl.${a}`, `dnspod.${a}`])), paid: counts["ssl.CreateCertificateByPackage"] ?? 0 };
}

describe("bad-input catalogue: every surface names the field, and nothing is paid or changed", () => {
  it("has at least 30 cases, on every surface", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const per = new Map<string, number>();
    for (const c of CASES) per.set(c.surface, (per.get(c.surface) ?? 0) + 1);
    console.log(`bad-input catalogue: ${CASES.length} cases; ${[...per.entries()].map(([s, n]) => `${s} ${n}`).join(", ")}`);
    expect([...per.keys()].sort()).toEqual(["cdktf synth", "cli", "engine", "external program", "pulumi check"]);
  });

  it.each(CASES.map((c) => [`${c.surface}: ${c.name}`, c] as const))("%s", async (_name, c) => {
    const before = mutatingAndPaid();
    const failure = await c.run();
    if (typeof c.message === "string") expect(failure.message).toBe(c.message);
    else expect(failure.message).toMatch(c.message);
    // The error names the field: as its property/field, or in its message.
    if (failure.field !== "") expect([c.field, c.field.replace(/^--/, "")]).toContain(failure.field);
    expect(failure.message).toContain(c.field.replace(/^--all-due$/, "--all-due"));
    if (c.exit !== undefined) expect(failure.exit).toBe(c.exit);
    expect(failure.message).not.toContain(KEY_MARKER);
    expect(mutatingAndPaid()).toEqual(before);
  });
});

describe("regressions found by the bad-input catalogue", () => {
  it("regression: renewing an unpaid or unissued certificate failed with a RenewalError without a field, naming no field and no fix", async () => {
    for (const certificateId of ["unpaid", "pending"]) {
      const before = mutatingAndPaid();
      const e = await ensureRenewed(deps(), resolveOptions({ certificateId, force: true })).catch((x: unknown) => x);
      expect(isRenewalError(e) && e.kind).toBe("InvalidInput");
      expect((e as { field?: string }).field).toBe("certificateId");
      expect((e as Error).message).toMatch(new RegExp(`^certificateId ${certificateId} .*Point certificateId at an issued, paid certificate \\(see \`tccert scan\`\\)\\. Nothing was paid\\.$`));
      expect(mutatingAndPaid()).toEqual(before);
    }
  });
});

describe("regressions found by the secret-leak scan", () => {
  it("regression: pkcs12Password with a supplied EC privateKeyPem passed check, and create then output an empty pkcs12", async () => {
    const r = await world.host.check("p12", {}, world.news({ certificateId: "bad", key: { privateKeyPem: EC_KEY }, pkcs12Password: "long enough" }));
    expect(r.failures.map((f) => f.property)).toEqual(["pkcs12Password"]);
    expect(r.failures[0]!.reason).toMatch(/supports RSA keys only, but key\.privateKeyPem is an EC key \(not shown\)/);
    for (const line of EC_KEY.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"))) expect(r.failures[0]!.reason).not.toContain(line);
  });
});
