import type { ServiceName } from "./contract";

/** One API call as the emulator saw it. The request body is never recorded: it can hold keys. */
export interface CallRecord {
  /** 1, 2, 3, ... since the emulator started (not reset by `reset()`). */
  readonly seq: number;
  /** Emulator-clock time of the call, ISO 8601. */
  readonly time: string;
  /** `null` when the request could not be routed to a service. */
  readonly service: ServiceName | null;
  /** `X-TC-Action` as sent ("" when missing). */
  readonly action: string;
  /** `null` when the caller was not authenticated. */
  readonly accountId: string | null;
  /** `"ok"`, a Tencent error code, or `fault:reset` / `fault:non-json` / `fault:http-500`. */
  readonly outcome: string;
  readonly requestId: string;
}

export interface CallLogSnapshot {
  readonly calls: CallRecord[];
  /** `"ssl.CreateCertificateByPackage"` -> number of calls, whatever the outcome. */
  readonly counts: Record<string, number>;
  /** Same, counting only calls whose outcome is `ok`. */
  readonly okCounts: Record<string, number>;
}

export interface CallLog {
  record(entry: Omit<CallRecord, "seq">): CallRecord;
  snapshot(): CallLogSnapshot;
  /** Number of calls of `service.Action` (optionally only `ok` ones). */
  count(key: string, okOnly?: boolean): number;
  reset(): void;
}

/** Key used in `counts`: `ssl.DescribeCertificates`; `?` stands for an unknown service. */
export function callKey(service: ServiceName | null, action: string): string {
  return `${service ?? "?"}.${action}`;
}

/**
 * @param maxEntries oldest entries are dropped past this many (counts stay exact). @default 100000
 */
export function createCallLog(maxEntries = 100_000): CallLog {
  let calls: CallRecord[] = [];
  let counts = new Map<string, number>();
  let okCounts = new Map<string, number>();
  let seq = 0;
  return {
    record(entry) {
      const rec: CallRecord = { seq: ++seq, ...entry };
      calls.push(rec);
      if (calls.length > maxEntries) calls = calls.slice(calls.length - Math.ceil(maxEntries * 0.9));
      const key = callKey(entry.service, entry.action);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (entry.outcome === "ok") okCounts.set(key, (okCounts.get(key) ?? 0) + 1);
      return rec;
    },
    snapshot() {
      return { calls: [...calls], counts: Object.fromEntries(counts), okCounts: Object.fromEntries(okCounts) };
    },
    count(key, okOnly = false) {
      return (okOnly ? okCounts : counts).get(key) ?? 0;
    },
    reset() {
      calls = [];
      counts = new Map();
      okCounts = new Map();
    },
  };
}
