/**
 * examples/ci/github-actions/deployment-drift.yml: its "Scan deployments" step, run as GitHub runs
 * it (`bash -e`, `tccert` on PATH = the built CLI, $GITHUB_STEP_SUMMARY a file) against the
 * emulator's demo seed. On the seeded drift the step fails (tccert's exit 2) and the job summary
 * gets the Markdown report; once `deploy --drifted` fixed what it can, a scan limited to
 * `--within-days 7` passes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, startCliWorld, type CliWorld } from "./harness";

const WORKFLOW = path.join(ROOT, "examples/ci/github-actions/deployment-drift.yml");

/** The `run: |` script of the step named `name` (indentation-delimited). */
function stepScript(yaml: string, name: string): string {
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  if (at < 0) throw new Error(`no step "${name}" in ${WORKFLOW}`);
  const run = lines.findIndex((l, i) => i > at && /^\s+run: \|$/.test(l));
  const indent = (lines[run + 1] ?? "").search(/\S/);
  const body: string[] = [];
  for (const l of lines.slice(run + 1)) {
    if (l.trim() !== "" && l.search(/\S/) < indent) break;
    body.push(l.slice(indent));
  }
  return body.join("\n");
}

let w: CliWorld;
let bin: string;
beforeAll(async () => {
  w = await startCliWorld("demo");
  bin = path.join(w.dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "tccert"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
});
afterAll(async () => w.close());

/** Asynchronously: the emulator answers from this process. */
function runStep(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-e", "-c", script], { cwd: w.dir, env: { ...w.env, PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("the nightly deployment-drift workflow", () => {
  it("fails the job on drift and writes the report to the job summary; passes once the drift is fixed", async () => {
    const script = stepScript(fs.readFileSync(WORKFLOW, "utf8"), "Scan deployments");
    expect(script).toContain('tccert scan --deployments --within-days "$DRIFT_WITHIN_DAYS" --json --summary "$GITHUB_STEP_SUMMARY" > drift.json');
    const summary = path.join(w.dir, "step-summary.md");
    const failed = await runStep(script, { GITHUB_STEP_SUMMARY: summary, DRIFT_WITHIN_DAYS: "30" });
    expect(failed.code).toBe(2);
    expect(fs.readFileSync(summary, "utf8")).toMatch(/^## tccert: deployment drift\n\n\*\*3 drifted resource\(s\)\*\* serve a superseded, expired or soon-expiring certificate \(within 30 days\)\. Exit code 2\.$/m);
    expect(JSON.parse(fs.readFileSync(path.join(w.dir, "drift.json"), "utf8")).driftedCount).toBe(3);

    const fix = await runStep(stepScript(fs.readFileSync(WORKFLOW, "utf8"), 'Fix drift (manual runs with "fix" ticked)'), { DRIFT_WITHIN_DAYS: "30" });
    expect(fix.code).toBe(0);
    expect(fix.stdout).toMatch(/^1\/3 drifted resource\(s\) moved$/m);

    // DemoShop (20 days left, no renewal yet) is renew-certificates.yml's job; beyond a 7-day horizon nothing drifts.
    const passed = await runStep(script, { GITHUB_STEP_SUMMARY: summary, DRIFT_WITHIN_DAYS: "7" });
    expect(passed.code).toBe(0);
    expect(passed.stdout).toBe("no drift: 4 lineage(s) checked\n");
    expect(fs.readFileSync(summary, "utf8")).toContain("No deployment drift: 4 bound resource(s) across 4 lineage(s) serve their lineage's newest certificate, none expiring within 7 days. Exit code 0.");
  });
});
