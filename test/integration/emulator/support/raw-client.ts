/** Raw signed HTTP calls to the emulator (no SDK), for tests that need to bend the request. */
import * as http from "node:http";
import type { ServiceName } from "../../../../emulator/contract";
import { SERVICE_VERSIONS } from "../../../../emulator/contract";
import { loopbackAgent } from "../../../../emulator/sdk-profile";
import { signRequest } from "../../../../emulator/tc3";
import { ACCOUNT } from "./tiny-backend";

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export function rawRequest(port: number, req: RawRequest, agent: http.Agent = sharedAgent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body ?? "";
    const r = http.request(
      { host: "127.0.0.1", port, method: req.method ?? "POST", path: req.path ?? "/", headers: { ...req.headers, "Content-Length": String(Buffer.byteLength(body)) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(body);
  });
}

export const sharedAgent = loopbackAgent({ keepAlive: true, maxSockets: 32 });

export interface SignedCall {
  readonly service?: ServiceName;
  readonly action: string;
  /** An object is JSON-encoded; a string or Buffer is sent as is. */
  readonly body?: unknown;
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly token?: string;
  readonly timestamp?: number;
  readonly version?: string;
  readonly host?: string;
  /** Headers to add or override after signing. */
  readonly extraHeaders?: Record<string, string>;
  /** Body to send instead of the signed one (tampering). */
  readonly sendBody?: string;
}

export async function signedCall(port: number, call: SignedCall): Promise<RawResponse & { json: () => { Response: Record<string, unknown> } }> {
  const service = call.service ?? "ssl";
  const body = typeof call.body === "string" || Buffer.isBuffer(call.body) ? call.body : JSON.stringify(call.body ?? {});
  const host = call.host ?? `${service}.tencentcloudapi.com:${port}`;
  const headers = signRequest({
    secretId: call.secretId ?? ACCOUNT.secretId,
    secretKey: call.secretKey ?? ACCOUNT.secretKey,
    service,
    host,
    action: call.action,
    version: call.version ?? SERVICE_VERSIONS[service],
    body,
    ...(call.timestamp !== undefined ? { timestamp: call.timestamp } : {}),
    ...(call.token !== undefined ? { token: call.token } : {}),
  });
  const res = await rawRequest(port, { headers: { ...headers, ...call.extraHeaders }, body: call.sendBody ?? body });
  return { ...res, json: () => JSON.parse(res.text) as { Response: Record<string, unknown> } };
}

/** `Response.Error.Code` of an answer, or `ok`. */
export function codeOf(res: { json: () => { Response: Record<string, unknown> } }): string {
  const error = res.json().Response["Error"] as { Code?: string } | undefined;
  return error?.Code ?? "ok";
}
