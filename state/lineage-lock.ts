/**
 * The engine's `LineageLock` as lock files: `<directory>/<originalCertificateId>.lock`,
 * normally `<state dir>/locks/`, shared by every process using that state dir (the
 * CLI, the Pulumi provider, `tccert tf-renew`).
 *
 * - Taking the lock creates the file exclusively (`O_EXCL`, never following a link,
 *   mode 0600) with `{owner, pid, host, startedAt, heartbeatAt, token}`. Only one
 *   creator can succeed, in this process or any other.
 * - While held, a heartbeat rewrites `heartbeatAt` (and so the file's mtime) every
 *   `heartbeatMs`, on an unref'd timer.
 * - A lock is stale when its process is gone (same host, and `kill(pid, 0)` says no
 *   such process) or its heartbeat is older than `staleMs` (a crash on another host,
 *   or a pid reused). This process's own pid always counts as alive: two acquires in
 *   one process exclude each other too.
 * - A stale lock is taken over under an exclusive takeover guard (`<id>.lock.takeover`):
 *   the taker judges it stale again inside the guard, removes it, then creates its own
 *   lock exclusively, so of several takers only one wins and a fresh lock is never removed.
 * - A lock held by a live process is waited for (`waitMs`, polling every `pollMs`),
 *   then a `LockHeldError` names the holder and the file to remove if it is gone.
 * - `release()` is idempotent and deletes the file only while it is still ours.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LockHeldError } from "../engine/errors";
import type { LineageLock, LockHandle } from "../engine/ports";
import { invalidInput } from "./errors";
import { checkJournalId } from "./journal";
import { ensureDirectorySync, errnoOf, readFileNoFollowSync } from "./safe-write";

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const CREATE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;

export interface FileLineageLockOptions {
  /** How long to wait for a live holder before giving up with a `LockHeldError`. @default 10000 (10 s) */
  readonly waitMs?: number;
  /** How often to look again while waiting. @default 200 */
  readonly pollMs?: number;
  /** How often a held lock's heartbeat is refreshed. @default 15000 (15 s) */
  readonly heartbeatMs?: number;
  /** A lock whose heartbeat is older than this is stale, whoever holds it. Must exceed heartbeatMs. @default 120000 (2 minutes) */
  readonly staleMs?: number;
  /** The name this machine writes and compares. @default os.hostname() */
  readonly host?: string;
}

/** What a lock file holds. Nothing secret: who runs the renewal, where, since when. */
export interface LockRecord {
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  /** Random, so a holder recognises its own file. */
  readonly token: string;
}

interface Settings {
  readonly waitMs: number;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly staleMs: number;
  readonly host: string;
}

function settingsOf(options: FileLineageLockOptions): Settings {
  const ms = (field: keyof FileLineageLockOptions, value: number | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > 86_400_000)
      throw invalidInput(`lock.${field}`, `lock.${field} must be a whole number of milliseconds from ${min} to 86400000; got ${JSON.stringify(value)}. The default is ${fallback}.`);
    return value;
  };
  const s = {
    waitMs: ms("waitMs", options.waitMs, 10_000, 0),
    pollMs: ms("pollMs", options.pollMs, 200, 1),
    heartbeatMs: ms("heartbeatMs", options.heartbeatMs, 15_000, 1),
    staleMs: ms("staleMs", options.staleMs, 120_000, 1),
    host: options.host ?? os.hostname(),
  };
  if (s.staleMs <= s.heartbeatMs)
    throw invalidInput("lock.staleMs", `lock.staleMs (${s.staleMs}) must exceed lock.heartbeatMs (${s.heartbeatMs}), or a live holder's lock would look stale.`);
  return s;
}

/** A `LineageLock` keeping one lock file per lineage in `directory` (created 0700). */
export function createFileLineageLock(directory: string, options: FileLineageLockOptions = {}): LineageLock {
  if (typeof directory !== "string" || directory.trim() === "") throw invalidInput("lockDirectory", "the lineage lock needs a directory path.");
  const dir = path.resolve(directory);
  const settings = settingsOf(options);
  return {
    acquire: (originalCertificateId, owner) => acquire(dir, checkJournalId(originalCertificateId), owner, settings),
  };
}

/** The lock file for a lineage (validated id). */
export function lockFileFor(directory: string, originalCertificateId: string): string {
  return path.join(path.resolve(directory), `${checkJournalId(originalCertificateId)}.lock`);
}

async function acquire(dir: string, id: string, owner: string, s: Settings): Promise<LockHandle> {
  prepareDirectory(dir);
  const file = path.join(dir, `${id}.lock`);
  const deadline = Date.now() + s.waitMs;
  for (;;) {
    const handle = tryCreate(file, owner, s);
    if (handle) return handle;
    const seen = inspect(file);
    if (seen === "gone") continue;
    if (isStale(seen, s)) {
      // Another taker's guard is held for microseconds (or cleared once abandoned): look again soon.
      if (!takeOver(file, s)) await sleep(Math.min(s.pollMs, 20));
      continue;
    }
    if (Date.now() >= deadline) throw heldError(id, file, seen.record);
    await sleep(Math.min(s.pollMs, Math.max(1, deadline - Date.now())));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function prepareDirectory(dir: string): void {
  try {
    ensureDirectorySync(dir, { tighten: true });
  } catch (e) {
    if (errnoOf(e) === "ELOOP")
      throw invalidInput("lockDirectory", `the lock directory ${dir} is a symbolic link, which is never followed. Use the real path as the state dir, or replace the link by a directory.`);
    throw invalidInput("lockDirectory", `cannot use ${dir} for lineage locks (${errnoOf(e) ?? "error"}). Make the state dir writable, or choose another one.`);
  }
}

/** Creates the lock file exclusively; null when it exists already. */
function tryCreate(file: string, owner: string, s: Settings): LockHandle | null {
  const now = new Date().toISOString();
  const record: LockRecord = { owner, pid: process.pid, host: s.host, startedAt: now, heartbeatAt: now, token: randomBytes(12).toString("hex") };
  let fd: number;
  try {
    fd = fs.openSync(file, CREATE, 0o600);
  } catch (e) {
    if (errnoOf(e) === "EEXIST") return null;
    if (errnoOf(e) === "ELOOP") throw linkError(file);
    throw e;
  }
  try {
    fs.fchmodSync(fd, 0o600);
    writeRecord(fd, record);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  return holdLock(file, fd, record, s);
}

function writeRecord(fd: number, record: LockRecord): void {
  const bytes = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
  fs.writeSync(fd, bytes, 0, bytes.length, 0);
  fs.ftruncateSync(fd, bytes.length);
}

function holdLock(file: string, fd: number, record: LockRecord, s: Settings): LockHandle {
  let released = false;
  const timer = setInterval(() => {
    try {
      // Only while the path still names our file: a lock taken over as stale is not revived.
      if (fs.lstatSync(file).ino !== fs.fstatSync(fd).ino) return clearInterval(timer);
      writeRecord(fd, { ...record, heartbeatAt: new Date().toISOString() });
    } catch {
      clearInterval(timer);
    }
  }, s.heartbeatMs);
  timer.unref();
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      try {
        const seen = inspect(file);
        if (seen !== "gone" && seen.record?.token === record.token && seen.ino === fs.fstatSync(fd).ino) fs.unlinkSync(file);
      } catch (e) {
        if (errnoOf(e) !== "ENOENT") throw e;
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

interface Seen {
  /** null while the file is empty or half-written (its creator is writing, or died doing so). */
  readonly record: LockRecord | null;
  readonly ino: number;
  readonly mtimeMs: number;
}

function inspect(file: string): Seen | "gone" {
  let st: fs.Stats;
  let text: string | undefined;
  try {
    st = fs.lstatSync(file);
    if (st.isSymbolicLink()) throw linkError(file);
    text = readFileNoFollowSync(file);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return "gone";
    if (errnoOf(e) === "ELOOP") throw linkError(file);
    throw e;
  }
  if (text === undefined) return "gone";
  return { record: parseRecord(text), ino: st.ino, mtimeMs: st.mtimeMs };
}

function parseRecord(text: string): LockRecord | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const ok = typeof v["owner"] === "string" && Number.isInteger(v["pid"]) && typeof v["host"] === "string" && typeof v["startedAt"] === "string" && typeof v["heartbeatAt"] === "string";
    return ok ? ({ token: "", ...v } as unknown as LockRecord) : null;
  } catch {
    return null;
  }
}

function isStale(seen: Seen, s: Settings): boolean {
  const r = seen.record;
  if (r && r.host === s.host && r.pid === process.pid) return false; // ours: held in this process
  if (r && r.host === s.host && !processAlive(r.pid)) return true;
  const beat = Math.max(seen.mtimeMs, r ? Date.parse(r.heartbeatAt) || 0 : 0);
  return Date.now() - beat > s.staleMs;
}

/** `kill(pid, 0)`: ESRCH means no such process; EPERM means it exists (another user's). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === "EPERM";
  }
}

/** A takeover guard older than this was left by a taker that died mid-takeover (a takeover takes microseconds). */
const GUARD_ABANDONED_MS = 10_000;

/**
 * Removes a stale lock under a takeover guard (`<file>.takeover`, created exclusively), after
 * judging it stale again inside the guard: of several takers only one at a time acts, and a
 * fresh lock created meanwhile by another taker is never removed. The caller then creates its
 * own lock exclusively, so only one taker wins. False when another taker holds the guard.
 */
function takeOver(file: string, s: Settings): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = fs.openSync(guard, CREATE, 0o600);
  } catch (e) {
    if (errnoOf(e) !== "EEXIST") throw e;
    clearAbandonedGuard(guard);
    return false;
  }
  try {
    const now = inspect(file);
    if (now !== "gone" && isStale(now, s)) fs.unlinkSync(file);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(guard, { force: true });
  }
  return true;
}

function clearAbandonedGuard(guard: string): void {
  try {
    if (Date.now() - fs.lstatSync(guard).mtimeMs > GUARD_ABANDONED_MS) fs.unlinkSync(guard);
  } catch (e) {
    if (errnoOf(e) !== "ENOENT") throw e;
  }
}

function linkError(file: string): LockHeldError {
  return new LockHeldError(
    `state: the lock file ${file} is a symbolic link, which is never followed. Remove it (rm ${JSON.stringify(file)}) and rerun.`,
    "unknown (a symbolic link)",
  );
}

function heldError(id: string, file: string, r: LockRecord | null): LockHeldError {
  const holder = r ? `${JSON.stringify(r.owner)} (pid ${r.pid} on ${r.host}, started ${r.startedAt})` : "a process that is still writing the lock file";
  const beat = r ? `; last heartbeat ${r.heartbeatAt}` : "";
  return new LockHeldError(
    `state: certificate ${id} is being renewed by another run: ${holder}${beat}. Wait for it to finish and rerun, or if that process is gone remove ${file} and rerun.`,
    holder,
    { originalCertificateId: id },
  );
}
