/** Builds the SDK clients; the only place that constructs them. */
import { Client as DnspodClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_client";
import { Client as SslClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client";
import type { Env, TencentCredentials } from "./credentials";
import { httpWiring, type EndpointOverride, type ServiceName, type Site } from "./endpoint";

export interface ClientSettings {
  readonly credentials: TencentCredentials;
  readonly endpoint: EndpointOverride | null;
  readonly region?: string;
  readonly timeoutSeconds: number;
  readonly env: Env;
  /** @default "cn" */
  readonly site?: Site;
}

export function clientConfig(service: ServiceName, s: ClientSettings) {
  const region = s.region ?? s.credentials.region;
  return {
    credential: {
      secretId: s.credentials.secretId,
      secretKey: s.credentials.secretKey,
      ...(s.credentials.sessionToken === undefined ? {} : { token: s.credentials.sessionToken }),
    },
    ...(region === undefined ? {} : { region }),
    profile: { httpProfile: { reqMethod: "POST" as const, ...httpWiring(service, s.endpoint, s.timeoutSeconds, s.env, s.site ?? "cn") } },
  };
}

export function createSslClient(s: ClientSettings): SslClient {
  return new SslClient(clientConfig("ssl", s));
}

export function createDnspodClient(s: ClientSettings): DnspodClient {
  return new DnspodClient(clientConfig("dnspod", s));
}
