/**
 * Output helpers. Every line the CLI prints goes through here, and nothing here
 * ever receives a private key or a credential: results are projected to their
 * public fields first (`publicView`).
 */
import type { ProgressEvent } from "../engine/progress";
import type { RenewalResult } from "../engine/result";
import { isLiveTerminal, type ProgressTarget } from "./progress";

export interface Out {
  readonly json: boolean;
  /** stdout is a terminal. */
  readonly tty: boolean;
  /** Where progress goes (stderr), and whether it is redrawn live (a TTY, not TERM=dumb). */
  readonly progress: ProgressTarget;
  line(text: string): void;
  error(text: string): void;
}

export function createOut(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Out {
  const tty = Boolean((stdout as NodeJS.WriteStream).isTTY);
  return {
    json,
    tty,
    progress: { stream: stderr, live: isLiveTerminal(stderr, env) },
    line: (t) => void stdout.write(`${t}\n`),
    error: (t) => void stderr.write(`${t}\n`),
  };
}

/** Progress lines go to stderr so stdout stays clean for --json. */
export function progressPrinter(out: Out, prefix = ""): (e: ProgressEvent) => void {
  return (e) => {
    const tag = e.type === "phase" ? e.phase : e.type;
    out.error(`${prefix}[${tag}] ${e.message}`);
  };
}

/** A renewal result without its secrets (the key), for printing and JSON. */
export function publicView(r: RenewalResult): Record<string, unknown> {
  return {
    outcome: r.outcome,
    paidThisRun: r.paidThisRun,
    reason: r.decision.reason,
    message: r.decision.message,
    originalCertificateId: r.originalCertificateId,
    certificateId: r.certificateId,
    previousCertificateId: r.previousCertificateId,
    status: r.status,
    domains: r.domains,
    notBefore: r.notBefore.toISOString(),
    notAfter: r.notAfter.toISOString(),
    renewAfter: r.renewAfter.toISOString(),
    serialNumber: r.serialNumber,
    sha256Fingerprint: r.sha256Fingerprint,
    hasPrivateKey: r.privateKeyPem !== "",
    dnsRecords: r.dnsRecords.map((a) => ({ type: a.recordType, name: a.key, value: a.value })),
    deployment: r.deployment,
  };
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}
