/**
 * `--out DIR`: the certificate files of a finished renewal, under `DIR/<certificate id>/`:
 * `cert.pem`, `chain.pem`, `fullchain.pem` (0644) and `privkey.pem` (0600).
 *
 * Every file goes through the shared atomic writer (runtime → state/safe-write): an
 * exclusive temporary file, renamed into place, so a reader never sees half a key and no
 * one else can read it meanwhile. A directory or file that is a symbolic link is refused,
 * never followed; the directory created for a certificate gets mode 0700.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidInputError, RenewalError } from "../engine/errors";
import type { RenewalResult } from "../engine/result";
import { ensureDirectorySync, writeFileAtomicSync } from "../runtime";

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code ?? "error";
}

function realPathHint(p: string): string {
  try {
    return `; pass its real path ${JSON.stringify(fs.realpathSync(p))} instead`;
  } catch {
    return "; pass a real directory instead";
  }
}

/** Kernel filesystems (statfs magic numbers) where a "directory" holds no files of ours, even for root. */
const SPECIAL_FILESYSTEMS: Readonly<Record<number, string>> = {
  0x9fa0: "proc",
  0x62656572: "sysfs",
  0x1cd1: "devpts",
  0x64626720: "debugfs",
  0x74726163: "tracefs",
  0x73636673: "securityfs",
  0x27e0eb: "cgroup",
  0x63677270: "cgroup2",
  0xcafe4a11: "bpf",
  0x6e736673: "nsfs",
};

/** The kernel filesystem `dir` is on, when it is one of those; null otherwise (or when unknown). */
function specialFilesystem(dir: string): string | null {
  try {
    return SPECIAL_FILESYSTEMS[Number(fs.statfsSync(dir).type)] ?? null;
  } catch {
    return null;
  }
}

/** Check that --out is a writable directory (created 0700 if missing), before any network call. */
export function checkOutDir(dir: string): void {
  try {
    ensureDirectorySync(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    if (codeOf(e) === "ELOOP")
      throw new InvalidInputError("--out", `--out ${JSON.stringify(dir)} is a symbolic link; private keys are never written through a link${realPathHint(dir)}.`);
    throw new InvalidInputError("--out", `--out ${JSON.stringify(dir)} is not a writable directory (${codeOf(e)}). Choose a directory you can write to.`);
  }
  const special = specialFilesystem(dir);
  if (special !== null)
    throw new InvalidInputError("--out", `--out ${JSON.stringify(dir)} is on the kernel's ${special} filesystem, where certificate files cannot be kept. Choose a directory on a disk, e.g. ./certs.`);
}

/**
 * Writes cert.pem, chain.pem, fullchain.pem and (0600) privkey.pem under dir/<new id>/; returns their paths.
 * @param rerunId the id the user renewed, named in the error's rerun hint. @default r.originalCertificateId
 * @throws RenewalError (resumable, naming the new certificate id) when a file cannot be written: the
 *   renewal is paid and done, and rerunning `tccert renew <id> --out DIR` adopts it without paying.
 */
export function writeFiles(dir: string, r: RenewalResult, rerunId: string = r.originalCertificateId): string[] {
  const base = path.join(dir, r.certificateId);
  const files: [string, string, number][] = [
    ["cert.pem", r.certificatePem, 0o644],
    ["chain.pem", r.chainPem, 0o644],
    ["fullchain.pem", r.fullchainPem, 0o644],
  ];
  if (r.privateKeyPem) files.push(["privkey.pem", r.privateKeyPem, 0o600]);
  const written: string[] = [];
  let current = base;
  try {
    current = dir;
    ensureDirectorySync(dir); // again: checked before the renewal, but it may have been replaced by a link since
    current = base;
    ensureDirectorySync(base);
    for (const [name, content, mode] of files) {
      current = path.join(base, name);
      writeFileAtomicSync(current, content, { mode });
      written.push(current);
    }
  } catch (e) {
    throw notWritten(dir, current, rerunId, r, e);
  }
  return written;
}

function notWritten(dir: string, file: string, rerunId: string, r: RenewalResult, e: unknown): RenewalError {
  const why = codeOf(e) === "ELOOP" ? "it is a symbolic link, which is never followed or replaced" : `${codeOf(e)}`;
  const paid = r.paidThisRun ? "is issued and paid for" : "is issued";
  return new RenewalError(
    "VerificationFailed",
    `certificate ${r.certificateId} ${paid}, but its files could not be written: ${file} (${why}). Nothing more will be paid: fix ${JSON.stringify(dir)} and rerun \`tccert renew ${rerunId} --out ${JSON.stringify(dir)}\`, which adopts ${r.certificateId} and writes its files.`,
    { originalCertificateId: r.originalCertificateId, newCertificateId: r.certificateId, resumable: true, cause: e },
  );
}
