/**
 * The drift report as Markdown for a CI job summary (`--summary FILE`, e.g. GitHub Actions'
 * `$GITHUB_STEP_SUMMARY`): appended, as every step of a job appends to the same file. Ids,
 * resource names and dates only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DeployedResource, DeploymentScan } from "../../engine/drift";
import { InvalidInputError } from "../../engine/errors";

/** `--summary FILE` must be writable before anything is asked of Tencent. */
export function checkSummaryFile(file: string): string {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(abs)) fs.accessSync(abs, fs.constants.W_OK);
  } catch {
    throw new InvalidInputError("--summary", `--summary: cannot write ${JSON.stringify(file)} (its directory must exist and be writable); in GitHub Actions pass "$GITHUB_STEP_SUMMARY".`);
  }
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) throw new InvalidInputError("--summary", `--summary: ${JSON.stringify(file)} is a directory; name a file, e.g. "$GITHUB_STEP_SUMMARY" or drift.md.`);
  return abs;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ") || "-";
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function resourceCells(r: DeployedResource, expires: string): string[] {
  return [r.certificateId, expires, r.resourceType, r.region, r.instanceId, r.listenerId || r.domain];
}

/** The Markdown summary of a deployment scan. */
export function driftMarkdown(scan: DeploymentScan, withinDays: number, exitCode: number): string {
  const expiresOf = new Map(scan.lineages.flatMap((l) => l.certificates.map((c) => [c.certificateId, c.notAfter ? `${c.notAfter.toISOString().slice(0, 10)} (${c.daysLeft} d)` : "-"] as const)));
  const all = scan.lineages.flatMap((l) => l.certificates.flatMap((c) => c.resources));
  const lines = ["## tccert: deployment drift", ""];
  if (scan.drifted.length > 0) {
    lines.push(`**${scan.drifted.length} drifted resource(s)** serve a superseded, expired or soon-expiring certificate (within ${withinDays} days). Exit code ${exitCode}.`, "");
    lines.push(row(["Certificate", "Expires", "Type", "Region", "Instance", "Listener/domain", "Drift", "Move to"]), row(Array(8).fill("---")));
    for (const r of scan.drifted) lines.push(row([...resourceCells(r, expiresOf.get(r.certificateId) ?? "-"), r.drift?.reason ?? "", r.drift?.targetCertificateId ?? "renew first"]));
    lines.push("", "Fix: `tccert deploy --drifted` moves each drifted resource onto the newest issued certificate of its lineage (`--dry-run` lists the moves first).");
  } else {
    lines.push(`No deployment drift: ${all.length} bound resource(s) across ${scan.lineages.length} lineage(s) serve their lineage's newest certificate, none expiring within ${withinDays} days. Exit code ${exitCode}.`);
  }
  if (scan.incomplete.length > 0) lines.push("", `**Could not read where ${scan.incomplete.length} certificate(s) are deployed** (task failed, timed out, or a region error): ${scan.incomplete.join(", ")}. Drift there is not ruled out.`);
  if (all.length > 0) {
    lines.push("", `<details><summary>All ${all.length} bound resource(s)</summary>`, "");
    lines.push(row(["Certificate", "Expires", "Type", "Region", "Instance", "Listener/domain", "Drift"]), row(Array(7).fill("---")));
    for (const r of all) lines.push(row([...resourceCells(r, expiresOf.get(r.certificateId) ?? "-"), r.drift?.reason ?? "ok"]));
    lines.push("", "</details>");
  }
  return `${lines.join("\n")}\n`;
}

export function appendSummary(file: string, markdown: string): void {
  try {
    fs.appendFileSync(file, markdown.endsWith("\n\n") ? markdown : `${markdown}\n`, { mode: 0o644 });
  } catch (e) {
    throw new InvalidInputError("--summary", `--summary: could not append to ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}
