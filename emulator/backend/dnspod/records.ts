/**
 * DNSPod record actions: CreateRecord, CreateTXTRecord, DescribeRecordList,
 * ModifyRecord, DeleteRecord. Zones are seeded; records live per account.
 *
 * "新添加的解析记录存在短暂的索引延迟": a record created less than
 * `settings.dnsIndexDelaySeconds` ago is invisible to DescribeRecordList
 * (default 0; admin `setDnsIndexDelay`). The CA's own check sees it at once.
 */
import type {
  CreateRecordRequest,
  CreateRecordResponse,
  CreateTXTRecordRequest,
  CreateTXTRecordResponse,
  DeleteRecordRequest,
  DeleteRecordResponse,
  DescribeDomainListRequest,
  DescribeDomainListResponse,
  DescribeRecordListRequest,
  DescribeRecordListResponse,
  ModifyRecordRequest,
  ModifyRecordResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models";
import { ApiError, type ActionHandler } from "../../contract";
import { cnameValueOf } from "../dns";
import { gmt8, SECOND_MS } from "../time";
import { handler, optionalInt, requireString } from "../wire";
import type { BackendCore } from "../core";
import type { AccountState, DnsRecord, ZoneRecord } from "../state";

const RECORD_TYPES: readonly string[] = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "CAA", "SRV", "HTTPS", "SVCB", "SPF", "显性URL", "隐性URL"];
const DEFAULT_LINE = "默认";

function zoneFor(account: AccountState, domain: string | undefined): ZoneRecord {
  const name = requireString(domain, "Domain").toLowerCase().replace(/\.$/, "");
  const zone = account.zones[name];
  if (!zone) throw new ApiError("InvalidParameterValue.DomainNotExists", `当前域名有误，请返回重新操作 (the zone ${JSON.stringify(name)} is not in this account).`);
  return zone;
}

interface RecordInput {
  readonly SubDomain?: string | undefined;
  readonly RecordType?: string | undefined;
  readonly RecordLine?: string | undefined;
  readonly RecordLineId?: string | undefined;
  readonly Value?: string | undefined;
  readonly MX?: number | undefined;
  readonly TTL?: number | undefined;
  readonly Weight?: number | undefined;
  readonly Status?: string | undefined;
  readonly Remark?: string | undefined;
}

type RecordFields = Pick<DnsRecord, "name" | "type" | "line" | "lineId" | "value" | "ttl" | "mx" | "weight" | "status" | "remark">;

function fieldsOf(input: RecordInput, fallback?: DnsRecord): RecordFields {
  const type = requireString(input.RecordType ?? fallback?.type, "RecordType").toUpperCase();
  if (!RECORD_TYPES.includes(type)) throw new ApiError("InvalidParameter.RecordTypeInvalid", `记录类型错误 (unsupported RecordType ${JSON.stringify(input.RecordType)}).`);
  const value = requireString(input.Value ?? fallback?.value, "Value");
  const name = (input.SubDomain ?? fallback?.name ?? "@").trim().toLowerCase() || "@";
  if (!/^(@|\*|[a-z0-9_*]([a-z0-9_\-*.]*[a-z0-9_*])?)$/.test(name)) throw new ApiError("InvalidParameter.SubdomainInvalid", `子域名不正确 (invalid SubDomain ${JSON.stringify(name)}).`);
  const lineId = input.RecordLineId ?? (input.RecordLine === undefined || input.RecordLine === DEFAULT_LINE ? fallback?.lineId ?? "0" : `custom-${input.RecordLine}`);
  const line = lineId === "0" ? DEFAULT_LINE : input.RecordLine ?? fallback?.line ?? DEFAULT_LINE;
  const ttl = optionalInt(input.TTL, "TTL", fallback?.ttl ?? 600);
  if (ttl < 1 || ttl > 604800) throw new ApiError("LimitExceeded.RecordTtlLimit", `TTL must be between 1 and 604800, got ${ttl}.`);
  const mx = optionalInt(input.MX, "MX", fallback?.mx ?? 0);
  if (type === "MX" && (mx < 1 || mx > 50)) throw new ApiError("InvalidParameter.MXInvalid", `MX must be between 1 and 50 for an MX record, got ${mx}.`);
  const status = (input.Status ?? fallback?.status ?? "ENABLE").toUpperCase();
  if (status !== "ENABLE" && status !== "DISABLE") throw new ApiError("InvalidParameter", `Status must be ENABLE or DISABLE, got ${JSON.stringify(input.Status)}.`);
  const weight = input.Weight === undefined ? fallback?.weight ?? null : optionalInt(input.Weight, "Weight", 0);
  return { name, type, line, lineId, value, ttl, mx: type === "MX" ? mx : 0, weight, status, remark: input.Remark ?? fallback?.remark ?? "" };
}

function assertUnique(zone: ZoneRecord, f: RecordFields, exceptId?: number): void {
  const dup = zone.records.find((r) => r.recordId !== exceptId && r.name === f.name && r.type === f.type && r.lineId === f.lineId && r.value === f.value);
  if (dup) throw new ApiError("InvalidParameter.DomainRecordExist", `记录已经存在 (record ${dup.recordId} already has this name, type, line and value).`);
}

function recordOf(zone: ZoneRecord, recordId: unknown): DnsRecord {
  const id = optionalInt(recordId, "RecordId", -1);
  const rec = zone.records.find((r) => r.recordId === id);
  if (!rec) throw new ApiError("InvalidParameter.RecordIdInvalid", `记录编号错误 (no record ${JSON.stringify(recordId ?? null)} in ${zone.zone}).`);
  return rec;
}

function create(core: BackendCore, account: AccountState, domain: string | undefined, input: RecordInput, now: Date): number {
  const zone = zoneFor(account, domain);
  const f = fieldsOf(input);
  assertUnique(zone, f);
  const stamp = now.toISOString();
  const recordId = core.nextRecordId();
  zone.records.push({ recordId, ...f, createdAt: stamp, updatedAt: stamp, defaultNs: false });
  return recordId;
}

const SORT_KEYS: Readonly<Record<string, (r: DnsRecord) => string | number>> = {
  name: (r) => r.name, line: (r) => r.line, type: (r) => r.type, value: (r) => r.value,
  weight: (r) => r.weight ?? -1, mx: (r) => r.mx, ttl: (r) => r.ttl, updated_on: (r) => r.updatedAt,
};

export function dnspodHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CreateRecord: handler<CreateRecordRequest, CreateRecordResponse>(core, ({ req, account, now }) => ({
      RecordId: create(core, account, req.Domain, req, now),
    })),

    CreateTXTRecord: handler<CreateTXTRecordRequest, CreateTXTRecordResponse>(core, ({ req, account, now }) => ({
      RecordId: create(core, account, req.Domain, { ...req, RecordType: "TXT" }, now),
    })),

    ModifyRecord: handler<ModifyRecordRequest, ModifyRecordResponse>(core, ({ req, account, now }) => {
      const zone = zoneFor(account, req.Domain);
      const rec = recordOf(zone, req.RecordId);
      const f = fieldsOf(req, rec);
      assertUnique(zone, f, rec.recordId);
      Object.assign(rec, f, { updatedAt: now.toISOString() });
      return { RecordId: rec.recordId };
    }),

    DeleteRecord: handler<DeleteRecordRequest, DeleteRecordResponse>(core, ({ req, account }) => {
      const zone = zoneFor(account, req.Domain);
      const rec = recordOf(zone, req.RecordId);
      zone.records = zone.records.filter((r) => r !== rec);
      return {};
    }),

    DescribeDomainList: handler<DescribeDomainListRequest, DescribeDomainListResponse>(core, ({ req, account, now }) => {
      const offset = optionalInt(req.Offset, "Offset", 0);
      const limit = optionalInt(req.Limit, "Limit", 20);
      if (limit < 1 || limit > 3000) throw new ApiError("InvalidParameter", `Limit must be between 1 and 3000, got ${limit}.`);
      const keyword = req.Keyword?.toLowerCase();
      const zones = Object.values(account.zones)
        .filter((z) => !keyword || z.zone.includes(keyword))
        .sort((a, b) => a.domainId - b.domainId);
      if (zones.length === 0) throw new ApiError("ResourceNotFound.NoDataOfDomain", "列表为空 (this account has no DNSPod domain).");
      const stamp = gmt8(new Date(now.getTime() - 86_400_000).toISOString());
      const total = zones.length;
      const count = { DomainTotal: total, AllTotal: total, MineTotal: total, ShareTotal: 0, VipTotal: 0, PauseTotal: 0, ErrorTotal: 0, LockTotal: 0, SpamTotal: 0, VipExpire: 0, ShareOutTotal: 0, GroupTotal: 1 };
      return {
        DomainCountInfo: count,
        DomainList: zones.slice(offset, offset + limit).map((z) => ({
          DomainId: z.domainId, Name: z.zone, Status: "ENABLE", TTL: 600, CNAMESpeedup: "DISABLE", DNSStatus: "", Grade: "DP_FREE", GroupId: 1,
          SearchEnginePush: "NO", Remark: "", Punycode: z.zone, EffectiveDNS: ["f1g1ns1.dnspod.net", "f1g1ns2.dnspod.net"], GradeLevel: 2, GradeTitle: "免费版",
          IsVip: "NO", VipStartAt: "", VipEndAt: "", VipAutoRenew: "DEFAULT", RecordCount: z.records.length, CreatedOn: stamp, UpdatedOn: stamp, Owner: "", TagList: [],
        })),
      };
    }),

    DescribeRecordList: handler<DescribeRecordListRequest, DescribeRecordListResponse>(core, ({ req, account, now }) => {
      const zone = zoneFor(account, req.Domain);
      const offset = optionalInt(req.Offset, "Offset", 0);
      const limit = optionalInt(req.Limit, "Limit", 100);
      if (limit < 1 || limit > 3000) throw new ApiError("InvalidParameter", `Limit must be between 1 and 3000, got ${limit}.`);
      const delaySeconds = Math.max(core.state.settings.dnsIndexDelaySeconds, core.rules().dnsIndexDelaySeconds);
      const visibleBefore = now.getTime() - delaySeconds * SECOND_MS;
      const sub = (req.SubDomain ?? req.Subdomain)?.toLowerCase();
      const keyword = req.Keyword?.toLowerCase();
      let rows = zone.records.filter((r) => Date.parse(r.createdAt) <= visibleBefore);
      const subdomainRows = sub === undefined || sub === "" ? rows : rows.filter((r) => r.name === sub);
      rows = subdomainRows;
      if (req.RecordType) rows = rows.filter((r) => r.type === req.RecordType?.toUpperCase());
      if (req.RecordLineId) rows = rows.filter((r) => r.lineId === req.RecordLineId);
      else if (req.RecordLine) rows = rows.filter((r) => r.line === req.RecordLine);
      if (keyword) rows = rows.filter((r) => r.name.includes(keyword) || r.value.toLowerCase().includes(keyword));
      const sortKey = req.SortField ? SORT_KEYS[req.SortField] : undefined;
      if (sortKey) {
        const dir = req.SortType?.toUpperCase() === "DESC" ? -1 : 1;
        rows = [...rows].sort((a, b) => {
          const x = sortKey(a);
          const y = sortKey(b);
          return x < y ? -dir : x > y ? dir : 0;
        });
      }
      const page = rows.slice(offset, offset + limit);
      const rules = core.rules();
      if (page.length === 0 && (req.ErrorOnEmpty ?? "yes").toLowerCase() !== "no") {
        throw new ApiError("ResourceNotFound.NoDataOfRecord", "记录列表为空 (no record matches).");
      }
      return {
        RecordCountInfo: { SubdomainCount: subdomainRows.length, ListCount: page.length, TotalCount: rows.length },
        RecordList: page.map((r) => ({
          RecordId: r.recordId, Value: cnameValueOf(r.type, r.value, rules), Status: r.status, UpdatedOn: gmt8(r.updatedAt), Name: r.name, Line: r.line, LineId: r.lineId,
          Type: r.type, Weight: r.weight, MonitorStatus: "", Remark: r.remark, TTL: r.ttl, MX: r.mx, DefaultNS: r.defaultNs,
        })),
      };
    }),
  };
}

/** A new zone with the two default NS records DNSPod lists. */
export function newZone(core: BackendCore, zone: string, now: Date): ZoneRecord {
  const stamp = new Date(now.getTime() - 86_400_000).toISOString();
  const ns = (n: number): DnsRecord => ({
    recordId: core.nextRecordId(), name: "@", type: "NS", line: DEFAULT_LINE, lineId: "0", value: `f1g1ns${n}.dnspod.net.`, ttl: 86400, mx: 0,
    weight: null, status: "ENABLE", remark: "", createdAt: stamp, updatedAt: stamp, defaultNs: true,
  });
  return { zone: zone.toLowerCase(), domainId: core.nextDomainId(), records: [ns(1), ns(2)] };
}
