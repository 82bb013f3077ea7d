/**
 * A file-backed `RenewalJournal`: one JSON file per original certificate id,
 * `<directory>/<originalCertificateId>.json`.
 *
 * It holds the private key we generated BEFORE the CSR is sent to Tencent, so
 * a crash between "paid" and "issued" never leaves an issued certificate whose
 * key is lost (DESIGN §4 key safety). Hence:
 * - the directory is created with mode 0700 whatever the umask (and tightened
 *   to 0700 if it already exists with group/other permissions); a directory
 *   that is a symbolic link is refused;
 * - each write goes through the shared atomic writer (./safe-write): an
 *   exclusive temporary file with mode 0600, fsync'd, renamed over the entry,
 *   the directory fsync'd. A reader sees the old entry or the new one, never
 *   half of one;
 * - an entry that is a symbolic link is neither read nor replaced;
 * - ids are checked before they become file names (no path traversal);
 * - an unreadable entry is an error, never "no entry": treating it as absent
 *   would let a renewal start over and lose the key it holds;
 * - error messages never quote file contents.
 * The directory is chosen by the caller (which documents its default).
 */
import * as path from "node:path";
import type { JournalEntry, RenewalJournal } from "../engine/ports";
import { RenewalError } from "../engine/errors";
import { invalidInput } from "./errors";
import { ensureDirectorySync, errnoOf, readFileNoFollowSync, removeFileSync, writeFileAtomicSync } from "./safe-write";

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const KEY_SOURCES: ReadonlySet<string> = new Set(["local", "online", "original", "csr"]);

/** Rejects anything but a plain Tencent-style id (letters, digits, `_`, `-`), so it is safe as a file name. */
export function checkJournalId(id: unknown, field = "originalCertificateId"): string {
  if (typeof id !== "string" || !ID.test(id)) {
    const shown = typeof id === "string" ? JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id) : typeof id;
    throw invalidInput(field, `${shown} is not a certificate id; expected letters, digits, "_" or "-" (at most 128), e.g. "a1B2c3D4".`);
  }
  return id;
}

function corrupt(file: string, why: string): RenewalError {
  return new RenewalError(
    "VerificationFailed",
    `state: the renewal journal entry ${file} is unreadable (${why}). It may hold the only copy of a private key: inspect or restore it by hand; it was left untouched.`,
  );
}

function isStringOrAbsent(v: unknown): boolean {
  return v === undefined || typeof v === "string";
}

function asEntry(value: unknown, file: string, expectedId: string): JournalEntry {
  if (typeof value !== "object" || value === null) throw corrupt(file, "not a JSON object");
  const v = value as Record<string, unknown>;
  const records = v["createdRecords"];
  const ok =
    v["originalCertificateId"] === expectedId &&
    typeof v["oldCertificateId"] === "string" &&
    typeof v["newCertificateId"] === "string" &&
    typeof v["keySource"] === "string" && KEY_SOURCES.has(v["keySource"]) &&
    isStringOrAbsent(v["privateKeyPem"]) &&
    isStringOrAbsent(v["csrPem"]) &&
    typeof v["updatedAt"] === "string" &&
    Array.isArray(records) &&
    records.every((r: unknown) => typeof r === "object" && r !== null && typeof (r as Record<string, unknown>)["zone"] === "string" && typeof (r as Record<string, unknown>)["recordId"] === "number");
  if (!ok) throw corrupt(file, "fields missing or of the wrong type");
  return value as JournalEntry;
}

export class FileRenewalJournal implements RenewalJournal {
  readonly directory: string;

  constructor(directory: string) {
    if (typeof directory !== "string" || directory.trim() === "") {
      throw invalidInput("journalDirectory", "the renewal journal needs a directory path.");
    }
    this.directory = path.resolve(directory);
  }

  /** Path of the entry for `originalCertificateId` (validated). */
  fileFor(originalCertificateId: string): string {
    return path.join(this.directory, `${checkJournalId(originalCertificateId)}.json`);
  }

  /** Checked on every save, so a directory replaced by a link meanwhile is refused too. */
  private ensureDirectory(): void {
    try {
      ensureDirectorySync(this.directory, { tighten: true });
    } catch (e) {
      if (errnoOf(e) === "ELOOP")
        throw invalidInput("journalDirectory", `the renewal journal directory ${this.directory} is a symbolic link; links are not followed for files that hold private keys. Use its real path as the state dir, or replace the link by a directory.`);
      if (errnoOf(e) === "EEXIST") throw invalidInput("journalDirectory", `${this.directory} is not a directory.`);
      throw e;
    }
  }

  async load(originalCertificateId: string): Promise<JournalEntry | null> {
    const file = this.fileFor(originalCertificateId);
    let text: string | undefined;
    try {
      text = readFileNoFollowSync(file);
    } catch (e) {
      if (errnoOf(e) === "ELOOP") throw corrupt(file, "it is a symbolic link, which is never followed");
      throw corrupt(file, `cannot read: ${errnoOf(e) ?? "unknown error"}`);
    }
    if (text === undefined) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // JSON.parse messages quote the text, which may be a key: never pass them on.
      throw corrupt(file, "not valid JSON");
    }
    return asEntry(value, file, originalCertificateId);
  }

  async save(entry: JournalEntry): Promise<void> {
    const file = this.fileFor(entry.originalCertificateId);
    checkJournalId(entry.oldCertificateId, "oldCertificateId");
    if (entry.newCertificateId !== "") checkJournalId(entry.newCertificateId, "newCertificateId");
    this.ensureDirectory();
    try {
      writeFileAtomicSync(file, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    } catch (e) {
      if (errnoOf(e) === "ELOOP") throw corrupt(file, "it is a symbolic link, which is never followed or replaced");
      throw e;
    }
  }

  async remove(originalCertificateId: string): Promise<void> {
    removeFileSync(this.fileFor(originalCertificateId));
  }
}

/** A `RenewalJournal` keeping one 0600 JSON file per lineage in `directory` (mode 0700). */
export function createKeyJournal(directory: string): RenewalJournal {
  return new FileRenewalJournal(directory);
}
