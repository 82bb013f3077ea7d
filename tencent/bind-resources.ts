/**
 * `BindingsApi` (engine/drift-port.ts) over the SDK client `ssl/v20191205`: the bound-resource sync
 * task. Limits (documented in the SDK models): 100 certificate ids per
 * `CreateCertificateBindResourceSyncTask`, 100 task ids per `DescribeCertificateBindResourceTaskResult`,
 * `Limit` ≤ 100 instances per type and region per `DescribeCertificateBindResourceTaskDetail` page.
 */
import type { Client as SslClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client";
import type {
  DescribeCertificateBindResourceTaskDetailResponse,
  SyncTaskBindResourceResult,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { BINDING_BATCH, type BindingRegionCount, type BindingsApi, type BindingTask, type BindingTaskResult, type BoundResource } from "../engine/drift-port";
import { InvalidInputError } from "../engine/errors";
import type { Caller } from "./call";
import { parseTencentTime } from "./dates";
import { list, num, str, type Wire } from "./wire";

const PAGE = 100;
/** Guard against a server whose TotalCount never adds up. */
const MAX_PAGES = 1000;

/** Response keys of the detail call, and the resource type each holds. */
const DETAIL_KEYS = { CLB: "clb", CDN: "cdn", WAF: "waf", TEO: "teo", LIVE: "live", DDOS: "ddos", VOD: "vod", APIGATEWAY: "apigateway", COS: "cos", TSE: "tse", TCB: "tcb", TKE: "tke" } as const;
type DetailKey = keyof typeof DETAIL_KEYS;
type Detail = Wire<DescribeCertificateBindResourceTaskDetailResponse>;

function checkBatch(what: string, n: number): void {
  if (n > BINDING_BATCH) throw new InvalidInputError(what, `tencent: at most ${BINDING_BATCH} ${what} per call; got ${n}. Split the list.`);
}

function statusOf(s: number): BindingTaskResult["status"] {
  return s === 1 ? "done" : s === 2 ? "failed" : "running";
}

export function mapTaskResult(r: Wire<SyncTaskBindResourceResult>): BindingTaskResult {
  const err = r?.Error;
  return {
    taskId: str(r?.TaskId),
    status: statusOf(num(r?.Status)),
    error: err ? { code: str(err.Code), message: str(err.Message) } : null,
    cacheTime: parseTencentTime(r?.CacheTime),
    regions: list(r?.BindResourceResult).flatMap((b) =>
      list(b?.BindResourceRegionResult).map((x) => ({ resourceType: str(b?.ResourceType).toLowerCase(), region: str(x?.Region), totalCount: num(x?.TotalCount), error: str(x?.Error) })),
    ),
  };
}

/** One region's list of a detail answer, read loosely: each type's instance model differs. */
interface RegionList {
  readonly Region?: unknown;
  readonly TotalCount?: unknown;
  readonly InstanceList?: readonly Record<string, unknown>[] | null;
}

function itemResources(type: string, region: string, item: Record<string, unknown>): BoundResource[] {
  if (type === "clb") {
    const lb = str(item["LoadBalancerId"]);
    const listeners = (Array.isArray(item["Listeners"]) ? item["Listeners"] : []) as Record<string, unknown>[];
    if (listeners.length === 0) return [{ resourceType: type, region, instanceId: lb, listenerId: "", domain: "" }];
    return listeners.map((l) => {
      const names = (l["Certificate"] as { DnsNames?: unknown[] } | undefined)?.DnsNames ?? [];
      return { resourceType: type, region, instanceId: lb, listenerId: str(l["ListenerId"]), domain: str(names[0]) };
    });
  }
  const domain = str(item["Domain"] ?? item["Host"]);
  const instanceId = str(item["InstanceId"] ?? item["LoadBalancerId"] ?? item["ServiceId"] ?? item["ClusterId"] ?? item["EnvId"] ?? item["ZoneId"]) || domain;
  return [{ resourceType: type, region: str(item["Region"]) || region, instanceId, listenerId: "", domain }];
}

/** Resources of one answer, with how many instances each (type, region) listed and holds. */
function resourcesOf(detail: Detail): { resources: BoundResource[]; pages: Map<string, { listed: number; total: number }> } {
  const resources: BoundResource[] = [];
  const pages = new Map<string, { listed: number; total: number }>();
  for (const key of Object.keys(DETAIL_KEYS) as DetailKey[]) {
    const type = DETAIL_KEYS[key];
    for (const regionList of list((detail as Record<string, unknown> | null | undefined)?.[key] as readonly RegionList[] | undefined)) {
      const region = str(regionList?.Region);
      const items = list(regionList?.InstanceList);
      for (const item of items) resources.push(...itemResources(type, region, item));
      pages.set(`${type}|${region}`, { listed: items.length, total: num(regionList?.TotalCount, items.length) });
    }
  }
  return { resources, pages };
}

export class TencentBindingsApi implements BindingsApi {
  constructor(
    private readonly client: SslClient,
    private readonly call: Caller,
  ) {}

  async startBindingTasks(certificateIds: readonly string[], useCache: boolean): Promise<readonly BindingTask[]> {
    checkBatch("certificate ids", certificateIds.length);
    const r = await this.call("CreateCertificateBindResourceSyncTask", () => this.client.CreateCertificateBindResourceSyncTask({ CertificateIds: [...certificateIds], IsCache: useCache ? 1 : 0 }));
    return list(r.CertTaskIds).map((t) => ({ certificateId: str(t?.CertId), taskId: str(t?.TaskId) }));
  }

  async getBindingTaskResults(taskIds: readonly string[]): Promise<readonly BindingTaskResult[]> {
    checkBatch("task ids", taskIds.length);
    if (taskIds.length === 0) return [];
    const r = await this.call("DescribeCertificateBindResourceTaskResult", () => this.client.DescribeCertificateBindResourceTaskResult({ TaskIds: [...taskIds] }));
    return list(r.SyncTaskBindResourceResult).map(mapTaskResult);
  }

  /** The first page lists up to 100 instances of every type and region; fuller regions are paged one by one. */
  async listBoundResources(taskId: string, regions: readonly BindingRegionCount[]): Promise<readonly BoundResource[]> {
    const first = resourcesOf(await this.detail(taskId, 0));
    const out = [...first.resources];
    for (const c of regions) {
      const seen = first.pages.get(`${c.resourceType}|${c.region}`);
      let listed = seen?.listed ?? 0;
      // The detail's TotalCount counts instances (load balancers); the result's counts resources (listeners).
      const total = seen ? seen.total : c.totalCount;
      for (let page = 1; listed < total && listed > 0 && page < MAX_PAGES; page++) {
        const next = resourcesOf(await this.detail(taskId, page * PAGE, c));
        const n = next.pages.get(`${c.resourceType}|${c.region}`)?.listed ?? 0;
        if (n === 0) break;
        listed += n;
        out.push(...next.resources.filter((r) => r.resourceType === c.resourceType && (c.region === "" || r.region === c.region)));
      }
    }
    return out;
  }

  private detail(taskId: string, offset: number, only?: BindingRegionCount): Promise<Detail> {
    return this.call("DescribeCertificateBindResourceTaskDetail", () =>
      this.client.DescribeCertificateBindResourceTaskDetail({
        TaskId: taskId,
        Limit: String(PAGE),
        Offset: String(offset),
        ...(only ? { ResourceTypes: [only.resourceType], ...(only.region !== "" ? { Regions: [only.region] } : {}) } : {}),
      }),
    );
  }
}
