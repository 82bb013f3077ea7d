/**
 * An in-memory bound-resource task (`BindingsApi`) for unit tests of drift: resources bound per
 * certificate, a task that runs for `runMs` of the fake clock, Tencent's half-hour cache with
 * `IsCache`, scripted region errors, and its limits (100 ids per call). Counts its calls.
 */
import type { BindingRegionCount, BindingsApi, BindingTask, BindingTaskResult, BoundResource } from "../../engine/drift-port";
import type { FakeClock } from "./fake-clock";

interface Task {
  readonly taskId: string;
  readonly certificateId: string;
  readonly createdAt: number;
  readonly resources: readonly BoundResource[] | null;
  readonly regionErrors: ReadonlyMap<string, string>;
}

const CACHE_MS = 30 * 60_000;

export class FakeBindings implements BindingsApi {
  readonly bound = new Map<string, BoundResource[]>();
  /** `type|region` → error message, for tasks created from now on. */
  readonly regionErrors = new Map<string, string>();
  /** Types counted in the results but never itemised by listBoundResources (an adapter without their detail model). @default none */
  readonly unlisted = new Set<string>();
  /** How long a task runs. @default 3000 */
  runMs = 3000;
  readonly calls = { start: 0, results: 0, detail: 0 };
  private readonly tasks = new Map<string, Task>();
  private next = 1;

  constructor(private readonly clock: FakeClock) {}

  bind(certificateId: string, ...resources: BoundResource[]): void {
    this.bound.set(certificateId, [...(this.bound.get(certificateId) ?? []), ...resources]);
  }

  async startBindingTasks(certificateIds: readonly string[], useCache: boolean): Promise<readonly BindingTask[]> {
    this.calls.start++;
    if (certificateIds.length > 100) throw new Error(`FakeBindings: ${certificateIds.length} ids in one call; Tencent allows 100`);
    const now = this.clock.now().getTime();
    return certificateIds.map((certificateId) => {
      const cached = useCache ? [...this.tasks.values()].reverse().find((t) => t.certificateId === certificateId && now - (t.createdAt + this.runMs) <= CACHE_MS && now >= t.createdAt + this.runMs) : undefined;
      if (cached) return { certificateId, taskId: cached.taskId };
      const taskId = `task${this.next++}`;
      const resources = this.bound.has(certificateId) ? this.bound.get(certificateId)!.map((r) => ({ ...r })) : certificateId.startsWith("missing") ? null : [];
      this.tasks.set(taskId, { taskId, certificateId, createdAt: now, resources, regionErrors: new Map(this.regionErrors) });
      return { certificateId, taskId };
    });
  }

  async getBindingTaskResults(taskIds: readonly string[]): Promise<readonly BindingTaskResult[]> {
    this.calls.results++;
    if (taskIds.length > 100) throw new Error(`FakeBindings: ${taskIds.length} task ids in one call; Tencent allows 100`);
    const now = this.clock.now().getTime();
    return taskIds.flatMap((id): BindingTaskResult[] => {
      const t = this.tasks.get(id);
      if (!t) return [];
      if (now < t.createdAt + this.runMs) return [{ taskId: id, status: "running", error: null, cacheTime: new Date(t.createdAt), regions: [] }];
      if (t.resources === null) return [{ taskId: id, status: "failed", error: { code: "FailedOperation.CertificateNotFound", message: "no such certificate" }, cacheTime: new Date(t.createdAt), regions: [] }];
      return [{ taskId: id, status: "done", error: null, cacheTime: new Date(t.createdAt + this.runMs), regions: this.counts(t) }];
    });
  }

  async listBoundResources(taskId: string): Promise<readonly BoundResource[]> {
    this.calls.detail++;
    const t = this.tasks.get(taskId);
    if (!t) throw new Error(`FakeBindings: no task ${taskId}`);
    return (t.resources ?? []).filter((r) => !t.regionErrors.has(`${r.resourceType}|${r.region}`) && !this.unlisted.has(r.resourceType));
  }

  private counts(t: Task): BindingRegionCount[] {
    const out = new Map<string, BindingRegionCount>();
    for (const r of t.resources ?? []) {
      const key = `${r.resourceType}|${r.region}`;
      const error = t.regionErrors.get(key) ?? "";
      const prev = out.get(key);
      out.set(key, { resourceType: r.resourceType, region: r.region, totalCount: error ? 0 : (prev?.totalCount ?? 0) + 1, error });
    }
    for (const [key, error] of t.regionErrors) {
      const [resourceType = "", region = ""] = key.split("|");
      if (!out.has(key)) out.set(key, { resourceType, region, totalCount: 0, error });
    }
    return [...out.values()];
  }
}

export function clb(instanceId: string, listenerId: string, region = "ap-guangzhou"): BoundResource {
  return { resourceType: "clb", region, instanceId, listenerId, domain: "" };
}

export function cdn(domain: string): BoundResource {
  return { resourceType: "cdn", region: "", instanceId: domain, listenerId: "", domain };
}
