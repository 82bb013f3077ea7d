/**
 * `--out` files (cli/out-files.ts) written through the shared atomic writer: modes,
 * links refused, and the error after a finished renewal that names the new certificate.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInvalidInputError, isRenewalError, type InvalidInputError, type RenewalError } from "../../../engine/errors";
import type { RenewalResult } from "../../../engine/result";
import { checkOutDir, writeFiles } from "../../../cli/out-files";
import { thrown } from "../crypto/secrets";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "out-files-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIE1f4oHQ2r8ymLwT4m8ZcM1c1Qx3z0c9t4Tn0tU1eWfk\n-----END PRIVATE KEY-----\n";
const result = (over: Partial<RenewalResult> = {}): RenewalResult =>
  ({
    outcome: "renewed",
    paidThisRun: true,
    originalCertificateId: "orig0001",
    certificateId: "newC0001",
    previousCertificateId: "orig0001",
    certificatePem: "CERT\n",
    chainPem: "CHAIN\n",
    fullchainPem: "CERT\nCHAIN\n",
    privateKeyPem: KEY,
    ...over,
  }) as RenewalResult;
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("writeFiles", () => {
  it("writes the four files under <out>/<new id>/ (dir 0700, key 0600, the rest 0644)", () => {
    const out = path.join(dir, "out");
    checkOutDir(out);
    const files = writeFiles(out, result());
    expect(files).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"].map((f) => path.join(out, "newC0001", f)));
    expect(mode(out)).toBe(0o700);
    expect(mode(path.join(out, "newC0001"))).toBe(0o700);
    expect(mode(files[3]!)).toBe(0o600);
    for (const f of files.slice(0, 3)) expect(mode(f)).toBe(0o644);
    expect(fs.readFileSync(files[3]!, "utf8")).toBe(KEY);
    expect(fs.readdirSync(path.join(out, "newC0001")).sort()).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
  });

  it("a privkey.pem that is a symbolic link is refused: its target is untouched, and the error names the paid certificate and the rerun", () => {
    const out = path.join(dir, "out");
    fs.mkdirSync(path.join(out, "newC0001"), { recursive: true });
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "do not touch");
    const link = path.join(out, "newC0001", "privkey.pem");
    fs.symlinkSync(victim, link);
    const e = thrown(() => writeFiles(out, result(), "orig0001")) as RenewalError;
    expect(isRenewalError(e)).toBe(true);
    expect(e.kind).toBe("VerificationFailed");
    expect(e.resumable).toBe(true);
    expect(e.newCertificateId).toBe("newC0001");
    expect(e.originalCertificateId).toBe("orig0001");
    expect(e.message).toBe(
      `certificate newC0001 is issued and paid for, but its files could not be written: ${link} (it is a symbolic link, which is never followed or replaced). Nothing more will be paid: fix "${out}" and rerun \`tccert renew orig0001 --out "${out}"\`, which adopts newC0001 and writes its files.`,
    );
    expect(e.message).not.toContain("PRIVATE KEY");
    expect(fs.readFileSync(victim, "utf8")).toBe("do not touch");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("an --out replaced by a link after it was checked is refused too (nothing is written through it)", () => {
    const out = path.join(dir, "out");
    checkOutDir(out);
    fs.rmdirSync(out);
    const elsewhere = path.join(dir, "elsewhere");
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, out);
    const e = thrown(() => writeFiles(out, result({ paidThisRun: false }))) as RenewalError;
    expect(e.message).toMatch(/^certificate newC0001 is issued, but its files could not be written: .*\/out \(it is a symbolic link/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});

describe("checkOutDir", () => {
  it("refuses an --out that is a symbolic link, before any network call, naming its real path", () => {
    const real = path.join(dir, "real");
    fs.mkdirSync(real);
    const link = path.join(dir, "link");
    fs.symlinkSync(real, link);
    const e = thrown(() => checkOutDir(link)) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("--out");
    expect(e.message).toBe(`--out ${JSON.stringify(link)} is a symbolic link; private keys are never written through a link; pass its real path ${JSON.stringify(fs.realpathSync(real))} instead.`);
  });

  it("keeps its message for a file in the way", () => {
    fs.writeFileSync(path.join(dir, "a-file"), "");
    expect((thrown(() => checkOutDir(path.join(dir, "a-file"))) as Error).message).toBe(`--out ${JSON.stringify(path.join(dir, "a-file"))} is not a writable directory (EEXIST). Choose a directory you can write to.`);
  });
});
