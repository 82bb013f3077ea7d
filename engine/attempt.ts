/**
 * The journal entry of one renewal attempt, and the history of earlier ones.
 *
 * An entry is never overwritten while it holds an unresolved payment, or a key for an order that
 * might still issue: a new attempt moves the current entry into `history` (kept whole while it
 * matters), and a key is reused only when it matches its CSR and the options asked for.
 */
import type { Certificate } from "./domain";
import { InvalidInputError } from "./errors";
import type { ResolvedOptions } from "./options";
import type { JournalEntry, KeyFactory } from "./ports";
import { isUnresolved } from "./pay";

/** Resolved attempts kept in the history (unresolved ones and keys of orders are always kept). */
const HISTORY_KEEP = 8;

function withoutHistory(e: JournalEntry): JournalEntry {
  const { history: _h, ...rest } = e;
  return rest;
}

/** `journal` pushed into its own history, ready for a new attempt. */
export function historyAfter(journal: JournalEntry | null): JournalEntry[] {
  if (!journal) return [];
  const all = [...(journal.history ?? []), withoutHistory(journal)];
  const precious = (e: JournalEntry) => isUnresolved(e.payment) || (e.newCertificateId !== "" && e.privateKeyPem !== undefined);
  const keep = new Set(all.filter(precious).slice(-HISTORY_KEEP * 2));
  for (const e of all.slice(-HISTORY_KEEP)) keep.add(e);
  return all.filter((e) => keep.has(e));
}

/** The journal entries (current first, then history newest first) that renew `oldId`. */
export function entriesFor(journal: JournalEntry | null, oldId: string): JournalEntry[] {
  if (!journal) return [];
  return [journal, ...[...(journal.history ?? [])].reverse()].filter((e) => e.oldCertificateId === oldId);
}

/**
 * The entry holding the key of `order`: the one that names it, or (an order whose id we never
 * journaled) the one whose CSR Tencent recorded for it.
 */
export function entryForOrder(journal: JournalEntry | null, old: Certificate, order: Certificate): JournalEntry | null {
  const candidates = entriesFor(journal, old.certificateId);
  return (
    candidates.find((e) => e.newCertificateId === order.certificateId) ??
    candidates.find((e) => e.newCertificateId === "" && e.csrPem !== undefined && order.csrPem !== null && sameCsr(e.csrPem, order.csrPem)) ??
    null
  );
}

function sameCsr(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, "");
  return norm(a) === norm(b);
}

/**
 * A prepared-but-unpaid key for `old` that this run may reuse: it must match its CSR and what the
 * options ask for. A conflict is an error naming the leftover, never silently preferred.
 */
export function reusableLeftover(keys: KeyFactory, entry: JournalEntry | null, old: Certificate, opts: ResolvedOptions, rootId: string): JournalEntry | null {
  if (!entry || entry.oldCertificateId !== old.certificateId || entry.newCertificateId !== "" || !entry.privateKeyPem || !entry.csrPem) return null;
  if (entry.keySource !== "local") return null;
  const k = opts.key;
  const problem =
    k.source !== "local"
      ? `key.source ${JSON.stringify(k.source)} (the prepared key is a local one)`
      : k.privateKeyPem !== undefined && k.privateKeyPem !== entry.privateKeyPem
        ? "a different key.privateKeyPem"
        : k.privateKeyPem === undefined && keys.keyAlgorithm(entry.privateKeyPem) !== k.algorithm
          ? `key.algorithm ${k.algorithm} (the prepared key is ${keys.keyAlgorithm(entry.privateKeyPem)})`
          : "";
  if (problem)
    throw new InvalidInputError(
      "key",
      `a renewal of ${old.certificateId} was prepared at ${entry.payment?.attemptedAt ?? entry.updatedAt} with a key that was never paid for, and this run asks for ${problem}. ` +
        `Nothing was paid. Rerun with the options of that attempt to use its key, or set it aside with \`tccert resolve ${rootId} --not-paid\` and rerun.`,
    );
  if (!keys.keyMatchesCsr(entry.privateKeyPem, entry.csrPem)) return null;
  return entry;
}
