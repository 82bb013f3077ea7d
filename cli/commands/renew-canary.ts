/**
 * `tccert renew <id> --canary [--yes] [--record DIR] [--canary-samples S]`: the first real renewal,
 * watched. Before paying it shows the product, PID, packages (with their balances) and estimated
 * points, and asks on a terminal (`--yes` answers for pipelines; without a terminal and without
 * `--yes` it refuses, exit 1, nothing paid). After paying, the engine's canary (engine/canary.ts)
 * reads the order and both certificates' link fields at about 0 s, 5 s, 30 s and 5 min. It stops
 * after issuance: `--deploy` is refused at input time. `--record DIR` writes those raw answers,
 * redacted, plus `canary.json`.
 */
import { Option } from "commander";
import { DEFAULT_CANARY_SAMPLES, planCanary, renewWithCanary, type CanaryObservation, type CanaryPlan, type CanaryRun } from "../../engine/canary";
import type { EngineDeps } from "../../engine/deps";
import type { DoctorDeps } from "../../engine/doctor";
import { InvalidInputError, isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { EXIT, type ExitCode } from "../exit-codes";
import { progressPrinter, publicView, table, type Out } from "../output";
import { checkRecordDir, writeRecord } from "./doctor-record";
import { renewOptionsFromFlags, type RenewFlags } from "./renew-flags";

export function canaryOptions(): Option[] {
  return [
    new Option("--canary", "the first real renewal of one certificate, watched: show what would be paid and ask first, then read the order and both certificates' link fields at about 0 s, 5 s, 30 s and 5 min after paying; stops after issuance, never deploys"),
    new Option("--yes", "with --canary: pay without asking (for pipelines; without a terminal --canary refuses unless --yes is given)"),
    new Option("--record <dir>", "with --canary: write the order's raw answers there, redacted (no keys, no credentials, account ids masked), plus canary.json (default: none)"),
    new Option("--canary-samples <seconds>", `with --canary: when to look, in seconds after the paid call, ascending (default: ${DEFAULT_CANARY_SAMPLES.join(",")})`),
  ];
}

export interface CanaryFlags {
  readonly canary?: boolean;
  readonly yes?: boolean;
  readonly record?: string;
  readonly canarySamples?: string;
}

function parseSamples(value: string | undefined): number[] {
  if (value === undefined) return [...DEFAULT_CANARY_SAMPLES];
  const parts = value.split(",").map((s) => s.trim());
  const n = parts.map(Number);
  if (parts.some((p) => p === "") || n.some((x) => !Number.isFinite(x) || x < 0 || x > 3600) || n.some((x, i) => i > 0 && x < n[i - 1]!))
    throw new InvalidInputError("--canary-samples", `--canary-samples must be seconds from 0 to 3600, ascending, separated by commas; got ${JSON.stringify(value)}. The default is ${DEFAULT_CANARY_SAMPLES.join(",")}.`);
  return n;
}

/** The canary's flags, checked before any network call. Returns the samples, or null without --canary. */
export function checkCanaryFlags(ids: readonly string[], flags: RenewFlags & CanaryFlags): number[] | null {
  if (!flags.canary) {
    const stray = flags.yes ? "--yes" : flags.record !== undefined ? "--record" : flags.canarySamples !== undefined ? "--canary-samples" : "";
    if (stray) throw new InvalidInputError(stray, `${stray} only applies with --canary (e.g. \`tccert renew <id> --canary ${stray === "--yes" ? "--yes" : `${stray} ...`}\`).`);
    return null;
  }
  if (flags.allDue || ids.length !== 1)
    throw new InvalidInputError("--canary", `--canary renews exactly one certificate, watched: name one id${flags.allDue ? " instead of --all-due" : ` (got ${ids.length})`}, e.g. \`tccert renew <id> --canary\`.`);
  if (flags.deploy !== undefined)
    throw new InvalidInputError("--deploy", "--canary stops after issuance and never deploys: drop --deploy, check the result, then run `tccert deploy <id> --resource-types ...`.");
  if (flags.dryRun) throw new InvalidInputError("--dry-run", "--canary and --dry-run conflict: --dry-run pays nothing, --canary pays once after asking. Drop one.");
  if (flags.record !== undefined) checkRecordDir(flags.record);
  return parseSamples(flags.canarySamples);
}

export interface CanaryContext {
  deps(): EngineDeps;
  probe(): DoctorDeps;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function planLines(id: string, p: CanaryPlan, samples: readonly number[]): string[] {
  const pay = p.plan.payment!;
  const balance = (pkg: string) => p.balances.find((b) => b.packageId === pkg)?.balance;
  return [
    `canary: renewal of ${id} (${p.plan.lineage.current.domains.join(", ")}), ${p.plan.decision.message}`,
    `  product:  PID ${pay.productPid}: ${pay.explanation}`,
    `  packages: ${pay.packageIds.map((k) => `${k} (balance ${balance(k) ?? "?"})`).join(", ")}`,
    `  points:   about ${pay.points}`,
    `  then:     read the order at ${samples.map((s) => `+${s}s`).join(", ")} after paying; stop after issuance; no deployment`,
  ];
}

/** One line typed on the terminal. */
function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d: Buffer | string) => {
      text += d.toString();
      if (text.includes("\n")) done();
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.off("end", done);
      stdin.pause?.();
      resolve(text.split("\n")[0]?.trim() ?? "");
    };
    stdin.on("data", onData);
    stdin.on("end", done);
    stdin.resume?.();
  });
}

/** Whether to pay: --yes, or "yes" typed on a terminal. Throws on no terminal without --yes. */
async function confirmed(ctx: CanaryContext, flags: CanaryFlags, out: Out): Promise<boolean> {
  if (flags.yes) return true;
  if (!(ctx.stdin as { isTTY?: boolean }).isTTY)
    throw new RenewalRefusal("renew --canary asks before paying, and stdin is not a terminal: rerun with --yes to pay for the renewal shown above. Nothing was paid.");
  out.error("Pay for this renewal? Type yes to pay, anything else to stop: ");
  const answer = (await readLine(ctx.stdin)).toLowerCase();
  return answer === "yes" || answer === "y";
}

class RenewalRefusal extends Error {}

function sampleRows(o: CanaryObservation): string[][] {
  return [
    ["AT", "STATUS", "STATUSMSG", "VERIFYTYPE", "DVAUTHS", "NEW.ORIGIN", "OLD.RENEWORDER", "OLD.HASRENEWORDER", "ERRORS"],
    ...o.samples.map((s) => [
      `+${s.atSeconds}s`,
      String(s.order.status ?? "?"),
      s.order.statusMsg || "-",
      s.order.verifyType || "-",
      s.order.dvAuths.map((d) => `${d.type || "?"} ${d.key}=${d.value}`).join("; ") || "-",
      s.order.originCertificateId || "-",
      s.old.renewOrder || "-",
      s.old.hasRenewOrder || "-",
      s.errors.join(", ") || "-",
    ]),
  ];
}

function exitOf(run: CanaryRun): ExitCode {
  if (run.result) return run.result.outcome === "pending" ? EXIT.PENDING : EXIT.OK;
  const e = run.error;
  return isRenewalError(e) && e.resumable && (e.kind === "PendingHumanAction" || e.kind === "TimedOut") ? EXIT.PENDING : EXIT.ERROR;
}

function summaryOf(id: string, p: CanaryPlan, run: CanaryRun): Record<string, unknown> {
  const e = run.error;
  const { answers: _answers, ...observation } = run.observation ?? { answers: [] };
  return {
    certificateId: id,
    plan: { productPid: p.plan.payment?.productPid, packageIds: p.plan.payment?.packageIds, points: p.plan.payment?.points, explanation: p.plan.payment?.explanation },
    balancesBeforePaying: p.balances,
    observation: run.observation ? observation : null,
    result: run.result ? publicView(run.result) : null,
    error: e ? { kind: isRenewalError(e) ? e.kind : "Error", message: (e as Error).message, resumable: isRenewalError(e) && e.resumable } : null,
    deployed: false,
  };
}

function report(out: Out, id: string, run: CanaryRun, files: readonly string[], summary: Record<string, unknown>): void {
  if (out.json) {
    out.line(JSON.stringify({ canary: summary, ...(files.length ? { recorded: files } : {}) }, null, 2));
    return;
  }
  if (run.observation) out.line(table(sampleRows(run.observation)));
  else out.line(`${id}: no paid call answered in this run, so there was no order to watch`);
  if (run.result) out.line(`${id}: ${run.result.outcome} → ${run.result.certificateId}${run.result.outcome === "pending" ? "" : ` (valid until ${run.result.notAfter.toISOString()})`}; not deployed (--canary stops after issuance)`);
  if (run.error) out.line(`${id}: ${isRenewalError(run.error) ? run.error.kind : "Error"}: ${(run.error as Error).message}`);
  if (files.length) out.line(`recorded ${files.length} file(s), redacted (no keys, no credentials, account ids masked)`);
}

/** The whole canary: plan, confirm, renew once while watching, report. */
export async function canaryCommand(ctx: CanaryContext, id: string, flags: RenewFlags & CanaryFlags, samples: readonly number[], out: Out): Promise<ExitCode> {
  const opts = resolveOptions(renewOptionsFromFlags(id, flags));
  const deps = ctx.deps();
  const probe = ctx.probe();
  const p = await planCanary(deps, opts);
  if (!p.plan.payment) {
    const why = p.plan.refusal?.message ?? (p.plan.inFlight ? `renewal ${p.plan.inFlight.certificateId} is already paid for: resume it with \`tccert renew ${id}\`` : `${p.plan.decision.message}; pass --force to renew anyway`);
    if (out.json) out.line(JSON.stringify({ canary: { certificateId: id, nothingToPay: why, deployed: false } }, null, 2));
    else out.line(`canary: nothing would be paid: ${why}. Nothing was paid.`);
    return p.plan.refusal ? EXIT.ERROR : p.plan.inFlight ? EXIT.PENDING : EXIT.OK;
  }
  for (const l of planLines(id, p, samples)) out.error(l);
  try {
    if (!(await confirmed(ctx, flags, out))) {
      out.error("canary: not confirmed. Nothing was paid.");
      return EXIT.ERROR;
    }
  } catch (e) {
    if (!(e instanceof RenewalRefusal)) throw e;
    out.error(`tccert: ${e.message}`);
    return EXIT.ERROR;
  }
  const pinned = { ...opts, payment: { productPid: p.plan.payment.productPid, packageIds: p.plan.payment.packageIds } };
  const run = await renewWithCanary({ ...deps, progress: progressPrinter(out) }, probe, pinned, samples);
  const summary = summaryOf(id, p, run);
  const files =
    flags.record === undefined
      ? []
      : writeRecord(checkRecordDir(flags.record), run.observation?.answers ?? [], { name: "canary.json", content: summary }, { source: "tccert renew --canary (redacted)", recordedAt: deps.clock.now().toISOString(), prefix: "canary-" }, ctx.env);
  report(out, id, run, files, summary);
  return exitOf(run);
}
