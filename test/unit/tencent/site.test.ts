/** `--site intl` / `TENCENTCLOUD_SITE=intl`: Tencent Cloud International's hosts (issue 12). */
import { describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { makeCaller } from "../../../tencent/call";
import { endpointKey, httpWiring, parseEndpoint, realHost, resolveSite } from "../../../tencent/endpoint";

describe("the site", () => {
  it("is cn by default, intl from the flag or TENCENTCLOUD_SITE, the flag winning", () => {
    expect(resolveSite(undefined, {})).toBe("cn");
    expect(resolveSite(undefined, { TENCENTCLOUD_SITE: "intl" })).toBe("intl");
    expect(resolveSite("INTL", {})).toBe("intl");
    expect(resolveSite("cn", { TENCENTCLOUD_SITE: "intl" })).toBe("cn");
  });

  it("refuses anything else, naming the flag or variable, the value and the choices", () => {
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return null;
    };
    const fromFlag = caught(() => resolveSite("international", {}));
    expect(isInvalidInputError(fromFlag) && fromFlag.field).toBe("site");
    expect((fromFlag as Error).message).toBe('tencent: invalid site "international": expected "cn" (the China site, *.tencentcloudapi.com) or "intl" (Tencent Cloud International, *.intl.tencentcloudapi.com).');
    const fromEnv = caught(() => resolveSite(undefined, { TENCENTCLOUD_SITE: "us" }));
    expect((fromEnv as Error).message).toMatch(/^tencent: invalid TENCENTCLOUD_SITE "us"/);
  });

  it("selects the *.intl.tencentcloudapi.com hosts for both services", () => {
    expect(realHost("ssl", "intl")).toBe("ssl.intl.tencentcloudapi.com");
    expect(realHost("dnspod", "intl")).toBe("dnspod.intl.tencentcloudapi.com");
    expect(httpWiring("ssl", null, 60, {}, "intl")).toMatchObject({ endpoint: "ssl.intl.tencentcloudapi.com", protocol: "https://" });
    expect(httpWiring("dnspod", null, 60, {}, "intl").endpoint).toBe("dnspod.intl.tencentcloudapi.com");
    expect(httpWiring("ssl", null, 60, {}).endpoint).toBe("ssl.tencentcloudapi.com");
    expect(endpointKey("ssl", null, "intl")).toBe("https://ssl.intl.tencentcloudapi.com");
  });

  it("with an override, names the intl host (signed) while connecting to the override", () => {
    const w = httpWiring("ssl", parseEndpoint("http://127.0.0.1:8443"), 5, {}, "intl");
    expect(w.endpoint).toBe("ssl.intl.tencentcloudapi.com:8443");
    expect(w.protocol).toBe("http://");
  });
});

describe("the paid-renewal flow on Tencent Cloud International", () => {
  const caller = (site: "cn" | "intl", service: "ssl" | "dnspod" = "ssl") =>
    makeCaller({ service, site, endpoint: null, secretId: "AKIDtest", retry: {}, rateLimit: {} });

  it("is refused before anything is sent, naming the site and the way out", async () => {
    let sent = 0;
    const send = async () => {
      sent += 1;
      return "answer";
    };
    for (const action of ["DescribePackages", "CreateCertificateByPackage", "CertificateOrderSubmit"]) {
      const failure = await caller("intl")(action, send).catch((e: unknown) => e);
      expect(isInvalidInputError(failure) && failure.field).toBe("site");
      expect((failure as Error).message).toBe(
        `tencent: ${action} does not exist on Tencent Cloud International (site "intl"): its SSL API has no paid-renewal calls. ` +
          'Renew on the China site (site "cn", the default); doctor, scan and deploy work on either site.',
      );
    }
    expect(sent).toBe(0);
  });

  it("lets reads, deployment and DNSPod through on intl, and everything through on cn", async () => {
    const send = async () => "answer";
    await expect(caller("intl")("DescribeCertificates", send)).resolves.toBe("answer");
    await expect(caller("intl")("UpdateCertificateInstance", send)).resolves.toBe("answer");
    await expect(caller("intl", "dnspod")("DescribeRecordList", send)).resolves.toBe("answer");
    await expect(caller("cn")("CreateCertificateByPackage", send)).resolves.toBe("answer");
  });
});
