/**
 * The types shared by the wait loop (`wait.ts`) and its steps (`wait-steps.ts`), kept apart so
 * neither imports the other's types (no import circle). `wait.ts` re-exports them.
 */
import type { Certificate, DvAuth, ValidationMethod } from "./domain";
import type { ProgressSink } from "./progress";

/** One paid order to drive to issuance. */
export interface WaitRequest {
  readonly rootId: string;
  readonly oldCertificateId: string;
  readonly order: Certificate;
  readonly validation: ValidationMethod;
  readonly waitTimeoutMs: number;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal | undefined;
  /**
   * Called right after each DNS record we create (or find with this order's value), so the journal
   * lists it for cleanup. Idempotent. `planned`: the planned record it settles (its id is known now).
   */
  readonly onRecordCreated: (zone: string, recordId: number, planned?: { zone: string; subDomain: string; type: string; value: string }) => Promise<void>;
  /** Called right BEFORE a DNS record is created, so a crash in between cannot hide it from the cleanup. */
  readonly onRecordPlanned: (record: { zone: string; subDomain: string; type: string; value: string }) => Promise<void>;
  readonly onRecords: (records: readonly DvAuth[]) => void;
}
