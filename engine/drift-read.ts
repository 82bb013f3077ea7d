/**
 * Reading where certificates are deployed: start one bound-resource task per certificate (100 ids a
 * call), poll the results (100 task ids a call) until done or the bounded wait ends, redo the ones
 * whose cached answer is too old, then list the instances of every certificate that has any.
 * Read-only; every call goes through the adapter's rate limit.
 */
import type { BindingRegionCount, BindingsApi, BoundResource } from "./drift-port";
import { BINDING_BATCH } from "./drift-port";
import type { Clock, Sleep } from "./ports";
import { InvalidInputError, isTransientError } from "./errors";

export interface BindingReadOptions {
  /** A cached answer older than this is asked again without the cache. @default 1800000 (30 minutes, Tencent's cache window) */
  readonly maxCacheAgeMs?: number;
  /** Certificates whose answer must be newer than a time (e.g. a deployment this tool just made). @default none */
  readonly freshAfter?: ReadonlyMap<string, Date>;
  /** The bounded wait for every task to finish. @default 120000 */
  readonly timeoutMs?: number;
  /** Interval between polls of the results. @default 2000 */
  readonly pollMs?: number;
  /** Detail listings in flight at once (each still under the adapter's rate limit). @default 4 */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

/** Where one certificate is deployed, as far as Tencent could tell. */
export interface CertificateBindings {
  readonly certificateId: string;
  /** `unknown`: the task failed or did not finish within the wait. */
  readonly status: "read" | "unknown";
  /** Why the status is unknown; "" when read. */
  readonly error: string;
  readonly cacheTime: Date | null;
  /** Age of Tencent's answer when read, in seconds; null when unknown. */
  readonly cacheAgeSeconds: number | null;
  readonly counts: readonly BindingRegionCount[];
  readonly resources: readonly BoundResource[];
}

export interface BindingsDeps {
  readonly bindings: BindingsApi;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A transient failure (throttled, network) is tried again a few times; anything else stops the read. */
async function again<T>(deps: BindingsDeps, what: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await what();
    } catch (e) {
      if (!isTransientError(e) || attempt >= 4) throw e;
      await deps.sleep(500 * 2 ** attempt, signal);
    }
  }
}

interface Finished {
  readonly taskId: string;
  readonly status: "done" | "failed" | "timed-out";
  readonly error: string;
  readonly cacheTime: Date | null;
  readonly counts: readonly BindingRegionCount[];
}

/** Starts tasks for `ids` and polls them to the end or the deadline. */
async function runTasks(deps: BindingsDeps, ids: readonly string[], useCache: boolean, o: Required<Pick<BindingReadOptions, "timeoutMs" | "pollMs">> & BindingReadOptions): Promise<Map<string, Finished>> {
  const taskOf = new Map<string, string>();
  for (const batch of chunks(ids, BINDING_BATCH)) {
    const tasks = await again(deps, () => deps.bindings.startBindingTasks(batch, useCache), o.signal);
    for (const t of tasks) taskOf.set(t.certificateId, t.taskId);
  }
  const byTask = new Map<string, Finished>();
  const started = deps.clock.now().getTime();
  let pending = [...new Set(taskOf.values())];
  while (pending.length > 0) {
    for (const batch of chunks(pending, BINDING_BATCH)) {
      for (const r of await again(deps, () => deps.bindings.getBindingTaskResults(batch), o.signal)) {
        if (r.status === "running") continue;
        byTask.set(r.taskId, { taskId: r.taskId, status: r.status, error: r.error ? `${r.error.code}: ${r.error.message}` : "", cacheTime: r.cacheTime, counts: r.regions });
      }
    }
    pending = pending.filter((t) => !byTask.has(t));
    if (pending.length === 0) break;
    if (deps.clock.now().getTime() - started >= o.timeoutMs) {
      for (const t of pending) byTask.set(t, { taskId: t, status: "timed-out", error: `Tencent's bound-resource task ${t} was still running after ${Math.round(o.timeoutMs / 1000)} s; run the scan again later`, cacheTime: null, counts: [] });
      break;
    }
    await deps.sleep(o.pollMs, o.signal);
  }
  const out = new Map<string, Finished>();
  for (const id of ids) {
    const taskId = taskOf.get(id);
    const f = taskId ? byTask.get(taskId) : undefined;
    out.set(id, f ?? { taskId: taskId ?? "", status: "failed", error: "Tencent returned no task for this certificate", cacheTime: null, counts: [] });
  }
  return out;
}

function checkOptions(o: BindingReadOptions): void {
  for (const [name, v] of [["maxCacheAgeMs", o.maxCacheAgeMs], ["timeoutMs", o.timeoutMs], ["pollMs", o.pollMs]] as const)
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new InvalidInputError(name, `${name} must be a number of milliseconds, 0 or more; got ${JSON.stringify(v)}.`);
}

/** Where each of `certificateIds` is deployed. Read-only. */
export async function readBindings(deps: BindingsDeps, certificateIds: readonly string[], options: BindingReadOptions = {}): Promise<Map<string, CertificateBindings>> {
  checkOptions(options);
  const o = { ...options, timeoutMs: options.timeoutMs ?? 120_000, pollMs: options.pollMs ?? 2000 };
  const maxAge = options.maxCacheAgeMs ?? 1_800_000;
  const ids = [...new Set(certificateIds)];
  const finished = await runTasks(deps, ids, maxAge > 0, o);
  const now = deps.clock.now();
  const stale = ids.filter((id) => {
    const f = finished.get(id);
    if (!f || f.status !== "done" || !f.cacheTime) return false;
    const after = options.freshAfter?.get(id);
    return now.getTime() - f.cacheTime.getTime() > maxAge || (after !== undefined && f.cacheTime.getTime() < after.getTime());
  });
  if (stale.length > 0) for (const [id, f] of await runTasks(deps, stale, false, o)) finished.set(id, f);
  return listAll(deps, ids, finished, options.concurrency ?? 4, options.signal);
}

async function listAll(deps: BindingsDeps, ids: readonly string[], finished: ReadonlyMap<string, Finished>, concurrency: number, signal?: AbortSignal): Promise<Map<string, CertificateBindings>> {
  const now = deps.clock.now();
  const out = new Map<string, CertificateBindings>();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const f = finished.get(id)!;
      const age = f.cacheTime ? Math.max(0, Math.round((now.getTime() - f.cacheTime.getTime()) / 1000)) : null;
      if (f.status !== "done") {
        out.set(id, { certificateId: id, status: "unknown", error: f.error, cacheTime: f.cacheTime, cacheAgeSeconds: age, counts: f.counts, resources: [] });
        continue;
      }
      const any = f.counts.some((c) => c.totalCount > 0);
      const resources = any ? await again(deps, () => deps.bindings.listBoundResources(f.taskId, f.counts), signal) : [];
      out.set(id, { certificateId: id, status: "read", error: "", cacheTime: f.cacheTime, cacheAgeSeconds: age, counts: f.counts, resources });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ids.length)) }, worker));
  return out;
}
