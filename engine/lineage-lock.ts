/**
 * The lineage lock as the engine uses it: the injected cross-process lock when there is one,
 * and always an in-process one, so two `ensureRenewed` calls in one process never renew the same
 * lineage at once even without a state dir.
 */
import type { EngineDeps } from "./deps";
import type { LockHandle } from "./ports";

const inProcess = new Map<string, Promise<void>>();

async function takeInProcess(id: string): Promise<LockHandle> {
  for (;;) {
    const held = inProcess.get(id);
    if (!held) break;
    await held.catch(() => undefined);
  }
  let release!: () => void;
  inProcess.set(id, new Promise<void>((resolve) => (release = resolve)));
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      inProcess.delete(id);
      release();
    },
  };
}

/** Runs `body` holding the lineage's lock (in-process, then the injected one). */
export async function withLineageLock<T>(deps: Pick<EngineDeps, "lock">, rootId: string, owner: string, body: () => Promise<T>): Promise<T> {
  const local = await takeInProcess(rootId);
  try {
    const shared = deps.lock ? await deps.lock.acquire(rootId, owner) : null;
    try {
      return await body();
    } finally {
      await shared?.release();
    }
  } finally {
    await local.release();
  }
}
