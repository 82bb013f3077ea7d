/** `tccert renew`: renew ids or everything due, with bounded concurrency. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineDeps } from "../../engine/deps";
import { InvalidInputError, isRenewalError, type RenewalError } from "../../engine/errors";
import { resolveOptions, type RenewalOptions } from "../../engine/options";
import { ensureRenewed, inspectLineage } from "../../engine/renewal";
import { scanAccount } from "../../engine/scan";
import { chooseProduct, choosePackages, estimatePoints } from "../../engine/payment";
import type { RenewalResult } from "../../engine/result";
import { EXIT, type ExitCode } from "../exit-codes";
import { progressPrinter, publicView, type Out } from "../output";

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
  // Map engine field names back to flags in messages.
  try {
    resolveOptions(opts);
  } catch (e) {
    if (isRenewalError(e) && e.kind === "InvalidInput") throw new InvalidInputError(flagFor((e as InvalidInputError).field), e.message.replace(/^[\w.[\]]+/, flagFor((e as InvalidInputError).field)));
    throw e;
  }
  return opts;
}

const FLAG_OF: Record<string, string> = {
  certificateId: "certificate id",
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

/** Check that --out is a writable directory, before any network call. */
export function checkOutDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new InvalidInputError("--out", `--out ${JSON.stringify(dir)} is not a writable directory (${(e as NodeJS.ErrnoException).code ?? "error"}). Choose a directory you can write to.`);
  }
}

export function writeFiles(dir: string, r: RenewalResult): string[] {
  const base = path.join(dir, r.certificateId);
  fs.mkdirSync(base, { recursive: true });
  const files: [string, string, number][] = [
    ["cert.pem", r.certificatePem, 0o644],
    ["chain.pem", r.chainPem, 0o644],
    ["fullchain.pem", r.fullchainPem, 0o644],
  ];
  if (r.privateKeyPem) files.push(["privkey.pem", r.privateKeyPem, 0o600]);
  const written: string[] = [];
  for (const [name, content, mode] of files) {
    const p = path.join(base, name);
    fs.writeFileSync(p, content, { mode });
    fs.chmodSync(p, mode);
    written.push(p);
  }
  return written;
}

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

type Outcome = { id: string; ok: true; result: RenewalResult } | { id: string; ok: false; error: RenewalError | Error };

export async function renewCommand(deps: EngineDeps, ids: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  if (ids.length === 0 && !flags.allDue) throw new InvalidInputError("ids", "renew needs certificate ids, or --all-due. Run `tccert scan` to see what is due.");
  if (ids.length > 0 && flags.allDue) throw new InvalidInputError("--all-due", "--all-due renews everything due; do not also name ids.");
  const concurrency = num("--concurrency", flags.concurrency) ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new InvalidInputError("--concurrency", `--concurrency must be a whole number from 1 to 32; got ${JSON.stringify(flags.concurrency)}.`);
  // Validate every option for a placeholder id before any network call.
  renewOptionsFromFlags("placeholder", flags);
  if (flags.out) checkOutDir(flags.out);

  let targets = [...ids];
  if (flags.allDue) {
    const rows = await scanAccount(deps, { renewBeforeDays: num("--renew-before-days", flags.renewBeforeDays) ?? 30 });
    targets = rows.filter((r) => r.due).map((r) => r.certificateId);
    if (!out.json) out.line(`${targets.length} certificate(s) due${targets.length ? `: ${targets.join(", ")}` : ""}`);
  }

  if (flags.dryRun) return dryRun(deps, targets, flags, out);

  const outcomes = await pool(targets, concurrency, async (id): Promise<Outcome> => {
    const opts = resolveOptions(renewOptionsFromFlags(id, flags));
    try {
      const result = await ensureRenewed({ ...deps, progress: progressPrinter(out, targets.length > 1 ? `${id} ` : "") }, opts);
      return { id, ok: true, result };
    } catch (e) {
      return { id, ok: false, error: e as Error };
    }
  });

  const report: Record<string, unknown>[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      const files = flags.out ? writeFiles(flags.out, o.result) : [];
      report.push({ id: o.id, ok: true, ...publicView(o.result), files });
      if (!out.json) out.line(`${o.id}: ${o.result.outcome} → ${o.result.certificateId} (valid until ${o.result.notAfter.toISOString()})${files.length ? `; wrote ${files.join(", ")}` : ""}`);
      continue;
    }
    const e = o.error;
    const kind = isRenewalError(e) ? e.kind : "Error";
    report.push({ id: o.id, ok: false, error: { kind, message: e.message, resumable: isRenewalError(e) ? e.resumable : false, newCertificateId: isRenewalError(e) ? e.newCertificateId : "" } });
    if (!out.json) out.line(`${o.id}: ${kind}: ${e.message}`);
  }
  if (out.json) out.line(JSON.stringify({ results: report }, null, 2));
  if (outcomes.some((o) => !o.ok && !(isRenewalError(o.error) && o.error.resumable))) return EXIT.ERROR;
  if (outcomes.some((o) => !o.ok)) return EXIT.PENDING;
  return EXIT.OK;
}

/** Explain exactly what would be paid for, paying nothing. */
async function dryRun(deps: EngineDeps, targets: readonly string[], flags: RenewFlags, out: Out): Promise<ExitCode> {
  const plans: Record<string, unknown>[] = [];
  for (const id of targets) {
    const opts = resolveOptions(renewOptionsFromFlags(id, flags));
    const { lineage, decision } = await inspectLineage(deps, opts);
    const plan: Record<string, unknown> = { id, due: decision.due, reason: decision.reason, message: decision.message };
    if (decision.due && lineage.inFlight) plan["wouldPay"] = `nothing: renewal ${lineage.inFlight.certificateId} is already paid and would be resumed`;
    else if (decision.due) {
      try {
        const product = chooseProduct(lineage.current, opts.payment.productPid);
        const packages = choosePackages(await deps.ssl.listPackages(), estimatePoints(lineage.current), opts.payment.packageIds, deps.clock.now());
        plan["wouldPay"] = `about ${estimatePoints(lineage.current)} point(s): ${product.explanation}; ${packages.explanation}`;
      } catch (e) {
        plan["wouldFail"] = (e as Error).message;
      }
    } else plan["wouldPay"] = "nothing: not due";
    plans.push(plan);
  }
  if (out.json) out.line(JSON.stringify({ dryRun: true, plans }, null, 2));
  else for (const p of plans) out.line(`${String(p["id"])}: ${String(p["message"])}\n  would pay: ${String(p["wouldPay"] ?? `— cannot: ${String(p["wouldFail"])}`)}`);
  return plans.some((p) => p["due"]) ? EXIT.PENDING : EXIT.OK;
}
