/**
 * `npm run demo`: the whole job on the embedded emulator, in under a minute.
 * 1. start the emulator with the `demo` seed and scan;
 * 2. renew the due DV certificate with live progress (order, DNS records, CA, verification, cleanup);
 * 3. deploy it to the bound CLB listener and CDN domain;
 * 4. show the OV certificate as a pending human action;
 * 5. print a summary and write the files to ./demo-output/.
 */
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { isPendingHumanActionError, isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import { EXIT, type ExitCode } from "../exit-codes";
import type { Out } from "../output";
import { createReporter } from "../progress";
import { checkOutDir, writeFiles } from "./renew";
import { scanCommand } from "./scan";
import { scanAccount } from "../../engine/scan";

export const DEMO_CREDENTIALS = {
  secretId: "AKIDEMULATORDEMO000000000000000000000",
  secretKey: "emulator-demo-secret-key-000000000000",
} as const;

export async function demoCommand(options: { outDir: string }, out: Out): Promise<ExitCode> {
  checkOutDir(options.outDir);
  const started = Date.now();
  const emu = await startEmulator({ port: 0, seed: "demo" });
  try {
    // The CA issues a few seconds after validation passes (Tencent: 10 min to 24 h).
    emu.admin.setIssuanceDelay(3);
    emu.admin.setDeploySecondsPerResource(1);
    const say = (t: string) => out.error(t);
    say(`▶ emulator started at ${emu.url} with the demo seed`);
    const deps = createEngineDeps({
      endpoint: emu.url,
      credentials: DEMO_CREDENTIALS,
      stateDir: path.join(options.outDir, ".state"),
      env: {},
      polling: { fastMs: 500, slowMs: 2000, waitingEventEveryMs: 2000 },
    });

    say("\n▶ 1. tccert scan");
    await scanCommand(() => deps, {}, { ...out, json: false, line: say });
    const rows = await scanAccount(deps, {});
    const due = rows.filter((r) => r.due);

    const summary: string[] = [];
    for (const row of due) {
      const isDv = row.certType === "DV";
      say(`\n▶ ${isDv ? "2. renewing" : "4. renewing"} ${row.certificateId} (${row.domain}, ${row.certType}, ${row.daysLeft} days left)`);
      const opts = resolveOptions({
        certificateId: row.certificateId,
        key: { source: "local", algorithm: "EC_P256" },
        validation: "dnspod",
        waitTimeoutMinutes: 1,
        deploy: isDv ? [{ resourceType: "clb", regions: ["ap-guangzhou"] }, { resourceType: "cdn", regions: [] }] : [],
      });
      const reporter = createReporter(out.progress, { prefixIds: false, indent: "   ", history: true });
      try {
        const result = await ensureRenewed({ ...deps, progress: reporter.sink(row.certificateId) }, opts);
        reporter.finish(row.certificateId, "ok", `renewed → ${result.certificateId}, valid until ${result.notAfter.toISOString().slice(0, 10)}`);
        reporter.stop();
        const files = writeFiles(options.outDir, result);
        if (result.deployment) say(`   ✔ 3. deployed to ${result.deployment.results.filter((r) => r.status === "success").length}/${result.deployment.results.length} bound resource(s)`);
        say(`   ✔ wrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
        summary.push(`${row.domain}: renewed ${row.certificateId} → ${result.certificateId}${result.deployment ? `, deployed to ${result.deployment.results.length} resource(s)` : ""}`);
      } catch (e) {
        reporter.finish(row.certificateId, isPendingHumanActionError(e) ? "pending" : "failed", isPendingHumanActionError(e) ? `paid; renewal ${e.newCertificateId} waits for a human` : isRenewalError(e) ? e.kind : "failed");
        reporter.stop();
        if (isPendingHumanActionError(e)) {
          say(`   ⏸ PENDING HUMAN ACTION for ${e.newCertificateId}: ${e.message}`);
          say(`     what to do: ${e.instructions}`);
          summary.push(`${row.domain}: paid renewal ${e.newCertificateId} waits for a human (${e.action}); rerun resumes it without paying again`);
        } else if (isRenewalError(e)) {
          say(`   ✘ ${e.kind}: ${e.message}`);
          summary.push(`${row.domain}: ${e.kind}`);
          throw e;
        } else throw e;
      }
    }

    say("\n▶ tccert scan, after the run: what still needs a human");
    await scanCommand(() => deps, {}, { ...out, json: false, line: say });

    const calls = await emu.admin.calls();
    const paid = calls.okCounts["ssl.CreateCertificateByPackage"] ?? 0;
    say(`\n▶ 5. summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const s of summary) say(`   • ${s}`);
    say(`   • not due: ${rows.filter((r) => !r.due).map((r) => r.domain).join(", ") || "none"}`);
    say(`   • Tencent API calls: ${Object.values(calls.counts).reduce((a, b) => a + b, 0)}, of which paid renewals: ${paid}`);
    say(`   • files in ${path.resolve(options.outDir)}`);
    if (out.json) out.line(JSON.stringify({ summary, paidRenewals: paid, callCounts: calls.counts }, null, 2));
    return EXIT.OK;
  } finally {
    await emu.close();
  }
}
