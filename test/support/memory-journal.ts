/**
 * An in-memory `RenewalJournal`. Entries are copied on the way in and out, as
 * a file journal would, so a test cannot change what was "written" by mutating
 * an object it holds. Every save is kept, in order, for assertions.
 */
import type { JournalEntry, RenewalJournal } from "../../engine/ports";

export class MemoryJournal implements RenewalJournal {
  private readonly entries = new Map<string, JournalEntry>();
  /** Every entry saved, in order (copies). */
  readonly saves: JournalEntry[] = [];
  /** Errors to throw from the next `save` calls (a full disk, a crash), first one first. */
  readonly failSaves: unknown[] = [];

  async load(originalCertificateId: string): Promise<JournalEntry | null> {
    const e = this.entries.get(originalCertificateId);
    return e ? structuredClone(e) : null;
  }

  async save(entry: JournalEntry): Promise<void> {
    const failure = this.failSaves.shift();
    if (failure !== undefined) throw failure;
    this.entries.set(entry.originalCertificateId, structuredClone(entry));
    this.saves.push(structuredClone(entry));
  }

  async remove(originalCertificateId: string): Promise<void> {
    this.entries.delete(originalCertificateId);
  }

  /** The stored entry, without going through `load` (for assertions). */
  peek(originalCertificateId: string): JournalEntry | undefined {
    const e = this.entries.get(originalCertificateId);
    return e ? structuredClone(e) : undefined;
  }

  /** Writes an entry directly (a previous run's journal). */
  put(entry: JournalEntry): void {
    this.entries.set(entry.originalCertificateId, structuredClone(entry));
  }
}
