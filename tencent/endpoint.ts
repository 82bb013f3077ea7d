/**
 * Where requests go, and the HTTP wiring of the SDK clients.
 *
 * Without an override, requests go to the real `ssl.tencentcloudapi.com` and
 * `dnspod.tencentcloudapi.com` over HTTPS through an explicit keep-alive
 * `https.Agent`. The SDK would otherwise route through `process.env.http_proxy`
 * (lowercase, meant for plain HTTP) even for HTTPS and loopback; we never do
 * that. A proxy for the real endpoints is honoured only from `HTTPS_PROXY` /
 * `https_proxy` (the SDK then builds its own proxy agent).
 *
 * With an override (`--endpoint URL` or `TCCERT_ENDPOINT`, e.g.
 * `http://127.0.0.1:8443`), the SDK still targets `ssl.tencentcloudapi.com:PORT`
 * and `dnspod.tencentcloudapi.com:PORT` so that the TC3 signature names the real
 * services (`ssl`, `dnspod`), while an agent's `lookup` resolves every name to
 * the override's host. No proxy is ever used for an override. With an
 * `https://` override, TLS checks the server's certificate against the real
 * host name (`ssl.tencentcloudapi.com`), since that is the name the SDK uses.
 */
import * as dns from "node:dns";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import { InvalidInputError } from "../engine/errors";
import type { Env } from "./credentials";

export type ServiceName = "ssl" | "dnspod";

/**
 * Which Tencent Cloud site the real endpoints belong to: `cn` (tencentcloud.com's China site,
 * `*.tencentcloudapi.com`) or `intl` (Tencent Cloud International, `*.intl.tencentcloudapi.com`).
 */
export type Site = "cn" | "intl";
export const SITES: readonly Site[] = ["cn", "intl"];
export const SITE_ENV = "TENCENTCLOUD_SITE";

export const ENDPOINT_ENV = "TCCERT_ENDPOINT";
const EXAMPLE = "http://127.0.0.1:8443";

/** A validated endpoint override. */
export interface EndpointOverride {
  readonly protocol: "http" | "https";
  /** Host the override names: an IP literal or a DNS name (`localhost`). */
  readonly host: string;
  readonly port: number;
  /** Normalized `protocol://host:port`. */
  readonly origin: string;
}

/**
 * Parse and validate an endpoint URL.
 * @param field the name the user knows it by: `endpoint` (flag/config) or `TCCERT_ENDPOINT`.
 */
export function parseEndpoint(value: string, field: string = "endpoint"): EndpointOverride {
  const fail = (why: string): never => {
    throw new InvalidInputError(
      field,
      `tencent: invalid ${field} ${JSON.stringify(value)}: ${why}. Expected an http(s) URL with a host and an optional port and nothing else, e.g. ${EXAMPLE}.`,
    );
  };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail("not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") fail(`protocol ${url.protocol} is not http: or https:`);
  if (url.username !== "" || url.password !== "") fail("credentials in the URL are not allowed");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") fail("a path, query or fragment is not allowed (the API always posts to /)");
  if (url.hostname === "") fail("the host is missing");
  const protocol = url.protocol === "https:" ? "https" : "http";
  const port = url.port === "" ? (protocol === "https" ? 443 : 80) : Number(url.port);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol, host, port, origin: `${protocol}://${url.host}` };
}

/**
 * The override in effect: the explicit value if given, else `TCCERT_ENDPOINT`,
 * else null (the real endpoints).
 */
export function resolveEndpoint(explicit: string | undefined, env: Env = process.env): EndpointOverride | null {
  if (explicit !== undefined && explicit.trim() !== "") return parseEndpoint(explicit, "endpoint");
  const fromEnv = env[ENDPOINT_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return parseEndpoint(fromEnv, ENDPOINT_ENV);
  return null;
}

export const REAL_HOSTS: Readonly<Record<ServiceName, string>> = {
  ssl: "ssl.tencentcloudapi.com",
  dnspod: "dnspod.tencentcloudapi.com",
};

/** Tencent Cloud International's hosts for the same APIs. */
export const INTL_HOSTS: Readonly<Record<ServiceName, string>> = {
  ssl: "ssl.intl.tencentcloudapi.com",
  dnspod: "dnspod.intl.tencentcloudapi.com",
};

/** The host of `service` on `site`. */
export function realHost(service: ServiceName, site: Site = "cn"): string {
  return (site === "intl" ? INTL_HOSTS : REAL_HOSTS)[service];
}

/**
 * The site in effect: the explicit value (`--site`, config) if given, else `TENCENTCLOUD_SITE`, else `cn`.
 * @throws InvalidInputError naming the flag or variable, the value and the choices.
 */
export function resolveSite(explicit: string | undefined, env: Env = process.env): Site {
  const pick = (value: string, field: string): Site => {
    const v = value.trim().toLowerCase();
    if ((SITES as readonly string[]).includes(v)) return v as Site;
    throw new InvalidInputError(
      field,
      `tencent: invalid ${field} ${JSON.stringify(value)}: expected "cn" (the China site, *.tencentcloudapi.com) or "intl" (Tencent Cloud International, *.intl.tencentcloudapi.com).`,
    );
  };
  if (explicit !== undefined && explicit.trim() !== "") return pick(explicit, "site");
  const fromEnv = env[SITE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return pick(fromEnv, SITE_ENV);
  return "cn";
}

/**
 * A `lookup` that answers every name with the override's host. IP literals
 * answer directly; `localhost` answers 127.0.0.1 (then ::1); other names go
 * through the system resolver. Handles `options.all` (Node's happy eyeballs).
 */
export function pinnedLookup(target: string): net.LookupFunction {
  return (_hostname, options, callback) => {
    const literal = net.isIP(target);
    let answers: dns.LookupAddress[] | null = null;
    if (literal !== 0) answers = [{ address: target, family: literal }];
    else if (target.toLowerCase() === "localhost") answers = [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }];
    if (answers === null) {
      if (options.all === true) dns.lookup(target, { ...options, all: true }, (err, addresses) => callback(err, addresses));
      else dns.lookup(target, { ...options, all: false }, (err, address, family) => callback(err, address, family));
      return;
    }
    const wanted = options.family === 4 || options.family === 6 ? answers.filter((a) => a.family === options.family) : answers;
    const chosen = wanted.length > 0 ? wanted : answers;
    const first = chosen[0] as dns.LookupAddress;
    if (options.all === true) process.nextTick(callback, null, chosen);
    else process.nextTick(callback, null, first.address, first.family);
  };
}

/** The SDK `httpProfile` fields we set (a subset of the SDK's `HttpProfile`). */
export interface HttpWiring {
  readonly endpoint: string;
  readonly protocol: "http://" | "https://";
  readonly agent?: http.Agent;
  readonly proxy?: string;
  readonly reqTimeout: number;
}

/**
 * Endpoint, protocol, agent (or proxy) and timeout for one service's SDK client.
 * @param site whose hosts the SDK names (with an override, the name signed while the agent still connects to the override). @default "cn"
 */
export function httpWiring(service: ServiceName, override: EndpointOverride | null, timeoutSeconds: number, env: Env = process.env, site: Site = "cn"): HttpWiring {
  const host = realHost(service, site);
  if (override === null) {
    const proxy = env.HTTPS_PROXY ?? env.https_proxy;
    if (proxy !== undefined && proxy.trim() !== "") {
      return { endpoint: host, protocol: "https://", proxy: proxy.trim(), reqTimeout: timeoutSeconds };
    }
    return { endpoint: host, protocol: "https://", agent: new https.Agent({ keepAlive: true }), reqTimeout: timeoutSeconds };
  }
  const lookup = pinnedLookup(override.host);
  const agent =
    override.protocol === "https"
      ? new https.Agent({ keepAlive: true, lookup })
      : new http.Agent({ keepAlive: true, lookup });
  return {
    endpoint: `${host}:${override.port}`,
    protocol: override.protocol === "https" ? "https://" : "http://",
    agent,
    reqTimeout: timeoutSeconds,
  };
}

/** A stable key naming where requests for a service go (for shared rate limiters). */
export function endpointKey(service: ServiceName, override: EndpointOverride | null, site: Site = "cn"): string {
  return override === null ? `https://${realHost(service, site)}` : `${service}@${override.origin}`;
}
