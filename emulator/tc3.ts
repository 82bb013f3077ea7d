/**
 * TC3-HMAC-SHA256, the signature of Tencent Cloud API 3.0 (reference §6.2), with node:crypto only.
 * Used by the server to verify requests and by tests and benchmarks to sign raw requests.
 */
import { createHash, createHmac } from "node:crypto";

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

export interface CanonicalRequestInput {
  readonly method: string;
  /** URL path, `/` for the API. */
  readonly path: string;
  /** Raw query string without `?` (`""` for POST). */
  readonly query: string;
  /** Lower-case header names in signing order. */
  readonly signedHeaders: readonly string[];
  /** Value of a header by lower-case name (`host` without the port). */
  readonly headerValue: (name: string) => string;
  /** Exact body bytes. */
  readonly body: Buffer | string;
}

export interface StringToSignInput {
  readonly timestamp: number;
  readonly date: string;
  readonly service: string;
  readonly canonicalRequest: string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** `YYYY-MM-DD` of a unix timestamp, in UTC. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** Canonical form of a header value: trimmed and lower-cased. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().toLowerCase();
}

/** The host as signed: without the port (`ssl.tencentcloudapi.com:8080` -> `ssl.tencentcloudapi.com`). */
export function hostWithoutPort(host: string): string {
  const h = host.trim();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end === -1 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headers = input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input.headerValue(name))}\n`).join("");
  return [input.method.toUpperCase(), input.path, input.query, headers, input.signedHeaders.join(";"), sha256Hex(input.body)].join("\n");
}

export function stringToSign(input: StringToSignInput): string {
  return [TC3_ALGORITHM, String(input.timestamp), `${input.date}/${input.service}/tc3_request`, sha256Hex(input.canonicalRequest)].join("\n");
}

/** Hex signature of a string-to-sign. */
export function tc3Signature(secretKey: string, date: string, service: string, toSign: string): string {
  const kDate = createHmac("sha256", `TC3${secretKey}`).update(date).digest();
  const kService = createHmac("sha256", kDate).update(service).digest();
  const kSigning = createHmac("sha256", kService).update("tc3_request").digest();
  return createHmac("sha256", kSigning).update(toSign).digest("hex");
}

export interface ParsedAuthorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH_RE =
  /^TC3-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request\s*,\s*SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*)\s*,\s*Signature=([0-9a-f]{64})\s*$/i;

/** Parses an `Authorization` header; `undefined` when it is not a well-formed TC3 header. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (header === undefined) return undefined;
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = m;
  if (secretId === undefined || date === undefined || service === undefined || signedHeaders === undefined || signature === undefined) return undefined;
  return { secretId, date, service, signedHeaders: signedHeaders.toLowerCase().split(";"), signature: signature.toLowerCase() };
}

export interface SignRequestInput {
  readonly secretId: string;
  readonly secretKey: string;
  /** Credential-scope service, e.g. `ssl`. */
  readonly service: string;
  /** `Host` header as sent (the port is stripped for signing). */
  readonly host: string;
  readonly action: string;
  readonly version: string;
  /** Exact body bytes (`""` for GET). */
  readonly body: Buffer | string;
  /** @default "POST" */
  readonly method?: string;
  /** Raw query string for GET. @default "" */
  readonly query?: string;
  /** @default "application/json" (POST), "application/x-www-form-urlencoded" (GET) */
  readonly contentType?: string;
  /** Unix seconds. @default now */
  readonly timestamp?: number;
  readonly token?: string;
}

/** Headers of a signed request, the way the Node SDK builds them. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const method = (input.method ?? "POST").toUpperCase();
  const contentType = input.contentType ?? (method === "GET" ? "application/x-www-form-urlencoded" : "application/json");
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const date = utcDate(timestamp);
  const signedHeaders = ["content-type", "host"];
  const host = hostWithoutPort(input.host);
  const canonical = canonicalRequest({
    method,
    path: "/",
    query: input.query ?? "",
    signedHeaders,
    headerValue: (name) => (name === "host" ? host : contentType),
    body: input.body,
  });
  const signature = tc3Signature(input.secretKey, date, input.service, stringToSign({ timestamp, date, service: input.service, canonicalRequest: canonical }));
  const headers: Record<string, string> = {
    Authorization: `${TC3_ALGORITHM} Credential=${input.secretId}/${date}/${input.service}/tc3_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`,
    "Content-Type": contentType,
    Host: input.host,
    "X-TC-Action": input.action,
    "X-TC-Version": input.version,
    "X-TC-Timestamp": String(timestamp),
  };
  if (input.token !== undefined) headers["X-TC-Token"] = input.token;
  return headers;
}
