/**
 * The Markdown job summary of `scan --deployments --summary FILE` (cli/commands/drift-summary.ts):
 * table cells escaped, drift and "not read" stated, the file appended to, never overwritten.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { DeploymentScan } from "../../../engine/drift";
import { appendSummary, checkSummaryFile, driftMarkdown } from "../../../cli/commands/drift-summary";

const NOT_AFTER = new Date("2026-03-01T00:00:00Z");

function scan(partial: Partial<DeploymentScan> = {}): DeploymentScan {
  const drifted = {
    resourceType: "cdn", region: "", instanceId: "a|b.example.com", listenerId: "", domain: "a|b.example.com", certificateId: "old1",
    drift: { reason: "Superseded" as const, message: "serves old1…", targetCertificateId: "new1" },
  };
  return {
    lineages: [
      {
        lineageId: "old1", newestIssuedId: "new1", drifted: 1,
        certificates: [
          { certificateId: "old1", phase: "issued", notAfter: NOT_AFTER, daysLeft: 12, bindings: "read", error: "", cacheAgeSeconds: 5, regionErrors: [], counts: [], resources: [drifted] },
          { certificateId: "new1", phase: "issued", notAfter: null, daysLeft: null, bindings: "unknown", error: "timed out", cacheAgeSeconds: null, regionErrors: [], counts: [], resources: [] },
        ],
      },
    ],
    drifted: [drifted],
    incomplete: ["new1"],
    unknownIds: [],
    ...partial,
  };
}

describe("driftMarkdown", () => {
  it("states the drift with a row per drifted resource, escapes pipes, and names what could not be read", () => {
    const md = driftMarkdown(scan(), 30, 2);
    expect(md).toContain("**1 drifted resource(s)** serve a superseded, expired or soon-expiring certificate (within 30 days). Exit code 2.");
    expect(md).toContain("| old1 | 2026-03-01 (12 d) | cdn | - | a\\|b.example.com | a\\|b.example.com | Superseded | new1 |");
    expect(md).toContain("**Could not read where 1 certificate(s) are deployed** (task failed, timed out, or a region error): new1. Drift there is not ruled out.");
    expect(md.endsWith("</details>\n")).toBe(true);
  });

  it("says so when there is no drift", () => {
    const md = driftMarkdown(scan({ drifted: [], incomplete: [], lineages: [] }), 7, 0);
    expect(md).toBe("## tccert: deployment drift\n\nNo deployment drift: 0 bound resource(s) across 0 lineage(s) serve their lineage's newest certificate, none expiring within 7 days. Exit code 0.\n");
  });
});

describe("the summary file", () => {
  it("is appended to, as every step of a job appends to $GITHUB_STEP_SUMMARY", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-summary-"));
    try {
      const file = path.join(dir, "summary.md");
      fs.writeFileSync(file, "earlier\n");
      appendSummary(checkSummaryFile(file), "## one\n");
      appendSummary(file, "## two\n");
      expect(fs.readFileSync(file, "utf8")).toBe("earlier\n## one\n\n## two\n\n");
      expect(() => checkSummaryFile(dir)).toThrow(`--summary: ${JSON.stringify(dir)} is a directory; name a file, e.g. "$GITHUB_STEP_SUMMARY" or drift.md.`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
