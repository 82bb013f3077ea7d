import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { describe, expect, it } from "vitest";
import { hostWithoutPort, parseAuthorization, signRequest, utcDate } from "../../../emulator/tc3";

describe("tc3", () => {
  it("signs exactly like the Node SDK's Sign.sign3 (POST, JSON body, host without port)", () => {
    const payload = { CertificateId: "abc", Limit: 5, Tags: [{ TagKey: "k" }] };
    const timestamp = 1_717_171_717;
    const sdk = Sign.sign3({
      method: "POST",
      url: "http://ssl.tencentcloudapi.com:8080/",
      payload,
      timestamp,
      service: "ssl",
      secretId: "AKIDx",
      secretKey: "key",
      multipart: false,
      boundary: undefined,
      headers: { "Content-Type": "application/json" },
    } as never);
    const ours = signRequest({ secretId: "AKIDx", secretKey: "key", service: "ssl", host: "ssl.tencentcloudapi.com:8080", action: "X", version: "v", body: JSON.stringify(payload), timestamp });
    expect(ours["Authorization"]).toBe(sdk);
  });

  it("signs GET like the SDK (raw query string, empty payload)", () => {
    const timestamp = 1_700_000_000;
    const sdk = Sign.sign3({
      method: "GET",
      url: "http://dnspod.tencentcloudapi.com:1/?Domain=a.com&Limit=2",
      payload: "",
      timestamp,
      service: "dnspod",
      secretId: "id",
      secretKey: "k",
      multipart: false,
      boundary: undefined,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    } as never);
    const ours = signRequest({ secretId: "id", secretKey: "k", service: "dnspod", host: "dnspod.tencentcloudapi.com:1", action: "A", version: "v", method: "GET", query: "Domain=a.com&Limit=2", body: "", timestamp });
    expect(ours["Authorization"]).toBe(sdk);
  });

  it("parses a TC3 Authorization header and rejects malformed ones", () => {
    const sig = "0123456789abcdef".repeat(4);
    expect(parseAuthorization(`TC3-HMAC-SHA256 Credential=AKID/2024-02-29/ssl/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`)).toEqual({
      secretId: "AKID",
      date: "2024-02-29",
      service: "ssl",
      signedHeaders: ["content-type", "host"],
      signature: sig,
    });
    for (const bad of [
      undefined,
      "",
      `HMAC Credential=AKID/2024-02-29/ssl/tc3_request, SignedHeaders=host, Signature=${sig}`,
      `TC3-HMAC-SHA256 Credential=AKID/2024-02-29/ssl/other, SignedHeaders=host, Signature=${sig}`,
      `TC3-HMAC-SHA256 Credential=AKID/24-2-29/ssl/tc3_request, SignedHeaders=host, Signature=${sig}`,
      "TC3-HMAC-SHA256 Credential=AKID/2024-02-29/ssl/tc3_request, SignedHeaders=host, Signature=xyz",
    ]) {
      expect(parseAuthorization(bad)).toBeUndefined();
    }
  });

  it("strips the port from hosts, IPv6 included", () => {
    expect(hostWithoutPort("ssl.tencentcloudapi.com:8443")).toBe("ssl.tencentcloudapi.com");
    expect(hostWithoutPort("ssl.tencentcloudapi.com")).toBe("ssl.tencentcloudapi.com");
    expect(hostWithoutPort("[::1]:8080")).toBe("[::1]");
  });

  it("dates the credential in UTC", () => {
    expect(utcDate(Date.parse("2024-03-01T23:59:59+08:00") / 1000)).toBe("2024-03-01");
    expect(utcDate(Date.parse("2024-03-02T07:59:59+08:00") / 1000)).toBe("2024-03-01");
  });
});
