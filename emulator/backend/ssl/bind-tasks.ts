/**
 * Where a certificate is deployed: the bound-resource sync task.
 * `CreateCertificateBindResourceSyncTask` (at most 100 ids; `IsCache: 1` reuses a task finished in
 * the last half hour, as documented), `DescribeCertificateBindResourceTaskResult` (at most 100 task
 * ids; counts per type and region; Status 0 running → 1 done on the emulator clock, 2 error) and
 * `DescribeCertificateBindResourceTaskDetail` (the instances, paged per type and region by
 * `Limit` ≤ 100 / `Offset`). Region errors are scripted with the admin operation
 * `setBindResourceRegionError`.
 */
import type {
  CdnInstanceList,
  ClbInstanceList,
  CreateCertificateBindResourceSyncTaskRequest,
  CreateCertificateBindResourceSyncTaskResponse,
  DescribeCertificateBindResourceTaskDetailRequest,
  DescribeCertificateBindResourceTaskDetailResponse,
  DescribeCertificateBindResourceTaskResultRequest,
  DescribeCertificateBindResourceTaskResultResponse,
  SyncTaskBindResourceResult,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import type { BackendCore } from "../core";
import { refreshDeploys } from "../deploy";
import { gmt8, SECOND_MS } from "../time";
import { handler, optionalInt, requireString, type Wire } from "../wire";
import type { AccountState, BoundResourceRecord, SyncTaskRecord } from "../state";

/** Documented: a task finished within half an hour is reused with `IsCache: 1`. */
const CACHE_MS = 30 * 60 * SECOND_MS;
/** Documented maxima: 100 certificate ids per task call, 100 task ids per result call, Limit ≤ 100. */
const MAX_IDS = 100;
const MAX_LIMIT = 100;

function isDone(task: SyncTaskRecord, now: Date): boolean {
  return now.getTime() >= Date.parse(task.doneAt);
}

/** The scripted error of `type` in `region` for this task, or "". */
export function regionError(task: SyncTaskRecord, type: string, region: string): string {
  return task.regionErrors?.[`${type}|${region}`] ?? task.regionErrors?.[`*|${region}`] ?? "";
}

/** Type/region pairs of the task: those with resources, plus every region a scripted error names. */
function regionsOf(task: SyncTaskRecord, resources: readonly BoundResourceRecord[]): Array<{ type: string; region: string }> {
  const pairs = new Map<string, { type: string; region: string }>();
  for (const r of resources) pairs.set(`${r.resourceType}|${r.region}`, { type: r.resourceType, region: r.region });
  for (const key of Object.keys(task.regionErrors ?? {})) {
    const [type = "*", region = ""] = key.split("|");
    const t = type === "*" ? "clb" : type;
    if (!pairs.has(`${t}|${region}`)) pairs.set(`${t}|${region}`, { type: t, region });
  }
  return [...pairs.values()];
}

/** Resources of one type and region as the task saw them; none when that region's query failed. */
function inRegion(task: SyncTaskRecord, type: string, region: string): BoundResourceRecord[] {
  if (regionError(task, type, region) !== "") return [];
  return (task.resources ?? []).filter((r) => r.resourceType === type && r.region === region);
}

function cachedTask(account: AccountState, certId: string, now: Date): SyncTaskRecord | undefined {
  return Object.values(account.syncTasks)
    .filter((t) => t.certId === certId && isDone(t, now) && now.getTime() - Date.parse(t.doneAt) <= CACHE_MS)
    .sort((a, b) => Date.parse(b.doneAt) - Date.parse(a.doneAt))[0];
}

function resultOf(task: SyncTaskRecord, now: Date): Wire<SyncTaskBindResourceResult> {
  if (!isDone(task, now)) return { TaskId: task.taskId, BindResourceResult: [], Status: 0, Error: null, CacheTime: gmt8(task.createdAt) };
  if (task.resources === null) {
    return { TaskId: task.taskId, BindResourceResult: [], Status: 2, Error: { Code: "FailedOperation.CertificateNotFound", Message: `Certificate ${task.certId} does not exist.` }, CacheTime: gmt8(task.createdAt) };
  }
  const pairs = regionsOf(task, task.resources);
  const types = [...new Set(pairs.map((p) => p.type))];
  return {
    TaskId: task.taskId,
    BindResourceResult: types.map((type) => ({
      ResourceType: type,
      BindResourceRegionResult: pairs.filter((p) => p.type === type).map(({ region }) => ({ Region: region, TotalCount: inRegion(task, type, region).length, Error: regionError(task, type, region) })),
    })),
    Status: 1,
    Error: null,
    CacheTime: gmt8(task.doneAt),
  };
}

/** CLB: one instance per load balancer, its listeners inside. */
function clbLists(task: SyncTaskRecord, pairs: ReadonlyArray<{ region: string }>, offset: number, limit: number): Array<Wire<ClbInstanceList>> {
  return pairs.map(({ region }) => {
    const records = inRegion(task, "clb", region);
    const ids = [...new Set(records.map((r) => r.instanceId))];
    return {
      Region: region,
      TotalCount: ids.length,
      Error: regionError(task, "clb", region),
      InstanceList: ids.slice(offset, offset + limit).map((id) => ({
        LoadBalancerId: id,
        LoadBalancerName: id,
        Forward: 1,
        Listeners: records.filter((r) => r.instanceId === id).map((r) => ({
          ListenerId: r.listenerId, ListenerName: r.listenerId ? `listener-${r.listenerId}` : "", SniSwitch: 0, Protocol: "HTTPS",
          Certificate: { CertId: task.certId, DnsNames: r.domain ? [r.domain] : [], CertCaId: "", SSLMode: "UNIDIRECTIONAL" }, Rules: [], NoMatchDomains: [],
        })),
      })),
    };
  });
}

function cdnLists(task: SyncTaskRecord, pairs: ReadonlyArray<{ region: string }>, offset: number, limit: number): Array<Wire<CdnInstanceList>> {
  return pairs.map(({ region }) => {
    const records = inRegion(task, "cdn", region);
    return {
      TotalCount: records.length,
      Error: regionError(task, "cdn", region),
      InstanceList: records.slice(offset, offset + limit).map((r) => ({ Domain: r.domain || r.instanceId, CertId: task.certId, Status: "online", HttpsBillingSwitch: "on" })),
    };
  });
}

function taskOf(account: AccountState, taskId: string): SyncTaskRecord {
  const task = account.syncTasks[taskId];
  if (!task) throw new ApiError("FailedOperation.InvalidParam", `No bound-resource task ${JSON.stringify(taskId)}; create one with CreateCertificateBindResourceSyncTask.`);
  return task;
}

export function bindTaskHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CreateCertificateBindResourceSyncTask: handler<CreateCertificateBindResourceSyncTaskRequest, CreateCertificateBindResourceSyncTaskResponse>(core, ({ req, account, now }) => {
      refreshDeploys(account, now);
      const ids = req.CertificateIds ?? [];
      if (ids.length === 0) throw new ApiError("MissingParameter", "CertificateIds must list at least one certificate id.");
      if (ids.length > MAX_IDS) throw new ApiError("InvalidParameter", `CertificateIds lists ${ids.length} ids; at most ${MAX_IDS} per call.`);
      const useCache = optionalInt(req.IsCache, "IsCache", 1) === 1;
      const settings = core.state.settings;
      return {
        CertTaskIds: ids.map((certId) => {
          const cached = useCache ? cachedTask(account, certId, now) : undefined;
          if (cached) return { CertId: certId, TaskId: cached.taskId };
          const taskId = String(core.nextTaskId());
          const cert = account.certificates[certId];
          account.syncTasks[taskId] = {
            taskId, certId, createdAt: now.toISOString(), doneAt: new Date(now.getTime() + (settings.bindSyncSeconds ?? 1) * SECOND_MS).toISOString(),
            resources: cert ? cert.boundResources.map((r) => ({ ...r })) : null,
            regionErrors: { ...(settings.bindRegionErrors ?? {}) },
          };
          return { CertId: certId, TaskId: taskId };
        }),
      };
    }),

    DescribeCertificateBindResourceTaskResult: handler<DescribeCertificateBindResourceTaskResultRequest, DescribeCertificateBindResourceTaskResultResponse>(core, ({ req, account, now }) => {
      const taskIds = req.TaskIds ?? [];
      if (taskIds.length > MAX_IDS) throw new ApiError("InvalidParameter", `TaskIds lists ${taskIds.length} ids; at most ${MAX_IDS} per call.`);
      const results = taskIds.flatMap((taskId) => {
        const task = account.syncTasks[taskId];
        return task ? [resultOf(task, now)] : [];
      });
      return { SyncTaskBindResourceResult: results };
    }),

    DescribeCertificateBindResourceTaskDetail: handler<DescribeCertificateBindResourceTaskDetailRequest, DescribeCertificateBindResourceTaskDetailResponse>(core, ({ req, account, now }) => {
      const task = taskOf(account, requireString(req.TaskId, "TaskId"));
      const limit = optionalInt(req.Limit, "Limit", 10);
      const offset = optionalInt(req.Offset, "Offset", 0);
      if (limit < 1 || limit > MAX_LIMIT) throw new ApiError("InvalidParameter", `Limit must be from 1 to ${MAX_LIMIT}; got ${limit}.`);
      if (offset < 0) throw new ApiError("InvalidParameter", `Offset must be 0 or more; got ${offset}.`);
      const done = isDone(task, now);
      const status = !done ? 0 : task.resources === null ? 2 : 1;
      const types = (req.ResourceTypes ?? []).map((t) => t.toLowerCase());
      const pairs = done && task.resources ? regionsOf(task, task.resources) : [];
      const wanted = (type: string) => pairs.filter((p) => p.type === type && (types.length === 0 || types.includes(type)) && (!req.Regions?.length || type === "cdn" || req.Regions.includes(p.region)));
      return {
        CLB: clbLists(task, wanted("clb"), offset, limit),
        CDN: cdnLists(task, wanted("cdn"), offset, limit),
        WAF: [], DDOS: [], LIVE: [], VOD: [], TKE: [], APIGATEWAY: [], TCB: [], TEO: [], TSE: [], COS: [], TDMQ: [], MQTT: [], GAAP: [], SCF: [],
        Status: status,
        CacheTime: gmt8(done ? task.doneAt : task.createdAt),
      };
    }),
  };
}
