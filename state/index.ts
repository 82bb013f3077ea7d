/**
 * The local-state adapter: files under the state dir (env TCCERT_STATE_DIR, default
 * ./.tccert-state) shared by the CLI, the Pulumi provider and the tf-renew program.
 * It implements the engine's `RenewalJournal` (`journal/`) and `LineageLock`
 * (`locks/`) ports, and owns the one atomic, link-refusing file writer the front
 * ends use (through runtime/) for their own files.
 */
export { checkJournalId, createKeyJournal, FileRenewalJournal } from "./journal";
export { ensureDirectorySync, readFileNoFollowSync, writeFileAtomic, writeFileAtomicSync, type DirectoryOptions, type SafeWriteOptions } from "./safe-write";
export { createFileLineageLock, lockFileFor, type FileLineageLockOptions, type LockRecord } from "./lineage-lock";
