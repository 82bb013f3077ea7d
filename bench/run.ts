/**
 * `npm run bench`: run every benchmark in one process, print each figure beside
 * its goal, and write bench/REPORT.md. Ratios are against baselines measured in
 * the same run (or the goal itself where the goal is absolute). Nothing here is
 * asserted in tests: the machines are shared and noisy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Row {
  readonly id: string;
  readonly what: string;
  readonly measured: string;
  readonly goal: string;
  readonly ratio: string;
  readonly met: boolean | null;
}

interface Section {
  readonly name: string;
  readonly rows: readonly Row[];
  readonly log: string;
  readonly seconds: number;
  readonly error?: string;
}

async function runSection(name: string, fn: () => Promise<{ rows: Row[]; log: string }>): Promise<Section> {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const { rows, log } = await fn();
    return { name, rows, log, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { name, rows: [], log: "", seconds: (performance.now() - t0) / 1000, error: e instanceof Error ? e.message : String(e) };
  }
}

const x = (n: number) => `${n.toFixed(2)}×`;

export async function runAll(options: { fleetRenewals?: number; only?: readonly string[] } = {}): Promise<Section[]> {
  const sections: (Section | null)[] = [];
  const section = (name: string, fn: () => Promise<{ rows: Row[]; log: string }>): Promise<Section | null> =>
    options.only && !options.only.includes(name) ? Promise.resolve(null) : runSection(name, fn);

  sections.push(
    await section("emulator", async () => {
      const m = await import("./emulator");
      const r = await m.run();
      return {
        log: m.format(r),
        rows: [
          { id: "E1", what: "emulator: TC3-signed requests/s (concurrency 16)", measured: `${r.signed.rps.toFixed(0)} req/s`, goal: "≥ 1,000 req/s", ratio: `${x(r.ratios.signedRps)} bare node:http`, met: r.signed.rps >= 1000 },
          { id: "E2", what: "emulator: p99 latency of signed requests", measured: `${r.signed.p99Ms.toFixed(2)} ms`, goal: "< 20 ms", ratio: `${x(r.ratios.signedP99)} bare node:http`, met: r.signed.p99Ms < 20 },
          { id: "E3", what: "emulator + bundled backend: signed DescribeCertificateDetail", measured: `${r.bundled.rps.toFixed(0)} req/s, p99 ${r.bundled.p99Ms.toFixed(2)} ms`, goal: "(context: backend cost)", ratio: `${x(r.ratios.bundledRps)} bare node:http`, met: null },
        ],
      };
    }),
  );

  sections.push(
    await section("renewal", async () => {
      const m = await import("./renewal");
      const r = await m.run();
      return {
        log: m.report(r).join("\n"),
        rows: [
          // Issue 12 traded the 2 s lag for the polling budget (P2): the goal is now a median of 10 s.
          { id: "P1", what: "median lag from CA issuance to the engine's return (real time, CA 2–13 s)", measured: `${(r.p1MedianLagMs / 1000).toFixed(2)} s`, goal: "≤ 10 s", ratio: `${x(r.p1MedianLagMs / 10_000)} goal`, met: r.p1MedianLagMs <= 10_000 },
          { id: "P1b", what: "polls per minute during a long (3 h, simulated) wait, steady state", measured: `${r.longWaitPollsPerMinute.toFixed(2)}/min`, goal: "≤ 2/min", ratio: `${x(r.longWaitPollsPerMinute / 2)} goal`, met: r.longWaitPollsPerMinute <= 2.0001 },
          { id: "P2r", what: "Tencent API calls in one whole DV renewal (real time, CA 2 s)", measured: String(r.p2Calls), goal: "(context: see P2)", ratio: "—", met: null },
        ],
      };
    }),
  );

  sections.push(await section("polling", () => pollingSection()));

  sections.push(
    await section("keys", async () => {
      const m = await import("./keys");
      const r = await m.run(10);
      return {
        log: m.report(r),
        rows: [
          { id: "P5", what: "RSA-2048 key + CSR vs `openssl req -newkey rsa:2048`", measured: `${r.oursMedianMs.toFixed(1)} ms vs ${r.opensslMedianMs === null ? "n/a" : `${r.opensslMedianMs.toFixed(1)} ms`}`, goal: "≤ 1.5× openssl", ratio: r.ratio === null ? "openssl missing" : `${x(r.ratio)} openssl`, met: r.meetsGoal },
        ],
      };
    }),
  );

  sections.push(
    await section("provider", async () => {
      const m = await import("./provider");
      const lines: string[] = [];
      const orig = console.log;
      console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
      try {
        const r = await m.run();
        return {
          log: lines.join("\n"),
          rows: [
            { id: "P4", what: "serialized Pulumi `__provider` size", measured: `${r.bytes} B`, goal: "≤ 8 KB", ratio: `${x(r.bytes / r.goalBytes)} goal`, met: r.meetsGoal },
          ],
        };
      } finally {
        console.log = orig;
      }
    }),
  );

  sections.push(
    await section("fleet", async () => {
      const m = await import("./fleet");
      const lines: string[] = [];
      const orig = console.log;
      console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
      let r: Awaited<ReturnType<typeof m.run>>;
      try {
        r = await m.run({ ...(options.fleetRenewals !== undefined ? { renewals: options.fleetRenewals } : {}) });
      } finally {
        console.log = orig;
      }
      const rows: Row[] = [
        { id: "P3", what: `scan of ${r.scan.certificates} certificates: list calls`, measured: String(r.scan.listCalls), goal: `≤ ${m.GOALS.scanListCalls}`, ratio: `${x(r.scan.listCalls / m.GOALS.scanListCalls)} goal`, met: r.scan.listCalls <= m.GOALS.scanListCalls },
        { id: "P3b", what: "scan wall time (child process)", measured: `${r.scan.seconds} s`, goal: `≤ ${m.GOALS.scanSeconds} s`, ratio: `${x(r.scan.seconds / m.GOALS.scanSeconds)} goal`, met: r.scan.seconds <= m.GOALS.scanSeconds },
        { id: "P3c", what: "scan peak RSS (child process)", measured: r.scan.peakRssMb === null ? "n/a" : `${r.scan.peakRssMb} MB`, goal: `≤ ${m.GOALS.scanRssMb} MB`, ratio: r.scan.peakRssMb === null ? "n/a" : `${x(r.scan.peakRssMb / m.GOALS.scanRssMb)} goal`, met: r.scan.peakRssMb === null ? null : r.scan.peakRssMb <= m.GOALS.scanRssMb },
      ];
      if (r.renew)
        rows.push(
          { id: "F1", what: `renew --all-due of ${r.renew.certificates} certificates, emulator throttling at 10 req/s: time vs the rate-limit floor (all SSL calls ÷ 10)`, measured: `${r.renew.seconds} s vs ${r.renew.floorSeconds} s`, goal: `≤ ${m.GOALS.renewRatio}× floor`, ratio: `${x(r.renew.ratio)} floor (${x(r.renew.perActionRatio)} busiest-action floor)`, met: r.renew.meetsGoal },
          { id: "F2", what: "throttling errors surfaced to the user in that run", measured: String(r.renew.errorsSurfaced), goal: "0", ratio: "—", met: r.renew.errorsSurfaced === 0 },
        );
      return { log: lines.join("\n"), rows };
    }),
  );
  sections.push(await section("drift", () => driftSection()));
  return sections.filter((s): s is Section => s !== null);
}

/** D1–D3: `scan --deployments` of 1,000 certificates with 5,000 bindings (bench/drift-fleet.ts, issue 17). */
async function driftSection(): Promise<{ rows: Row[]; log: string }> {
  const m = await import("./drift-fleet");
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  let r: Awaited<ReturnType<typeof m.run>>;
  try {
    r = await m.run();
  } finally {
    console.log = orig;
  }
  return {
    log: lines.join("\n"),
    rows: [
      { id: "D1", what: `scan --deployments of ${r.certificates} certificates with ${r.bindings} bindings: Tencent calls`, measured: String(r.calls), goal: `≤ ${m.GOALS.calls}`, ratio: `${x(r.calls / m.GOALS.calls)} goal`, met: r.calls <= m.GOALS.calls },
      { id: "D2", what: "its wall time vs the rate-limit floor (busiest action ÷ 10 req/s), emulator throttling", measured: `${r.seconds} s vs ${r.floorSeconds} s`, goal: `≤ ${m.GOALS.floorRatio}× floor`, ratio: `${x(r.ratio)} floor`, met: r.ratio <= m.GOALS.floorRatio },
      { id: "D3", what: "drifted resources reported / bindings listed", measured: `${r.drifted} / ${r.listed}`, goal: `${m.GOALS.drifted} / ${r.bindings}`, ratio: "—", met: r.drifted === m.GOALS.drifted && r.listed === r.bindings },
    ],
  };
}

/** P2, the polling budget (bench/polling.ts), in simulated time. */
async function pollingSection(): Promise<{ rows: Row[]; log: string }> {
  const m = await import("./polling");
  const r = await m.run();
  const at = (d: number) => r.delays.find((x) => x.delaySeconds === d)!;
  const calls = (id: string, d: number, goal: number | null): Row => ({
    id,
    what: `Tencent calls in one DV renewal, CA issuing ${d >= 60 ? `${d / 60} min` : `${d} s`} after validation (most around it: ×0.8–×1.3)`,
    measured: `${at(d).calls} (${at(d).maxCallsInSpread})`,
    goal: goal === null ? "(context)" : `≤ ${goal}`,
    ratio: goal === null ? "—" : `${x(at(d).calls / goal)} goal`,
    met: goal === null ? null : at(d).calls <= goal,
  });
  const c = r.concurrency;
  return {
    log: m.report(r),
    rows: [
      calls("P2", 60, m.GOALS.callsAt60s),
      calls("P2b", 600, m.GOALS.callsAt10min),
      calls("P2c", 2, null),
      {
        id: "P2d",
        what: "median lag from issuance to return over CA delays ×0.8–×1.3 of 2 s, 60 s, 10 min (simulated time)",
        measured: `${(r.overallMedianLagMs / 1000).toFixed(1)} s (${r.delays.map((d) => `${d.delaySeconds} s: ${(d.medianLagMs / 1000).toFixed(1)}`).join(", ")})`,
        goal: "≤ 10 s",
        ratio: `${x(r.overallMedianLagMs / m.GOALS.medianLagMs)} goal`,
        met: r.overallMedianLagMs <= m.GOALS.medianLagMs,
      },
      {
        id: "P2e",
        what: `${c.renewals} renewals at once in one process: peak polls per second of DescribeCertificateDetail vs its limit`,
        measured: `${c.peakPolls}/s of ${c.limitPerSecond}/s (asked: ${c.peakDemand}/s)`,
        goal: `≤ ${m.GOALS.shareOfLimit}× limit`,
        ratio: `${x(c.peakPolls / c.limitPerSecond)} limit`,
        met: c.peakPolls <= c.limitPerSecond * m.GOALS.shareOfLimit,
      },
    ],
  };
}

/** The markdown table row of `r`. */
function tableRow(r: Row): string {
  return `| ${r.id} | ${r.what} | ${r.measured} | ${r.goal} | ${r.ratio} | ${r.met === null ? "—" : r.met ? "yes" : "**no**"} |`;
}

function sectionBlock(s: Section): string[] {
  const lines = [`## ${s.name} (${s.seconds.toFixed(1)} s)`, ""];
  if (s.error) lines.push(`**failed:** ${s.error}`, "");
  if (s.log) lines.push("```", s.log, "```", "");
  return lines;
}

/**
 * `report` (REPORT.md as it is) with only `sections` regenerated: their rows in the table (by id)
 * and their `## name` blocks; every other section is left as it was.
 */
export function spliceReport(report: string, sections: readonly Section[]): string {
  const lines = report.split("\n");
  const ids = new Set(sections.flatMap((s) => s.rows.map((r) => r.id)));
  const isRow = (l: string) => /^\| [^|-]/.test(l) && !l.startsWith("| id |");
  const rowId = (l: string) => l.split("|")[1]!.trim();
  const firstRow = lines.findIndex(isRow);
  const mine = lines.map((l, i) => (isRow(l) && ids.has(rowId(l)) ? i : -1)).filter((i) => i >= 0);
  const lastRow = lines.reduce((last, l, i) => (isRow(l) ? i : last), -1);
  const insertAt = mine[0] ?? (firstRow === -1 ? lines.length : lastRow + 1);
  const fresh = sections.flatMap((s) => s.rows.map(tableRow));
  let out = [...lines.slice(0, insertAt).filter((_, i) => !mine.includes(i)), ...fresh, ...lines.slice(insertAt).filter((_, i) => !mine.includes(i + insertAt))];
  for (const s of sections) {
    const start = out.findIndex((l) => l.startsWith(`## ${s.name} (`));
    if (start === -1) {
      out = [...out, ...sectionBlock(s)];
      continue;
    }
    let end = out.findIndex((l, i) => i > start && l.startsWith("## "));
    if (end === -1) end = out.length;
    out = [...out.slice(0, start), ...sectionBlock(s), ...out.slice(end)];
  }
  return out.join("\n");
}

export function markdown(sections: readonly Section[]): string {
  const rows = sections.flatMap((s) => s.rows);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Benchmark report",
    "",
    `Generated by \`npm run bench\` on ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB. Do not edit by hand.`,
    "",
    "Every ratio is against a baseline measured in the same run, or against the goal where the goal is absolute. The machines are shared and noisy: rerun before drawing conclusions.",
    "",
    "| id | what | measured | goal | ratio | met |",
    "|---|---|---|---|---|---|",
    ...rows.map(tableRow),
    "",
  ];
  for (const s of sections) lines.push(...sectionBlock(s));
  return lines.join("\n");
}

if (require.main === module) {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const fleetRenewals = arg("--fleet-renewals") === undefined ? undefined : Number(arg("--fleet-renewals"));
  // --only polling,keys: run those sections and splice them into REPORT.md, leaving the others as they are.
  const only = arg("--only")?.split(",").map((n) => n.trim()).filter(Boolean);
  runAll({ ...(fleetRenewals !== undefined && Number.isFinite(fleetRenewals) ? { fleetRenewals } : {}), ...(only ? { only } : {}) }).then(
    (sections) => {
      const out = path.resolve(__dirname, "../../bench/REPORT.md");
      const md = only && fs.existsSync(out) ? spliceReport(fs.readFileSync(out, "utf8"), sections) : markdown(sections);
      fs.writeFileSync(out, md);
      for (const s of sections) {
        console.log(`\n== ${s.name} ==`);
        if (s.error) console.log(`FAILED: ${s.error}`);
        for (const r of s.rows) console.log(`${r.id.padEnd(4)} ${r.what}: ${r.measured} (goal ${r.goal}; ${r.ratio}) ${r.met === null ? "" : r.met ? "MET" : "NOT MET"}`);
      }
      console.log(`\nwrote ${path.relative(process.cwd(), out)}${only ? ` (sections ${only.join(", ")} only)` : ""}`);
      if (sections.some((s) => s.error)) process.exitCode = 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
