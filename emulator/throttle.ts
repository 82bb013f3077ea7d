import type { ServiceName } from "./contract";

/**
 * Per-action rate limits, as token buckets keyed by account and `service.Action`. Buckets hold one
 * second's worth of tokens and refill continuously. They run on real (monotonic) time, never on the
 * controllable clock: advancing the emulator clock does not refill them.
 *
 * Defaults (reference §8): 10 req/s for every SSL action (the 2025-02-27 "API Category" table; actions
 * it does not list are assumed 10 too). DNSPod: CreateRecord, ModifyRecord, DeleteRecord 500/s;
 * DescribeRecordList 100/s; DescribeRecord 200/s; everything else 20/s. CreateTXTRecord and
 * ModifyTXTRecord are given 500/s like their generic twins (inferred, not in the table).
 */
export const DEFAULT_SSL_RATE = 10;
export const DEFAULT_DNSPOD_RATE = 20;
export const DEFAULT_RATES: Readonly<Record<string, number>> = {
  "dnspod.CreateRecord": 500,
  "dnspod.ModifyRecord": 500,
  "dnspod.DeleteRecord": 500,
  "dnspod.CreateTXTRecord": 500,
  "dnspod.ModifyTXTRecord": 500,
  "dnspod.DescribeRecordList": 100,
  "dnspod.DescribeRecord": 200,
};

/**
 * `true`: defaults; `false`: no throttling; a record: defaults with overrides. Override keys are
 * `ssl.Action`, a bare `Action` (either service), or `ssl.*` / `dnspod.*`; values are requests per
 * second (`0` rejects every call, `Infinity` never throttles).
 */
export type ThrottleConfig = boolean | Readonly<Record<string, number>>;

export interface Throttle {
  /** Takes a token; `false` means over the limit (answer `RequestLimitExceeded`). */
  take(accountId: string, service: ServiceName, action: string): boolean;
  /** The limit in force for an action, in requests per second (`Infinity` when unthrottled). */
  rateFor(service: ServiceName, action: string): number;
  configure(config: ThrottleConfig): void;
}

interface Bucket {
  tokens: number;
  last: number;
}

export function validateThrottleConfig(config: unknown): ThrottleConfig {
  if (typeof config === "boolean") return config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError("throttle: expected true, false, or an object of `service.Action` -> requests per second");
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
      throw new TypeError(`throttle: the rate for \`${key}\` must be a number >= 0 (requests per second), got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  return out;
}

export function createThrottle(config: ThrottleConfig = true, realNowMs: () => number = () => performance.now()): Throttle {
  let enabled = true;
  let overrides: Readonly<Record<string, number>> = {};
  let buckets = new Map<string, Bucket>();

  const rateFor = (service: ServiceName, action: string): number => {
    if (!enabled) return Infinity;
    const key = `${service}.${action}`;
    const override = overrides[key] ?? overrides[action] ?? overrides[`${service}.*`];
    if (override !== undefined) return override;
    return DEFAULT_RATES[key] ?? (service === "ssl" ? DEFAULT_SSL_RATE : DEFAULT_DNSPOD_RATE);
  };

  const configure = (next: ThrottleConfig): void => {
    const valid = validateThrottleConfig(next);
    enabled = valid !== false;
    overrides = typeof valid === "object" ? { ...valid } : {};
    buckets = new Map();
  };
  configure(config);

  return {
    rateFor,
    configure,
    take(accountId, service, action) {
      const rate = rateFor(service, action);
      if (rate === Infinity) return true;
      if (rate <= 0) return false;
      const capacity = Math.max(1, rate);
      const key = `${accountId}\u0000${service}.${action}`;
      const t = realNowMs();
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: capacity, last: t };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.last) / 1000) * rate);
        bucket.last = t;
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
