/**
 * The CLI's state files under the state dir (the global --state-dir, env
 * TCCERT_STATE_DIR, default ./.tccert-state), beside the engine's key journals:
 *
 * - `backoff.json`: one record per certificate id whose renewal failed on
 *   consecutive runs (the policy is engine/backoff.ts; this is its storage);
 * - `pending-actions.json`: human steps that Tencent's listing cannot show,
 *   i.e. the DNS records of a `manual-dns` renewal, so that `scan` can.
 *
 * Writes go through the shared atomic writer (an exclusive temporary file with an
 * unpredictable name, fsync'd and renamed; mode 0600) and are serialized within the
 * process. A state file or state dir that is a symbolic link is refused, never
 * followed, for reads and writes; the state dir is created 0700. The files hold ids,
 * times, DNS records and error messages; never a key or a credential.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BackoffRecord } from "../engine/backoff";
import { InvalidInputError } from "../engine/errors";
import { ensureDirectorySync, readFileNoFollowSync, writeFileAtomicSync } from "../runtime";

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code ?? "error";
}

function linkRefused(what: string): InvalidInputError {
  return new InvalidInputError("--state-dir", `${what} is a symbolic link; state files are never read or written through a link. Replace it by a regular file or directory, or choose another --state-dir.`);
}

export const BACKOFF_FILE = "backoff.json";
export const PENDING_FILE = "pending-actions.json";

export interface MapStore<T> {
  readonly file: string;
  get(id: string): T | undefined;
  all(): Readonly<Record<string, T>>;
  /** Sets (or with `undefined`, forgets) one record and saves the file. */
  set(id: string, record: T | undefined): Promise<void>;
}

export type BackoffStore = MapStore<BackoffRecord>;

/** A human step the CLI reported, keyed by the certificate being renewed. */
export interface PendingActionRecord {
  readonly kind: "manual-dns";
  /** The paid renewal that waits. */
  readonly newCertificateId: string;
  readonly message: string;
  readonly instructions: string;
  readonly records: readonly { readonly type: string; readonly name: string; readonly value: string }[];
  /** ISO 8601. */
  readonly reportedAt: string;
}

export type PendingActionStore = MapStore<PendingActionRecord>;

function openMapFile<T>(stateDir: string, name: string, isRecord: (v: unknown) => v is T): MapStore<T> {
  const file = path.join(stateDir, name);
  const records: Record<string, T> = {};
  let text: string | undefined;
  try {
    text = readFileNoFollowSync(file);
  } catch (e) {
    if (codeOf(e) === "ELOOP") throw linkRefused(`the state file ${file}`);
    throw new InvalidInputError("--state-dir", `cannot read the state file ${file} (${codeOf(e)}). Fix its permissions or choose another --state-dir.`);
  }
  if (text !== undefined) {
    let parsed: { version?: unknown; certificates?: unknown } | undefined;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    const certs = parsed?.certificates;
    if (parsed?.version !== 1 || typeof certs !== "object" || certs === null || Array.isArray(certs))
      throw new InvalidInputError("--state-dir", `the state file ${file} is not valid (expected {"version":1,"certificates":{…}}). Delete it to forget what it holds, or choose another --state-dir.`);
    for (const [id, r] of Object.entries(certs)) if (isRecord(r)) records[id] = r;
  }

  let current = records;
  let chain: Promise<void> = Promise.resolve();
  const save = (): void => {
    try {
      ensureDirectorySync(stateDir);
      writeFileAtomicSync(file, `${JSON.stringify({ version: 1, certificates: current }, null, 2)}\n`, { mode: 0o600 });
    } catch (e) {
      if (codeOf(e) === "ELOOP") throw linkRefused(`the state file ${file} (or its directory)`);
      throw new InvalidInputError("--state-dir", `cannot write the state file ${file} (${codeOf(e)}). Fix its permissions or choose another --state-dir.`);
    }
  };
  return {
    file,
    get: (id) => current[id],
    all: () => current,
    set(id, record) {
      const changed = record !== undefined || id in current;
      const next = { ...current };
      if (record === undefined) delete next[id];
      else next[id] = record;
      current = next;
      if (!changed) return chain;
      chain = chain.then(save, save);
      return chain;
    },
  };
}

function isBackoffRecord(v: unknown): v is BackoffRecord {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r["failures"] === "number" && typeof r["nextAttemptAt"] === "string" && typeof r["lastFailureAt"] === "string" && typeof r["lastError"] === "object" && r["lastError"] !== null;
}

function isPendingRecord(v: unknown): v is PendingActionRecord {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return r["kind"] === "manual-dns" && typeof r["newCertificateId"] === "string" && typeof r["message"] === "string" && Array.isArray(r["records"]);
}

/** Loads the backoff store; a missing file is an empty store. @throws InvalidInputError when the file exists but is not ours. */
export function openBackoffStore(stateDir: string): BackoffStore {
  return openMapFile(stateDir, BACKOFF_FILE, isBackoffRecord);
}

/** Loads the pending-actions store; a missing file is an empty store. */
export function openPendingActionStore(stateDir: string): PendingActionStore {
  return openMapFile(stateDir, PENDING_FILE, isPendingRecord);
}

/** Checks that the state dir can hold the state files, before any network call. */
export function checkStateDir(stateDir: string): void {
  try {
    ensureDirectorySync(stateDir);
    fs.accessSync(stateDir, fs.constants.W_OK);
  } catch (e) {
    if (codeOf(e) === "ELOOP") throw linkRefused(`--state-dir ${JSON.stringify(stateDir)}`);
    throw new InvalidInputError("--state-dir", `--state-dir ${JSON.stringify(stateDir)} is not a writable directory (${codeOf(e)}); it keeps renewal journals and the backoff state. Choose a directory you can write to, or set TCCERT_STATE_DIR.`);
  }
}
