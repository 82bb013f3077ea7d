import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { codeOf, signedCall } from "./support/raw-client";
import { dnspodClient, sdkFailure, sslClient } from "./support/sdk";
import { createTinyBackend, tinyBackendFactory } from "./support/tiny-backend";

describe("parameter validation against the SDK's request models, over HTTP", () => {
  let emu: RunningEmulator;
  const tiny = tinyBackendFactory();
  beforeAll(async () => {
    emu = await startEmulator({ backend: tiny.create, throttle: false, log: () => {} });
  });
  afterAll(() => emu.close());

  it("a missing required field -> MissingParameter naming it, and the handler does not run", async () => {
    const f = await sdkFailure(sslClient(emu.port).CreateCertificateByPackage({ ProductPid: 1013949, PackageIds: ["p1"], DomainCount: "1" } as never));
    expect(f.code).toBe("MissingParameter");
    expect(f.message).toContain("`Period`");
    expect(tiny.instance().state.purchases).toEqual({});
  });

  it("an unknown field -> UnknownParameter naming it", async () => {
    const f = await sdkFailure(sslClient(emu.port).DescribeCertificateDetail({ CertificateId: "cert0001", Bogus: 1 } as never));
    expect(f.code).toBe("UnknownParameter");
    expect(f.message).toContain("`Bogus`");
  });

  it("a mistyped field -> InvalidParameter naming the field and the expected type", async () => {
    const f = await sdkFailure(sslClient(emu.port).CreateCertificateByPackage({ ProductPid: 1013949, PackageIds: "p1", DomainCount: "1", Period: 1 } as never));
    expect(f.code).toBe("InvalidParameter");
    expect(f.message).toContain("`PackageIds`");
    expect(f.message).toContain("array of string");
    const nested = await sdkFailure(sslClient(emu.port).DescribeCertificates({ Tags: [{ TagKey: 5, TagValue: "v" }] } as never));
    expect(nested.code).toBe("InvalidParameter");
    expect(nested.message).toContain("`Tags.0.TagKey`");
    expect(nested.message).toContain("string");
    const num = await sdkFailure(dnspodClient(emu.port).CreateRecord({ Domain: "a.com", RecordType: "TXT", RecordLine: "默认", Value: "v", TTL: "ten" } as never));
    expect(num.code).toBe("InvalidParameter");
    expect(num.message).toMatch(/`TTL` must be number, got "ten"/);
  });

  it("numeric strings are accepted where the model says number, and handlers get numbers (fixtures send \"Offset\": \"0\")", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificates", body: { Offset: "0", Limit: "1", SearchKey: "ninghhuang", CertificateStatus: ["1", 4] } });
    expect(codeOf(res)).toBe("ok");
    expect(res.json().Response["Echo"]).toEqual({ Offset: 0, Limit: 1, SearchKey: "ninghhuang", CertificateStatus: [1, 4] });
  });

  it("a valid call still reaches the handler (state changes)", async () => {
    const res = await sslClient(emu.port).CreateCertificateByPackage({ ProductPid: 1013949, PackageIds: ["p1"], DomainCount: "1", Period: 1, OldCertificateId: "cert0001", RenewGenCsrMethod: "online" });
    expect(res.CertificateId).toBe("new00001");
    expect(tiny.instance().state.purchases).toEqual({ "acct-1": 1 });
  });

  it("explicit nulls count as absent (the SDK strips them too)", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: null } });
    expect(codeOf(res)).toBe("MissingParameter");
  });

  it("every fixture input in test/fixtures/tencent-api validates (fixture quirks included)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const { validateParams } = await import("../../../emulator/validate");
    const dir = path.resolve(__dirname, "../../fixtures/tencent-api");
    const files = [...fs.readdirSync(dir).map((f) => path.join(dir, f)), ...fs.readdirSync(path.join(dir, "variants")).map((f) => path.join(dir, "variants", f))].filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const [service, action] = path.basename(file).split(".") as ["ssl" | "dnspod", string];
      const fixture = JSON.parse(fs.readFileSync(file, "utf8")) as { input: unknown };
      expect(() => validateParams(service, action, fixture.input), path.basename(file)).not.toThrow();
    }
  });

  it("each emulator instance has its own backend state", async () => {
    const other = await startEmulator({ backend: createTinyBackend, throttle: false, log: () => {} });
    try {
      const res = await sslClient(other.port).CreateCertificateByPackage({ ProductPid: 1, PackageIds: ["p"], DomainCount: "1", Period: 1 });
      expect(res.CertificateId).toBe("new00001");
    } finally {
      await other.close();
    }
  });
});
