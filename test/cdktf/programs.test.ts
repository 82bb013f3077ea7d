/**
 * The `tccert tf-*` programs as Terraform runs them: bad input → non-zero exit, a clear message
 * on stderr naming the key, nothing on stdout, and no call to Tencent at all. And the default
 * invocation (`npx --no-install tccert ...`) works from a stack directory inside a user project.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectStateDir } from "../../cli/commands/tf-io";
import { goJson } from "./support/hcl";
import { tlsCertRequest, tlsPrivateKey } from "./support/tls";
import { CLI, PAID, REPO, seed, startCdktfWorld, type CdktfWorld } from "./support/world";

let world: CdktfWorld;
beforeAll(async () => {
  world = await startCdktfWorld(
    seed([
      { certificateId: "cdkProg01", domain: "prog.example.com", expiresInDays: 3 },
      { certificateId: "cdkFar199", domain: "far.example.com", expiresInDays: 199 },
    ]),
  );
});
afterAll(async () => {
  await world.close();
});

/** Spawn and wait, without blocking this process (the emulator answers from it). */
function exec(argv: string[], cwd: string, env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function run(command: string, stdin: string, env: Record<string, string> = {}, args: string[] = []) {
  return exec([process.execPath, CLI, command, ...args], world.dir, { ...world.env, ...env }, stdin);
}

const STATUS_OK = { certificate_id: "cdkProg01", renew_before_days: "" };
const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
const MATERIAL_OK = { certificate_id: "cdkProg01", key_source: "csr", csr_pem: CSR, renew_before_days: "", after_renewal: "renew:cdkProg01" };
const RENEW_OK = { certificate_id: "cdkProg01", renew_before_days: "", key_source: "csr", key_algorithm: "", validation: "", product_pid: "", package_ids: "", wait_timeout_minutes: "1", deploy: "" };

const BAD_STDIN: [string, string, string, RegExp][] = [
  ["tf-status", "non-JSON", "certificate_id=cdkProg01", /tf-status: stdin is not JSON/],
  ["tf-status", "empty stdin", "", /expected a JSON object of strings on stdin, got nothing/],
  ["tf-status", "a JSON array", "[]", /stdin must be a JSON object of strings; got an array/],
  ["tf-status", "a missing key", goJson({ certificate_id: "cdkProg01" }), /missing query key "renew_before_days"/],
  ["tf-status", "a wrong type", '{"certificate_id":"cdkProg01","renew_before_days":30}', /query key "renew_before_days" must be a string .*got a number/],
  ["tf-status", "an unknown key", goJson({ ...STATUS_OK, extra: "x" }), /unknown query key "extra"/],
  ["tf-status", "a bad certificate id", goJson({ ...STATUS_OK, certificate_id: "<script>" }), /query key "certificate_id": certificateId must be a Tencent certificate id/],
  ["tf-status", "a bad number", goJson({ ...STATUS_OK, renew_before_days: "thirty" }), /"renew_before_days" \(renewBeforeDays\) must be a number/],
  ["tf-material", "non-JSON", "{", /tf-material: stdin is not JSON/],
  ["tf-material", "a missing key", goJson({ certificate_id: "cdkProg01", key_source: "csr", csr_pem: CSR }), /missing query key "after_renewal"/],
  ["tf-material", "a Tencent-held key (online)", goJson({ ...MATERIAL_OK, key_source: "online", csr_pem: "" }), /"key_source" \(key.source\) "online" is not offered with Terraform: Terraform cannot mark a data "external" result sensitive/],
  ["tf-material", "a wrong type", JSON.stringify({ ...MATERIAL_OK, csr_pem: null }), /query key "csr_pem" must be a string .*got null/],
  ["tf-material", "a bad key source", goJson({ ...MATERIAL_OK, key_source: "remote" }), /query key "key_source": key.source must be one of/],
  ["tf-material", "a local key without its CSR", goJson({ ...MATERIAL_OK, key_source: "local", csr_pem: "" }), /needs the CSR in query key "csr_pem"/],
];

describe("external programs refuse bad stdin before any call", async () => {
  it.each(BAD_STDIN)("%s with %s exits non-zero with a clear message", async (command, _what, stdin, message) => {
    const before = world.emu.admin.calls().counts;
    const r = await run(command, stdin);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^tccert: /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(world.emu.admin.calls().counts).toEqual(before);
  });

  const BAD_ENV: [string, Record<string, string>, RegExp][] = [
    ["no TCCERT_TF_QUERY", {}, /expected a JSON object of strings on the environment variable TCCERT_TF_QUERY, got nothing/],
    ["non-JSON TCCERT_TF_QUERY", { TCCERT_TF_QUERY: "key_source=online" }, /TCCERT_TF_QUERY is not JSON/],
    ["a missing key", { TCCERT_TF_QUERY: goJson({ certificate_id: "cdkProg01" }) }, /missing query keys "renew_before_days", "key_source"/],
    ["a wrong type", { TCCERT_TF_QUERY: JSON.stringify({ ...RENEW_OK, wait_timeout_minutes: 1 }) }, /query key "wait_timeout_minutes" must be a string/],
    ["a bad validation", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, validation: "http" }), TCCERT_CSR_PEM: CSR }, /query key "validation": validation must be one of/],
    ["bad package ids", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, package_ids: "pkg-1" }), TCCERT_CSR_PEM: CSR }, /query key "package_ids" \(payment.packageIds\) must be a JSON-encoded list/],
    ["a Tencent-held key (online)", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, key_source: "online", key_algorithm: "RSA_2048" }) }, /"key_source" \(key.source\) "online" is not offered with Terraform/],
    ["a local key without a CSR", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, key_source: "local", key_algorithm: "" }) }, /key_source "local" renews with a CSR, but TCCERT_CSR_PEM is empty/],
    ["a CSR that is not one", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, key_source: "csr", key_algorithm: "" }), TCCERT_CSR_PEM: "hello" }, /TCCERT_CSR_PEM: key.csrPem must be a PEM CSR/],
  ];
  it.each(BAD_ENV)("tf-renew with %s exits non-zero, pays nothing, calls nothing", async (_what, env, message) => {
    const before = world.emu.admin.calls().counts;
    const r = await run("tf-renew", "", env, ["--certificate-id", "cdkProg01"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message);
    expect(world.emu.admin.calls().counts).toEqual(before);
    expect(world.count(PAID, false)).toBe(0);
  });

  it("tf-renew refuses a --certificate-id that does not match the query", async () => {
    const r = await run("tf-renew", "", { TCCERT_TF_QUERY: goJson(RENEW_OK), TCCERT_CSR_PEM: CSR }, ["--certificate-id", "other01"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--certificate-id "other01" does not match certificate_id "cdkProg01"/);
    expect(world.count(PAID, false)).toBe(0);
  });

  it("tf-status on a certificate that does not exist fails with Tencent's error, paying nothing", async () => {
    const r = await run("tf-status", goJson({ ...STATUS_OK, certificate_id: "nope0000" }));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/nope0000/);
    expect(world.mutatingCalls()).toBe(0);
  });

  it("tf-status without credentials fails clearly, before any call", async () => {
    const before = world.emu.admin.calls().counts;
    const r = await run("tf-status", goJson(STATUS_OK), { TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/TENCENTCLOUD_SECRET_ID/);
    // in a Terraform user's words: the environment Terraform runs in, not Pulumi config keys
    expect(r.stderr).toMatch(/in the environment of `terraform` \/ `cdktf`/);
    expect(r.stderr).not.toMatch(/pulumi/i);
    expect(r.code).toBe(64);
    expect(world.emu.admin.calls().counts).toEqual(before);
  });

  it("a good query works and HTML-escaped stdin (as Go writes it) is read as the same strings", async () => {
    // "\u0030" is "0": escaped the way a JSON encoder may write any character
    const r = await run("tf-status", '{"certificate_id":"cdkProg\\u00301","renew_before_days":""}');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.values(out).every((v) => typeof v === "string")).toBe(true);
    expect(out["certificate_id"]).toBe("cdkProg01");
    // an escaped '<' in a value arrives as '<' (and is then refused by validation, not by parsing)
    const esc = await run("tf-status", goJson({ ...STATUS_OK, renew_before_days: "<7>" }));
    expect(goJson({ renew_before_days: "<7>" })).toContain("\\u003c7\\u003e");
    expect(esc.stderr).toMatch(/got "<7>"/);
    expect(world.mutatingCalls()).toBe(0);
  });
});

describe("the default invocation from a stack directory", () => {
  it("npx --no-install tccert tf-status runs the project's tccert (no path of the build machine in the stack)", async () => {
    // A user project: node_modules/tencentcloud-cert-renewal is this package; the stack is synthesized below it.
    const project = path.join(world.dir, "user-project");
    const stackDir = path.join(project, "cdktf.out", "stacks", "certs");
    fs.mkdirSync(path.join(project, "node_modules", ".bin"), { recursive: true });
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, dependencies: { "tencentcloud-cert-renewal": "*" } }));
    fs.symlinkSync(REPO, path.join(project, "node_modules", "tencentcloud-cert-renewal"));
    fs.symlinkSync(path.join("..", "tencentcloud-cert-renewal", "dist", "cli", "main.js"), path.join(project, "node_modules", ".bin", "tccert"));
    const r = await exec(
      ["npx", "--no-install", "tccert", "tf-status"],
      stackDir,
      { ...world.env, npm_config_update_notifier: "false", npm_config_offline: "true", npm_config_cache: path.join(world.dir, "npm-cache") },
      goJson(STATUS_OK),
    );
    expect(r.stderr).not.toMatch(/npm error/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ certificate_id: "cdkProg01", due: "true" });
  });
});

describe("plans that settle and failures that are red", () => {
  const DAY = 86_400_000;
  const atDayOffset = async <T>(days: number, fn: () => Promise<T>): Promise<T> => {
    const start = world.emu.admin.now();
    world.emu.admin.setClock(new Date(start.getTime() + days * DAY));
    try {
      return await fn();
    } finally {
      world.emu.admin.setClock(new Date(start.getTime()));
    }
  };

  it("tf-status and tf-material answer the same on consecutive days while nothing is due (no day counts)", async () => {
    const status = goJson({ certificate_id: "cdkFar199", renew_before_days: "" });
    const key = tlsPrivateKey({ algorithm: "ECDSA", ecdsa_curve: "P256" });
    const csr = await tlsCertRequest({ private_key_pem: key.private_key_pem, dns_names: ["far.example.com"], subject: [{ common_name: "far.example.com" }] });
    const material = goJson({ certificate_id: "cdkFar199", key_source: "local", csr_pem: csr, renew_before_days: "", key_cycle: "hold:cdkFar199", after_renewal: "hold:cdkFar199" });
    const day0 = [await run("tf-status", status), await run("tf-material", material)];
    const day1 = await atDayOffset(1, async () => [await run("tf-status", status), await run("tf-material", material)]);
    const day9 = await atDayOffset(9, async () => [await run("tf-status", status), await run("tf-material", material)]);
    for (const r of [...day0, ...day1, ...day9]) expect(r.code, r.stderr).toBe(0);
    expect(day1.map((r) => r.stdout)).toEqual(day0.map((r) => r.stdout));
    expect(day9.map((r) => r.stdout)).toEqual(day0.map((r) => r.stdout));
    const s = JSON.parse(day0[0]!.stdout) as Record<string, string>;
    expect(s).toMatchObject({ due: "false", cycle: "hold:cdkFar199", forced_cycle: "renew:cdkFar199", key_cycle: "hold:cdkFar199", forced_key_cycle: "renew:cdkFar199", dns_records: "[]" });
    expect(s["message"]).not.toMatch(/day\(s\)|expires in/);
    const m = JSON.parse(day0[1]!.stdout) as Record<string, string>;
    expect(m).not.toHaveProperty("private_key_pem");
    expect(m["key_matches"]).toBe("false");
    // Adopted (key cycle hold:<current>): not a failure; the stack outputs no key, and says until when.
    expect(m["problem"]).toBe("");
    expect(m["message"]).toMatch(/^cdkFar199 is adopted: it was not issued for this stack's key \(its tls_private_key\), so the stack outputs no private key for it \(null\) until its first renewal, due from \d{4}-.*change renewalTrigger \(Tencent allows renewing it from about \d{4}-/);
    // The same certificate under a key made for a renewal (renew:<X>): mismatched, the postcondition's message says why and how.
    const mismatched = await run("tf-material", goJson({ certificate_id: "cdkFar199", key_source: "local", csr_pem: csr, renew_before_days: "", key_cycle: "renew:cdkFar199", after_renewal: "x" }));
    expect(JSON.parse(mismatched.stdout)["problem"]).toMatch(/^certificate cdkFar199, the lineage's current one, was not issued for this stack's key \(its tls_private_key\): the stack's key was replaced since\. The apply stops here, .* change renewalTrigger \(Tencent allows renewing it from about /);
    expect(world.mutatingCalls()).toBe(0);
  });

  it("a renewalTrigger Tencent will not honour yet fails the apply with the reason and the date, paying nothing", async () => {
    const before = world.count(PAID, false);
    const notAfter = new Date(JSON.parse((await run("tf-status", goJson({ certificate_id: "cdkFar199", renew_before_days: "" }))).stdout).not_after as string);
    const allowed = new Date(notAfter.getTime() - 30 * DAY).toISOString();
    const r = await run("tf-renew", "", { TCCERT_TF_QUERY: goJson({ ...RENEW_OK, certificate_id: "cdkFar199" }), TCCERT_CSR_PEM: CSR, TCCERT_FORCE_FROM: "cdkFar199" }, ["--certificate-id", "cdkFar199"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `tccert: tf-renew: renewalTrigger cannot be honoured: Tencent does not allow renewing cdkFar199 yet (RenewAble is false); Tencent opens renewal about 30 days before expiry: from about ${allowed} (cdkFar199 is valid until ${notAfter.toISOString()}). Nothing was paid. Apply again from then (the plan keeps showing the renewal step), or remove renewalTrigger to renew only when due.`,
    );
    expect(world.count(PAID, false)).toBe(before);
    expect(world.mutatingCalls()).toBe(0);
  });

  it("a resumable stop (Tencent answering 5xx again and again) exits 2, so the next apply resumes", async () => {
    world.emu.admin.addFault({ action: "DescribeCertificateDetail", kind: "http-500", times: "always" });
    try {
      const r = await run("tf-renew", "", { TCCERT_TF_QUERY: goJson(RENEW_OK), TCCERT_CSR_PEM: CSR }, ["--certificate-id", "cdkProg01"]);
      expect(r.stderr).toMatch(/this stop is resumable: run the apply again; nothing will be paid twice/);
      expect(r.code).toBe(2);
    } finally {
      world.emu.admin.clearFaults();
    }
    expect(world.count(PAID, false)).toBe(0);
  }, 60_000);

  it("the state dir defaults to .tccert-state in the project (nearest package.json), not in cdktf.out", () => {
    const project = path.join(world.dir, "state-project");
    const stackDir = path.join(project, "cdktf.out", "stacks", "certs");
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(project, "package.json"), "{}");
    expect(projectStateDir(stackDir)).toBe(path.join(project, ".tccert-state"));
    expect(projectStateDir(project)).toBe(path.join(project, ".tccert-state"));
  });
});
