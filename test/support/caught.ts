import { isRenewalError, type RenewalError } from "../../engine/errors";

/** The branded error a promise rejects with; fails the test if it resolves or throws something else. */
export async function caught(p: Promise<unknown>): Promise<RenewalError> {
  const outcome = await p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a RenewalError, but it resolved`);
  if (!isRenewalError(outcome.error)) throw new Error(`expected a RenewalError, got ${String(outcome.error)}`);
  return outcome.error;
}
