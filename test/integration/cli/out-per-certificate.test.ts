/**
 * `renew --all-due --out DIR` writes each certificate's files as soon as that certificate is done
 * (issue 11): not after every renewal of the run has finished. With one renewal at a time, the
 * first certificate's files are on disk when its ✔ line is printed, before the next renewal has
 * paid anything; a later failure does not hold them back.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../cli/program";
import { seed, startCliWorld, type CliWorld } from "./harness";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld(
    seed([
      { certificateId: "earlyOut", domain: "early.example.com", certType: "DV", expiresInDays: 4 },
      { certificateId: "laterOut", domain: "later.example.com", certType: "DV", expiresInDays: 9 },
    ]),
  );
});
afterAll(async () => w.close());

/** The certificate directories under `dir` that hold a complete set of files. */
function written(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((d) => ["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"].every((f) => fs.existsSync(path.join(dir, d, f))));
}

describe("renew --all-due --out writes each certificate's files when it is done", () => {
  it("the first certificate's files exist when it finishes, before the next renewal pays; the next one then fails", async () => {
    const out = path.join(w.dir, "out");
    const seen: { id: string; dirs: string[]; purchases: number }[] = [];
    let stderr = "";
    const err = new PassThrough();
    err.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const m of d.toString().matchAll(/^✔ (\w+): /gm)) {
        seen.push({ id: m[1]!, dirs: written(out), purchases: w.count("ssl.CreateCertificateByPackage") });
        // The next purchase is refused: the run ends with a failure, after the first was written.
        w.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "error", code: "FailedOperation.InvalidCertificateStatusCode", message: "certificate status does not allow renewal", times: 1 });
      }
    });
    let stdout = "";
    const std = new PassThrough();
    std.on("data", (d: Buffer) => (stdout += d.toString()));

    const code = await runCli(["--json", "renew", "--all-due", "--concurrency", "1", "--out", out], { stdout: std, stderr: err, env: w.env });

    expect(code, stderr).toBe(1);
    expect(seen).toHaveLength(1);
    const first = seen[0]!;
    // When the first ✔ was printed, exactly one renewal had been paid, and its files were complete.
    expect(first.purchases).toBe(1);
    expect(first.dirs).toHaveLength(1);
    const results = (JSON.parse(stdout) as { results: { id: string; ok: boolean; certificateId?: string; files?: string[]; error?: { code: string } }[] }).results;
    const ok = results.find((r) => r.ok)!;
    const bad = results.find((r) => !r.ok)!;
    expect(ok.id).toBe(first.id);
    expect(first.dirs).toEqual([ok.certificateId]);
    expect(ok.files?.map((f) => path.basename(f)).sort()).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
    expect(bad.error?.code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(2);
    // The failed certificate wrote nothing; the first one's files are still there.
    expect(written(out)).toEqual([ok.certificateId]);
    expect(fs.statSync(path.join(out, ok.certificateId!, "privkey.pem")).mode & 0o777).toBe(0o600);
  });
});
