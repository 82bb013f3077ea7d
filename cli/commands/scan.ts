/**
 * `tccert scan`: what is due, why, what is in flight, what waits for a human,
 * and which certificates are backed off after failing renewals. Read-only:
 * list calls only. Exit 0 nothing due or pending, 2 something is.
 */
import { backoffStatus, formatDuration } from "../../engine/backoff";
import type { EngineDeps } from "../../engine/deps";
import { InvalidInputError } from "../../engine/errors";
import { DEFAULTS, isCertificateId } from "../../engine/options";
import { scanAccount, type ScanRow } from "../../engine/scan";
import { defaultStateDir } from "../../runtime";
import { driftScanCommand } from "./drift-scan";
import type { BackoffStore, PendingActionStore } from "../state-files";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";

export interface ScanFlags {
  readonly withinDays?: string;
  readonly domain?: string;
  readonly ids?: string;
  readonly renewBeforeDays?: string;
  /** Where each certificate is deployed, and the drift (drift-scan.ts). @default false */
  readonly deployments?: boolean;
  /** With --deployments: append a Markdown summary to this file. @default none */
  readonly summary?: string;
  /** With --deployments: the oldest cached bound-resource answer used, in minutes. @default 30 */
  readonly maxCacheMinutes?: string;
}

export interface ParsedScanFlags {
  withinDays?: number;
  domain?: string;
  ids?: string[];
  renewBeforeDays: number;
}

/** Validates scan's flags; no network. */
export function parseScanFlags(flags: ScanFlags): ParsedScanFlags {
  const within = flags.withinDays;
  let withinDays: number | undefined;
  if (within !== undefined) {
    withinDays = within.trim() === "" ? NaN : Number(within);
    if (!Number.isInteger(withinDays) || withinDays < 0)
      throw new InvalidInputError("--within-days", `--within-days must be a whole number of days, 0 or more; got ${JSON.stringify(within)}.`);
  }
  const rbd = flags.renewBeforeDays === undefined ? DEFAULTS.renewBeforeDays : flags.renewBeforeDays.trim() === "" ? NaN : Number(flags.renewBeforeDays);
  if (!Number.isInteger(rbd) || rbd < 1 || rbd > 365)
    throw new InvalidInputError("--renew-before-days", `--renew-before-days must be a whole number from 1 to 365; got ${JSON.stringify(flags.renewBeforeDays)}.`);
  let ids: string[] | undefined;
  if (flags.ids !== undefined) {
    ids = flags.ids.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = ids.find((i) => !isCertificateId(i));
    if (ids.length === 0 || bad !== undefined)
      throw new InvalidInputError("--ids", `--ids must be a comma-separated list of certificate ids such as "a1B2c3D4,e5F6g7H8"; got ${JSON.stringify(flags.ids)}.`);
  }
  if (flags.domain !== undefined && !/^(\*\.)?[A-Za-z0-9.-]+$/.test(flags.domain.trim()))
    throw new InvalidInputError("--domain", `--domain must be a domain name such as "shop.example.com" or "*.example.com"; got ${JSON.stringify(flags.domain)}.`);
  return { ...(withinDays !== undefined ? { withinDays } : {}), ...(flags.domain ? { domain: flags.domain.trim() } : {}), ...(ids ? { ids } : {}), renewBeforeDays: rbd };
}

export interface ScanRowBackoff {
  readonly active: boolean;
  readonly failures: number;
  readonly until: string;
  readonly lastError: { readonly kind: string; readonly code: string; readonly message: string };
  readonly message: string;
}

/** A human step: Tencent's (letter, failed review, cancelled) or one the CLI reported (manual DNS). */
export type ScanPendingAction =
  | NonNullable<ScanRow["pendingAction"]>
  | { readonly kind: "manual-dns"; readonly message: string; readonly records: readonly { readonly type: string; readonly name: string; readonly value: string }[] };

export function scanRowJson(r: ScanRow, backoff: ScanRowBackoff | null, pendingAction: ScanPendingAction | null = r.pendingAction): Record<string, unknown> {
  return { ...r, notAfter: r.notAfter?.toISOString() ?? null, pendingAction, backoff };
}

/** Tencent's pending action, else the manual-DNS records renew reported for the renewal still in flight. */
function pendingActionOf(r: ScanRow, store: PendingActionStore | undefined): ScanPendingAction | null {
  if (r.pendingAction) return r.pendingAction;
  const p = store?.get(r.certificateId);
  if (!p || !r.inFlight || r.inFlight.certificateId !== p.newCertificateId || r.inFlight.phase !== "validating") return null;
  const list = p.records.map((x) => `${x.type} ${x.name} = ${x.value}`).join("; ");
  return { kind: "manual-dns", message: `publish ${p.records.length} DNS record(s) for renewal ${p.newCertificateId}, then rerun renew: ${list}`, records: p.records };
}

function backoffOf(store: BackoffStore | undefined, id: string, now: Date): ScanRowBackoff | null {
  const record = store?.get(id);
  if (!record) return null;
  const s = backoffStatus(id, record, now);
  return { active: s.active, failures: record.failures, until: record.nextAttemptAt, lastError: record.lastError, message: `${s.message}. Last error: ${s.lastError}` };
}

/** `--deployments` goes to drift-scan.ts; the flags only it takes are refused without it. */
function deploymentsCommand(deps: () => ScanDeps, flags: ScanFlags, query: ParsedScanFlags, out: Out, stateDir: () => string): Promise<ExitCode> {
  if (flags.domain !== undefined) throw new InvalidInputError("--domain", "--domain does not apply with --deployments; use --ids with a certificate id of the lineage instead.");
  const full = () => {
    const d = deps();
    if (!d.sleep) throw new InvalidInputError("deps", "scan --deployments needs the engine's sleep");
    return { ...d, sleep: d.sleep };
  };
  return driftScanCommand({ deps: full, stateDir }, { ...(query.withinDays !== undefined ? { withinDays: query.withinDays } : {}), ...(query.ids ? { ids: query.ids } : {}), ...(flags.summary !== undefined ? { summary: flags.summary } : {}), ...(flags.maxCacheMinutes !== undefined ? { maxCacheMinutes: flags.maxCacheMinutes } : {}) }, out);
}

export type ScanDeps = Pick<EngineDeps, "ssl" | "clock"> & Partial<Pick<EngineDeps, "bindings" | "sleep">>;

export async function scanCommand(
  deps: () => ScanDeps,
  flags: ScanFlags,
  out: Out,
  stores: { readonly backoff?: BackoffStore; readonly pending?: PendingActionStore; readonly stateDir?: () => string } = {},
): Promise<ExitCode> {
  const query = parseScanFlags(flags);
  if (flags.deployments) return deploymentsCommand(deps, flags, query, out, stores.stateDir ?? (() => defaultStateDir()));
  for (const [flag, value] of [["--summary", flags.summary], ["--max-cache-minutes", flags.maxCacheMinutes]] as const)
    if (value !== undefined) throw new InvalidInputError(flag, `${flag} applies only with --deployments (e.g. tccert scan --deployments ${flag} ${flag === "--summary" ? '"$GITHUB_STEP_SUMMARY"' : "10"}).`);
  const d = deps();
  const rows = await scanAccount(d, query);
  const now = d.clock.now();
  const backoffs = new Map(rows.map((r) => [r.certificateId, backoffOf(stores.backoff, r.certificateId, now)]));
  const actions = new Map(rows.map((r) => [r.certificateId, pendingActionOf(r, stores.pending)]));
  const attention = rows.filter((r) => r.due || actions.get(r.certificateId) || backoffs.get(r.certificateId));
  const due = rows.filter((r) => r.due).length;
  const pending = rows.filter((r) => actions.get(r.certificateId)).length;
  const backedOff = rows.filter((r) => backoffs.get(r.certificateId)?.active).length;
  const unknown = unknownIds(query.ids, rows);
  if (out.json) {
    const error = unknown.length > 0 ? { error: { kind: "UnknownCertificateIds", ids: unknown, message: unknownIdsMessage(unknown), resumable: false } } : {};
    out.line(JSON.stringify({ certificates: rows.map((r) => scanRowJson(r, backoffs.get(r.certificateId) ?? null, actions.get(r.certificateId) ?? null)), due, pending, backedOff, ...error }, null, 2));
  } else {
    out.line(
      table([
        ["ID", "DOMAIN", "TYPE", "EXPIRES", "DAYS", "DUE", "RENEWABLE", "IN FLIGHT", "BACKOFF", "WHY"],
        ...rows.map((r) => {
          const b = backoffs.get(r.certificateId);
          return [
            r.certificateId,
            r.domain,
            r.certType,
            r.notAfter ? r.notAfter.toISOString().slice(0, 10) : "-",
            r.daysLeft === null ? "-" : String(r.daysLeft),
            r.due ? "yes" : "no",
            r.renewable ? "yes" : "no",
            r.inFlight ? `${r.inFlight.certificateId} (${r.inFlight.phase})` : "-",
            b ? (b.active ? `${b.failures}x, ${formatDuration(new Date(b.until).getTime() - now.getTime())} left` : `${b.failures}x, ended`) : "-",
            r.reason,
          ];
        }),
      ]),
    );
    for (const r of attention) {
      const b = backoffs.get(r.certificateId);
      const action = actions.get(r.certificateId);
      if (action) out.line(`  ${r.certificateId}: PENDING HUMAN ACTION: ${action.message}`);
      else out.line(`  ${r.certificateId}: ${r.message}`);
      if (b) out.line(`  ${r.certificateId}: BACKOFF: ${b.message}`);
    }
    out.line(`${rows.length} certificate(s); ${due} due; ${pending} waiting for a human; ${backedOff} backed off`);
  }
  // A typo in --ids must not turn a pipeline's check into a silent "nothing due".
  if (unknown.length > 0) {
    out.error(`tccert: ${unknownIdsMessage(unknown)}`);
    return EXIT.ERROR;
  }
  return attention.length > 0 ? EXIT.PENDING : EXIT.OK;
}

/** The ids of --ids that name no current paid certificate of the account. */
export function unknownIds(ids: readonly string[] | undefined, rows: readonly ScanRow[]): string[] {
  const listed = new Set(rows.map((r) => r.certificateId));
  return (ids ?? []).filter((id) => !listed.has(id));
}

function unknownIdsMessage(ids: readonly string[]): string {
  return `--ids: ${ids.join(", ")} ${ids.length === 1 ? "is" : "are"} not among this account's current paid certificates (a typo, a free certificate, or one already replaced by its renewal), so nothing was checked for ${ids.length === 1 ? "it" : "them"}. Run \`tccert scan\` without --ids to list the current ids.`;
}
