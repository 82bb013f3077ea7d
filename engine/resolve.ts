/**
 * `tccert resolve <id> --not-paid`: an operator settles a payment whose outcome is unknown, after
 * checking the SSL console. The attempt is kept in the history (with its key), marked refused by the
 * operator; the next run may pay. Holds the lineage lock, so it never races a running renewal.
 */
import type { EngineDeps } from "./deps";
import { InvalidInputError } from "./errors";
import { historyAfter } from "./attempt";
import { withLineageLock } from "./lineage-lock";
import { isUnresolved } from "./pay";

export interface PaymentResolution {
  /** The attempt that was resolved (ISO), or "" when there was nothing to resolve. */
  readonly attemptedAt: string;
  /** The certificate whose renewal it was. */
  readonly oldCertificateId: string;
  readonly message: string;
}

export async function resolvePayment(deps: Pick<EngineDeps, "journal" | "clock" | "lock">, rootId: string, resolution: "not-paid"): Promise<PaymentResolution> {
  return withLineageLock(deps, rootId, "tccert resolve", async () => {
    const journal = await deps.journal.load(rootId);
    const pendingKey = journal && journal.newCertificateId === "" && journal.privateKeyPem !== undefined;
    if (!journal || (!isUnresolved(journal.payment) && !pendingKey))
      throw new InvalidInputError(
        "certificateId",
        `certificateId ${rootId}: there is no unresolved payment or unpaid prepared key in this state dir's journal, so there is nothing to resolve. Check --state-dir (or TCCERT_STATE_DIR).`,
      );
    const now = deps.clock.now().toISOString();
    const attemptedAt = journal.payment?.attemptedAt ?? journal.updatedAt;
    const resolved = { ...journal, ...(journal.payment ? { payment: { ...journal.payment, status: "refused" as const, resolvedBy: `operator (${resolution}) at ${now}` } } : {}) };
    // The resolved attempt moves into the history (its key is kept); the current entry starts empty.
    await deps.journal.save({
      originalCertificateId: rootId,
      oldCertificateId: journal.oldCertificateId,
      newCertificateId: "",
      keySource: journal.keySource,
      createdRecords: [],
      history: historyAfter(resolved),
      updatedAt: now,
    });
    return {
      attemptedAt,
      oldCertificateId: journal.oldCertificateId,
      message: `the renewal of ${journal.oldCertificateId} attempted at ${attemptedAt} is recorded as not paid (by you). The next run may pay for a renewal; its prepared key is kept in the journal's history.`,
    };
  });
}
