/**
 * `tccert tf-status`: the plan-time status read (`data "external"`). READ-ONLY: it reads the
 * lineage and evaluates the renewal policy; it never pays and never changes Tencent state. Its
 * result carries no secret (Terraform shows it in plans and stores it in state).
 *
 * stdin:  {"certificate_id": "...", "renew_before_days": "30" | ""}
 * stdout: see `STATUS_RESULT_KEYS`; `cycle` is the renewal step's trigger (see `renewalCycle`),
 *         `forced_cycle` its value while a forced renewal is owed, `key_cycle` the key's (see
 *         `keyCycle`) and `forced_key_cycle` the key's while a forced renewal is owed. Nothing in it changes with the passage of time alone (see engine/settled.ts).
 */
import { InvalidInputError } from "../../engine/errors";
import { DEFAULTS } from "../../engine/options";
import { inspectLineage } from "../../engine/renewal";
import { settledMessage } from "../../engine/settled";
import type { Certificate } from "../../engine/domain";
import { STATUS_KEYS, checkCertificateId, forcedCycle, keyCycle, parseQuery, renewBeforeDaysOf, renewalCycle, type StatusResult } from "../../constructs/protocol";
import type { CliContext } from "../context";
import { readAll, writeResult } from "./tf-io";

const COMMAND = "tf-status";

export async function tfStatusCommand(ctx: CliContext): Promise<void> {
  const q = parseQuery(COMMAND, await readAll(COMMAND, ctx.stdin), STATUS_KEYS);
  checkCertificateId(COMMAND, q.certificate_id);
  const renewBeforeDays = renewBeforeDaysOf(COMMAND, q.renew_before_days) ?? DEFAULTS.renewBeforeDays;
  const deps = ctx.deps();
  const { lineage, decision } = await inspectLineage(deps, { certificateId: q.certificate_id, renewBeforeDays, force: false });
  if (decision.verdict === "blocked")
    throw new InvalidInputError("certificate_id", `${COMMAND}: ${decision.message}. Point certificateId at an issued, paid certificate (see \`tccert scan\`). Nothing was paid.`);
  const c = lineage.current;
  const current = { certificateId: c.certificateId, originCertificateId: c.link.originCertificateId };
  const result: StatusResult = {
    certificate_id: c.certificateId,
    original_certificate_id: lineage.rootId,
    in_flight_certificate_id: lineage.inFlight?.certificateId ?? "",
    due: String(decision.due),
    reason: decision.reason,
    message: settledMessage(decision, c, renewBeforeDays),
    cycle: renewalCycle(current, decision.due, lineage.inFlight),
    forced_cycle: forcedCycle(current, lineage.inFlight),
    key_cycle: keyCycle(current, decision.due || lineage.inFlight !== null),
    forced_key_cycle: keyCycle(current, true),
    domain: c.domain,
    domains: c.domains.join(","),
    not_after: c.notAfter?.toISOString() ?? "",
    renew_after: decision.renewAfter?.toISOString() ?? "",
    dns_records: JSON.stringify(dnsRecords(lineage.inFlight)),
  };
  writeResult(ctx.stdout, result);
}

/** The validation records the CA expects for the renewal in flight (manual-dns publishes them by hand). */
function dnsRecords(inFlight: Certificate | null): { domain: string; name: string; type: string; value: string }[] {
  if (!inFlight || inFlight.phase !== "validating") return [];
  return inFlight.dvAuths
    .filter((a) => a.recordType !== "FILE")
    .map((a) => ({ domain: a.zone, name: a.subDomain, type: a.recordType, value: a.value }));
}
