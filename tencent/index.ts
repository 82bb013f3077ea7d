/**
 * The Tencent adapter: the engine's `SslApi` and `DnsApi` over the real SDK.
 * Nothing exported here mentions an SDK type.
 */
import { InvalidInputError } from "../engine/errors";
import type { BindingsApi } from "../engine/drift-port";
import type { DnsApi, SslApi } from "../engine/ports";
import type { TencentProbe } from "../engine/probe-port";
import { makeCaller } from "./call";
import type { Env, TencentCredentials } from "./credentials";
import { TencentDnsApi } from "./dns-api";
import { resolveEndpoint, resolveSite } from "./endpoint";
import { createProbe } from "./probe";
import type { RateLimitOptions } from "./rate-limit";
import type { RetryOptions } from "./retry";
import { createDnspodClient, createSslClient } from "./sdk-clients";
import { TencentBindingsApi } from "./bind-resources";
import { TencentSslApi } from "./ssl-api";

export { resolveCredentials, redact, CREDENTIAL_ENV, type CredentialFrontEnd } from "./credentials";
export type { TencentCredentials, Env } from "./credentials";
export { parseEndpoint, resolveEndpoint, resolveSite, realHost, ENDPOINT_ENV, SITE_ENV, SITES } from "./endpoint";
export type { EndpointOverride, Site } from "./endpoint";
export { phaseOfStatus } from "./status";
export { parseTencentTime, formatTencentTime } from "./dates";
export { ACTION_KINDS, callKindOf, DEFAULT_RETRY } from "./retry";
export type { CallKind, RetryOptions } from "./retry";
export { rateFor, SSL_DEFAULT_RATE, DNSPOD_DEFAULT_RATES } from "./rate-limit";
export type { RateLimitOptions } from "./rate-limit";

export interface TencentApisOptions {
  /** Resolved credentials (see `resolveCredentials`). */
  readonly credentials: TencentCredentials;
  /**
   * Endpoint override URL, e.g. `http://127.0.0.1:8443` (the emulator).
   * @default `TCCERT_ENDPOINT` from `env`, else the real Tencent endpoints
   */
  readonly endpoint?: string;
  /** @default `credentials.region`, else none (SSL and DNSPod need none) */
  readonly region?: string;
  /** @default 5 retries, 500 ms base, 10 s cap, full jitter (reads and idempotent calls only) */
  readonly retry?: RetryOptions;
  /** @default 10 req/s per SSL action; DNSPod per reference §8 */
  readonly rateLimit?: RateLimitOptions;
  /** Per-request timeout. @default 60 */
  readonly timeoutSeconds?: number;
  /** Where `TCCERT_ENDPOINT`, `TENCENTCLOUD_SITE` and `HTTPS_PROXY` are read. @default process.env */
  readonly env?: Env;
  /**
   * `intl` for Tencent Cloud International (`ssl.intl.tencentcloudapi.com`, `dnspod.intl.tencentcloudapi.com`).
   * @default `TENCENTCLOUD_SITE` from `env`, else "cn" (`*.tencentcloudapi.com`)
   */
  readonly site?: string;
}

export interface TencentApis {
  readonly ssl: SslApi;
  readonly dns: DnsApi;
  /** Where certificates are deployed: the read-only bound-resource task (drift). */
  readonly bindings: BindingsApi;
  /** Read-only raw answers (doctor, canary, live suite): refuses any action that is not a read. */
  readonly probe: TencentProbe;
}

/**
 * @throws InvalidInputError when the endpoint override is not a valid URL.
 */
export function createTencentApis(options: TencentApisOptions): TencentApis {
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint(options.endpoint, env);
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds)) {
    throw new InvalidInputError("timeoutSeconds", `tencent: timeoutSeconds must be a positive number of seconds, got ${timeoutSeconds}; e.g. 60.`);
  }
  const site = resolveSite(options.site, env);
  const clientSettings = {
    credentials: options.credentials,
    endpoint,
    timeoutSeconds,
    env,
    site,
    ...(options.region === undefined ? {} : { region: options.region }),
  };
  const common = { endpoint, site, secretId: options.credentials.secretId, retry: options.retry ?? {}, rateLimit: options.rateLimit ?? {} };
  const sslClient = createSslClient(clientSettings);
  const dnspodClient = createDnspodClient(clientSettings);
  const call = { ssl: makeCaller({ ...common, service: "ssl" }), dnspod: makeCaller({ ...common, service: "dnspod" }) };
  return {
    ssl: new TencentSslApi(sslClient, call.ssl),
    dns: new TencentDnsApi(dnspodClient, call.dnspod),
    bindings: new TencentBindingsApi(sslClient, call.ssl),
    probe: createProbe({ ssl: sslClient, dnspod: dnspodClient, call, endpoint, site, secretId: options.credentials.secretId }),
  };
}
