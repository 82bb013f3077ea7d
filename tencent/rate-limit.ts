/**
 * Client-side rate limits, one limiter per (endpoint, action), shared by every
 * client in this process. Requests are spaced evenly (`minTime = 1000 / rate`),
 * so no one-second window ever sees more than the rate.
 *
 * Defaults (reference §8): 10 req/s for every SSL action (the 2025-02 "API
 * Category" table; newer actions are undocumented, assumed 10). DNSPod:
 * CreateRecord, DeleteRecord, ModifyRecord 500/s, DescribeRecordList 100/s,
 * DescribeRecord 200/s, anything else 20/s.
 */
import Bottleneck from "bottleneck";
import type { ServiceName } from "./endpoint";

export interface RateLimitOptions {
  /** Requests per second for each SSL action. @default 10 */
  readonly sslPerSecond?: number;
  /** Requests per second for each DNSPod action. @default per action, see DNSPOD_DEFAULT_RATES (20 for unlisted) */
  readonly dnspodPerSecond?: number;
  /** Per-action overrides, e.g. `{ DescribeCertificateDetail: 5 }`; win over the above. */
  readonly perAction?: Readonly<Record<string, number>>;
}

export const SSL_DEFAULT_RATE = 10;
export const DNSPOD_DEFAULT_RATES: Readonly<Record<string, number>> = {
  CreateRecord: 500,
  DeleteRecord: 500,
  ModifyRecord: 500,
  DescribeRecordList: 100,
  DescribeRecord: 200,
};
export const DNSPOD_FALLBACK_RATE = 20;

/** Requests per second allowed for one action. */
export function rateFor(service: ServiceName, action: string, options: RateLimitOptions = {}): number {
  const explicit = options.perAction?.[action];
  if (explicit !== undefined) return explicit;
  if (service === "ssl") return options.sslPerSecond ?? SSL_DEFAULT_RATE;
  return options.dnspodPerSecond ?? DNSPOD_DEFAULT_RATES[action] ?? DNSPOD_FALLBACK_RATE;
}

interface Entry {
  readonly limiter: Bottleneck;
  minTime: number;
}

const limiters = new Map<string, Entry>();

/**
 * The process-wide limiter of `action` at `endpointKey`. When clients of one
 * process configure different rates for the same key, the slowest one wins.
 */
export function limiterFor(endpointKey: string, action: string, perSecond: number): Bottleneck {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`tencent: rate limit for ${action} must be a positive number of requests per second, got ${perSecond}`);
  }
  const minTime = Math.ceil(1000 / perSecond);
  const key = `${endpointKey}|${action}`;
  const existing = limiters.get(key);
  if (existing !== undefined) {
    if (minTime > existing.minTime) {
      existing.minTime = minTime;
      existing.limiter.updateSettings({ minTime });
    }
    return existing.limiter;
  }
  const limiter = new Bottleneck({ minTime, maxConcurrent: null });
  limiters.set(key, { limiter, minTime });
  return limiter;
}
