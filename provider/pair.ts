/**
 * The outputs are always a matching pair: `certificatePem` / `fullchainPem` and `privateKeyPem`
 * belong together, or the operation fails (create), or the previous pair is kept and `keyStatus`
 * says why (update, refresh). A certificate beside an empty or foreign key would be installed as is
 * by the downstream CLB or CDN. Only `key.source: "csr"` outputs no key: you hold it.
 *
 * Where a key is looked for: this state dir's renewal journal (with its history), the journals of
 * the state dirs named in `keyJournalDirs` (e.g. a `tccert renew` run with its own state dir),
 * Tencent (`online` keys), `key.privateKeyPem`, and the previous outputs.
 */
import * as path from "node:path";
import type { KeyCandidates } from "../engine/material";
import { createKeyJournal, defaultStateDir } from "../runtime";
import type { StoredInputs } from "./inputs";
import type { CertificateOutputs } from "./state";

/** A state dir's journal (a path that already ends in `journal` is taken as the journal itself). */
function journalDir(dir: string): string {
  const resolved = path.resolve(dir);
  return path.basename(resolved) === "journal" ? resolved : path.join(resolved, "journal");
}

/** Extra places to look for a key: the `keyJournalDirs` journals, the key given as input, the previous key. */
export function keyCandidates(stored: StoredInputs, inputs: Record<string, unknown>, previous: CertificateOutputs | null): KeyCandidates {
  const key = inputs["key"];
  const given = typeof key === "object" && key !== null ? (key as Record<string, unknown>)["privateKeyPem"] : undefined;
  return {
    journals: stored.keyJournalDirs.map((d) => createKeyJournal(journalDir(d))),
    keys: [...(typeof given === "string" ? [given] : []), ...(previous?.privateKeyPem ? [previous.privateKeyPem] : [])],
  };
}

/** Where the key was looked for, for messages. */
export function searched(stored: StoredInputs, stateDir: string | undefined): string {
  const dirs = [journalDir(stateDir ?? defaultStateDir()), ...stored.keyJournalDirs.map(journalDir)];
  return `the renewal journal${dirs.length > 1 ? "s" : ""} in ${dirs.join(", ")}, Tencent, key.privateKeyPem and the previous outputs`;
}

const FIX =
  `Fix: add the state dir of the run that renewed it (e.g. the TCCERT_STATE_DIR of \`tccert renew\`) to keyJournalDirs, or pass its key as key.privateKeyPem (as a secret); ` +
  `if you keep the key yourself, use key.source "csr" (then privateKeyPem is "").`;

/** Create has no previous pair to keep: it fails, naming the certificate, where its key could be, and the fix. */
export function missingKeyError(rootId: string, certificateId: string, where: string): Error {
  return new Error(
    `RenewedCertificate ${rootId}: the private key of certificate ${certificateId} is not held here (looked in ${where}). ` +
      `A certificate without its key would break the resources that install it, so nothing was output. ${FIX}`,
  );
}

export function noKeyHeldMessage(newId: string, keptId: string, where: string): string {
  return (
    `the lineage moved on to ${newId} (renewed elsewhere), but its private key is not held here (looked in ${where}). ` +
    `The outputs still hold ${keptId} and its key, which match each other. ${FIX}`
  );
}

/** The previous outputs, unchanged except for `keyStatus` (and what the caller overrides). */
export function keepPrevious(previous: CertificateOutputs, keyStatus: string): CertificateOutputs {
  return { ...previous, keyStatus };
}
