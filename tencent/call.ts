/**
 * One Tencent call: rate limit → SDK request → error classification → retry
 * per the call's kind (retry.ts). Every SDK call of the adapter goes through here.
 */
import { InvalidInputError } from "../engine/errors";
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

/**
 * SSL actions that Tencent Cloud International's API does not have (its SDK 3.0.1335 lacks them):
 * the whole paid-renewal flow. Reads, deployment and DNSPod work on both sites.
 */
export const NOT_ON_INTL: ReadonlySet<string> = new Set([
  "CreateCertificateByPackage",
  "CertificateInfoSubmit",
  "CertificateOrderSubmit",
  "CheckCertificateDomainVerification",
  "CompleteCertificate",
  "DescribeDownloadCertificateUrl",
  "DescribePackages",
]);

/** @throws InvalidInputError (field `site`) before anything is sent, for an action the site lacks. */
function checkSite(settings: CallSettings, action: string): void {
  if (settings.service !== "ssl" || settings.site !== "intl" || !NOT_ON_INTL.has(action)) return;
  throw new InvalidInputError(
    "site",
    `tencent: ${action} does not exist on Tencent Cloud International (site "intl"): its SSL API has no paid-renewal calls. ` +
      `Renew on the China site (site "cn", the default); doctor, scan and deploy work on either site.`,
  );
}

export function makeCaller(settings: CallSettings): Caller {
  const key = endpointKey(settings.service, settings.endpoint, settings.site ?? "cn");
  return async <T>(action: string, send: () => Promise<T>): Promise<T> => {
    checkSite(settings, action);
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
