/**
 * No secret in any output, ever: neither the private key (ours or the user's)
 * nor the SecretKey appear on stdout or stderr, in human, JSON or TTY mode,
 * on success or on error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed, startCliWorld, type CliRun, type CliWorld } from "./harness";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld(
    seed([
      { certificateId: "s1", domain: "s1.example.com", certType: "DV", expiresInDays: 4 },
      { certificateId: "s2", domain: "s2.example.com", certType: "DV", expiresInDays: 4 },
      { certificateId: "s3", domain: "s3.example.com", certType: "DV", expiresInDays: 4 },
    ]),
  );
});
afterAll(async () => w.close());

/** The base64 body lines of a PEM (each long enough to be unmistakable). */
function bodyLines(pem: string): string[] {
  return pem.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
}

function expectClean(r: CliRun, keyPem: string): void {
  const all = r.stdout + r.stderr;
  expect(all).not.toContain(w.env["TENCENTCLOUD_SECRET_KEY"]);
  expect(all).not.toMatch(/PRIVATE KEY-----/);
  const lines = bodyLines(keyPem);
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(all).not.toContain(l);
}

describe("no secret in any output", () => {
  it("renew --out (key made by us), human output", async () => {
    const out = path.join(w.dir, "o1");
    const r = await w.run(["renew", "s1", "--out", out]);
    expect(r.code).toBe(0);
    const dir = fs.readdirSync(out)[0]!;
    expectClean(r, fs.readFileSync(path.join(out, dir, "privkey.pem"), "utf8"));
  });

  it("renew --out --json on a TTY (live progress)", async () => {
    const out = path.join(w.dir, "o2");
    const r = await w.run(["--json", "renew", "s2", "--out", out, "--key-algorithm", "RSA_2048"], { tty: true });
    expect(r.code).toBe(0);
    const dir = fs.readdirSync(out)[0]!;
    expectClean(r, fs.readFileSync(path.join(out, dir, "privkey.pem"), "utf8"));
  });

  it("renew with the user's own --key: neither printed nor echoed", async () => {
    // Use the key written by the previous renewal as "the user's key".
    const o2 = path.join(w.dir, "o2");
    const keyFile = path.join(o2, fs.readdirSync(o2)[0]!, "privkey.pem");
    const out = path.join(w.dir, "o3");
    const r = await w.spawn(["renew", "s3", "--key", keyFile, "--out", out]);
    expect(r.code).toBe(0);
    expectClean(r, fs.readFileSync(keyFile, "utf8"));
    const dir = fs.readdirSync(out)[0]!;
    expect(fs.readFileSync(path.join(out, dir, "privkey.pem"), "utf8")).toBe(fs.readFileSync(keyFile, "utf8"));
  });

  it("a wrong SecretKey: Tencent's auth error is shown, the key is not", async () => {
    const wrong = "wrong-secret-key-value-0123456789abcdef";
    const r = await w.run(["--json", "scan"], { env: { TENCENTCLOUD_SECRET_KEY: wrong } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tccert: .*AuthFailure\.SignatureFailure/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});
