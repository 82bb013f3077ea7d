import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { loopbackAgent, loopbackLookup, sdkHttpProfile } from "../../../emulator/sdk-profile";

describe("sdk profile", () => {
  it("lookup resolves every name to 127.0.0.1, in the `all` and the single form", async () => {
    const lookup = loopbackLookup();
    const all = await new Promise<LookupAddress[]>((resolve, reject) =>
      lookup("ssl.tencentcloudapi.com", { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[]))),
    );
    expect(all).toEqual([{ address: "127.0.0.1", family: 4 }]);
    const single = await new Promise<[string, number | undefined]>((resolve, reject) =>
      lookup("dnspod.tencentcloudapi.com", {}, (err, address, family) => (err ? reject(err) : resolve([address as string, family]))),
    );
    expect(single).toEqual(["127.0.0.1", 4]);
  });

  it("builds the SDK httpProfile with the real host name and the port", () => {
    const agent = loopbackAgent();
    expect(sdkHttpProfile(4321, "dnspod", agent)).toEqual({ endpoint: "dnspod.tencentcloudapi.com:4321", protocol: "http://", agent });
    expect(sdkHttpProfile(1).endpoint).toBe("ssl.tencentcloudapi.com:1");
    agent.destroy();
  });
});
