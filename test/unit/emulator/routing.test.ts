import { describe, expect, it } from "vitest";
import { ApiError } from "../../../emulator/contract";
import { routeService } from "../../../emulator/routing";

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return e instanceof ApiError ? e.code : "not an ApiError";
  }
};

describe("routeService", () => {
  it("routes by the Host's first label", () => {
    expect(routeService("ssl.tencentcloudapi.com:1234", "2019-12-05")).toBe("ssl");
    expect(routeService("DNSPOD.tencentcloudapi.com", "2021-03-23")).toBe("dnspod");
  });

  it("falls back to X-TC-Version", () => {
    expect(routeService("127.0.0.1:1234", "2021-03-23")).toBe("dnspod");
    expect(routeService(undefined, "2019-12-05")).toBe("ssl");
  });

  it("NoSuchProduct, MissingParameter and NoSuchVersion", () => {
    expect(codeOf(() => routeService("127.0.0.1", "2000-01-01"))).toBe("NoSuchProduct");
    expect(codeOf(() => routeService("ssl.tencentcloudapi.com", undefined))).toBe("MissingParameter");
    expect(codeOf(() => routeService("ssl.tencentcloudapi.com", "2021-03-23"))).toBe("NoSuchVersion");
  });
});
