/**
 * Issue 15: Ctrl-C (SIGINT) or SIGTERM during `tccert renew` (the built binary, against the
 * emulator): the renewal's state is printed (paid, which order, the last phase), and that a
 * rerun resumes it without paying again; the exit code is 130 / 143; no file is half-written;
 * the rerun completes with exactly one paid call in all.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHASES } from "../../../engine/phases";
import { BIN, FLEET, seed, startCliWorld, type CliWorld } from "./harness";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld(seed(FLEET));
});
afterAll(async () => w.close());

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `tccert ...argv`; sends `signal` once stderr shows `when`. */
function runAndSignal(argv: readonly string[], signal: "SIGINT" | "SIGTERM", when: RegExp): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: w.dir, env: { PATH: process.env["PATH"] ?? "", ...w.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("error", reject);
    child.on("close", (code, sig) => resolve({ code, signal: sig, stdout, stderr }));
  });
}

/** The last phase line printed before the interruption report. */
function lastPhase(stderr: string): string | undefined {
  const before = stderr.slice(0, stderr.indexOf("tccert: interrupted"));
  const phases = [...before.matchAll(/^\[([a-z-]+)\]/gm)].map((m) => m[1]!).filter((p) => (PHASES as readonly string[]).includes(p));
  return phases.at(-1);
}

/** Every file under `dir`, relative, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe.each([
  { signal: "SIGINT" as const, exitCode: 130, id: "dueA", json: false },
  { signal: "SIGTERM" as const, exitCode: 143, id: "dueB", json: true },
])("$signal during tccert renew, waiting for the CA", ({ signal, exitCode, id, json }) => {
  it(`prints the paid order and that a rerun resumes it, exits ${exitCode}; the rerun completes, paid once`, async () => {
    const paidBefore = w.count("ssl.CreateCertificateByPackage");
    const out = path.join(w.dir, `certs-${id}`);
    w.emu.admin.setIssuanceDelay(3600);
    const argv = [...(json ? ["--json"] : []), "renew", id, "--out", out];
    // Stopped while it waits (for the DCV check, then the CA): after the paid call.
    const r = await runAndSignal(argv, signal, /\[waiting\]/);

    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(exitCode);
    const order = /paid: renewal (\S+) of /.exec(r.stderr)?.[1];
    expect(order, r.stderr).toBeDefined();
    const phase = lastPhase(r.stderr);
    expect(["validate", "wait"]).toContain(phase);
    expect(r.stderr).toContain(`tccert: interrupted (${signal}) with 1 renewal(s) in progress; files already written are complete, none is half-written:`);
    expect(r.stderr).toContain(
      `  ${id}: paid — renewal order ${order} exists (last phase: ${phase}); rerunning \`tccert renew ${id} --out ${JSON.stringify(out)}\` (with the same options) resumes order ${order} without paying again`,
    );
    if (json) expect(JSON.parse(r.stdout)).toEqual({ interrupted: { signal, exitCode, renewals: [{ id, phase, paid: true, orderId: order }] } });
    else expect(r.stdout).toBe("");
    // Nothing half-written: no temporary file left in the state dir or --out, and no certificate files yet.
    expect(filesUnder(w.stateDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(filesUnder(out)).toEqual([]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(paidBefore + 1);

    w.emu.admin.setIssuanceDelay(0);
    const again = await w.spawn(["renew", id, "--out", out]);
    expect(again.code, again.stderr).toBe(0);
    // The order issued meanwhile: the rerun takes it over (adopted), paying nothing.
    expect(again.stdout).toMatch(new RegExp(`^${id}: (renewed|adopted) → ${order} `, "m"));
    expect(filesUnder(out)).toEqual([`${order}/cert.pem`, `${order}/chain.pem`, `${order}/fullchain.pem`, `${order}/privkey.pem`].map((f) => path.normalize(f)));
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(paidBefore + 1);
  });
});

describe("a stop signal before anything is paid", () => {
  it("says nothing was paid yet and the rerun starts it again", async () => {
    const paidBefore = w.count("ssl.CreateCertificateByPackage");
    // A certificate with a bound-resource lookup still pays; stop at the first phase line instead.
    const r = await runAndSignal(["renew", "dueC"], "SIGINT", /\[preflight\]/);
    expect(r.code, r.stderr).toBe(130);
    const paid = w.count("ssl.CreateCertificateByPackage") - paidBefore;
    if (paid === 0) expect(r.stderr).toMatch(/ {2}dueC: nothing paid yet \(last phase: preflight\); rerunning `tccert renew dueC` \(with the same options\) starts it again/);
    // The signal raced the renewal past the paid call: then it must say so.
    else expect(r.stderr).toMatch(/dueC: (paid — renewal order \S+ exists|the paid call may be in flight)/);
  });
});

describe("SIGINT during tccert demo", () => {
  it("names the paid order, says the demo's emulator resumes nothing, exits 130; the demo then runs again from its seed", async () => {
    const out = path.join(w.dir, "demo-output");
    const r = await runAndSignal(["demo", "--out", out], "SIGINT", /\[payment\] paid: /);
    expect(r.code, r.stderr).toBe(130);
    const order = /paid: renewal (\S+) of DemoShop/.exec(r.stderr)?.[1];
    expect(order, r.stderr).toBeDefined();
    expect(r.stderr).toMatch(
      new RegExp(`\\n {2}DemoShop: paid — renewal order ${order} exists \\(last phase: [a-z-]+\\); its emulator stops with the demo, so a rerun of the demo starts again from the seed; with a real account, a rerun of \`tccert renew\` resumes order ${order} without paying again\\n`),
    );
    expect(filesUnder(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const again = await w.spawn(["demo", "--out", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("of which paid renewals: 2");
  });
});
