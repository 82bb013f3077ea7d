import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInvalidInputError, isRenewalError, type InvalidInputError, type RenewalError } from "../../../engine/errors";
import type { JournalEntry } from "../../../engine/ports";
import { createKeyJournal, FileRenewalJournal } from "../../../state/journal";
import { generateKey } from "../../../crypto/keys";
import { expectNoKeyMaterial, rejected } from "../crypto/secrets";

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), "key-journal-"));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function entry(id = "abcD1234", overrides: Partial<JournalEntry> = {}): Promise<JournalEntry> {
  const key = await generateKey("EC_P256");
  return {
    originalCertificateId: id,
    oldCertificateId: id,
    newCertificateId: "",
    keySource: "local",
    privateKeyPem: key.privateKeyPem,
    csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
    createdRecords: [{ zone: "example.com", recordId: 42 }],
    updatedAt: "2025-05-01T00:00:00.000Z",
    ...overrides,
  };
}

describe("FileRenewalJournal", () => {
  it("saves and loads an entry; load of an unknown id is null", async () => {
    const journal = createKeyJournal(path.join(dir, "journal"));
    const e = await entry();
    await journal.save(e);
    expect(await journal.load("abcD1234")).toEqual(e);
    expect(await journal.load("other")).toBeNull();
  });

  it("writes the file with mode 0600 in a directory with mode 0700, one file per id", async () => {
    const journalDir = path.join(dir, "nested", "journal");
    const journal = new FileRenewalJournal(journalDir);
    await journal.save(await entry("cert-1"));
    await journal.save(await entry("cert_2"));
    expect((await fs.stat(journalDir)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(path.join(journalDir, "cert-1.json"))).mode & 0o777).toBe(0o600);
    expect((await fs.readdir(journalDir)).sort()).toEqual(["cert-1.json", "cert_2.json"]);
  });

  it("tightens an existing directory that others could read", async () => {
    const journalDir = path.join(dir, "loose");
    await fs.mkdir(journalDir, { mode: 0o755 });
    await fs.chmod(journalDir, 0o755);
    await createKeyJournal(journalDir).save(await entry());
    expect((await fs.stat(journalDir)).mode & 0o777).toBe(0o700);
  });

  it("replaces an entry atomically: the new content, no temporary file left behind", async () => {
    const journalDir = path.join(dir, "j");
    const journal = createKeyJournal(journalDir);
    const first = await entry();
    await journal.save(first);
    const inode = (await fs.stat(path.join(journalDir, "abcD1234.json"))).ino;
    const second = { ...first, newCertificateId: "NEW9876", updatedAt: "2025-05-02T00:00:00.000Z" };
    await journal.save(second);
    expect(await journal.load("abcD1234")).toEqual(second);
    // rename, not rewrite in place: the entry is a new file
    expect((await fs.stat(path.join(journalDir, "abcD1234.json"))).ino).not.toBe(inode);
    expect(await fs.readdir(journalDir)).toEqual(["abcD1234.json"]);
    expect((await fs.stat(path.join(journalDir, "abcD1234.json"))).mode & 0o777).toBe(0o600);
  });

  it("concurrent saves of one id leave one complete entry", async () => {
    const journal = createKeyJournal(path.join(dir, "c"));
    const entries = await Promise.all([1, 2, 3, 4].map((n) => entry("sameId", { updatedAt: `2025-05-0${n}T00:00:00.000Z` })));
    await Promise.all(entries.map((e) => journal.save(e)));
    const loaded = await journal.load("sameId");
    expect(entries).toContainEqual(loaded);
    expect(await fs.readdir(path.join(dir, "c"))).toEqual(["sameId.json"]);
  });

  it("remove deletes the entry and is idempotent", async () => {
    const journalDir = path.join(dir, "r");
    const journal = createKeyJournal(journalDir);
    await journal.save(await entry());
    await journal.remove("abcD1234");
    expect(await journal.load("abcD1234")).toBeNull();
    expect(await fs.readdir(journalDir)).toEqual([]);
    await expect(journal.remove("abcD1234")).resolves.toBeUndefined();
  });

  it.each([["../escape"], ["a/b"], ["..\\x"], [""], ["."], [".hidden"], ["id.json"], ["x".repeat(129)]])(
    "rejects the id %j before touching the file system",
    async (bad) => {
      const journalDir = path.join(dir, "t");
      const journal = createKeyJournal(journalDir);
      for (const attempt of [journal.load(bad), journal.remove(bad), entry().then((e) => journal.save({ ...e, originalCertificateId: bad }))]) {
        const err = (await rejected(attempt)) as InvalidInputError;
        expect(isInvalidInputError(err)).toBe(true);
        expect(err.field).toBe("originalCertificateId");
        expect(err.message).toMatch(/is not a certificate id; expected letters, digits, "_" or "-"/);
      }
      await expect(fs.stat(journalDir)).rejects.toMatchObject({ code: "ENOENT" });
    },
  );

  it("rejects a traversing oldCertificateId / newCertificateId too", async () => {
    const journal = createKeyJournal(path.join(dir, "t2"));
    const err = (await rejected(journal.save(await entry("ok1", { newCertificateId: "../../etc/passwd" })))) as InvalidInputError;
    expect(err.field).toBe("newCertificateId");
  });

  it("a corrupt entry is an error, not 'no entry', and the message quotes no key material", async () => {
    const journalDir = path.join(dir, "x");
    const journal = createKeyJournal(journalDir);
    const e = await entry();
    await journal.save(e);
    const file = path.join(journalDir, "abcD1234.json");
    const text = await fs.readFile(file, "utf8");
    await fs.writeFile(file, text.slice(0, text.length - 40)); // truncated JSON, key inside
    const err = (await rejected(journal.load("abcD1234"))) as RenewalError;
    expect(isRenewalError(err)).toBe(true);
    expect(err.message).toBe(
      `state: the renewal journal entry ${file} is unreadable (not valid JSON). It may hold the only copy of a private key: inspect or restore it by hand; it was left untouched.`,
    );
    expectNoKeyMaterial(err.message, e.privateKeyPem ?? "");
    expect(err.cause).toBeUndefined();
    expect(await fs.readFile(file, "utf8")).toBe(text.slice(0, text.length - 40));
  });

  it("an entry filed under another id, or with missing fields, is refused", async () => {
    const journalDir = path.join(dir, "y");
    const journal = createKeyJournal(journalDir);
    await journal.save(await entry("first"));
    await fs.copyFile(path.join(journalDir, "first.json"), path.join(journalDir, "second.json"));
    await expect(journal.load("second")).rejects.toThrow(/fields missing or of the wrong type/);
    await fs.writeFile(path.join(journalDir, "third.json"), JSON.stringify({ originalCertificateId: "third" }));
    await expect(journal.load("third")).rejects.toThrow(/fields missing or of the wrong type/);
  });

  it("never reads or replaces an entry that is a symbolic link; its target is untouched", async () => {
    const journalDir = path.join(dir, "links");
    const journal = createKeyJournal(journalDir);
    await journal.save(await entry("other"));
    const victim = path.join(dir, "victim");
    await fs.writeFile(victim, "do not touch");
    const file = path.join(journalDir, "abcD1234.json");
    await fs.symlink(victim, file);
    const read = (await rejected(journal.load("abcD1234"))) as RenewalError;
    expect(read.message).toBe(`state: the renewal journal entry ${file} is unreadable (it is a symbolic link, which is never followed). It may hold the only copy of a private key: inspect or restore it by hand; it was left untouched.`);
    const write = (await rejected(entry().then((e) => journal.save(e)))) as RenewalError;
    expect(write.message).toBe(`state: the renewal journal entry ${file} is unreadable (it is a symbolic link, which is never followed or replaced). It may hold the only copy of a private key: inspect or restore it by hand; it was left untouched.`);
    expect(await fs.readFile(victim, "utf8")).toBe("do not touch");
    expect((await fs.lstat(file)).isSymbolicLink()).toBe(true);
  });

  it("refuses a journal directory that is a symbolic link", async () => {
    const real = path.join(dir, "real");
    await fs.mkdir(real);
    await fs.symlink(real, path.join(dir, "jlink"));
    const err = (await rejected(entry().then((e) => createKeyJournal(path.join(dir, "jlink")).save(e)))) as InvalidInputError;
    expect(err.field).toBe("journalDirectory");
    expect(err.message).toMatch(/^state: the renewal journal directory .*jlink is a symbolic link; links are not followed for files that hold private keys\./);
    expect(await fs.readdir(real)).toEqual([]);
  });

  it("needs a directory", () => {
    expect(() => createKeyJournal("  ")).toThrow(/the renewal journal needs a directory path/);
  });
});
