/** `DnsApi` (engine/ports.ts) over the SDK client `dnspod/v20210323`. */
import type { Client as DnspodClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_client";
import type { DnsRecord } from "../engine/domain";
import { isTencentApiError } from "../engine/errors";
import type { CreateDnsRecord, DnsApi } from "../engine/ports";
import type { Caller } from "./call";
import { createdRecordIdOf, mapDnsRecord } from "./map-misc";
import { list, num, str } from "./wire";

const RECORD_PAGE = 3000;
const DOMAIN_PAGE = 3000;
/** An account without DNSPod domains. */
const NO_DOMAINS = "ResourceNotFound.NoDataOfDomain";
const MAX_PAGES = 1000;
/** DNSPod's default line (`RecordLine: "默认"`). */
export const DEFAULT_LINE = "默认";
/** @default TTL of validation records, seconds. */
export const DEFAULT_TTL = 600;

/** An empty list, answered as an error when `ErrorOnEmpty` is not honoured. */
const NO_RECORDS = "ResourceNotFound.NoDataOfRecord";
/** Answers to DeleteRecord that mean the record is already gone. */
const RECORD_GONE = new Set([NO_RECORDS, "InvalidParameter.RecordIdInvalid", "InvalidParameter.RecordNotExist", "ResourceNotFound.RecordNotExist"]);

export class TencentDnsApi implements DnsApi {
  constructor(
    private readonly client: DnspodClient,
    private readonly call: Caller,
  ) {}

  /** Every zone of the account (`DescribeDomainList`, all pages); an account without zones gives []. */
  async listZones(): Promise<readonly string[]> {
    const zones: string[] = [];
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const offset = zones.length;
        const r = await this.call("DescribeDomainList", () => this.client.DescribeDomainList({ Type: "ALL", Offset: offset, Limit: DOMAIN_PAGE }));
        const items = list(r.DomainList);
        zones.push(...items.map((d) => str(d?.Name).toLowerCase().replace(/\.$/, "")).filter((z) => z !== ""));
        if (items.length < DOMAIN_PAGE || zones.length >= num(r.DomainCountInfo?.AllTotal, zones.length)) break;
      }
    } catch (e) {
      if (isTencentApiError(e) && e.code === NO_DOMAINS) return zones;
      throw e;
    }
    return zones;
  }

  async listRecords(zone: string, subDomain?: string, type?: string): Promise<readonly DnsRecord[]> {
    const records: DnsRecord[] = [];
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const offset = records.length;
        const r = await this.call("DescribeRecordList", () =>
          this.client.DescribeRecordList({
            Domain: zone,
            ...(subDomain !== undefined && subDomain !== "" ? { SubDomain: subDomain } : {}),
            ...(type !== undefined && type !== "" ? { RecordType: type } : {}),
            ErrorOnEmpty: "no",
            Offset: offset,
            Limit: RECORD_PAGE,
          }),
        );
        const items = list(r.RecordList);
        records.push(...items.map(mapDnsRecord));
        const total = num(r.RecordCountInfo?.TotalCount, records.length);
        if (items.length < RECORD_PAGE || records.length >= total) break;
      }
    } catch (e) {
      if (isTencentApiError(e) && e.code === NO_RECORDS) return records;
      throw e;
    }
    return records;
  }

  async createRecord(record: CreateDnsRecord): Promise<number> {
    const r = await this.call("CreateRecord", () =>
      this.client.CreateRecord({
        Domain: record.zone,
        SubDomain: record.subDomain,
        RecordType: record.type,
        RecordLine: DEFAULT_LINE,
        Value: record.value,
        TTL: record.ttl ?? DEFAULT_TTL,
      }),
    );
    return createdRecordIdOf(r);
  }

  /** A record that is already gone counts as deleted. */
  async deleteRecord(zone: string, recordId: number): Promise<void> {
    try {
      await this.call("DeleteRecord", () => this.client.DeleteRecord({ Domain: zone, RecordId: recordId }));
    } catch (e) {
      if (isTencentApiError(e) && RECORD_GONE.has(e.code)) return;
      throw e;
    }
  }
}
