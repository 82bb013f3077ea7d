/**
 * `tccert renew`: renew ids or everything due, with bounded concurrency (the
 * adapter keeps every action under Tencent's rate limits), cross-run backoff
 * for certificates that keep failing, a dry run that pays nothing, and files:
 * each certificate's files are written as soon as that certificate is done.
 */
import * as path from "node:path";
import { backoffStatus, countsAsFailure, recordFailure } from "../../engine/backoff";
import type { EngineDeps } from "../../engine/deps";
import { InvalidInputError, isPendingHumanActionError, isRenewalError, type RenewalError } from "../../engine/errors";
import { DEFAULTS, resolveOptions } from "../../engine/options";
import type { ProgressSink } from "../../engine/progress";
import { ensureRenewedUnblocked } from "../../engine/pending";
import type { RenewalResult } from "../../engine/result";
import { scanAccount } from "../../engine/scan";
import { defaultStateDir } from "../../runtime";
import { EXIT, type ExitCode } from "../exit-codes";
import { checkOutDir, writeFiles } from "../out-files";
import { publicView, type Out } from "../output";
import { createTracker, interruptReport, onStopSignal, SIGNAL_EXIT, type RenewalTracker, type StopSignal } from "../interrupt";
import { createReporter, type Reporter } from "../progress";
import type { BackoffStore, PendingActionRecord, PendingActionStore } from "../state-files";
import { explainNotFound } from "./not-found";
import { dryRun } from "./renew-dry-run";
import { canaryCommand, checkCanaryFlags } from "./renew-canary";
import type { DoctorDeps } from "../../engine/doctor";
import { num, renewOptionsFromFlags, type RenewFlags } from "./renew-flags";

export { checkOutDir, writeFiles } from "../out-files";
export { explainNotFound } from "./not-found";
export { renewOptionsFromFlags, type RenewFlags } from "./renew-flags";

async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

type Outcome =
  | { id: string; state: "ok"; result: RenewalResult; files: readonly string[] }
  | { id: string; state: "skipped"; until: string; message: string }
  | { id: string; state: "error"; error: RenewalError | Error; current?: { result: RenewalResult; files: readonly string[] } };

export interface RenewContext {
  /** Engine dependencies; creating them validates credentials and the endpoint (no network). */
  deps(): EngineDeps;
  /** Opened before any network call. */
  backoff(): BackoffStore;
  /** Human steps scan cannot see in Tencent's listing (manual DNS records). Opened before any network call. */
  pending(): PendingActionStore;
  /** The state dir, named where a key stays in its journal. @default env TCCERT_STATE_DIR, else ./.tccert-state */
  stateDir?(): string;
  /** Ends the process after a stop signal was reported (cli/interrupt.ts). @default process.exit */
  exit?(code: number): never;
  /** The read-only probe, for `--canary`'s observations. @default --canary is unavailable */
  probe?(): DoctorDeps;
  /** Where `--canary` asks for confirmation. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  /** Credentials to scrub from `--record` files. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Validates everything that can be validated without the network; returns the concurrency. */
export function validateRenewFlags(ids: readonly string[], flags: RenewFlags): number {
  if (ids.length === 0 && !flags.allDue) throw new InvalidInputError("ids", "renew needs certificate ids, or --all-due. Run `tccert scan` to see what is due.");
  if (ids.length > 0 && flags.allDue) throw new InvalidInputError("--all-due", `--all-due renews everything due; do not also name ids (got ${ids.join(", ")}).`);
  const concurrency = num("--concurrency", flags.concurrency) ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new InvalidInputError("--concurrency", `--concurrency must be a whole number from 1 to 64; got ${JSON.stringify(flags.concurrency)}.`);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) throw new InvalidInputError("ids", `certificate id ${dupes[0]} is named twice; name each certificate once.`);
  // Every option, for every named id (a placeholder for --all-due), before any network call.
  for (const id of ids.length > 0 ? ids : ["placeholder"]) renewOptionsFromFlags(id, flags);
  if (flags.out) checkOutDir(flags.out);
  return concurrency;
}

/** What every certificate's renewal of one run shares. */
interface RenewRun {
  readonly deps: EngineDeps;
  readonly store: BackoffStore;
  readonly pending: PendingActionStore;
  readonly flags: RenewFlags;
  readonly reporter: Reporter;
  readonly tracker: RenewalTracker;
}

/** The named ids, or (--all-due) every certificate the account says is due. */
async function resolveTargets(deps: EngineDeps, ids: readonly string[], flags: RenewFlags, out: Out): Promise<string[]> {
  if (!flags.allDue) return [...ids];
  const rows = await scanAccount(deps, { renewBeforeDays: num("--renew-before-days", flags.renewBeforeDays) ?? DEFAULTS.renewBeforeDays });
  const targets = rows.filter((r) => r.due).map((r) => r.certificateId);
  out.error(`${targets.length} certificate(s) due${targets.length ? `: ${targets.join(", ")}` : ""}`);
  return targets;
}

/** Backed off after failing renewals, and not told to ignore it: skipped, with why. */
function backedOff(run: RenewRun, id: string): Outcome | null {
  const b = backoffStatus(id, run.store.get(id), run.deps.clock.now());
  if (!b.active || run.flags.ignoreBackoff) return null;
  const message = `skipped: ${b.message}; pass --ignore-backoff to try now. Last error: ${b.lastError}`;
  run.reporter.finish(id, "skipped", message);
  return { id, state: "skipped", until: b.until!.toISOString(), message };
}

/** The progress sink of one renewal, which also keeps the records a manual-dns renewal asks the user to publish (for scan). */
function recordingSink(sink: ProgressSink, manual: PendingActionRecord["records"][number][]): ProgressSink {
  return (e) => {
    if (e.type === "dns-record" && e.action === "manual") manual.push({ type: e.record.recordType, name: e.record.key, value: e.record.value });
    sink(e);
  };
}

/** A renewal that failed: counted towards backoff when it should be, a manual-DNS stop remembered for scan. */
async function failed(run: RenewRun, id: string, e: unknown, manual: PendingActionRecord["records"][number][]): Promise<Outcome> {
  const notFound = explainNotFound(id, e);
  const error = (notFound ?? e) as Error;
  const now = () => run.deps.clock.now();
  if (countsAsFailure(error) && !notFound) {
    const code = (error as { code?: unknown }).code;
    const kind = isRenewalError(error) ? error.kind : "Error";
    await run.store.set(id, recordFailure(run.store.get(id), now(), { kind, code: typeof code === "string" ? code : "", message: error.message }));
  }
  if (isPendingHumanActionError(error) && error.action === "manual-dns")
    await run.pending.set(id, { kind: "manual-dns", newCertificateId: error.newCertificateId, message: error.message, instructions: error.instructions, records: manual, reportedAt: now().toISOString() });
  const resumable = isRenewalError(error) && error.resumable;
  run.reporter.finish(id, resumable ? "pending" : "failed", `${isRenewalError(error) ? error.kind : "Error"}: ${error.message}`);
  return { id, state: "error", error };
}

/** A renewal that is done: its files are written now (--out), before the run goes on. */
function done(run: RenewRun, id: string, result: RenewalResult): Outcome {
  let files: string[] = [];
  try {
    if (run.flags.out) files = writeFiles(run.flags.out, result, id);
  } catch (e) {
    // The renewal is done and paid: not a failed renewal, never counted towards backoff.
    run.reporter.finish(id, "failed", `${isRenewalError(e) ? e.kind : "Error"}: ${(e as Error).message}`);
    return { id, state: "error", error: e as Error };
  }
  run.reporter.finish(id, "ok", `${result.outcome} → ${result.certificateId}, valid until ${result.notAfter.toISOString().slice(0, 10)}`);
  return { id, state: "ok", result, files };
}

/**
 * A renewal waiting for a human while the current certificate stays valid (engine/pending.ts): still
 * exit 2 with the stop reported as before, and the CURRENT certificate and key are written to --out,
 * so what installs them is never left without a certificate.
 */
async function pendingWithCurrent(run: RenewRun, id: string, result: RenewalResult, stop: RenewalError, manual: PendingActionRecord["records"][number][]): Promise<Outcome> {
  let files: string[] = [];
  try {
    if (run.flags.out) files = writeFiles(run.flags.out, result, id);
  } catch (e) {
    run.reporter.sink(id)({ type: "warning", message: `could not write the current certificate ${result.certificateId}: ${(e as Error).message}` });
  }
  const o = await failed(run, id, stop, manual);
  return o.state === "error" ? { ...o, current: { result, files } } : o;
}

/** After success: clear the backoff and pending records. A state file that cannot be written does not undo a paid renewal. */
async function forgetFailures(run: RenewRun, id: string, result: RenewalResult): Promise<void> {
  try {
    await run.store.set(id, undefined);
    await run.pending.set(id, undefined);
  } catch (e) {
    run.reporter.sink(id)({
      type: "warning",
      message: `certificate ${result.certificateId} is renewed (${result.outcome}), but the state dir could not be updated (${(e as Error).message}); an old backoff or pending action for ${id} may still show until a rerun succeeds in writing it.`,
    });
  }
}

/** One certificate, start to end: skipped, renewed (files written), or failed. */
async function renewOne(run: RenewRun, id: string): Promise<Outcome> {
  const skipped = backedOff(run, id);
  if (skipped) return skipped;
  const opts = resolveOptions(renewOptionsFromFlags(id, run.flags));
  const manual: PendingActionRecord["records"][number][] = [];
  const progress = run.tracker.track(id, recordingSink(run.reporter.sink(id), manual));
  let result: RenewalResult;
  try {
    result = await ensureRenewedUnblocked({ ...run.deps, progress }, opts, { owner: `tccert renew ${id}` });
  } catch (e) {
    return failed(run, id, e, manual).finally(() => run.tracker.finished(id));
  }
  if (result.outcome === "pending" && result.pending) return pendingWithCurrent(run, id, result, result.pending.error, manual).finally(() => run.tracker.finished(id));
  await forgetFailures(run, id, result);
  try {
    return done(run, id, result);
  } finally {
    run.tracker.finished(id);
  }
}

function errorReport(o: Extract<Outcome, { state: "error" }>, store: BackoffStore): Record<string, unknown> {
  const e = o.error;
  const code = (e as { code?: unknown }).code;
  const b = store.get(o.id);
  return {
    id: o.id,
    ok: false,
    error: {
      kind: isRenewalError(e) ? e.kind : "Error",
      code: typeof code === "string" ? code : "",
      message: e.message,
      resumable: isRenewalError(e) ? e.resumable : false,
      newCertificateId: isRenewalError(e) ? e.newCertificateId : "",
      ...(isPendingHumanActionError(e) ? { instructions: e.instructions } : {}),
    },
    ...(o.current ? { current: { certificateId: o.current.result.certificateId, notAfter: o.current.result.notAfter.toISOString(), files: o.current.files } } : {}),
    backoff: b ? { failures: b.failures, until: b.nextAttemptAt } : null,
  };
}

/** Where the private key of a finished renewal is: the --out file, the journal (and how to export it), Tencent, or the user. */
export function keyLocation(o: Extract<Outcome, { state: "ok" }>, flags: RenewFlags, stateDir: string): string {
  const privkey = o.files.find((f) => path.basename(f) === "privkey.pem");
  if (privkey) return `private key: ${privkey} (0600)`;
  if (o.result.privateKeyPem === "") return "private key: yours (you supplied the CSR); it was never here";
  const exportIt = `export it with \`tccert renew ${o.id} --out DIR\` (adopts ${o.result.certificateId}; pays nothing)`;
  if ((flags.keySource ?? DEFAULTS.keySource) === "local" && flags.csr === undefined)
    return `private key: only in the journal ${path.join(stateDir, "journal", `${o.result.originalCertificateId}.json`)} (0600); ${exportIt}`;
  return `private key: held by Tencent for ${o.result.certificateId}; ${exportIt}`;
}

/** One outcome: its JSON entry, and (without --json) its lines. */
function reportOutcome(o: Outcome, store: BackoffStore, out: Out, keyAt: (o: Extract<Outcome, { state: "ok" }>) => string): Record<string, unknown> {
  if (o.state === "ok") {
    if (!out.json) {
      out.line(`${o.id}: ${o.result.outcome} → ${o.result.certificateId} (valid until ${o.result.notAfter.toISOString()})${o.files.length ? `; wrote ${o.files.join(", ")}` : ""}`);
      out.line(`  ${keyAt(o)}`);
    }
    return { id: o.id, ok: true, ...publicView(o.result), files: o.files, privateKey: keyAt(o) };
  }
  if (o.state === "skipped") {
    if (!out.json) out.line(`${o.id}: ${o.message}`);
    return { id: o.id, ok: false, skipped: { reason: "BackedOff", until: o.until, message: o.message } };
  }
  const e = o.error;
  if (!out.json) {
    const b = store.get(o.id);
    out.line(`${o.id}: ${isRenewalError(e) ? e.kind : "Error"}: ${e.message}`);
    if (isPendingHumanActionError(e)) out.line(`  what to do: ${e.instructions}`);
    if (o.current)
      out.line(`  meanwhile: ${o.current.result.certificateId} stays current, valid until ${o.current.result.notAfter.toISOString()}${o.current.files.length ? `; wrote ${o.current.files.join(", ")}` : ""}`);
    if (b && countsAsFailure(e)) out.line(`  backoff: ${b.failures} consecutive failure(s); the next run tries again after ${b.nextAttemptAt}`);
  }
  return errorReport(o, store);
}

function exitFor(outcomes: readonly Outcome[]): ExitCode {
  if (outcomes.some((o) => o.state === "error" && !(isRenewalError(o.error) && o.error.resumable))) return EXIT.ERROR;
  if (outcomes.some((o) => o.state !== "ok")) return EXIT.PENDING;
  return EXIT.OK;
}

/** On SIGINT/SIGTERM: what each renewal in progress has reached, that a rerun resumes it; then exit 130/143. */
function reportInterrupt(signal: StopSignal, tracker: RenewalTracker, flags: RenewFlags, out: Out): void {
  const options = flags.out ? ` --out ${JSON.stringify(flags.out)}` : "";
  const report = interruptReport(signal, tracker, (id) => `rerunning \`tccert renew ${id}${options}\` (with the same options)`);
  for (const line of report.lines) out.error(line);
  if (out.json) out.line(JSON.stringify({ interrupted: { signal, exitCode: SIGNAL_EXIT[signal], renewals: report.renewals } }, null, 2));
}

/** The renewals themselves, with progress, under a stop-signal handler. */
async function renewTargets(ctx: RenewContext, run: Omit<RenewRun, "reporter" | "tracker">, targets: readonly string[], concurrency: number, out: Out): Promise<Outcome[]> {
  const reporter = createReporter(out.progress, { prefixIds: targets.length > 1, history: targets.length === 1 });
  const tracker = createTracker();
  const stopWatching = onStopSignal((signal) => {
    reporter.stop();
    reportInterrupt(signal, tracker, run.flags, out);
    (ctx.exit ?? process.exit)(SIGNAL_EXIT[signal]);
  });
  try {
    return await pool(targets, concurrency, (id) => renewOne({ ...run, reporter, tracker }, id));
  } finally {
    stopWatching();
    reporter.stop();
  }
}

export async function renewCommand(ctx: RenewContext, ids: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  const concurrency = validateRenewFlags(ids, flags);
  const samples = checkCanaryFlags(ids, flags);
  if (samples !== null && ctx.probe) return canaryCommand({ deps: ctx.deps, probe: ctx.probe, stdin: ctx.stdin ?? process.stdin, env: ctx.env ?? process.env }, ids[0]!, flags, samples, out);
  const store = ctx.backoff();
  const pending = ctx.pending();
  const deps = ctx.deps();
  const targets = await resolveTargets(deps, ids, flags, out);
  if (flags.dryRun) return dryRun(deps, store, targets, flags, out);

  const outcomes = await renewTargets(ctx, { deps, store, pending, flags }, targets, concurrency, out);
  const stateDir = ctx.stateDir?.() ?? defaultStateDir();
  const report = outcomes.map((o) => reportOutcome(o, store, out, (ok) => keyLocation(ok, flags, stateDir)));
  if (out.json) out.line(JSON.stringify({ results: report }, null, 2));
  else if (targets.length === 0) out.line("nothing to renew");
  return exitFor(outcomes);
}
