/**
 * One Tencent call: rate limit → SDK request → error classification → retry
 * per the call's kind (retry.ts). Every SDK call of the adapter goes through here.
 */
import type { EndpointOverride, ServiceName, Site } from "./endpoint";
import { endpointKey } from "./endpoint";
import { classifyError, type ClassifiedFailure } from "./errors";
import { limiterFor, rateFor, type RateLimitOptions } from "./rate-limit";
import { callKindOf, withRetry, type RetryOptions } from "./retry";

export interface CallSettings {
  readonly service: ServiceName;
  readonly endpoint: EndpointOverride | null;
  readonly secretId: string;
  readonly retry: RetryOptions;
  readonly rateLimit: RateLimitOptions;
  /** @default "cn" */
  readonly site?: Site;
}

export type Caller = <T>(action: string, send: () => Promise<T>) => Promise<T>;

export function makeCaller(settings: CallSettings): Caller {
  const key = endpointKey(settings.service, settings.endpoint, settings.site ?? "cn");
  return async <T>(action: string, send: () => Promise<T>): Promise<T> => {
    const limiter = limiterFor(key, action, rateFor(settings.service, action, settings.rateLimit));
    const ctx = { service: settings.service, action, secretId: settings.secretId, ...(settings.endpoint ? { endpoint: settings.endpoint.origin } : {}) };
    return withRetry<T>(callKindOf(action), settings.retry, async () => {
      try {
        return { ok: true, value: await limiter.schedule(send) };
      } catch (thrown) {
        const failure: ClassifiedFailure = classifyError(thrown, ctx);
        return { ok: false, failure };
      }
    });
  };
}
