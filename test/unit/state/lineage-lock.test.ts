import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInvalidInputError, isLockHeldError, type InvalidInputError, type LockHeldError } from "../../../engine/errors";
import { createFileLineageLock, lockFileFor, processAlive, type LockRecord } from "../../../state/lineage-lock";
import { rejected, thrown } from "../crypto/secrets";

let dir: string;
let locks: string;
const HOST = os.hostname();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-lock-"));
  locks = path.join(dir, "locks");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = (id: string) => JSON.parse(fs.readFileSync(path.join(locks, `${id}.lock`), "utf8")) as LockRecord;

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  const pid = Number(child.stdout);
  expect(processAlive(pid)).toBe(false);
  return pid;
}

function plant(id: string, record: Partial<LockRecord>, ageMs = 0): string {
  fs.mkdirSync(locks, { recursive: true, mode: 0o700 });
  const file = path.join(locks, `${id}.lock`);
  const at = new Date(Date.now() - ageMs).toISOString();
  fs.writeFileSync(file, JSON.stringify({ owner: "tccert renew", pid: process.pid, host: HOST, startedAt: at, heartbeatAt: at, token: "planted", ...record }), { mode: 0o600 });
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(file, t, t);
  return file;
}

describe("createFileLineageLock", () => {
  it("creates <dir>/<id>.lock (0600, dir 0700) naming owner, pid, host and times; release removes it, twice is fine", async () => {
    const handle = await createFileLineageLock(locks).acquire("abcD1234", "tccert renew");
    const file = lockFileFor(locks, "abcD1234");
    expect(fs.statSync(locks).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const r = read("abcD1234");
    expect(r).toMatchObject({ owner: "tccert renew", pid: process.pid, host: HOST });
    expect(Date.parse(r.startedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(r.heartbeatAt).toBe(r.startedAt);
    await handle.release();
    expect(fs.existsSync(file)).toBe(false);
    await expect(handle.release()).resolves.toBeUndefined();
  });

  it("a second acquire in the same process waits waitMs, then says who holds the lock and what to do", async () => {
    const first = await createFileLineageLock(locks).acquire("abcD1234", "pulumi up (RenewedCertificate web)");
    const started = read("abcD1234").startedAt;
    const t0 = Date.now();
    const e = (await rejected(createFileLineageLock(locks, { waitMs: 300, pollMs: 20 }).acquire("abcD1234", "tccert renew"))) as LockHeldError;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(isLockHeldError(e)).toBe(true);
    expect(e.resumable).toBe(true);
    expect(e.originalCertificateId).toBe("abcD1234");
    expect(e.holder).toBe(`"pulumi up (RenewedCertificate web)" (pid ${process.pid} on ${HOST}, started ${started})`);
    expect(e.message).toBe(
      `state: certificate abcD1234 is being renewed by another run: "pulumi up (RenewedCertificate web)" (pid ${process.pid} on ${HOST}, started ${started}); last heartbeat ${started}. Wait for it to finish and rerun, or if that process is gone remove ${path.join(locks, "abcD1234.lock")} and rerun.`,
    );
    await first.release();
    const again = await createFileLineageLock(locks, { waitMs: 0 }).acquire("abcD1234", "tccert renew");
    expect(read("abcD1234").owner).toBe("tccert renew");
    await again.release();
  });

  it("a waiting acquire gets the lock as soon as the holder releases it", async () => {
    const lock = createFileLineageLock(locks, { waitMs: 5_000, pollMs: 10 });
    const first = await lock.acquire("abcD1234", "first");
    setTimeout(() => void first.release(), 100);
    const t0 = Date.now();
    const second = await lock.acquire("abcD1234", "second");
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(read("abcD1234").owner).toBe("second");
    await second.release();
  });

  it("different lineages do not exclude each other", async () => {
    const lock = createFileLineageLock(locks, { waitMs: 0 });
    const a = await lock.acquire("certA", "x");
    const b = await lock.acquire("certB", "x");
    await a.release();
    await b.release();
  });

  it("takes over a stale lock whose process on this host is gone, at once", async () => {
    const pid = deadPid();
    plant("abcD1234", { pid, owner: "crashed run" });
    const t0 = Date.now();
    const handle = await createFileLineageLock(locks, { waitMs: 5_000 }).acquire("abcD1234", "tccert renew");
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(read("abcD1234")).toMatchObject({ owner: "tccert renew", pid: process.pid });
    expect(fs.readdirSync(locks)).toEqual(["abcD1234.lock"]); // no takeover guard left behind
    await handle.release();
  });

  it("a takeover guard left by a taker that died mid-takeover is cleared, then the stale lock is taken over", async () => {
    plant("abcD1234", { pid: deadPid() });
    const guard = path.join(locks, "abcD1234.lock.takeover");
    fs.writeFileSync(guard, "");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(guard, old, old);
    const handle = await createFileLineageLock(locks, { waitMs: 0 }).acquire("abcD1234", "me");
    expect(read("abcD1234").owner).toBe("me");
    expect(fs.readdirSync(locks)).toEqual(["abcD1234.lock"]);
    await handle.release();
  });

  it("does not take over a lock from another host with a fresh heartbeat (its pid cannot be checked here)", async () => {
    plant("abcD1234", { pid: 999_999, host: "build-agent-7", owner: "tccert renew --all-due" });
    const e = (await rejected(createFileLineageLock(locks, { waitMs: 100, pollMs: 20 }).acquire("abcD1234", "me"))) as LockHeldError;
    expect(e.holder).toMatch(/^"tccert renew --all-due" \(pid 999999 on build-agent-7, started /);
    expect(read("abcD1234").host).toBe("build-agent-7");
  });

  it("takes over a lock whose heartbeat is older than staleMs, whatever its host", async () => {
    plant("abcD1234", { pid: 999_999, host: "build-agent-7" }, 10_000);
    const handle = await createFileLineageLock(locks, { waitMs: 0, heartbeatMs: 1_000, staleMs: 5_000 }).acquire("abcD1234", "me");
    expect(read("abcD1234").host).toBe(HOST);
    await handle.release();
  });

  it("a live holder's heartbeat keeps its lock fresh", async () => {
    const handle = await createFileLineageLock(locks, { heartbeatMs: 30, staleMs: 200 }).acquire("abcD1234", "slow renewal");
    const first = read("abcD1234").heartbeatAt;
    await new Promise((r) => setTimeout(r, 400));
    const later = read("abcD1234");
    expect(Date.parse(later.heartbeatAt)).toBeGreaterThan(Date.parse(first));
    expect(Date.now() - fs.statSync(lockFileFor(locks, "abcD1234")).mtimeMs).toBeLessThan(200);
    await handle.release();
  });

  it("release leaves a lock file that is no longer its own", async () => {
    const handle = await createFileLineageLock(locks).acquire("abcD1234", "me");
    const file = lockFileFor(locks, "abcD1234");
    fs.rmSync(file);
    plant("abcD1234", { owner: "someone else", token: "theirs" });
    await handle.release();
    expect(read("abcD1234").owner).toBe("someone else");
  });

  it("of two takers of one stale lock, one wins and the other is told who holds it", async () => {
    plant("abcD1234", { pid: deadPid() });
    const results = await Promise.allSettled([1, 2].map((n) => createFileLineageLock(locks, { waitMs: 100, pollMs: 10 }).acquire("abcD1234", `taker ${n}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(isLockHeldError(lost.reason)).toBe(true);
    await (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });

  it("refuses a lock file that is a symbolic link and leaves its target alone", async () => {
    fs.mkdirSync(locks, { recursive: true });
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "do not touch");
    fs.symlinkSync(victim, path.join(locks, "abcD1234.lock"));
    const e = (await rejected(createFileLineageLock(locks, { waitMs: 0 }).acquire("abcD1234", "me"))) as LockHeldError;
    expect(e.message).toBe(`state: the lock file ${path.join(locks, "abcD1234.lock")} is a symbolic link, which is never followed. Remove it (rm "${path.join(locks, "abcD1234.lock")}") and rerun.`);
    expect(fs.readFileSync(victim, "utf8")).toBe("do not touch");
  });

  it("refuses a lock directory that is a symbolic link", async () => {
    const real = path.join(dir, "real");
    fs.mkdirSync(real);
    fs.symlinkSync(real, locks);
    const e = (await rejected(createFileLineageLock(locks).acquire("abcD1234", "me"))) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.message).toMatch(/^state: the lock directory .* is a symbolic link, which is never followed\./);
    expect(fs.readdirSync(real)).toEqual([]);
  });

  it.each([["../escape"], ["a/b"], [""], [".hidden"]])("rejects the id %j before touching the file system", async (bad) => {
    const e = (await rejected(Promise.resolve().then(() => createFileLineageLock(locks).acquire(bad, "me")))) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("originalCertificateId");
    expect(fs.existsSync(locks)).toBe(false);
  });

  it("validates its options, naming the field", () => {
    const e = thrown(() => createFileLineageLock(locks, { heartbeatMs: 5_000, staleMs: 5_000 })) as InvalidInputError;
    expect(e.field).toBe("lock.staleMs");
    expect(e.message).toBe("state: lock.staleMs (5000) must exceed lock.heartbeatMs (5000), or a live holder's lock would look stale.");
    expect((thrown(() => createFileLineageLock(locks, { waitMs: -1 })) as InvalidInputError).message).toBe(
      "state: lock.waitMs must be a whole number of milliseconds from 0 to 86400000; got -1. The default is 10000.",
    );
    expect((thrown(() => createFileLineageLock(" ")) as InvalidInputError).field).toBe("lockDirectory");
  });
});
