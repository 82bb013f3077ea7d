/**
 * The lineage lock and the safe writer across real processes, through the built
 * package (dist/state, as the CLI, the Pulumi provider and tf-renew load it):
 * a child holding the lock blocks this process; a killed holder's lock is taken
 * over; of several processes racing for one stale lock exactly one wins; and
 * files and directories keep their modes under umask 000.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isLockHeldError, type LockHeldError } from "../../../engine/errors";
import { createFileLineageLock } from "../../../state/lineage-lock";

const ROOT = path.resolve(__dirname, "../../..");
const DIST_LOCK = path.join(ROOT, "dist/state/lineage-lock.js");
const DIST_WRITE = path.join(ROOT, "dist/state/safe-write.js");

let dir: string;
let locks: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!fs.existsSync(DIST_LOCK)) throw new Error("run `npm run build` first: this test loads dist/state");
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-proc-"));
  locks = path.join(dir, "locks");
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A child that takes the lock and prints "held" then holds it until killed (or for holdMs, then releases). */
function holder(id: string, owner: string, holdMs = 60_000): Promise<ChildProcess> {
  const script = `
    const { createFileLineageLock } = require(${JSON.stringify(DIST_LOCK)});
    createFileLineageLock(${JSON.stringify(locks)}, { waitMs: 0 }).acquire(${JSON.stringify(id)}, ${JSON.stringify(owner)}).then(
      (h) => { process.stdout.write("held\\n"); setTimeout(() => h.release().then(() => process.exit(0)), ${holdMs}); },
      (e) => { process.stdout.write("refused " + e.kind + "\\n"); process.exit(3); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => (d.toString().startsWith("held") ? resolve(child) : reject(new Error(d.toString()))));
    child.once("error", reject);
  });
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once("exit", () => resolve())));

describe("lineage lock across processes", () => {
  it("a lock held by another live process blocks this one, which names that process", async () => {
    const child = await holder("abcD1234", "tccert tf-renew");
    const e = (await createFileLineageLock(locks, { waitMs: 300, pollMs: 20 }).acquire("abcD1234", "pulumi up").catch((x: unknown) => x)) as LockHeldError;
    expect(isLockHeldError(e)).toBe(true);
    expect(e.message).toMatch(new RegExp(`^state: certificate abcD1234 is being renewed by another run: "tccert tf-renew" \\(pid ${child.pid} on ${os.hostname()}, started [0-9T:.-]+Z\\)`));
    expect(e.message).toContain(`remove ${path.join(locks, "abcD1234.lock")}`);
  });

  it("the lock of a killed process is taken over at once", async () => {
    const child = await holder("abcD1234", "crashed run");
    child.kill("SIGKILL");
    await exited(child);
    const t0 = Date.now();
    const h = await createFileLineageLock(locks, { waitMs: 5_000 }).acquire("abcD1234", "rerun");
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(JSON.parse(fs.readFileSync(path.join(locks, "abcD1234.lock"), "utf8"))).toMatchObject({ owner: "rerun", pid: process.pid });
    await h.release();
  });

  it("a holder that finishes lets the waiting process in", async () => {
    await holder("abcD1234", "short run", 200);
    const h = await createFileLineageLock(locks, { waitMs: 10_000, pollMs: 20 }).acquire("abcD1234", "next");
    await h.release();
  });

  it("of six processes racing for one stale lock, exactly one wins", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    fs.mkdirSync(locks, { recursive: true });
    const at = new Date().toISOString();
    fs.writeFileSync(path.join(locks, "abcD1234.lock"), JSON.stringify({ owner: "crashed", pid: Number(dead.stdout), host: os.hostname(), startedAt: at, heartbeatAt: at }));
    // Each winner holds until killed (afterEach), so a racer that starts late still finds it held.
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        holder("abcD1234", "racer").then(
          () => "won",
          (e: Error) => e.message.trim(),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "refused LockHeld")).toHaveLength(5);
  });
});

describe("modes under umask 000", () => {
  it("directories are created 0700 and files get exactly the mode asked for", () => {
    const script = `
      process.umask(0);
      const w = require(${JSON.stringify(DIST_WRITE)});
      w.ensureDirectorySync(${JSON.stringify(path.join(dir, "a", "b"))});
      w.writeFileAtomicSync(${JSON.stringify(path.join(dir, "a", "b", "privkey.pem"))}, "k");
      w.writeFileAtomicSync(${JSON.stringify(path.join(dir, "a", "b", "cert.pem"))}, "c", { mode: 0o644 });
      const { createFileLineageLock } = require(${JSON.stringify(DIST_LOCK)});
      createFileLineageLock(${JSON.stringify(locks)}).acquire("abcD1234", "x").then(() => process.exit(0));`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const mode = (p: string) => fs.statSync(path.join(dir, p)).mode & 0o777;
    expect(mode("a")).toBe(0o700);
    expect(mode("a/b")).toBe(0o700);
    expect(mode("a/b/privkey.pem")).toBe(0o600);
    expect(mode("a/b/cert.pem")).toBe(0o644);
    expect(mode("locks")).toBe(0o700);
    expect(mode("locks/abcD1234.lock")).toBe(0o600);
  });
});
