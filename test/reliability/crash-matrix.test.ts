/**
 * Crash matrix across processes, under both emulator profiles (`default`: Tencent's renewal link
 * as kind as it plausibly is; `pessimistic`: late, one-sided, cleared after issue, a second renewal
 * accepted and charged). The emulator runs standalone (`tccert emulator --state-file --profile`,
 * its own process), and each CLI renewal (`tccert renew`, another process) is SIGKILLed at a
 * phase boundary (when its progress line for that phase appears on stderr) or at a moment drawn
 * from a seeded PRNG (0–3 s after spawn). Every lineage is then renewed again by a second CLI
 * run, which must complete, or stop resumably (PaymentUnknown, LockHeld) and complete "later".
 * Kills INSIDE the paid call (the server still commits) and `--all-due --concurrency 4` runs
 * killed at random moments are cells of their own.
 * Over all runs we count paid calls SENT per lineage (the call log, refused ones included),
 * duplicate payments (benefit points beyond one per lineage) and issued certificates whose key we
 * do not hold (a key in the state dir's journal or in the rerun's `--out`). All must be at most
 * one, and zero.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedSpec } from "../../emulator";
import { PROFILES, auditLineage, privateKeysUnder, type AuditSource, type LineageAudit, type Profile } from "./audit";
import { PACKAGE_POINTS, cellAccount, markdownTable, pool, prng, runCli, startStandaloneEmulator, tempDir, type CellAccount, type Spawned, type StandaloneEmulator } from "./support";

/** Progress tags the CLI prints as `[tag] …` on stderr, in renewal order: the phase boundaries. */
const BOUNDARIES = ["preflight", "decision", "find-order", "prepare-key", "pay", "payment", "submit", "validate", "dns-record", "waiting", "verify", "cleanup", "deploy", "done"];
const PHASE_REPEATS = 2;
/** Seeded random kills per profile: the pessimistic profile samples fewer (runtime). */
const RANDOM_RUNS: Record<Profile, number> = { default: 200, pessimistic: 60 };
const RANDOM_MAX_MS = 3000;
const SEED = 0x7cce47;
const CONCURRENCY = 6;
/** Kills inside the paid call: it answers after PAID_LATENCY_MS, the CLI dies IN_CALL_KILL_MS into it. */
const IN_FLIGHT_RUNS = 4;
const PAID_LATENCY_MS = 1500;
const IN_CALL_KILL_MS = 300;
/** `--all-due --concurrency 4` over ALL_DUE_CERTS certificates, killed at a seeded moment in 0–ALL_DUE_MAX_MS. */
const ALL_DUE_RUNS = 3;
const ALL_DUE_CERTS = 5;
const ALL_DUE_MAX_MS = 4000;

interface Run {
  readonly name: string;
  readonly certificateId: string;
  readonly account: CellAccount;
  readonly kill: { readonly at: string } | { readonly afterMs: number } | { readonly inPaidCall: true };
}

function runsFor(profile: Profile): { runs: Run[]; inFlight: Run[]; regression: Run; allDue: { name: string; account: CellAccount; ids: string[]; afterMs: number }[] } {
  const P = profile === "default" ? "" : "p";
  const tag = profile === "default" ? "" : `${profile}-`;
  const random = prng(SEED + (profile === "default" ? 0 : 1));
  const runs: Run[] = [
    ...BOUNDARIES.flatMap((at, i) =>
      Array.from({ length: PHASE_REPEATS }, (_, r) => ({ name: `phase-${at}-${r}`, certificateId: `cm${P}P${i}x${r}`, account: cellAccount(`crash-${tag}phase-${at}-${r}`), kill: { at } })),
    ),
    ...Array.from({ length: RANDOM_RUNS[profile] }, (_, i) => ({ name: `random-${i}`, certificateId: `cm${P}R${i}`, account: cellAccount(`crash-${tag}random-${i}`), kill: { afterMs: Math.floor(random() * RANDOM_MAX_MS) } })),
  ];
  const inFlight: Run[] = Array.from({ length: IN_FLIGHT_RUNS }, (_, i) => ({ name: `in-paid-call-${i}`, certificateId: `cm${P}F${i}`, account: cellAccount(`crash-${tag}in-paid-call-${i}`), kill: { inPaidCall: true } as const }));
  const allDue = Array.from({ length: ALL_DUE_RUNS }, (_, i) => ({
    name: `all-due-${i}`,
    account: cellAccount(`crash-${tag}all-due-${i}`),
    ids: Array.from({ length: ALL_DUE_CERTS }, (_, c) => `cm${P}A${i}c${c}`),
    afterMs: 500 + Math.floor(random() * ALL_DUE_MAX_MS),
  }));
  /** Killed after issuance, before cleanup: the rerun adopts the issued certificate (regression test below). */
  const regression: Run = { name: "regression-verify", certificateId: `cm${P}RegV`, account: cellAccount(`crash-${tag}regression-verify`), kill: { at: "verify" } };
  return { runs, inFlight, regression, allDue };
}

function seedCertificate(certificateId: string, accountId: string): NonNullable<SeedSpec["certificates"]>[number] {
  return {
    certificateId,
    accountId,
    domain: `${certificateId.toLowerCase()}.example.com`,
    certType: "DV" as const,
    expiresInDays: 10,
    boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: `lb-${certificateId}`, listenerId: `lbl-${certificateId}` }],
  };
}

function seedSpec(runs: readonly Run[], allDue: ReturnType<typeof runsFor>["allDue"]): SeedSpec {
  const accounts = [...runs.map((r) => r.account), ...allDue.map((a) => a.account)];
  return {
    accounts,
    certificates: [...runs.map((r) => seedCertificate(r.certificateId, r.account.accountId)), ...allDue.flatMap((a) => a.ids.map((id) => seedCertificate(id, a.account.accountId)))],
    packages: accounts.map((a) => ({ accountId: a.accountId, packageId: `pkg-${a.accountId}`, total: PACKAGE_POINTS, balance: PACKAGE_POINTS })),
    zones: accounts.map((a) => ({ accountId: a.accountId, zone: "example.com" })),
  };
}

interface Outcome {
  readonly run: Run;
  /** The last progress tag printed before the kill ("" when none), or "finished" when the run ended first. */
  readonly killedAfter: string;
  readonly killed: boolean;
  /** The run that completed (the rerun, or the later one). */
  readonly rerun: Spawned;
  /** How the rerun at once stopped when it did not complete ("" when it completed): e.g. "PaymentUnknown". */
  readonly rerunStop: string;
  /** What "later" took: "" (not needed), "waited" (the link delay / the paid call's commit), "resolved --not-paid". */
  readonly later: string;
  readonly newCertificateId: string;
  readonly points: number;
  readonly keyHeld: boolean;
  readonly linked: boolean;
  /** Validation records left in the account's zone after the rerun. */
  readonly recordsLeft: number;
  readonly audit: LineageAudit;
  /** Kills inside the paid call: one more run later (past the link delay), which must output the same renewal with its key. */
  readonly laterRun: "" | "same renewal with its key" | string;
}

function lastTag(stderr: string): string {
  const tags = [...stderr.matchAll(/^\[([a-z-]+)\]/gm)].map((m) => m[1]!);
  return tags[tags.length - 1] ?? "";
}

function source(emu: StandaloneEmulator): AuditSource {
  return {
    url: emu.url,
    inspectCertificate: async (id) => (await emu.admin<{ result?: Record<string, unknown> }>("POST", "admin/inspectCertificate", { certificateId: id })).result,
    calls: (accountId) => emu.calls(accountId),
  };
}

interface CliReport {
  results?: { id?: string; ok: boolean; certificateId: string; hasPrivateKey: boolean; error?: { kind: string } }[];
  error?: { kind: string };
}

function parseReport(stdout: string): CliReport {
  try {
    return JSON.parse(stdout.slice(Math.max(0, stdout.indexOf("{")))) as CliReport;
  } catch {
    return {};
  }
}

/**
 * A rerun that stopped resumably, run again "later": the paid call in flight has had time to commit
 * and the emulator clock is past the link delay. A PaymentUnknown whose paid call never reached
 * Tencent (none in the call log) is what an operator settles from the console: `tccert resolve
 * --not-paid` (the CLI has no flag to shorten the 30-minute quarantine).
 */
async function later(emu: StandaloneEmulator, account: CellAccount, ids: readonly string[], stops: readonly string[], base: readonly string[], env: Record<string, string>, cwd: string): Promise<string> {
  await new Promise((r) => setTimeout(r, PAID_LATENCY_MS + 500));
  const rules = await emu.admin<{ rules: { linkDelaySeconds: number } }>("GET", "rules");
  await emu.admin("POST", "clock/advance", { seconds: rules.rules.linkDelaySeconds + 1 });
  const sent = (await emu.calls(account.accountId)).filter((c) => c.action === "CreateCertificateByPackage").length;
  if (stops.includes("PaymentUnknown") && sent === 0) {
    for (const id of ids) await runCli([...base.slice(0, base.indexOf("renew")), "resolve", id, "--not-paid"], env, { cwd });
    return "resolved --not-paid";
  }
  return "waited";
}

async function crashThenRerun(emu: StandaloneEmulator, run: Run): Promise<Outcome> {
  const admin = <T>(method: string, route: string, body?: unknown): Promise<T> => emu.admin<T>(method, route, body);
  const dir = tempDir("crash-run");
  const env = { TENCENTCLOUD_SECRET_ID: run.account.secretId, TENCENTCLOUD_SECRET_KEY: run.account.secretKey };
  const base = ["--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", run.certificateId, "--key-algorithm", "EC_P256", "--deploy", "clb", "--region", "ap-guangzhou", "--wait-timeout-minutes", "2"];
  if ("inPaidCall" in run.kill)
    await admin("POST", "faults", { service: "ssl", action: "CreateCertificateByPackage", accountId: run.account.accountId, kind: "latency", ms: PAID_LATENCY_MS, times: 1 });
  const crashed = await runCli(base, env, {
    cwd: dir,
    ...("at" in run.kill
      ? { killOnStderr: new RegExp(`^\\[${run.kill.at}\\]`, "m") }
      : "afterMs" in run.kill
        ? { killAfterMs: run.kill.afterMs }
        : { killOnStderr: /^\[pay\]/m, killOnStderrDelayMs: IN_CALL_KILL_MS }),
  });
  const killed = crashed.signal === "SIGKILL";
  const out = path.join(dir, "out");
  const argv = ["--json", ...base, "--out", out, "--ignore-backoff"];
  let rerun = await runCli(argv, env, { cwd: dir });
  let rerunStop = "";
  let laterTook = "";
  if (rerun.code !== 0) {
    const report = parseReport(rerun.stdout);
    rerunStop = report.results?.[0]?.error?.kind ?? report.error?.kind ?? `exit ${rerun.code}`;
    if (rerun.code === 2) {
      laterTook = await later(emu, run.account, [run.certificateId], [rerunStop], base, env, dir);
      rerun = await runCli(argv, env, { cwd: dir });
    }
  }
  const outputWithKey = (spawned: Spawned, outDir: string): { id: string; keyHeld: boolean } => {
    const r = parseReport(spawned.stdout).results?.[0];
    if (!r?.ok) return { id: "", keyHeld: false };
    try {
      const cert = new crypto.X509Certificate(fs.readFileSync(path.join(outDir, r.certificateId, "cert.pem")));
      const keyFile = path.join(outDir, r.certificateId, "privkey.pem");
      return { id: r.certificateId, keyHeld: r.hasPrivateKey && (fs.statSync(keyFile).mode & 0o777) === 0o600 && cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(keyFile))) };
    } catch {
      return { id: r.certificateId, keyHeld: false };
    }
  };
  const { id: newCertificateId, keyHeld } = outputWithKey(rerun, out);
  let laterRun = "";
  if ("inPaidCall" in run.kill) {
    // Then again later: past the link delay (and, pessimistic, the link cleared after issuance).
    await admin("POST", "clock/advance", { seconds: (await admin<{ rules: { linkDelaySeconds: number } }>("GET", "rules")).rules.linkDelaySeconds + 1 });
    const out2 = path.join(dir, "out-later");
    const third = await runCli(["--json", ...base, "--out", out2], env, { cwd: dir });
    const got = outputWithKey(third, out2);
    laterRun = third.code === 0 && got.id === newCertificateId && got.keyHeld ? "same renewal with its key" : `exit ${third.code}, ${got.id || "no certificate"}, key held ${got.keyHeld}: ${third.stderr.slice(0, 300)}`;
  }
  const audit = await auditLineage(source(emu), run.account, run.certificateId, privateKeysUnder([dir]));
  const packages = (await admin<{ result: { balance: number }[] }>("POST", "admin/inspectPackages", { accountId: run.account.accountId })).result;
  const points = PACKAGE_POINTS - packages.reduce((s, p) => s + p.balance, 0);
  const old = (await admin<{ result: { renewOrder?: string } }>("POST", "admin/inspectCertificate", { certificateId: run.certificateId })).result;
  const newRecord = newCertificateId ? (await admin<{ result: { originCertificateId?: string } }>("POST", "admin/inspectCertificate", { certificateId: newCertificateId })).result : undefined;
  const zone = (await admin<{ result: { type?: string; Type?: string }[] }>("POST", "admin/inspectZone", { zone: "example.com", accountId: run.account.accountId })).result;
  const recordsLeft = zone.filter((x) => (x.type ?? x.Type) !== "NS").length;
  fs.rmSync(dir, { recursive: true, force: true });
  // A phase-boundary run was killed on seeing its boundary's line (later lines may share its chunk).
  const killedAfter = !killed ? "finished" : "at" in run.kill && new RegExp(`^\\[${run.kill.at}\\]`, "m").test(crashed.stderr) ? run.kill.at : lastTag(crashed.stderr);
  // The renewal is the lineage's: Tencent's truth (the record), whatever the link shows.
  const linked = newCertificateId !== "" && (old.renewOrder === newCertificateId || newRecord?.originCertificateId === run.certificateId);
  return { recordsLeft, run, killedAfter, killed, rerun, rerunStop, later: laterTook, newCertificateId, points, keyHeld, linked, audit, laterRun };
}

/** `--all-due --concurrency 4` over several certificates, SIGKILLed at `afterMs`, then rerun (and once more later if needed). */
async function allDueThenRerun(emu: StandaloneEmulator, cell: ReturnType<typeof runsFor>["allDue"][number]) {
  const dir = tempDir("crash-all-due");
  const env = { TENCENTCLOUD_SECRET_ID: cell.account.secretId, TENCENTCLOUD_SECRET_KEY: cell.account.secretKey };
  const base = ["--endpoint", emu.url, "--state-dir", path.join(dir, "state"), "renew", "--all-due", "--concurrency", "4", "--key-algorithm", "EC_P256", "--deploy", "clb", "--region", "ap-guangzhou", "--wait-timeout-minutes", "2"];
  const crashed = await runCli(base, env, { cwd: dir, killAfterMs: cell.afterMs });
  const argv = ["--json", ...base, "--out", path.join(dir, "out"), "--ignore-backoff"];
  let rerun = await runCli(argv, env, { cwd: dir });
  let done = new Set((parseReport(rerun.stdout).results ?? []).filter((r) => r.ok).map((r) => r.id ?? ""));
  const stops = (parseReport(rerun.stdout).results ?? []).filter((r) => !r.ok).map((r) => r.error?.kind ?? "?");
  let laterTook = "";
  // A renewal the kill cut short may be in flight (not due any more in --all-due's eyes): finish them by id.
  const remaining = () => cell.ids.filter((id) => !done.has(id));
  if (remaining().length > 0) {
    if (stops.length > 0) laterTook = await later(emu, cell.account, remaining(), stops, base, env, dir);
    rerun = await runCli(["--json", ...base.filter((a) => a !== "--all-due"), ...remaining(), "--out", path.join(dir, "out"), "--ignore-backoff"], env, { cwd: dir });
    for (const r of parseReport(rerun.stdout).results ?? []) if (r.ok) done.add(r.id ?? "");
  }
  let keysOut = 0;
  for (const d of fs.existsSync(path.join(dir, "out")) ? fs.readdirSync(path.join(dir, "out")) : []) {
    try {
      const cert = new crypto.X509Certificate(fs.readFileSync(path.join(dir, "out", d, "cert.pem")));
      if (cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(path.join(dir, "out", d, "privkey.pem"))))) keysOut++;
    } catch {
      /* counted as missing */
    }
  }
  const audit = await auditLineage(source(emu), cell.account, cell.ids, privateKeysUnder([dir]));
  fs.rmSync(dir, { recursive: true, force: true });
  done = new Set([...done].filter((x) => x !== ""));
  return { cell, killed: crashed.signal === "SIGKILL", stops, later: laterTook, completed: done.size, keysOut, audit };
}

const summaries: string[] = [];

describe.each(PROFILES)("crash matrix, emulator profile %s", (profile) => {
  const { runs, inFlight, regression, allDue } = runsFor(profile);
  let emu: StandaloneEmulator;

  beforeAll(async () => {
    emu = await startStandaloneEmulator(`crash-${profile}`, profile);
    await emu.admin("POST", "seed", seedSpec([...runs, ...inFlight, regression], allDue));
    // Issuance a second after validation: the kills spread over the whole renewal.
    await emu.admin("POST", "admin/setIssuanceDelay", { seconds: 1 });
    await emu.admin("POST", "admin/setDeploySecondsPerResource", { args: [0.2] });
  });

  afterAll(async () => {
    await emu?.close();
  });

  it(`crashed renewals (${BOUNDARIES.length * PHASE_REPEATS} at phase boundaries, ${RANDOM_RUNS[profile]} at seeded moments, ${IN_FLIGHT_RUNS} inside the paid call): every rerun completes; one paid call sent per lineage; no certificate without its key`, async () => {
    const started = Date.now();
    const all = [...runs, ...inFlight];
    const outcomes = await pool(all, CONCURRENCY, (r) => crashThenRerun(emu, r));
    const seconds = Math.round((Date.now() - started) / 1000);

    const failedReruns = outcomes.filter((o) => o.rerun.code !== 0 || o.newCertificateId === "");
    const duplicates = outcomes.reduce((s, o) => s + Math.max(0, o.points - 1), 0);
    const unpaid = outcomes.filter((o) => o.points === 0).length;
    const keyless = outcomes.filter((o) => o.newCertificateId !== "" && !o.keyHeld).length;
    const unheldIssued = outcomes.reduce((n, o) => n + o.audit.keyless.length, 0);
    const unlinked = outcomes.filter((o) => o.newCertificateId !== "" && !o.linked).length;
    const twoSent = outcomes.filter((o) => o.audit.paidSent >= 2);
    const where = new Map<string, number>();
    for (const o of outcomes.filter((x) => !("inPaidCall" in x.run.kill))) where.set(o.killedAfter || "(before any progress)", (where.get(o.killedAfter || "(before any progress)") ?? 0) + 1);
    const order = ["(before any progress)", ...BOUNDARIES, "finished"];
    const rows = [...where.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([t, n]) => [t, String(n)]);
    const stopRows = new Map<string, number>();
    for (const o of outcomes.filter((x) => x.rerunStop)) stopRows.set(`${o.rerunStop} → ${o.later || "no later run"}`, (stopRows.get(`${o.rerunStop} → ${o.later || "no later run"}`) ?? 0) + 1);
    const text = [
      `crash matrix [${profile}]: ${outcomes.length} runs (${BOUNDARIES.length * PHASE_REPEATS} at phase boundaries, ${RANDOM_RUNS[profile]} at seeded random moments 0–${RANDOM_MAX_MS} ms, seed ${SEED}, ${IN_FLIGHT_RUNS} killed ${IN_CALL_KILL_MS} ms into a ${PAID_LATENCY_MS} ms paid call), ${CONCURRENCY} in parallel, ${seconds} s`,
      `killed: ${outcomes.filter((o) => o.killed).length}; finished before the kill: ${outcomes.filter((o) => !o.killed).length}`,
      `reruns completed: ${outcomes.length - failedReruns.length}/${outcomes.length} (after a resumable stop and a later run: ${outcomes.filter((o) => o.later).length}); paid calls sent per lineage (max): ${Math.max(...outcomes.map((o) => o.audit.paidSent))}; lineages with 2+ paid calls sent: ${twoSent.length}; duplicate payments: ${duplicates}; lineages never paid: ${unpaid}; issued certificates whose key we do not hold: ${unheldIssued} (rerun outputs without a matching key: ${keyless}); outputs that are not the lineage's renewal: ${unlinked}; validation records left in DNSPod: ${outcomes.reduce((n, o) => n + o.recordsLeft, 0)}`,
      `reruns at once that stopped resumably, and what "later" took: ${[...stopRows.entries()].map(([k, v]) => `${k} × ${v}`).join(", ") || "none"}`,
      `in the paid call: ${outcomes
        .filter((o) => "inPaidCall" in o.run.kill)
        .map((o) => `${o.run.name}: killed ${o.killed ? `after [${o.killedAfter}]` : "no (finished first)"}, rerun at once ${o.rerunStop || "completed"}${o.later ? `, later ${o.later}` : ""}, run again later: ${o.laterRun}, paid calls sent in total ${o.audit.paidSent}, key held ${o.keyHeld}`)
        .join("; ")}`,
      "",
      markdownTable(["last progress line before SIGKILL", "runs"], rows),
    ].join("\n");
    summaries.push(text);
    console.log(text);
    for (const o of failedReruns.slice(0, 5)) console.log(`rerun of ${o.run.name} failed: exit ${o.rerun.code}\n${o.rerun.stdout}\n${o.rerun.stderr}`);
    expect(failedReruns.map((o) => o.run.name)).toEqual([]);
    expect(twoSent.map((o) => `${o.run.name}: ${o.audit.paidSent} paid calls sent`)).toEqual([]);
    expect(duplicates).toBe(0);
    expect(keyless).toBe(0);
    expect(unheldIssued).toBe(0);
    expect(unlinked).toBe(0);
    expect(unpaid).toBe(0);
    // Every validation record is removed, including one DNSPod committed after a kill inside
    // CreateRecord (the journal plans records before creating them).
    const leaked = outcomes.filter((o) => o.recordsLeft > 0);
    if (leaked.length > 0) console.log(`validation records left: ${leaked.map((o) => `${o.run.name} after [${o.killedAfter}]`).join(", ")}`);
    expect(leaked.map((o) => o.run.name)).toEqual([]);
    // The phase-boundary runs really died at their boundary; the in-call runs died in the paid call.
    for (const o of outcomes.filter((x) => "at" in x.run.kill)) expect(o.killedAfter, o.run.name).toBe((o.run.kill as { at: string }).at);
    for (const o of outcomes.filter((x) => "inPaidCall" in x.run.kill)) {
      expect(o.killed && o.killedAfter, o.run.name).toBe("pay");
      // Exactly ONE CreateCertificateByPackage sent in total, and the final run outputs the renewal with its key.
      expect(o.audit.paidSent, o.run.name).toBe(1);
      expect(o.keyHeld, o.run.name).toBe(true);
      expect(o.laterRun, o.run.name).toBe("same renewal with its key");
    }
  });

  it(`renew --all-due --concurrency 4 over ${ALL_DUE_CERTS} certificates, killed at seeded moments, then rerun: every lineage renewed once, every key held`, async () => {
    const cells = await pool(allDue, 2, (c) => allDueThenRerun(emu, c));
    const text = `crash matrix [${profile}] --all-due: ${cells
      .map((c) => `${c.cell.name} killed at ${c.cell.afterMs} ms (${c.killed ? "killed" : "finished first"}): ${c.completed}/${ALL_DUE_CERTS} renewed, rerun stops ${c.stops.join(", ") || "none"}${c.later ? `, later ${c.later}` : ""}, paid calls sent ${c.audit.paidSent}, renewals per lineage ${[...c.audit.createdFor.values()].join("/")}, keys output ${c.keysOut}, issued without a held key ${c.audit.keyless.length}`)
      .join("; ")}`;
    summaries.push(text);
    console.log(text);
    for (const c of cells) {
      expect.soft(c.completed, `${c.cell.name}: lineages renewed`).toBe(ALL_DUE_CERTS);
      expect.soft(c.audit.paidSent, `${c.cell.name}: CreateCertificateByPackage sent (one per lineage)`).toBe(ALL_DUE_CERTS);
      expect.soft([...c.audit.createdFor.entries()].filter(([, n]) => n !== 1), `${c.cell.name}: lineages with other than one renewal`).toEqual([]);
      expect.soft(c.audit.keyless, `${c.cell.name}: issued certificates whose key we do not hold`).toEqual([]);
      expect.soft(c.keysOut, `${c.cell.name}: certificates output with their key`).toBe(ALL_DUE_CERTS);
    }
  });

  it("regression: a renewal killed between issuance and cleanup left its DNSPod validation records, because the rerun adopted the issued certificate without cleaning up", async () => {
    const o = await crashThenRerun(emu, regression);
    expect(o.killed).toBe(true);
    expect(o.killedAfter).toBe("verify");
    expect(o.rerun.code).toBe(0);
    expect(o.keyHeld).toBe(true);
    expect(o.points).toBe(1);
    expect(o.audit.paidSent).toBe(1);
    expect(o.recordsLeft).toBe(0);
  });
});
