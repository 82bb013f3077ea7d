/**
 * The one way this package writes a local file (renewal journals, lock files'
 * directory, `backoff.json`, `pending-actions.json`, `--out` certificate and
 * key files):
 *
 * - the content goes to a temporary file with an unpredictable name, opened
 *   exclusively (`O_EXCL`, never following a link) with mode 0600 in the target's
 *   own directory, is fsync'd, chmod'ed to its final mode, and renamed over the
 *   target; then the directory is fsync'd. A reader sees the old file or the new
 *   one, never half of one, and no other user can read a key in between;
 * - a target that is a symbolic link is refused (the link and what it points to are
 *   left untouched), and reads never follow a link either;
 * - directories this code creates get mode 0700 whatever the umask, and a
 *   directory that is a symbolic link is refused.
 *
 * Errors are Node errors with a `code`; a refused link has code `ELOOP` and says
 * so. Callers turn them into branded errors naming their own field (`--out`,
 * `--state-dir`, the journal).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const { O_CREAT, O_EXCL, O_WRONLY, O_RDONLY } = fs.constants;
/** 0 where the platform lacks them (Windows): there the checks by lstat still apply. */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;

export interface SafeWriteOptions {
  /** The file's final mode. @default 0o600 */
  readonly mode?: number;
}

export interface DirectoryOptions {
  /**
   * Also tighten an existing directory to 0700 when group or others can use it
   * (for directories that are ours alone, such as the journal). Directories this
   * code creates are always 0700.
   * @default false
   */
  readonly tighten?: boolean;
}

/** An `ELOOP` error saying that `file` is a symbolic link we will not follow. */
export function symlinkRefused(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file} is a symbolic link; it is not followed`), { code: "ELOOP", path: file });
}

/** The `code` of a Node error, if any. */
export function errnoOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null ? (e as NodeJS.ErrnoException).code : undefined;
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return null;
    throw e;
  }
}

/**
 * Creates `dir` (and missing parents) with mode 0700, or checks an existing one.
 * Refuses a `dir` that is a symbolic link (`ELOOP`) or not a directory (`EEXIST`,
 * as `mkdir -p` says). Existing parents are left as they are.
 */
export function ensureDirectorySync(dir: string, options: DirectoryOptions = {}): void {
  const abs = path.resolve(dir);
  const created = makeDirectory(abs);
  const st = lstatOrNull(abs);
  if (st === null) throw Object.assign(new Error(`${abs} vanished while being created`), { code: "ENOENT", path: abs });
  if (st.isSymbolicLink()) throw symlinkRefused(abs);
  if (!st.isDirectory()) throw Object.assign(new Error(`${abs} exists and is not a directory`), { code: "EEXIST", path: abs });
  if (created || !options.tighten || (st.mode & 0o077) === 0) return;
  // Through a descriptor opened without following links, so a link swapped in meanwhile is not chmod'ed.
  const fd = fs.openSync(abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    fs.fchmodSync(fd, 0o700);
  } finally {
    fs.closeSync(fd);
  }
}

/** mkdir -p where each directory created gets 0700; returns whether `abs` itself was created. */
function makeDirectory(abs: string): boolean {
  try {
    fs.mkdirSync(abs, { mode: 0o700 });
  } catch (e) {
    const code = errnoOf(e);
    if (code === "EEXIST") return false;
    if (code !== "ENOENT" || path.dirname(abs) === abs) throw e;
    ensureParent(path.dirname(abs));
    try {
      fs.mkdirSync(abs, { mode: 0o700 });
    } catch (again) {
      if (errnoOf(again) === "EEXIST") return false;
      throw again;
    }
  }
  const fd = fs.openSync(abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    fs.fchmodSync(fd, 0o700); // the umask may have taken bits away; never adds any beyond 0700
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function ensureParent(abs: string): void {
  if (makeDirectory(abs)) return;
  // An existing parent may be a link (e.g. /tmp on some systems): only require a directory.
  if (!fs.statSync(abs).isDirectory()) throw Object.assign(new Error(`${abs} is not a directory`), { code: "ENOTDIR", path: abs });
}

/** fsync a directory so a rename in it survives a crash; a no-op where directories cannot be fsync'd. */
export function fsyncDirectorySync(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY);
  } catch (e) {
    if (errnoOf(e) === "EISDIR" || errnoOf(e) === "EPERM") return;
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if (!["EINVAL", "EPERM", "EISDIR"].includes(errnoOf(e) ?? "")) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Atomically replaces `file` with `content` (see the module comment). The
 * directory must exist (see `ensureDirectorySync`).
 * @throws an `ELOOP` error when `file` is a symbolic link, which is left untouched.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array, options: SafeWriteOptions = {}): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  refuseLinkOrDirectory(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(12).toString("hex")}.tmp`);
  const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    try {
      fs.writeFileSync(fd, content);
      fs.fchmodSync(fd, options.mode ?? 0o600);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    refuseLinkOrDirectory(target); // again: a link planted while we wrote is not replaced either
    fs.renameSync(temp, target);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDirectorySync(dir);
}

/** Async form of `writeFileAtomicSync`, for callers on promises (the work itself is small and synchronous). */
export async function writeFileAtomic(file: string, content: string | Uint8Array, options: SafeWriteOptions = {}): Promise<void> {
  writeFileAtomicSync(file, content, options);
}

function refuseLinkOrDirectory(target: string): void {
  const st = lstatOrNull(target);
  if (st?.isSymbolicLink()) throw symlinkRefused(target);
  if (st?.isDirectory()) throw Object.assign(new Error(`${target} is a directory`), { code: "EISDIR", path: target });
}

/**
 * Reads `file` as UTF-8 without following a symbolic link; `undefined` when it
 * does not exist.
 * @throws an `ELOOP` error when `file` is a symbolic link.
 */
export function readFileNoFollowSync(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return undefined;
    if (errnoOf(e) === "ELOOP") throw symlinkRefused(file);
    throw e;
  }
  try {
    if (O_NOFOLLOW === 0 && fs.lstatSync(file).isSymbolicLink()) throw symlinkRefused(file);
    return fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes `file` (never what a link points to); false when it did not exist. */
export function removeFileSync(file: string): boolean {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return false;
    throw e;
  }
  fsyncDirectorySync(path.dirname(file));
  return true;
}
