/**
 * Crash matrix across processes: the emulator runs standalone (`tccert emulator --state-file`,
 * its own process), and each CLI renewal (`tccert renew`, another process) is SIGKILLed at a
 * phase boundary (when its progress line for that phase appears on stderr) or at a moment drawn
 * from a seeded PRNG (0–3 s after spawn). Every lineage is then renewed again by a second CLI
 * run, which must complete. Over all runs we count duplicate payments (benefit points beyond
 * one per lineage) and issued certificates whose key we do not hold (the rerun's `--out`
 * privkey.pem must match its cert.pem, and the certificate must be the lineage's renewal).
 * Both must be zero.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedSpec } from "../../emulator";
import { PACKAGE_POINTS, cellAccount, markdownTable, pool, prng, runCli, startStandaloneEmulator, tempDir, type CellAccount, type Spawned, type StandaloneEmulator } from "./support";

/** Progress tags the CLI prints as `[tag] …` on stderr, in renewal order: the phase boundaries. */
const BOUNDARIES = ["preflight", "decision", "find-order", "prepare-key", "pay", "payment", "submit", "validate", "dns-record", "waiting", "verify", "cleanup", "deploy", "done"];
const PHASE_REPEATS = 2;
const RANDOM_RUNS = 200;
const RANDOM_MAX_MS = 3000;
const SEED = 0x7cce47;
const CONCURRENCY = 6;

interface Run {
  readonly name: string;
  readonly certificateId: string;
  readonly account: CellAccount;
  readonly kill: { readonly at: string } | { readonly afterMs: number };
}

const random = prng(SEED);
const RUNS: Run[] = [
  ...BOUNDARIES.flatMap((at, i) =>
    Array.from({ length: PHASE_REPEATS }, (_, r) => ({ name: `phase-${at}-${r}`, certificateId: `cmP${i}x${r}`, account: cellAccount(`crash-phase-${at}-${r}`), kill: { at } })),
  ),
  ...Array.from({ length: RANDOM_RUNS }, (_, i) => ({ name: `random-${i}`, certificateId: `cmR${i}`, account: cellAccount(`crash-random-${i}`), kill: { afterMs: Math.floor(random() * RANDOM_MAX_MS) } })),
];
/** Killed after issuance, before cleanup: the rerun adopts the issued certificate (regression test below). */
const REGRESSION_RUN: Run = { name: "regression-verify", certificateId: "cmRegV", account: cellAccount("crash-regression-verify"), kill: { at: "verify" } };
const SEEDED = [...RUNS, REGRESSION_RUN];

let emu: StandaloneEmulator;
const admin = <T>(method: string, route: string, body?: unknown): Promise<T> => emu.admin<T>(method, route, body);

beforeAll(async () => {
  emu = await startStandaloneEmulator("crash");
  const spec: SeedSpec = {
    accounts: SEEDED.map((r) => r.account),
    certificates: SEEDED.map((r) => ({
      certificateId: r.certificateId,
      accountId: r.account.accountId,
      domain: `${r.certificateId.toLowerCase()}.example.com`,
      certType: "DV" as const,
      expiresInDays: 10,
      boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: `lb-${r.certificateId}`, listenerId: `lbl-${r.certificateId}` }],
    })),
    packages: SEEDED.map((r) => ({ accountId: r.account.accountId, packageId: `pkg-${r.certificateId}`, total: PACKAGE_POINTS, balance: PACKAGE_POINTS })),
    zones: SEEDED.map((r) => ({ accountId: r.account.accountId, zone: "example.com" })),
  };
  await admin("POST", "seed", spec);
  // Issuance a second after validation: the kills spread over the whole renewal.
  await admin("POST", "admin/setIssuanceDelay", { seconds: 1 });
  await admin("POST", "admin/setDeploySecondsPerResource", { args: [0.2] });
});

afterAll(async () => {
  await emu?.close();
});

interface Outcome {
  readonly run: Run;
  /** The last progress tag printed before the kill ("" when none), or "finished" when the run ended first. */
  readonly killedAfter: string;
  readonly killed: boolean;
  readonly rerun: Spawned;
  readonly newCertificateId: string;
  readonly points: number;
  readonly keyHeld: boolean;
  readonly linked: boolean;
  /** Validation records left in the account's zone after the rerun. */
  readonly recordsLeft: number;
}

function lastTag(stderr: string): string {
  const tags = [...stderr.matchAll(/^\[([a-z-]+)\]/gm)].map((m) => m[1]!);
  return tags[tags.length - 1] ?? "";
}

async function crashThenRerun(run: Run): Promise<Outcome> {
  const dir = tempDir("crash-run");
  const env = { TENCENTCLOUD_SECRET_ID: run.account.secretId, TENCENTCLOUD_SECRET_KEY: run.account.secretKey };
  const base = ["--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", run.certificateId, "--key-algorithm", "EC_P256", "--deploy", "clb", "--region", "ap-guangzhou", "--wait-timeout-minutes", "2"];
  const crashed = await runCli(base, env, {
    cwd: dir,
    ...("at" in run.kill ? { killOnStderr: new RegExp(`^\\[${run.kill.at}\\]`, "m") } : { killAfterMs: run.kill.afterMs }),
  });
  const killed = crashed.signal === "SIGKILL";
  const out = path.join(dir, "out");
  const rerun = await runCli(["--json", ...base, "--out", out], env, { cwd: dir });
  let newCertificateId = "";
  let keyHeld = false;
  try {
    const report = JSON.parse(rerun.stdout) as { results: { ok: boolean; certificateId: string; hasPrivateKey: boolean }[] };
    const r = report.results[0];
    if (r?.ok) {
      newCertificateId = r.certificateId;
      const cert = new crypto.X509Certificate(fs.readFileSync(path.join(out, r.certificateId, "cert.pem")));
      const keyFile = path.join(out, r.certificateId, "privkey.pem");
      keyHeld = r.hasPrivateKey && (fs.statSync(keyFile).mode & 0o777) === 0o600 && cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(keyFile)));
    }
  } catch {
    keyHeld = false;
  }
  const packages = (await admin<{ result: { balance: number }[] }>("POST", "admin/inspectPackages", { accountId: run.account.accountId })).result;
  const points = PACKAGE_POINTS - packages.reduce((s, p) => s + p.balance, 0);
  const old = (await admin<{ result: { renewOrder?: string } }>("POST", "admin/inspectCertificate", { certificateId: run.certificateId })).result;
  const zone = (await admin<{ result: { type?: string; Type?: string }[] }>("POST", "admin/inspectZone", { zone: "example.com", accountId: run.account.accountId })).result;
  const recordsLeft = zone.filter((r) => (r.type ?? r.Type) !== "NS").length;
  fs.rmSync(dir, { recursive: true, force: true });
  // A phase-boundary run was killed on seeing its boundary's line (later lines may share its chunk).
  const killedAfter = !killed ? "finished" : "at" in run.kill && new RegExp(`^\\[${run.kill.at}\\]`, "m").test(crashed.stderr) ? run.kill.at : lastTag(crashed.stderr);
  return { recordsLeft, run, killedAfter, killed, rerun, newCertificateId, points, keyHeld, linked: newCertificateId !== "" && old.renewOrder === newCertificateId };
}

describe("crash matrix: SIGKILL at phase boundaries and at seeded random moments, across processes", () => {
  it(`${RUNS.length} crashed renewals: every rerun completes; no duplicate payment, no certificate without its key`, async () => {
    const started = Date.now();
    const outcomes = await pool(RUNS, CONCURRENCY, crashThenRerun);
    const seconds = Math.round((Date.now() - started) / 1000);

    const failedReruns = outcomes.filter((o) => o.rerun.code !== 0 || o.newCertificateId === "");
    const duplicates = outcomes.reduce((s, o) => s + Math.max(0, o.points - 1), 0);
    const unpaid = outcomes.filter((o) => o.points === 0).length;
    const keyless = outcomes.filter((o) => o.newCertificateId !== "" && !o.keyHeld).length;
    const unlinked = outcomes.filter((o) => o.newCertificateId !== "" && !o.linked).length;
    const where = new Map<string, number>();
    for (const o of outcomes) where.set(o.killedAfter || "(before any progress)", (where.get(o.killedAfter || "(before any progress)") ?? 0) + 1);
    const order = ["(before any progress)", ...BOUNDARIES, "finished"];
    const rows = [...where.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([tag, n]) => [tag, String(n)]);
    console.log(
      [
        `crash matrix: ${outcomes.length} runs (${BOUNDARIES.length * PHASE_REPEATS} at phase boundaries, ${RANDOM_RUNS} at seeded random moments 0–${RANDOM_MAX_MS} ms, seed ${SEED}), ${CONCURRENCY} in parallel, ${seconds} s`,
        `killed: ${outcomes.filter((o) => o.killed).length}; finished before the kill: ${outcomes.filter((o) => !o.killed).length}`,
        `reruns completed: ${outcomes.length - failedReruns.length}/${outcomes.length}; duplicate payments: ${duplicates}; lineages never paid: ${unpaid}; issued certificates whose key we do not hold: ${keyless}; outputs that are not the lineage's renewal: ${unlinked}; validation records left in DNSPod: ${outcomes.reduce((n, o) => n + o.recordsLeft, 0)}`,
        "",
        markdownTable(["last progress line before SIGKILL", "runs"], rows),
      ].join("\n"),
    );
    for (const o of failedReruns.slice(0, 5)) console.log(`rerun of ${o.run.name} failed: exit ${o.rerun.code}\n${o.rerun.stdout}\n${o.rerun.stderr}`);
    expect(failedReruns.map((o) => o.run.name)).toEqual([]);
    expect(duplicates).toBe(0);
    expect(keyless).toBe(0);
    expect(unlinked).toBe(0);
    expect(unpaid).toBe(0);
    // Every validation record is removed, including one DNSPod committed after a kill inside
    // CreateRecord (the journal plans records before creating them).
    const leaked = outcomes.filter((o) => o.recordsLeft > 0);
    if (leaked.length > 0) console.log(`validation records left: ${leaked.map((o) => `${o.run.name} after [${o.killedAfter}]`).join(", ")}`);
    expect(leaked.map((o) => o.run.name)).toEqual([]);
    // The phase-boundary runs really died at their boundary.
    for (const o of outcomes.filter((x) => "at" in x.run.kill)) expect(o.killedAfter, o.run.name).toBe((o.run.kill as { at: string }).at);
  });
});

describe("regressions found by the crash matrix", () => {
  it("regression: a renewal killed between issuance and cleanup left its DNSPod validation records, because the rerun adopted the issued certificate without cleaning up", async () => {
    const o = await crashThenRerun(REGRESSION_RUN);
    expect(o.killed).toBe(true);
    expect(o.killedAfter).toBe("verify");
    expect(o.rerun.code).toBe(0);
    expect(o.keyHeld).toBe(true);
    expect(o.points).toBe(1);
    expect(o.recordsLeft).toBe(0);
  });
});
