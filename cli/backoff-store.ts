/**
 * The backoff state file: `<state dir>/backoff.json` (the global --state-dir,
 * env TCCERT_STATE_DIR, default ./.tccert-state), one record per certificate id
 * whose renewal failed on consecutive runs. The policy is engine/backoff.ts; this
 * is only its storage. Writes are atomic (temp file + rename) and serialized
 * within the process; the file holds ids, times and error messages, never a key
 * or a credential.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BackoffRecord } from "../engine/backoff";
import { InvalidInputError } from "../engine/errors";

export const BACKOFF_FILE = "backoff.json";

interface FileShape {
  readonly version: 1;
  readonly certificates: Record<string, BackoffRecord>;
}

export interface BackoffStore {
  readonly file: string;
  get(certificateId: string): BackoffRecord | undefined;
  all(): Readonly<Record<string, BackoffRecord>>;
  /** Sets (or with `undefined`, forgets) one record and saves the file. */
  set(certificateId: string, record: BackoffRecord | undefined): Promise<void>;
}

function isRecord(v: unknown): v is BackoffRecord {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r["failures"] === "number" && typeof r["nextAttemptAt"] === "string" && typeof r["lastFailureAt"] === "string" && typeof r["lastError"] === "object" && r["lastError"] !== null;
}

/** Loads the store; a missing file is an empty store. @throws InvalidInputError when the file exists but is not ours. */
export function openBackoffStore(stateDir: string): BackoffStore {
  const file = path.join(stateDir, BACKOFF_FILE);
  let records: Record<string, BackoffRecord> = {};
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InvalidInputError("--state-dir", `cannot read the backoff state file ${file} (${(e as NodeJS.ErrnoException).code ?? "error"}). Fix its permissions or choose another --state-dir.`);
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const certs = (parsed as Partial<FileShape> | undefined)?.certificates;
    if ((parsed as Partial<FileShape> | undefined)?.version !== 1 || typeof certs !== "object" || certs === null)
      throw new InvalidInputError("--state-dir", `the backoff state file ${file} is not valid (expected {"version":1,"certificates":{…}}). Delete it to forget every backoff, or choose another --state-dir.`);
    for (const [id, r] of Object.entries(certs)) if (isRecord(r)) records[id] = r;
  }

  let chain: Promise<void> = Promise.resolve();
  const save = (): void => {
    fs.mkdirSync(stateDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const body: FileShape = { version: 1, certificates: records };
    fs.writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  return {
    file,
    get: (id) => records[id],
    all: () => records,
    set(id, record) {
      const next = { ...records };
      if (record === undefined) delete next[id];
      else next[id] = record;
      const changed = record !== undefined || id in records;
      records = next;
      if (!changed) return chain;
      chain = chain.then(save, save);
      return chain;
    },
  };
}

/** Checks that the state dir can hold the backoff file, before any network call. */
export function checkStateDir(stateDir: string): void {
  try {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.accessSync(stateDir, fs.constants.W_OK);
  } catch (e) {
    throw new InvalidInputError("--state-dir", `--state-dir ${JSON.stringify(stateDir)} is not a writable directory (${(e as NodeJS.ErrnoException).code ?? "error"}); it keeps renewal journals and the backoff state. Choose a directory you can write to, or set TCCERT_STATE_DIR.`);
  }
}
