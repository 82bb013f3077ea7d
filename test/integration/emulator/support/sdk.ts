/** Real Tencent SDK clients pointed at an emulator. */
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import type { ServiceName } from "../../../../emulator/contract";
import { loopbackAgent, sdkHttpProfile } from "../../../../emulator/sdk-profile";
import { ACCOUNT } from "./tiny-backend";

export interface Creds {
  secretId: string;
  secretKey: string;
  token?: string;
}

const agent = loopbackAgent({ keepAlive: true });

export function sslClient(port: number, credential: Creds = ACCOUNT, reqMethod: "POST" | "GET" = "POST") {
  return new tencentcloud.ssl.v20191205.Client({ credential, profile: { httpProfile: { ...sdkHttpProfile(port, "ssl", agent), reqMethod } } });
}

export function dnspodClient(port: number, credential: Creds = ACCOUNT, reqMethod: "POST" | "GET" = "POST") {
  return new tencentcloud.dnspod.v20210323.Client({ credential, profile: { httpProfile: { ...sdkHttpProfile(port, "dnspod", agent), reqMethod } } });
}

export function clientFor(service: ServiceName, port: number, credential: Creds = ACCOUNT) {
  return service === "ssl" ? sslClient(port, credential) : dnspodClient(port, credential);
}

/** What the SDK threw, in the fields tests assert on. */
export interface SdkFailure {
  readonly name: string;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly httpCode: number | undefined;
  readonly message: string;
  readonly traceId: string | undefined;
}

export async function sdkFailure(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e) {
    const err = e as { constructor: { name: string }; code?: string; requestId?: string; httpCode?: number; message: string; traceId?: string };
    return { name: err.constructor.name, code: err.code, requestId: err.requestId, httpCode: err.httpCode, message: err.message, traceId: err.traceId };
  }
  throw new Error("expected the SDK call to fail, but it succeeded");
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
