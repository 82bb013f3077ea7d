/**
 * A file-backed `RenewalJournal`: one JSON file per original certificate id,
 * `<directory>/<originalCertificateId>.json`.
 *
 * It holds the private key we generated BEFORE the CSR is sent to Tencent, so
 * a crash between "paid" and "issued" never leaves an issued certificate whose
 * key is lost (DESIGN §4 key safety). Hence:
 * - the directory is created with mode 0700 (and tightened to 0700 if it
 *   already exists with group/other permissions);
 * - each write goes to a temporary file opened exclusively with mode 0600,
 *   is fsync'd, then renamed over the entry, and the directory is fsync'd:
 *   a reader sees the old entry or the new one, never half of one;
 * - ids are checked before they become file names (no path traversal);
 * - an unreadable entry is an error, never "no entry": treating it as absent
 *   would let a renewal start over and lose the key it holds;
 * - error messages never quote file contents.
 * The directory is chosen by the caller (which documents its default).
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { JournalEntry, RenewalJournal } from "../engine/ports";
import { RenewalError } from "../engine/errors";
import { invalidInput } from "./errors";

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
    `crypto: the renewal journal entry ${file} is unreadable (${why}). It may hold the only copy of a private key: inspect or restore it by hand; it was left untouched.`,
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

function errno(e: unknown): string | undefined {
  return typeof e === "object" && e !== null ? (e as NodeJS.ErrnoException).code : undefined;
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class FileRenewalJournal implements RenewalJournal {
  readonly directory: string;
  private ready: Promise<void> | undefined;

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

  private ensureDirectory(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
      const stat = await fs.stat(this.directory);
      if (!stat.isDirectory()) throw invalidInput("journalDirectory", `${this.directory} is not a directory.`);
      if ((stat.mode & 0o077) !== 0) await fs.chmod(this.directory, 0o700);
    })().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  async load(originalCertificateId: string): Promise<JournalEntry | null> {
    const file = this.fileFor(originalCertificateId);
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (e) {
      if (errno(e) === "ENOENT") return null;
      throw corrupt(file, `cannot read: ${errno(e) ?? "unknown error"}`);
    }
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
    await this.ensureDirectory();
    const temp = path.join(this.directory, `.${entry.originalCertificateId}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await fs.open(temp, "wx", 0o600);
    try {
      try {
        await handle.chmod(0o600);
        await handle.writeFile(`${JSON.stringify(entry, null, 2)}\n`, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    await fsyncDirectory(this.directory);
  }

  async remove(originalCertificateId: string): Promise<void> {
    const file = this.fileFor(originalCertificateId);
    try {
      await fs.unlink(file);
    } catch (e) {
      if (errno(e) === "ENOENT") return;
      throw e;
    }
    await fsyncDirectory(this.directory);
  }
}

/** A `RenewalJournal` keeping one 0600 JSON file per lineage in `directory` (mode 0700). */
export function createKeyJournal(directory: string): RenewalJournal {
  return new FileRenewalJournal(directory);
}
