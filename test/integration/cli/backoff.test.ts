/**
 * Cross-run backoff: a certificate whose renewal keeps failing is retried
 * after 1 h, 2 h, 4 h … (capped at 32 h). The state file records it, scan shows
 * it, renew skips it with why and until when, and --ignore-backoff overrides.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed, startCliWorld, type CliWorld } from "./harness";

const HOUR = 3_600_000;

interface StateFile {
  version: number;
  certificates: Record<string, { failures: number; firstFailureAt: string; lastFailureAt: string; nextAttemptAt: string; lastError: { kind: string; code: string; message: string } }>;
}

let w: CliWorld;
const file = () => path.join(w.stateDir, "backoff.json");
const state = () => JSON.parse(fs.readFileSync(file(), "utf8")) as StateFile;
/** Tencent refuses the next purchase (scripted, never random); nothing is paid. Each flaky run below consumes one. */
const failNextPurchase = () =>
  w.emu.admin.addFault({ service: "ssl", action: "CreateCertificateByPackage", kind: "error", code: "FailedOperation.InvalidCertificateStatusCode", message: "certificate status does not allow renewal", times: 1 });

beforeAll(async () => {
  w = await startCliWorld(
    seed([
      { certificateId: "flaky", domain: "flaky.example.com", certType: "DV", expiresInDays: 10 },
      { certificateId: "steady", domain: "steady.example.com", certType: "DV", expiresInDays: 15 },
    ]),
  );
});
afterAll(async () => w.close());

describe("backoff after repeated failures", () => {
  it("a refused purchase is a failure: exit 1, recorded with a 1 h backoff", async () => {
    failNextPurchase();
    const t0 = Date.now();
    const r = await w.run(["--json", "renew", "flaky"]);
    expect(r.code).toBe(1);
    const res = r.json<{ results: { id: string; ok: boolean; error: { kind: string; code: string }; backoff: { failures: number; until: string } }[] }>().results[0]!;
    expect(res.error.code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(res.backoff.failures).toBe(1);

    const s = state();
    expect(s.version).toBe(1);
    const rec = s.certificates["flaky"]!;
    expect(rec.failures).toBe(1);
    expect(rec.lastError.code).toBe("FailedOperation.InvalidCertificateStatusCode");
    const delay = Date.parse(rec.nextAttemptAt) - Date.parse(rec.lastFailureAt);
    expect(delay).toBe(HOUR);
    expect(Date.parse(rec.lastFailureAt)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("the next run skips it, says why and until when, makes no call for it, and exits 2", async () => {
    const before = w.totalCalls();
    const r = await w.run(["renew", "flaky"]);
    expect(r.code).toBe(2);
    const until = state().certificates["flaky"]!.nextAttemptAt;
    expect(r.stdout).toMatch(
      new RegExp(
        `^flaky: skipped: flaky is backed off after 1 consecutive failed renewal\\(s\\) until ${until.replace(/[.]/g, "\\.")} \\(in (59m \\d+s|1h 0m)\\); pass --ignore-backoff to try now\\. Last error: PaymentRefused FailedOperation\\.InvalidCertificateStatusCode: tencent refused the renewal of flaky: .+ Nothing was paid\\.$`,
        "m",
      ),
    );
    expect(w.totalCalls()).toBe(before);

    const json = await w.run(["--json", "renew", "flaky"]);
    expect(json.code).toBe(2);
    expect(json.json<{ results: unknown[] }>().results[0]).toEqual({ id: "flaky", ok: false, skipped: { reason: "BackedOff", until, message: expect.stringMatching(/^skipped: flaky is backed off/) } });
  });

  it("--ignore-backoff tries anyway; another failure doubles the delay (2 h)", async () => {
    failNextPurchase();
    const r = await w.run(["renew", "flaky", "--ignore-backoff"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}backoff: 2 consecutive failure\(s\); the next run tries again after \S+$/m);
    const rec = state().certificates["flaky"]!;
    expect(rec.failures).toBe(2);
    expect(Date.parse(rec.nextAttemptAt) - Date.parse(rec.lastFailureAt)).toBe(2 * HOUR);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(2);
  });

  it("scan shows the backoff (table and JSON) and exits 2", async () => {
    const r = await w.run(["scan"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^flaky\s+flaky\.example\.com\s+DV\s+\S+\s+\d+\s+yes\s+yes\s+-\s+2x, (1h \d+m|2h 0m) left\s+NearingExpiry$/m);
    expect(r.stdout).toMatch(/^ {2}flaky: BACKOFF: flaky is backed off after 2 consecutive failed renewal\(s\) until \S+ \(in .+\)\. Last error: PaymentRefused /m);
    expect(r.stdout).toMatch(/^2 certificate\(s\); 2 due; 0 waiting for a human; 1 backed off$/m);
    const j = await w.run(["--json", "scan", "--ids", "flaky"]);
    const row = j.json<{ certificates: { backoff: Record<string, unknown> }[]; backedOff: number }>();
    expect(row.backedOff).toBe(1);
    expect(row.certificates[0]!.backoff).toEqual({
      active: true,
      failures: 2,
      until: state().certificates["flaky"]!.nextAttemptAt,
      lastError: { kind: "PaymentRefused", code: "FailedOperation.InvalidCertificateStatusCode", message: expect.any(String) },
      message: expect.stringMatching(/^flaky is backed off after 2 consecutive/),
    });
  });

  it("--all-due skips the backed-off certificate and renews the rest (exit 2: one was skipped)", async () => {
    const r = await w.run(["--json", "renew", "--all-due"]);
    expect(r.code).toBe(2);
    const results = r.json<{ results: { id: string; ok: boolean; skipped?: { reason: string } }[] }>().results;
    expect(results.map((x) => [x.id, x.ok, x.skipped?.reason ?? ""])).toEqual([
      ["flaky", false, "BackedOff"],
      ["steady", true, ""],
    ]);
    expect(state().certificates["steady"]).toBeUndefined();
  });

  it("once the backoff has passed, the next run tries again; a third failure waits 4 h", async () => {
    const s = state();
    const rec = s.certificates["flaky"]!;
    s.certificates["flaky"] = { ...rec, nextAttemptAt: new Date(Date.now() - 1000).toISOString() };
    fs.writeFileSync(file(), JSON.stringify(s));
    failNextPurchase();
    const scan = await w.run(["--json", "scan", "--ids", "flaky"]);
    expect(scan.json<{ certificates: { backoff: { active: boolean; message: string } }[] }>().certificates[0]!.backoff).toMatchObject({
      active: false,
      message: expect.stringMatching(/^flaky failed 2 time\(s\) in a row; the backoff ended at \S+ and the next run tries again\. Last error: PaymentRefused /),
    });
    const r = await w.run(["renew", "flaky"]);
    expect(r.code).toBe(1);
    const next = state().certificates["flaky"]!;
    expect(next.failures).toBe(3);
    expect(Date.parse(next.nextAttemptAt) - Date.parse(next.lastFailureAt)).toBe(4 * HOUR);
    expect(next.firstFailureAt).toBe(rec.firstFailureAt);
  });

  it("a success forgets the history", async () => {
    expect(w.emu.admin.faults()).toEqual([]);
    const r = await w.run(["renew", "flaky", "--ignore-backoff"]);
    expect(r.code).toBe(0);
    expect(state().certificates).toEqual({});
    const scan = await w.run(["--json", "scan", "--ids", "flaky"]);
    expect(scan.json<{ backedOff: number }>().backedOff).toBe(0);
  });

  it("a human step is not a failure: no backoff", async () => {
    // (covered for OV in commands.test.ts; here: a wait timeout)
    const w2 = await startCliWorld(seed([{ certificateId: "slowCa", domain: "slow.example.com", certType: "DV", expiresInDays: 3 }]));
    try {
      w2.emu.admin.setIssuanceDelay(3600);
      const r = await w2.run(["--json", "renew", "slowCa", "--wait-timeout-minutes", "0"]);
      expect(r.code).toBe(2);
      expect(r.json<{ results: { error: { kind: string; resumable: boolean } }[] }>().results[0]!.error).toMatchObject({ kind: "TimedOut", resumable: true });
      expect(fs.existsSync(path.join(w2.stateDir, "backoff.json"))).toBe(false);
    } finally {
      await w2.close();
    }
  });

  it("a corrupt state file is a usage error before any call", async () => {
    fs.writeFileSync(file(), "{not json");
    const before = w.totalCalls();
    const r = await w.run(["renew", "flaky"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(`tccert: the state file ${file()} is not valid (expected {"version":1,"certificates":{…}}). Delete it to forget what it holds, or choose another --state-dir.\n`);
    expect(w.totalCalls()).toBe(before);
  });
});
