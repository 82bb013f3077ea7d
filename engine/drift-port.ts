/**
 * The port for "where is a certificate deployed": Tencent's bound-resource sync task
 * (`CreateCertificateBindResourceSyncTask` → `DescribeCertificateBindResourceTaskResult` →
 * `DescribeCertificateBindResourceTaskDetail`). Every method is read-only: starting a task only
 * asks Tencent to look, it changes nothing and costs nothing.
 */

/** At most this many certificate ids per task call, and task ids per result call (documented). */
export const BINDING_BATCH = 100;

/** One cloud resource serving a certificate. */
export interface BoundResource {
  /** `clb`, `cdn`, `waf`, `teo`, … (lower case). */
  readonly resourceType: string;
  /** "" for global types (cdn, teo, …). */
  readonly region: string;
  /** Load balancer id, CDN domain, … */
  readonly instanceId: string;
  /** CLB listener id; "" for other types. */
  readonly listenerId: string;
  /** The domain served, when Tencent names one; "". */
  readonly domain: string;
}

export interface BindingTask {
  readonly certificateId: string;
  readonly taskId: string;
}

/** How many resources of a type one region holds, or why that region could not be read. */
export interface BindingRegionCount {
  readonly resourceType: string;
  readonly region: string;
  readonly totalCount: number;
  /** "" when the region was read. */
  readonly error: string;
}

export interface BindingTaskResult {
  readonly taskId: string;
  /** Tencent's Status: 0 running, 1 done, 2 failed. */
  readonly status: "running" | "done" | "failed";
  readonly error: { readonly code: string; readonly message: string } | null;
  /** When Tencent computed this answer (`CacheTime`); null when absent. */
  readonly cacheTime: Date | null;
  readonly regions: readonly BindingRegionCount[];
}

/** Tencent SSL's bound-resource queries. Read-only. */
export interface BindingsApi {
  /**
   * Read-only (starts a query). `CreateCertificateBindResourceSyncTask`, at most `BINDING_BATCH` ids.
   * @param useCache `IsCache: 1`: Tencent may answer with a task finished in the last half hour
   */
  startBindingTasks(certificateIds: readonly string[], useCache: boolean): Promise<readonly BindingTask[]>;
  /** Read. `DescribeCertificateBindResourceTaskResult`, at most `BINDING_BATCH` task ids. */
  getBindingTaskResults(taskIds: readonly string[]): Promise<readonly BindingTaskResult[]>;
  /**
   * Read. `DescribeCertificateBindResourceTaskDetail`, every page (100 instances per type and
   * region). Types the adapter cannot itemise are left out: the counts of `regions` still show them.
   */
  listBoundResources(taskId: string, regions: readonly BindingRegionCount[]): Promise<readonly BoundResource[]>;
}
