/**
 * `npm run demo`: the whole job on the embedded emulator, in under a minute.
 * 1. start the emulator with the `demo` seed and scan;
 * 2. renew the due DV certificate with live progress (order, DNS records, CA, verification, cleanup);
 * 3. deploy it to the bound CLB listener and CDN domain;
 * 4. show the OV certificate as a pending human action;
 * 5. find the deployment drift (a CDN domain still on a superseded certificate) and fix it;
 * 6. print a summary and write the files to ./demo-output/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { isPendingHumanActionError, isRenewalError } from "../../engine/errors";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import { EXIT, type ExitCode } from "../exit-codes";
import type { Out } from "../output";
import { createTracker, interruptReport, onStopSignal, SIGNAL_EXIT, type RenewalTracker } from "../interrupt";
import { createReporter, type Reporter } from "../progress";
import { checkOutDir, writeFiles } from "./renew";
import { scanCommand } from "./scan";
import { driftDeployCommand } from "./drift-deploy";
import { driftScanCommand } from "./drift-scan";
import { scanAccount, type ScanRow } from "../../engine/scan";
import type { EngineDeps } from "../../engine/deps";

export const DEMO_CREDENTIALS = {
  secretId: "AKIDEMULATORDEMO000000000000000000000",
  secretKey: "emulator-demo-secret-key-000000000000",
} as const;

/** The demo's emulator lives in this process: a rerun of the demo starts again from its seed, it resumes nothing. */
const DEMO_RERUN = "its emulator stops with the demo, so a rerun of the demo starts again from the seed; with a real account, a rerun of `tccert renew`";

/** Ctrl-C or SIGTERM during the demo: what the renewal in progress had reached, then exit 130/143. */
function watchSignals(tracker: RenewalTracker, reporters: Set<Reporter>, out: Out, exit: (code: number) => never): () => void {
  return onStopSignal((signal) => {
    for (const r of reporters) r.stop();
    for (const line of interruptReport(signal, tracker, () => DEMO_RERUN).lines) out.error(line);
    exit(SIGNAL_EXIT[signal]);
  });
}

/** What renewing one row of the demo needs. */
interface RowContext {
  readonly deps: EngineDeps;
  readonly out: Out;
  readonly say: (text: string) => void;
  readonly outDir: string;
  readonly tracker: RenewalTracker;
  readonly reporters: Set<Reporter>;
}

/** Renews one due certificate with live progress, writes its files; returns its summary line. */
async function renewRow(c: RowContext, row: ScanRow): Promise<string> {
  const { say } = c;
  const isDv = row.certType === "DV";
  say(`\n▶ ${isDv ? "2. renewing" : "4. renewing"} ${row.certificateId} (${row.domain}, ${row.certType}, ${row.daysLeft} days left)`);
  const opts = resolveOptions({
    certificateId: row.certificateId,
    key: { source: "local", algorithm: "EC_P256" },
    validation: "dnspod",
    waitTimeoutMinutes: 1,
    deploy: isDv ? [{ resourceType: "clb", regions: ["ap-guangzhou"] }, { resourceType: "cdn", regions: [] }] : [],
  });
  const reporter = createReporter(c.out.progress, { prefixIds: false, indent: "   ", history: true });
  c.reporters.add(reporter);
  try {
    const result = await ensureRenewed({ ...c.deps, progress: c.tracker.track(row.certificateId, reporter.sink(row.certificateId)) }, opts).finally(() => c.tracker.finished(row.certificateId));
    reporter.finish(row.certificateId, "ok", `renewed → ${result.certificateId}, valid until ${result.notAfter.toISOString().slice(0, 10)}`);
    reporter.stop();
    const files = writeFiles(c.outDir, result);
    if (result.deployment) say(`   ✔ 3. deployed to ${result.deployment.results.filter((r) => r.status === "success").length}/${result.deployment.results.length} bound resource(s)`);
    say(`   ✔ wrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
    return `${row.domain}: renewed ${row.certificateId} → ${result.certificateId}${result.deployment ? `, deployed to ${result.deployment.results.length} resource(s)` : ""}`;
  } catch (e) {
    reporter.finish(row.certificateId, isPendingHumanActionError(e) ? "pending" : "failed", isPendingHumanActionError(e) ? `paid; renewal ${e.newCertificateId} waits for a human` : isRenewalError(e) ? e.kind : "failed");
    reporter.stop();
    if (!isPendingHumanActionError(e)) {
      if (isRenewalError(e)) say(`   ✘ ${e.kind}: ${e.message}`);
      throw e;
    }
    say(`   ⏸ PENDING HUMAN ACTION for ${e.newCertificateId}: ${e.message}`);
    say(`     what to do: ${e.instructions}`);
    return `${row.domain}: paid renewal ${e.newCertificateId} waits for a human (${e.action}); with a real account, a rerun of \`tccert renew ${row.certificateId}\` resumes it without paying again`;
  }
}

/** Step 5: `scan --deployments` shows the drift, `deploy --drifted` fixes it, a second scan confirms. Returns its summary line. */
async function showDrift(c: { deps: EngineDeps; stateDir: string; say: (t: string) => void; out: Out }): Promise<string> {
  const ctx = { deps: () => c.deps, stateDir: () => c.stateDir };
  const human = { ...c.out, json: false, line: c.say, error: c.say };
  c.say("\n▶ 5. tccert scan --deployments: which cloud resources still serve an old certificate");
  const before = await driftScanCommand(ctx, {}, human);
  c.say(`   (exit ${before}: ${before === EXIT.PENDING ? "drift found" : "no drift"})`);
  c.say("\n▶ tccert deploy --drifted: move each drifted resource onto its lineage's newest certificate");
  const fixed = await driftDeployCommand(ctx, {}, human);
  c.say("\n▶ tccert scan --deployments, again");
  const after = await driftScanCommand(ctx, {}, human);
  c.say(`   (exit ${after}: ${after === EXIT.OK ? "no drift left" : "drift left, see above"})`);
  return `deployment drift: found by scan --deployments (exit ${before}), fixed by deploy --drifted (exit ${fixed}), then scan --deployments exit ${after}`;
}

/** @param options.exit ends the process after a stop signal was reported. @default process.exit */
export async function demoCommand(options: { outDir: string; exit?: (code: number) => never }, out: Out): Promise<ExitCode> {
  checkOutDir(options.outDir);
  const started = Date.now();
  const emu = await startEmulator({ port: 0, seed: "demo" });
  // Journals name this emulator's orders: they mean nothing to the next demo's emulator.
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-demo-state-"));
  const tracker = createTracker();
  const reporters = new Set<Reporter>();
  const stopWatching = watchSignals(tracker, reporters, out, options.exit ?? process.exit);
  try {
    // The CA issues a few seconds after validation passes (Tencent: 10 min to 24 h).
    emu.admin.setIssuanceDelay(3);
    emu.admin.setDeploySecondsPerResource(1);
    const say = (t: string) => out.error(t);
    say(`▶ emulator started at ${emu.url} with the demo seed`);
    const deps = createEngineDeps({
      endpoint: emu.url,
      credentials: DEMO_CREDENTIALS,
      stateDir,
      env: {},
      polling: { fastMs: 500, slowMs: 2000, waitingEventEveryMs: 2000 },
    });

    say("\n▶ 1. tccert scan");
    await scanCommand(() => deps, {}, { ...out, json: false, line: say });
    const rows = await scanAccount(deps, {});
    const due = rows.filter((r) => r.due);

    const summary: string[] = [];
    for (const row of due) summary.push(await renewRow({ deps, out, say, outDir: options.outDir, tracker, reporters }, row));

    say("\n▶ tccert scan, after the run: what still needs a human");
    await scanCommand(() => deps, {}, { ...out, json: false, line: say });

    const drift = await showDrift({ deps, stateDir, say, out });
    summary.push(drift);

    const calls = await emu.admin.calls();
    const paid = calls.okCounts["ssl.CreateCertificateByPackage"] ?? 0;
    say(`\n▶ 6. summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const s of summary) say(`   • ${s}`);
    say(`   • not due: ${rows.filter((r) => !r.due).map((r) => r.domain).join(", ") || "none"}`);
    say(`   • Tencent API calls: ${Object.values(calls.counts).reduce((a, b) => a + b, 0)}, of which paid renewals: ${paid}`);
    say(`   • files in ${path.resolve(options.outDir)}`);
    if (out.json) out.line(JSON.stringify({ summary, paidRenewals: paid, callCounts: calls.counts }, null, 2));
    return EXIT.OK;
  } finally {
    stopWatching();
    await emu.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
