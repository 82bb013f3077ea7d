/** `tccert scan`: what is due, why, what is in flight, what waits for a human. Read-only. */
import { InvalidInputError } from "../../engine/errors";
import type { EngineDeps } from "../../engine/deps";
import { scanAccount, type ScanRow } from "../../engine/scan";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";

export interface ScanFlags {
  readonly withinDays?: string;
  readonly domain?: string;
  readonly ids?: string;
  readonly renewBeforeDays?: string;
}

export function parseScanFlags(flags: ScanFlags): { withinDays?: number; domain?: string; ids?: string[]; renewBeforeDays: number } {
  const within = flags.withinDays;
  let withinDays: number | undefined;
  if (within !== undefined) {
    withinDays = Number(within);
    if (!Number.isInteger(withinDays) || withinDays < 0)
      throw new InvalidInputError("--within-days", `--within-days must be a whole number of days, 0 or more; got ${JSON.stringify(within)}.`);
  }
  const rbd = flags.renewBeforeDays === undefined ? 30 : Number(flags.renewBeforeDays);
  if (!Number.isInteger(rbd) || rbd < 1 || rbd > 365)
    throw new InvalidInputError("--renew-before-days", `--renew-before-days must be a whole number from 1 to 365; got ${JSON.stringify(flags.renewBeforeDays)}.`);
  const ids = flags.ids?.split(",").map((s) => s.trim()).filter(Boolean);
  return { ...(withinDays !== undefined ? { withinDays } : {}), ...(flags.domain ? { domain: flags.domain } : {}), ...(ids ? { ids } : {}), renewBeforeDays: rbd };
}

export function scanRowJson(r: ScanRow): Record<string, unknown> {
  return { ...r, notAfter: r.notAfter?.toISOString() ?? null };
}

export async function scanCommand(deps: Pick<EngineDeps, "ssl" | "clock">, flags: ScanFlags, out: Out): Promise<ExitCode> {
  const query = parseScanFlags(flags);
  const rows = await scanAccount(deps, query);
  const attention = rows.filter((r) => r.due || r.pendingAction);
  if (out.json) {
    out.line(JSON.stringify({ certificates: rows.map(scanRowJson), due: rows.filter((r) => r.due).length, pending: rows.filter((r) => r.pendingAction).length }, null, 2));
  } else {
    out.line(
      table([
        ["ID", "DOMAIN", "TYPE", "EXPIRES", "DAYS", "DUE", "RENEWABLE", "IN FLIGHT", "WHY"],
        ...rows.map((r) => [
          r.certificateId,
          r.domain,
          r.certType,
          r.notAfter ? r.notAfter.toISOString().slice(0, 10) : "-",
          r.daysLeft === null ? "-" : String(r.daysLeft),
          r.due ? "yes" : "no",
          r.renewable ? "yes" : "no",
          r.inFlight ? `${r.inFlight.certificateId} (${r.inFlight.phase})` : "-",
          r.reason,
        ]),
      ]),
    );
    for (const r of attention) out.line(`  ${r.certificateId}: ${r.pendingAction ? `PENDING HUMAN ACTION: ${r.pendingAction.message}` : r.message}`);
    out.line(`${rows.length} certificate(s); ${rows.filter((r) => r.due).length} due; ${rows.filter((r) => r.pendingAction).length} waiting for a human`);
  }
  return attention.length > 0 ? EXIT.PENDING : EXIT.OK;
}
