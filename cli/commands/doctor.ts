/**
 * `tccert doctor [--certificate-id ID] [--record DIR]`: read-only checks of every assumption the
 * renewal engine makes about the account (engine/doctor.ts). It sends read actions only (the probe
 * refuses anything else). Prints a table (or `--json`), then what cannot be checked. Exit 0 when every
 * check passed, 2 when something is unknown or risky, 1 when something failed.
 */
import type { DoctorDeps, DoctorReport } from "../../engine/doctor";
import { runDoctor } from "../../engine/doctor";
import { EXIT, type ExitCode } from "../exit-codes";
import { table, type Out } from "../output";
import { checkRecordDir, writeRecord } from "./doctor-record";
import { checkCertificateIdArgument } from "./renew-flags";

export interface DoctorFlags {
  readonly certificateId?: string;
  readonly record?: string;
}

const MARK = { pass: "PASS", unknown: "UNKNOWN", fail: "FAIL" } as const;

export function doctorExit(report: Pick<DoctorReport, "status">): ExitCode {
  return report.status === "pass" ? EXIT.OK : report.status === "unknown" ? EXIT.PENDING : EXIT.ERROR;
}

function printTable(report: DoctorReport, out: Out): void {
  const t = report.target;
  out.line(`doctor: ${t.override ?? `https://${t.sslHost}`} (site ${t.site}), SecretId ${t.secretId}; read-only: nothing was paid or changed`);
  out.line(table([["STATUS", "CHECK", "SUBJECT", "EVIDENCE"], ...report.checks.map((c) => [MARK[c.status], c.id, c.subject, c.evidence])]));
  const fixes = report.checks.filter((c) => c.status !== "pass" && c.fix !== "");
  if (fixes.length > 0) out.line(["", "what to do:", ...fixes.map((c) => `  ${c.id} (${c.subject}): ${c.fix}`)].join("\n"));
  for (const n of report.notes) out.line(`\nnote: ${n}`);
  const counts = (s: string) => report.checks.filter((c) => c.status === s).length;
  out.line(`\n${counts("pass")} passed, ${counts("unknown")} unknown or risky, ${counts("fail")} failed`);
}

export async function doctorCommand(deps: () => DoctorDeps, flags: DoctorFlags, out: Out, env: Readonly<Record<string, string | undefined>>): Promise<ExitCode> {
  if (flags.certificateId !== undefined) checkCertificateIdArgument(flags.certificateId);
  const dir = flags.record !== undefined ? checkRecordDir(flags.record) : undefined;
  const d = deps();
  const report = await runDoctor(d, flags.certificateId !== undefined ? { certificateId: flags.certificateId } : {});
  const { answers, ...summary } = report;
  const files = dir === undefined ? [] : writeRecord(dir, answers, { name: "doctor.json", content: summary }, { source: "tccert doctor (redacted)", recordedAt: d.clock.now().toISOString() }, env);
  if (out.json) out.line(JSON.stringify({ ...summary, ...(dir !== undefined ? { recorded: files } : {}) }, null, 2));
  else {
    printTable(report, out);
    if (dir !== undefined) out.line(`recorded ${files.length} file(s), redacted (no keys, no credentials, account ids masked), in ${dir}`);
  }
  return doctorExit(report);
}
