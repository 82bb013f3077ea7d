/**
 * `tccert renew`: renew ids or everything due, with bounded concurrency (the
 * adapter keeps every action under Tencent's rate limits), cross-run backoff
 * for certificates that keep failing, a dry run that pays nothing, and files.
 */
import * as fs from "node:fs";
import { backoffStatus, countsAsFailure, recordFailure } from "../../engine/backoff";
import type { EngineDeps } from "../../engine/deps";
import { InvalidInputError, TencentApiError, isPendingHumanActionError, isRenewalError, isTencentApiError, type RenewalError } from "../../engine/errors";
import { resolveOptions, type RenewalOptions } from "../../engine/options";
import { ensureRenewed, inspectLineage } from "../../engine/renewal";
import { scanAccount } from "../../engine/scan";
import { chooseProduct, choosePackages, estimatePoints } from "../../engine/payment";
import type { RenewalResult } from "../../engine/result";
import type { BackoffStore, PendingActionRecord, PendingActionStore } from "../state-files";
import { EXIT, type ExitCode } from "../exit-codes";
import { publicView, type Out } from "../output";
import { checkOutDir, writeFiles } from "../out-files";
import { createReporter } from "../progress";

export interface RenewFlags {
  readonly allDue?: boolean;
  readonly keySource?: string;
  readonly keyAlgorithm?: string;
  readonly csr?: string;
  readonly key?: string;
  readonly validation?: string;
  readonly productPid?: string;
  readonly packageId?: string[];
  readonly waitTimeoutMinutes?: string;
  readonly renewBeforeDays?: string;
  readonly force?: boolean;
  readonly ignoreBackoff?: boolean;
  readonly deploy?: string;
  readonly region?: string[];
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly concurrency?: string;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || v.trim() === "") throw new InvalidInputError(flag, `${flag} must be a number; got ${JSON.stringify(v)}.`);
  return n;
}

function readFileFlag(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InvalidInputError(flag, `${flag}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? "error"}). Pass a readable PEM file.`);
  }
}

/** Turn flags into engine options for one certificate; validated before any network call. */
export function renewOptionsFromFlags(id: string, f: RenewFlags): RenewalOptions {
  if (f.csr !== undefined && f.keySource !== undefined && f.keySource !== "csr")
    throw new InvalidInputError("--csr", `--csr conflicts with --key-source ${f.keySource}: a CSR means you hold the key. Drop --key-source or use --key-source csr.`);
  if (f.csr !== undefined && f.key !== undefined)
    throw new InvalidInputError("--key", `--key and --csr conflict: give your private key (we make the CSR) or your CSR (you keep the key), not both.`);
  const source = f.keySource ?? (f.csr !== undefined ? "csr" : "local");
  const deployTypes = f.deploy?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  if (f.deploy !== undefined && deployTypes.length === 0)
    throw new InvalidInputError("--deploy", `--deploy must list resource types such as clb,cdn; got ${JSON.stringify(f.deploy)}.`);
  if (f.region !== undefined && deployTypes.length === 0)
    throw new InvalidInputError("--region", `--region only applies with --deploy (e.g. --deploy clb --region ap-guangzhou).`);
  const raw = {
    certificateId: id,
    ...(f.renewBeforeDays !== undefined ? { renewBeforeDays: num("--renew-before-days", f.renewBeforeDays) } : {}),
    key: {
      source,
      ...(f.keyAlgorithm !== undefined ? { algorithm: f.keyAlgorithm } : {}),
      ...(f.csr !== undefined ? { csrPem: readFileFlag("--csr", f.csr) } : {}),
      ...(f.key !== undefined ? { privateKeyPem: readFileFlag("--key", f.key) } : {}),
    },
    ...(f.validation !== undefined ? { validation: f.validation } : {}),
    ...(f.productPid !== undefined || f.packageId !== undefined
      ? { payment: { ...(f.productPid !== undefined ? { productPid: num("--product-pid", f.productPid) } : {}), ...(f.packageId !== undefined ? { packageIds: f.packageId } : {}) } }
      : {}),
    ...(f.waitTimeoutMinutes !== undefined ? { waitTimeoutMinutes: num("--wait-timeout-minutes", f.waitTimeoutMinutes) } : {}),
    ...(f.force ? { force: true } : {}),
    ...(deployTypes.length > 0 ? { deploy: deployTypes.map((resourceType) => ({ resourceType, regions: f.region ?? [] })) } : {}),
  };
  const opts = raw as unknown as RenewalOptions;
  // The engine validates; its messages name fields, which we map back to flags.
  try {
    resolveOptions(opts);
  } catch (e) {
    if (isRenewalError(e) && e.kind === "InvalidInput") {
      const field = (e as InvalidInputError).field;
      if (field === "certificateId")
        throw new InvalidInputError("certificate id", `certificate id ${JSON.stringify(id)} is not a Tencent certificate id (letters, digits, - and _, such as "a1B2c3D4"). Find ids with \`tccert scan\`.`);
      throw new InvalidInputError(flagFor(field), e.message.replace(/^[\w.[\]]+/, flagFor(field)));
    }
    throw e;
  }
  return opts;
}

const FLAG_OF: Record<string, string> = {
  renewBeforeDays: "--renew-before-days",
  waitTimeoutMinutes: "--wait-timeout-minutes",
  validation: "--validation",
  "key.source": "--key-source",
  "key.algorithm": "--key-algorithm",
  "key.csrPem": "--csr",
  "key.privateKeyPem": "--key",
  "payment.productPid": "--product-pid",
  "payment.packageIds": "--package-id",
};
function flagFor(field: string): string {
  return FLAG_OF[field] ?? (field.startsWith("deploy") ? "--deploy" : field);
}

export { checkOutDir, writeFiles } from "../out-files";

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

/** Tencent's answer for an id the account does not hold, rewritten to name the id. */
export function explainNotFound(id: string, e: unknown): RenewalError | null {
  if (!isTencentApiError(e) || !/^(FailedOperation\.CertificateNotFound|ResourceNotFound)/.test(e.code) || e.code.startsWith("FailedOperation.CertificateNotFoundOrAudited")) return null;
  // Found only by asking Tencent, so an error (exit 1), not a usage error; never counted towards backoff.
  return new TencentApiError(e.action, e.code, `certificate ${id} was not found in this account (Tencent answered ${e.code}${e.requestId ? `, RequestId ${e.requestId}` : ""}). Check the id with \`tccert scan\`; nothing was paid.`, { requestId: e.requestId, httpStatus: e.httpStatus, cause: e });
}

type Outcome =
  | { id: string; state: "ok"; result: RenewalResult }
  | { id: string; state: "skipped"; until: string; message: string }
  | { id: string; state: "error"; error: RenewalError | Error };

export interface RenewContext {
  /** Engine dependencies; creating them validates credentials and the endpoint (no network). */
  deps(): EngineDeps;
  /** Opened before any network call. */
  backoff(): BackoffStore;
  /** Human steps scan cannot see in Tencent's listing (manual DNS records). Opened before any network call. */
  pending(): PendingActionStore;
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

export async function renewCommand(ctx: RenewContext, ids: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  const concurrency = validateRenewFlags(ids, flags);
  const store = ctx.backoff();
  const pending = ctx.pending();
  const deps = ctx.deps();

  let targets = [...ids];
  if (flags.allDue) {
    const rows = await scanAccount(deps, { renewBeforeDays: num("--renew-before-days", flags.renewBeforeDays) ?? 30 });
    targets = rows.filter((r) => r.due).map((r) => r.certificateId);
    out.error(`${targets.length} certificate(s) due${targets.length ? `: ${targets.join(", ")}` : ""}`);
  }

  if (flags.dryRun) return dryRun(deps, store, targets, flags, out);

  const reporter = createReporter(out.progress, { prefixIds: targets.length > 1, history: targets.length === 1 });
  let outcomes: Outcome[];
  try {
    outcomes = await pool(targets, concurrency, async (id): Promise<Outcome> => {
      const now = deps.clock.now();
      const b = backoffStatus(id, store.get(id), now);
      if (b.active && !flags.ignoreBackoff) {
        const message = `skipped: ${b.message}; pass --ignore-backoff to try now. Last error: ${b.lastError}`;
        reporter.finish(id, "skipped", message);
        return { id, state: "skipped", until: b.until!.toISOString(), message };
      }
      const opts = resolveOptions(renewOptionsFromFlags(id, flags));
      // The records a manual-dns renewal asks the user to publish, for scan to show later.
      const manual: PendingActionRecord["records"][number][] = [];
      const sink = reporter.sink(id);
      try {
        const result = await ensureRenewed(
          {
            ...deps,
            progress: (e) => {
              if (e.type === "dns-record" && e.action === "manual") manual.push({ type: e.record.recordType, name: e.record.key, value: e.record.value });
              sink(e);
            },
          },
          opts,
        );
        await store.set(id, undefined);
        await pending.set(id, undefined);
        reporter.finish(id, "ok", `${result.outcome} → ${result.certificateId}, valid until ${result.notAfter.toISOString().slice(0, 10)}`);
        return { id, state: "ok", result };
      } catch (e) {
        const error = (explainNotFound(id, e) ?? e) as Error;
        if (countsAsFailure(error) && !explainNotFound(id, e)) {
          const code = (error as { code?: unknown }).code;
          const kind = isRenewalError(error) ? error.kind : "Error";
          await store.set(id, recordFailure(store.get(id), deps.clock.now(), { kind, code: typeof code === "string" ? code : "", message: error.message }));
        }
        if (isPendingHumanActionError(error) && error.action === "manual-dns")
          await pending.set(id, { kind: "manual-dns", newCertificateId: error.newCertificateId, message: error.message, instructions: error.instructions, records: manual, reportedAt: deps.clock.now().toISOString() });
        const resumable = isRenewalError(error) && error.resumable;
        reporter.finish(id, resumable ? "pending" : "failed", `${isRenewalError(error) ? error.kind : "Error"}: ${error.message}`);
        return { id, state: "error", error };
      }
    });
  } finally {
    reporter.stop();
  }

  const report: Record<string, unknown>[] = [];
  for (const o of outcomes) {
    if (o.state === "ok") {
      const files = flags.out ? writeFiles(flags.out, o.result, o.id) : [];
      report.push({ id: o.id, ok: true, ...publicView(o.result), files });
      if (!out.json) out.line(`${o.id}: ${o.result.outcome} → ${o.result.certificateId} (valid until ${o.result.notAfter.toISOString()})${files.length ? `; wrote ${files.join(", ")}` : ""}`);
      continue;
    }
    if (o.state === "skipped") {
      report.push({ id: o.id, ok: false, skipped: { reason: "BackedOff", until: o.until, message: o.message } });
      if (!out.json) out.line(`${o.id}: ${o.message}`);
      continue;
    }
    const e = o.error;
    const kind = isRenewalError(e) ? e.kind : "Error";
    const code = (e as { code?: unknown }).code;
    const b = store.get(o.id);
    report.push({
      id: o.id,
      ok: false,
      error: {
        kind,
        code: typeof code === "string" ? code : "",
        message: e.message,
        resumable: isRenewalError(e) ? e.resumable : false,
        newCertificateId: isRenewalError(e) ? e.newCertificateId : "",
        ...(isRenewalError(e) && e.kind === "PendingHumanAction" ? { instructions: (e as RenewalError & { instructions: string }).instructions } : {}),
      },
      backoff: b ? { failures: b.failures, until: b.nextAttemptAt } : null,
    });
    if (!out.json) {
      out.line(`${o.id}: ${kind}: ${e.message}`);
      if (isRenewalError(e) && e.kind === "PendingHumanAction") out.line(`  what to do: ${(e as RenewalError & { instructions: string }).instructions}`);
      if (b && countsAsFailure(e)) out.line(`  backoff: ${b.failures} consecutive failure(s); the next run tries again after ${b.nextAttemptAt}`);
    }
  }
  if (out.json) out.line(JSON.stringify({ results: report }, null, 2));
  else if (targets.length === 0) out.line("nothing to renew");
  return exitFor(outcomes);
}

function exitFor(outcomes: readonly Outcome[]): ExitCode {
  if (outcomes.some((o) => o.state === "error" && !(isRenewalError(o.error) && o.error.resumable))) return EXIT.ERROR;
  if (outcomes.some((o) => o.state !== "ok")) return EXIT.PENDING;
  return EXIT.OK;
}

/** Explain exactly what would be paid for, paying nothing (read calls only). */
async function dryRun(deps: EngineDeps, store: BackoffStore, targets: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  const plans: Record<string, unknown>[] = [];
  let failed = false;
  let packages: Awaited<ReturnType<EngineDeps["ssl"]["listPackages"]>> | undefined;
  for (const id of targets) {
    const opts = resolveOptions(renewOptionsFromFlags(id, flags));
    let inspected: Awaited<ReturnType<typeof inspectLineage>>;
    try {
      inspected = await inspectLineage(deps, opts);
    } catch (e) {
      const err = (explainNotFound(id, e) ?? e) as Error;
      failed = true;
      plans.push({ id, due: false, error: { kind: isRenewalError(err) ? err.kind : "Error", message: err.message } });
      continue;
    }
    const { lineage, decision } = inspected;
    const b = backoffStatus(id, store.get(id), deps.clock.now());
    const plan: Record<string, unknown> = { id, due: decision.due, reason: decision.reason, message: decision.message, wouldPay: null, points: 0, productPid: null, packageIds: [] };
    if (b.active && !flags.ignoreBackoff) plan["wouldSkip"] = `${b.message}; pass --ignore-backoff to try now. Last error: ${b.lastError}`;
    else if (decision.due && lineage.inFlight) plan["wouldPay"] = `nothing: renewal ${lineage.inFlight.certificateId} is already paid for and would be resumed`;
    else if (decision.due) {
      try {
        const points = estimatePoints(lineage.current);
        const product = chooseProduct(lineage.current, opts.payment.productPid);
        packages ??= await deps.ssl.listPackages();
        const choice = choosePackages(packages, points, opts.payment.packageIds, deps.clock.now());
        Object.assign(plan, { points, productPid: product.productPid, packageIds: choice.packageIds, wouldPay: `about ${points} point(s) from ${choice.packageIds.join(", ")} for product ${product.productPid}: ${product.explanation}; ${choice.explanation}` });
      } catch (e) {
        failed = true;
        plan["wouldFail"] = (e as Error).message;
      }
    } else plan["wouldPay"] = "nothing: not due";
    plans.push(plan);
  }
  if (out.json) out.line(JSON.stringify({ dryRun: true, plans }, null, 2));
  else {
    for (const p of plans) {
      const err = p["error"] as { message: string } | undefined;
      if (err) out.line(`${String(p["id"])}: cannot plan: ${err.message}`);
      else if (p["wouldSkip"]) out.line(`${String(p["id"])}: ${String(p["message"])}\n  would skip: ${String(p["wouldSkip"])}`);
      else out.line(`${String(p["id"])}: ${String(p["message"])}\n  would pay: ${p["wouldFail"] !== undefined ? `— cannot: ${String(p["wouldFail"])}` : String(p["wouldPay"])}`);
    }
    out.line(`dry run: nothing was paid${targets.length === 0 ? "; nothing is due" : ""}`);
  }
  if (failed) return EXIT.ERROR;
  return plans.some((p) => p["due"]) ? EXIT.PENDING : EXIT.OK;
}
