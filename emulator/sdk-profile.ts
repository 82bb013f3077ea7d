/**
 * Pointing the Tencent SDK (or any HTTP client) at the emulator while keeping Tencent's real host
 * names, so the TC3 credential scope carries the real service name (`ssl`, `dnspod`: the SDK takes
 * it from the endpoint's first label) and the signed host is the real one (the port is not signed).
 */
import * as http from "node:http";
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import type { ServiceName } from "./contract";

/** A `lookup` that resolves every name to `address`; handles both the `all: true` and single forms. */
export function loopbackLookup(address = "127.0.0.1"): LookupFunction {
  const family = address.includes(":") ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) {
      const all: LookupAddress[] = [{ address, family }];
      process.nextTick(() => callback(null, all));
    } else {
      process.nextTick(() => callback(null, address, family));
    }
  };
}

/**
 * An agent whose connections all go to the loopback address, whatever the host name. Passing it
 * also stops the SDK from routing through `http_proxy`.
 * @param options `keepAlive` defaults to true
 */
export function loopbackAgent(options: http.AgentOptions = {}, address = "127.0.0.1"): http.Agent {
  return new http.Agent({ keepAlive: true, ...options, lookup: loopbackLookup(address) });
}

/** `ssl.tencentcloudapi.com:PORT`. */
export function emulatorEndpoint(service: ServiceName, port: number): string {
  return `${service}.tencentcloudapi.com:${port}`;
}

export interface SdkHttpProfile {
  readonly endpoint: string;
  readonly protocol: "http://";
  readonly agent: http.Agent;
}

/**
 * `profile.httpProfile` for a Tencent SDK client talking to the emulator on `port`:
 * `new ssl.v20191205.Client({ credential, profile: { httpProfile: sdkHttpProfile(port, "ssl") } })`.
 */
export function sdkHttpProfile(port: number, service: ServiceName = "ssl", agent: http.Agent = loopbackAgent()): SdkHttpProfile {
  return { endpoint: emulatorEndpoint(service, port), protocol: "http://", agent };
}
