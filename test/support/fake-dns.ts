/**
 * An in-memory DNSPod (`DnsApi`) for unit tests: zones, records, the shared
 * call log and scripted faults (fake-calls.ts). An unknown zone answers
 * `InvalidParameterValue.DomainNotExists`, as DNSPod does.
 */
import type { DnsRecord, DvAuth } from "../../engine/domain";
import type { CreateDnsRecord, DnsApi } from "../../engine/ports";
import { FakeCalls, tencentError } from "./fake-calls";

interface StoredRecord extends DnsRecord {
  readonly zone: string;
}

export class FakeDns implements DnsApi {
  private readonly zones: Set<string>;
  private readonly records: StoredRecord[] = [];
  private nextId = 1000;

  constructor(
    readonly calls: FakeCalls = new FakeCalls(),
    zones: readonly string[] = ["example.com"],
  ) {
    this.zones = new Set(zones);
  }

  listZones(): Promise<readonly string[]> {
    return this.calls.run("listZones", [], () => [...this.zones]);
  }

  listRecords(zone: string, subDomain?: string, type?: string): Promise<readonly DnsRecord[]> {
    return this.calls.run("listRecords", [zone, subDomain, type], () => {
      this.zoneOf("listRecords", zone);
      return this.records.filter((r) => r.zone === zone && (subDomain === undefined || r.name === subDomain) && (type === undefined || r.type === type));
    });
  }

  createRecord(record: CreateDnsRecord): Promise<number> {
    return this.calls.run("createRecord", [record], () => this.add(this.zoneOf("createRecord", record.zone), record.subDomain, record.type, record.value, record.ttl ?? 600));
  }

  deleteRecord(zone: string, recordId: number): Promise<void> {
    return this.calls.run("deleteRecord", [zone, recordId], () => {
      const i = this.records.findIndex((r) => r.zone === zone && r.recordId === recordId);
      if (i >= 0) this.records.splice(i, 1);
    });
  }

  /** Publishes a record directly, not through the API (a user doing manual DNS). Returns its id. */
  publish(zone: string, subDomain: string, type: string, value: string): number {
    return this.add(zone, subDomain, type, value, 600);
  }

  /** Publishes the records of `auths` directly (manual DNS done by hand). */
  publishAll(auths: readonly DvAuth[]): void {
    for (const a of auths) this.publish(a.zone, a.subDomain, a.recordType, a.value);
  }

  /** Every record now in DNSPod (for assertions). */
  all(): readonly StoredRecord[] {
    return [...this.records];
  }

  /** True when every record the CA asks for is published with its value. */
  hasAll(auths: readonly DvAuth[]): boolean {
    return auths.every((a) => this.records.some((r) => r.zone === a.zone && r.name === a.subDomain && r.type === a.recordType && r.value === a.value));
  }

  private zoneOf(method: "listRecords" | "createRecord", zone: string): string {
    if (!this.zones.has(zone)) throw tencentError(method, "InvalidParameterValue.DomainNotExists");
    return zone;
  }

  private add(zone: string, name: string, type: string, value: string, ttl: number): number {
    const recordId = this.nextId++;
    this.records.push({ zone, recordId, name, type, value, line: "默认", ttl, status: "ENABLE" });
    return recordId;
  }
}
