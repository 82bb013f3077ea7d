import * as http from "node:http";
import * as https from "node:https";
import { describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { endpointKey, httpWiring, parseEndpoint, pinnedLookup, resolveEndpoint } from "../../../tencent/endpoint";

function failure(f: () => unknown): Error & { field?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { field?: string };
  }
  throw new Error("expected a throw");
}

describe("parseEndpoint", () => {
  it("accepts http and https URLs with and without a port", () => {
    expect(parseEndpoint("http://127.0.0.1:8443")).toEqual({ protocol: "http", host: "127.0.0.1", port: 8443, origin: "http://127.0.0.1:8443" });
    expect(parseEndpoint("http://localhost:8443/")).toMatchObject({ host: "localhost", port: 8443 });
    expect(parseEndpoint("https://emulator.internal")).toMatchObject({ protocol: "https", port: 443 });
    expect(parseEndpoint("http://[::1]:9000")).toMatchObject({ host: "::1", port: 9000 });
  });

  it.each(["127.0.0.1:8443", "ftp://127.0.0.1", "http://u:p@127.0.0.1:1", "http://127.0.0.1:1/api", "http://127.0.0.1:1/?x=1", "not a url", ""])(
    "rejects %j naming the field, the value and an example",
    (value) => {
      const e = failure(() => parseEndpoint(value, "TCCERT_ENDPOINT"));
      expect(isInvalidInputError(e)).toBe(true);
      expect(e.field).toBe("TCCERT_ENDPOINT");
      expect(e.message).toContain("tencent: invalid TCCERT_ENDPOINT");
      expect(e.message).toContain(JSON.stringify(value));
      expect(e.message).toContain("http://127.0.0.1:8443");
    },
  );
});

describe("resolveEndpoint", () => {
  it("prefers the explicit value, then TCCERT_ENDPOINT, else the real endpoints", () => {
    expect(resolveEndpoint("http://127.0.0.1:1", { TCCERT_ENDPOINT: "http://127.0.0.1:2" })?.port).toBe(1);
    expect(resolveEndpoint(undefined, { TCCERT_ENDPOINT: "http://127.0.0.1:2" })?.port).toBe(2);
    expect(resolveEndpoint(undefined, {})).toBeNull();
    expect(resolveEndpoint("", { TCCERT_ENDPOINT: " " })).toBeNull();
  });

  it("names the flag or the variable the bad value came from", () => {
    expect(failure(() => resolveEndpoint("bad", {})).field).toBe("endpoint");
    expect(failure(() => resolveEndpoint(undefined, { TCCERT_ENDPOINT: "bad" })).field).toBe("TCCERT_ENDPOINT");
  });
});

describe("httpWiring", () => {
  it("keeps the real service names in the endpoint and pins the host through an agent", () => {
    const o = parseEndpoint("http://127.0.0.1:8443");
    const ssl = httpWiring("ssl", o, 5, {});
    expect(ssl.endpoint).toBe("ssl.tencentcloudapi.com:8443");
    expect(ssl.protocol).toBe("http://");
    expect(ssl.agent).toBeInstanceOf(http.Agent);
    expect(ssl.proxy).toBeUndefined();
    expect(ssl.reqTimeout).toBe(5);
    expect(httpWiring("dnspod", o, 5, {}).endpoint).toBe("dnspod.tencentcloudapi.com:8443");
  });

  it("never uses a proxy for an override, even with HTTPS_PROXY set", () => {
    const w = httpWiring("ssl", parseEndpoint("http://127.0.0.1:1"), 5, { HTTPS_PROXY: "http://proxy:3128" });
    expect(w.proxy).toBeUndefined();
    expect(w.agent).toBeDefined();
  });

  it("uses an explicit https agent for the real endpoints so http_proxy cannot hijack them", () => {
    const w = httpWiring("ssl", null, 60, { http_proxy: "http://proxy:3128" });
    expect(w).toMatchObject({ endpoint: "ssl.tencentcloudapi.com", protocol: "https://" });
    expect(w.agent).toBeInstanceOf(https.Agent);
  });

  it("honours HTTPS_PROXY for the real endpoints", () => {
    const w = httpWiring("dnspod", null, 60, { HTTPS_PROXY: "http://proxy:3128" });
    expect(w.proxy).toBe("http://proxy:3128");
    expect(w.agent).toBeUndefined();
  });

  it("keys limiters by service and destination", () => {
    expect(endpointKey("ssl", null)).toBe("https://ssl.tencentcloudapi.com");
    expect(endpointKey("ssl", parseEndpoint("http://127.0.0.1:1"))).not.toBe(endpointKey("dnspod", parseEndpoint("http://127.0.0.1:1")));
  });
});

describe("pinnedLookup", () => {
  const ask = (target: string, options: { all?: boolean; family?: number }) =>
    new Promise<unknown[]>((resolve, reject) => {
      pinnedLookup(target)("ssl.tencentcloudapi.com", options, (err, address, family) => (err ? reject(err) : resolve([address, family])));
    });

  it("answers every name with an IP literal", async () => {
    expect(await ask("127.0.0.1", {})).toEqual(["127.0.0.1", 4]);
    expect(await ask("127.0.0.1", { all: true })).toEqual([[{ address: "127.0.0.1", family: 4 }], undefined]);
    expect(await ask("::1", {})).toEqual(["::1", 6]);
  });

  it("answers localhost with IPv4 loopback first, both with options.all", async () => {
    expect(await ask("localhost", {})).toEqual(["127.0.0.1", 4]);
    expect(await ask("localhost", { family: 6 })).toEqual(["::1", 6]);
    const [all] = await ask("localhost", { all: true });
    expect(all).toEqual([{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]);
  });
});
