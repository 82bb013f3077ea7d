/**
 * The built binary (`node dist/cli/main.js`, built by `npm test`): exit codes
 * as a pipeline sees them, and progress on a TTY versus a pipe.
 */
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, FLEET, seed, startCliWorld, type CliWorld } from "./harness";
import { EXIT } from "../../../cli/exit-codes";

let w: CliWorld;
beforeAll(async () => {
  expect(fs.existsSync(BIN), `${BIN} is missing: run \`npm run build\` first`).toBe(true);
  w = await startCliWorld(seed(FLEET));
});
afterAll(async () => w.close());

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

describe("exit codes of the binary (documented in README.md › CLI)", () => {
  it("pins the table", () => {
    expect(EXIT).toEqual({ OK: 0, ERROR: 1, PENDING: 2, USAGE: 64 });
  });

  it("--help: 0, and lists the commands", async () => {
    const r = await w.spawn(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["scan", "renew", "deploy", "emulator", "demo"]) expect(r.stdout).toMatch(new RegExp(`^ {2}${c}\\b`, "m"));
  });

  it("scan: 2 when something is due; stdout is JSON, nothing on stderr", async () => {
    const r = await w.spawn(["scan", "--json"]);
    expect(r.code).toBe(2);
    expect(r.json<{ due: number }>().due).toBe(3);
    expect(r.stderr).toBe("");
  });

  it("scan: 0 when nothing in the filter is due", async () => {
    const r = await w.spawn(["scan", "--ids", "fresh"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 certificate\(s\); 0 due; 0 waiting for a human; 0 backed off$/m);
  });

  it("64 for a usage error, before any call", async () => {
    const before = w.totalCalls();
    const r = await w.spawn(["scan", "--within-days", "-5"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(`tccert: --within-days must be a whole number of days, 0 or more; got "-5".\n`);
    expect(w.totalCalls()).toBe(before);
  });

  it("64 when credentials are missing; TCCERT_ENDPOINT honoured otherwise", async () => {
    const r = await w.spawn(["scan"], { env: { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined } });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^tccert: tencent: missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY;/);
  });

  it("1 when the endpoint does not answer (a network error, not a usage error)", async () => {
    const r = await w.spawn(["scan"], { env: { TCCERT_ENDPOINT: "http://127.0.0.1:9" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tccert: /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it("renew in a pipe: plain lines on stderr, no ANSI; result on stdout; 0", async () => {
    const r = await w.spawn(["renew", "dueA", "--dry-run"]);
    expect(r.code).toBe(2);
    const real = await w.spawn(["renew", "dueA"]);
    expect(real.code).toBe(0);
    expect(real.stderr).not.toMatch(ANSI);
    expect(real.stderr).toMatch(/^\[preflight\] reading certificate dueA and its renewals$/m);
    expect(real.stdout).toMatch(/^dueA: renewed → \w+ \(valid until \S+\)$/m);
  });
});

describe("progress on a TTY", () => {
  it("redraws one line per certificate with a spinner and a phase bar, and ends with a mark", async () => {
    const r = await w.run(["renew", "dueB", "dueC", "--concurrency", "2"], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(ANSI);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).toMatch(/\x1b\[\d+A\x1b\[J/); // cursor up, clear to the end: a redraw
    expect(r.stderr).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] dueB\s+[█░]{12}\s+\d+\/11 \w/);
    expect(r.stderr).toMatch(/✔ dueB\s+renewed → \w+, valid until \d{4}-\d\d-\d\d/);
    expect(r.stderr).toMatch(/✔ dueC\s+renewed → \w+, valid until \d{4}-\d\d-\d\d/);
    // Lasting events still get their own line (DNS records).
    expect(r.stderr).toMatch(/ {2}dueB \[dns-record\] created CNAME /);
    // stdout is unaffected by the terminal on stderr.
    expect(r.stdout).not.toMatch(ANSI);
  });

  it("TERM=dumb falls back to lines", async () => {
    const r = await w.run(["renew", "fresh"], { tty: true, env: { TERM: "dumb" } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(ANSI);
    expect(r.stderr).toMatch(/^\[decision\] fresh expires in \d+ day\(s\)/m);
  });
});

describe("tccert demo (what `npm run demo` runs)", () => {
  it("scans, renews and deploys the DV certificate, shows the OV one as pending, writes files; exit 0", async () => {
    const out = `${w.dir}/demo-out`;
    const r = await w.spawn(["demo", "--out", out], { env: { TCCERT_ENDPOINT: undefined, TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(ANSI);
    for (const phase of ["pay", "validate", "dns-record", "verify", "cleanup", "deploy", "done"]) expect(r.stderr).toMatch(new RegExp(`^ {3}\\[${phase}\\] `, "m"));
    expect(r.stderr).toMatch(/^ {3}✔ DemoShop: renewed → \w+, valid until /m);
    expect(r.stderr).toMatch(/^ {3}✔ 3\. deployed to 2\/2 bound resource\(s\)$/m);
    expect(r.stderr).toMatch(/^ {3}⏸ PENDING HUMAN ACTION for \w+: renewal \w+ of DemoCorp waits for its confirmation letter/m);
    expect(r.stderr).toMatch(/^ {2}DemoCorp: PENDING HUMAN ACTION: upload the signed confirmation letter/m);
    expect(r.stderr).toMatch(/^ {3}• Tencent API calls: \d+, of which paid renewals: 2$/m);
    const dirs = fs.readdirSync(out).filter((d) => !d.startsWith("."));
    expect(dirs).toHaveLength(1);
    expect(fs.readdirSync(`${out}/${dirs[0]}`).sort()).toEqual(["cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"]);
    expect(fs.statSync(`${out}/${dirs[0]}/privkey.pem`).mode & 0o777).toBe(0o600);
    expect(r.stdout).toBe("");
  });
});
