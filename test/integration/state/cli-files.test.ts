/**
 * The CLI's files written safely (issue 11 part 5), end to end against the emulator:
 * `--out` and state files never written through a symbolic link, and `--out` files
 * that cannot be written after a paid renewal give an error naming the new
 * certificate, and a rerun adopts it without paying again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed, startCliWorld, type CliWorld } from "../cli/harness";

let w: CliWorld;

beforeAll(async () => {
  w = await startCliWorld(
    seed([
      { certificateId: "linkOut", domain: "a.example.com", certType: "DV", expiresInDays: 5 },
      { certificateId: "swapOut", domain: "b.example.com", certType: "DV", expiresInDays: 5 },
    ]),
  );
});
afterAll(async () => w.close());

describe("CLI files and symbolic links", () => {
  it("--out that is a symbolic link is refused before any call (exit 64), and nothing is written there", async () => {
    const real = path.join(w.dir, "real-out");
    fs.mkdirSync(real);
    const link = path.join(w.dir, "out-link");
    fs.symlinkSync(real, link);
    const before = w.totalCalls();
    const r = await w.run(["renew", "linkOut", "--out", link]);
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toBe(`tccert: --out ${JSON.stringify(link)} is a symbolic link; private keys are never written through a link; pass its real path ${JSON.stringify(fs.realpathSync(real))} instead.`);
    expect(w.totalCalls()).toBe(before);
    expect(fs.readdirSync(real)).toEqual([]);
  });

  it("a backoff.json that is a symbolic link is refused (exit 64) and its target is untouched", async () => {
    fs.mkdirSync(w.stateDir, { recursive: true });
    const victim = path.join(w.dir, "victim.json");
    fs.writeFileSync(victim, JSON.stringify({ version: 1, certificates: {} }));
    const file = path.join(w.stateDir, "backoff.json");
    fs.symlinkSync(victim, file);
    try {
      const before = w.totalCalls();
      const r = await w.run(["renew", "linkOut"]);
      expect(r.code).toBe(64);
      expect(r.stderr.trim()).toBe(`tccert: the state file ${file} is a symbolic link; state files are never read or written through a link. Replace it by a regular file or directory, or choose another --state-dir.`);
      expect(w.totalCalls()).toBe(before);
      expect(fs.readFileSync(victim, "utf8")).toBe(JSON.stringify({ version: 1, certificates: {} }));
    } finally {
      fs.rmSync(file);
    }
  });

  it("--out replaced by a link during a paid renewal: the error names the new certificate, and the rerun adopts it without paying", async () => {
    const out = path.join(w.dir, "out-swap");
    const elsewhere = path.join(w.dir, "elsewhere");
    fs.mkdirSync(elsewhere);
    // Slow the paid call so the swap happens mid-run, after --out was validated (validation precedes any call).
    w.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "latency", ms: 500, times: 1 });
    const before = w.totalCalls();
    const running = w.run(["--json", "renew", "swapOut", "--out", out]);
    while (w.totalCalls() === before) await new Promise((r) => setTimeout(r, 5));
    fs.rmSync(out, { recursive: true });
    fs.symlinkSync(elsewhere, out);
    const r = await running;
    // One certificate's result: stopped resumably (exit 2), like any paid renewal a rerun completes.
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const err = r.json<{ results: { ok: boolean; error: { kind: string; message: string; resumable: boolean; newCertificateId: string } }[] }>().results[0]!.error;
    expect(err.kind).toBe("VerificationFailed");
    expect(err.resumable).toBe(true);
    const newId = err.newCertificateId;
    expect(newId).toMatch(/^\w+$/);
    expect(newId).not.toBe("swapOut");
    expect(err.message).toBe(
      `certificate ${newId} is issued and paid for, but its files could not be written: ${out} (it is a symbolic link, which is never followed or replaced). Nothing more will be paid: fix ${JSON.stringify(out)} and rerun \`tccert renew swapOut --out ${JSON.stringify(out)}\`, which adopts ${newId} and writes its files.`,
    );
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    fs.rmSync(out);
    const rerun = await w.run(["--json", "renew", "swapOut", "--out", out]);
    expect(rerun.code).toBe(0);
    const res = rerun.json<{ results: { outcome: string; certificateId: string; paidThisRun: boolean; files: string[] }[] }>().results[0]!;
    expect(res).toMatchObject({ outcome: "adopted", certificateId: newId, paidThisRun: false });
    expect(res.files.map((f) => path.basename(f))).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
    expect(fs.statSync(path.join(out, newId, "privkey.pem")).mode & 0o777).toBe(0o600);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});
