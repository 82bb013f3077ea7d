import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDirectorySync, readFileNoFollowSync, removeFileSync, writeFileAtomic, writeFileAtomicSync } from "../../../state/safe-write";
import { thrown } from "../crypto/secrets";

let dir: string;
const mode = (p: string) => fs.statSync(p).mode & 0o777;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), "safe-write-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("writeFileAtomicSync", () => {
  it("writes the content with mode 0600 by default, or the mode asked for, and leaves no temporary file", () => {
    writeFileAtomicSync(path.join(dir, "key.pem"), "secret\n");
    writeFileAtomicSync(path.join(dir, "cert.pem"), "public\n", { mode: 0o644 });
    expect(fs.readFileSync(path.join(dir, "key.pem"), "utf8")).toBe("secret\n");
    expect(mode(path.join(dir, "key.pem"))).toBe(0o600);
    expect(mode(path.join(dir, "cert.pem"))).toBe(0o644);
    expect(fs.readdirSync(dir).sort()).toEqual(["cert.pem", "key.pem"]);
  });

  it("replaces a file by rename (a new inode) and sets the final mode even when the old file was looser", async () => {
    const file = path.join(dir, "privkey.pem");
    fs.writeFileSync(file, "old", { mode: 0o666 });
    fs.chmodSync(file, 0o666);
    const inode = fs.statSync(file).ino;
    await writeFileAtomic(file, "new", { mode: 0o600 });
    expect(fs.readFileSync(file, "utf8")).toBe("new");
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(mode(file)).toBe(0o600);
  });

  it("refuses a target that is a symbolic link: the link and what it points to are untouched", () => {
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "do not touch");
    const link = path.join(dir, "privkey.pem");
    fs.symlinkSync(victim, link);
    const e = thrown(() => writeFileAtomicSync(link, "attacker-controlled")) as NodeJS.ErrnoException;
    expect(e.code).toBe("ELOOP");
    expect(e.message).toBe(`${link} is a symbolic link; it is not followed`);
    expect(fs.readFileSync(victim, "utf8")).toBe("do not touch");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["privkey.pem", "victim"]);
  });

  it("regression: a link planted at the old predictable temp name (<file>.<pid>.tmp) is not written through", () => {
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "do not touch");
    const file = path.join(dir, "backoff.json");
    fs.symlinkSync(victim, `${file}.${process.pid}.tmp`);
    writeFileAtomicSync(file, "{}\n");
    expect(fs.readFileSync(victim, "utf8")).toBe("do not touch");
    expect(fs.readFileSync(file, "utf8")).toBe("{}\n");
  });
});

describe("ensureDirectorySync", () => {
  it("creates missing directories with mode 0700", () => {
    const nested = path.join(dir, "a", "b", "c");
    ensureDirectorySync(nested);
    for (const d of [path.join(dir, "a"), path.join(dir, "a", "b"), nested]) expect(mode(d)).toBe(0o700);
  });

  it("leaves an existing directory's mode alone unless asked to tighten it", () => {
    const loose = path.join(dir, "loose");
    fs.mkdirSync(loose);
    fs.chmodSync(loose, 0o755);
    ensureDirectorySync(loose);
    expect(mode(loose)).toBe(0o755);
    ensureDirectorySync(loose, { tighten: true });
    expect(mode(loose)).toBe(0o700);
  });

  it("refuses a directory that is a symbolic link (ELOOP), and does not chmod its target", () => {
    const real = path.join(dir, "real");
    fs.mkdirSync(real);
    fs.chmodSync(real, 0o755);
    const link = path.join(dir, "link");
    fs.symlinkSync(real, link);
    expect((thrown(() => ensureDirectorySync(link, { tighten: true })) as NodeJS.ErrnoException).code).toBe("ELOOP");
    expect(mode(real)).toBe(0o755);
  });

  it("says EEXIST for a file in place of the directory and ENOTDIR for a file on its path, as mkdir -p does", () => {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    expect((thrown(() => ensureDirectorySync(file)) as NodeJS.ErrnoException).code).toBe("EEXIST");
    expect((thrown(() => ensureDirectorySync(path.join(file, "sub"))) as NodeJS.ErrnoException).code).toBe("ENOTDIR");
  });
});

describe("readFileNoFollowSync and removeFileSync", () => {
  it("reads a file, says undefined for a missing one, and refuses a link", () => {
    fs.writeFileSync(path.join(dir, "f"), "text");
    fs.symlinkSync(path.join(dir, "f"), path.join(dir, "l"));
    expect(readFileNoFollowSync(path.join(dir, "f"))).toBe("text");
    expect(readFileNoFollowSync(path.join(dir, "missing"))).toBeUndefined();
    expect((thrown(() => readFileNoFollowSync(path.join(dir, "l"))) as NodeJS.ErrnoException).code).toBe("ELOOP");
  });

  it("removes the link itself, never its target; false when nothing was there", () => {
    fs.writeFileSync(path.join(dir, "f"), "text");
    fs.symlinkSync(path.join(dir, "f"), path.join(dir, "l"));
    expect(removeFileSync(path.join(dir, "l"))).toBe(true);
    expect(removeFileSync(path.join(dir, "l"))).toBe(false);
    expect(fs.readFileSync(path.join(dir, "f"), "utf8")).toBe("text");
  });
});
