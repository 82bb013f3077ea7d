/**
 * `--record DIR` for `doctor` and `renew --canary`: the raw answers, redacted by the engine
 * (`fixturesOf`: no keys, no credentials, account ids masked), one fixture file each, plus a summary.
 * Files are 0600 in a 0700 directory, written atomically.
 */
import * as path from "node:path";
import { fixturesOf } from "../../engine/doctor-record";
import { InvalidInputError } from "../../engine/errors";
import type { RawAnswer } from "../../engine/probe-port";
import { ensureDirectorySync, writeFileAtomicSync } from "../../runtime";

/** The credentials in the environment: also scrubbed from any value that might echo them. */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"].map((k) => env[k] ?? "").filter((v) => v.trim() !== "");
}

/** Creates the directory now, before any network call, so a bad path fails first. */
export function checkRecordDir(dir: string, flag = "--record"): string {
  const full = path.resolve(dir);
  try {
    ensureDirectorySync(full);
  } catch (e) {
    throw new InvalidInputError(flag, `${flag}: cannot create or use the directory ${JSON.stringify(dir)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Pass a writable directory.`);
  }
  return full;
}

/** Writes the redacted answers and `summaryName` (already free of secrets); returns the files written. */
export function writeRecord(
  dir: string,
  answers: readonly RawAnswer[],
  summary: { readonly name: string; readonly content: unknown },
  meta: { readonly source: string; readonly recordedAt: string; readonly prefix?: string },
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const files: string[] = [];
  for (const f of fixturesOf(answers, meta, secretsOf(env))) {
    const file = path.join(dir, f.name);
    writeFileAtomicSync(file, `${JSON.stringify(f.content, null, 2)}\n`, { mode: 0o600 });
    files.push(file);
  }
  const file = path.join(dir, summary.name);
  writeFileAtomicSync(file, `${JSON.stringify(summary.content, null, 2)}\n`, { mode: 0o600 });
  files.push(file);
  return files;
}
