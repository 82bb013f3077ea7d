import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSchema, generateSchema, SERVICE_SOURCES } from "../../../../emulator/schema/generate";
import { compileSchema } from "../../../../emulator/schema";

describe("schema generator", () => {
  it.each(SERVICE_SOURCES.map((s) => [s.service, s] as const))("the committed %s.json is what the installed SDK generates (run `npm run schema:generate` after an SDK upgrade)", (service, source) => {
    const committed = fs.readFileSync(path.resolve(__dirname, `../../../../emulator/schema/${service}.json`), "utf8");
    expect(formatSchema(generateSchema(source))).toBe(committed);
  });

  it("reads request fields, required flags, arrays and nested models", () => {
    const ssl = generateSchema(SERVICE_SOURCES[0]!);
    expect(ssl.actions["CreateCertificateByPackage"]).toMatchObject({ ProductPid: "number", PackageIds: "string[]", DomainCount: "string", Period: "number", OldCertificateId: "string?", Tags: "Tags[]?" });
    expect(ssl.actions["DescribeCertificates"]).toMatchObject({ CertificateStatus: "number[]?" });
    expect(ssl.models["Tags"]).toEqual({ TagKey: "string", TagValue: "string" });
    expect(Object.keys(ssl.actions)).toHaveLength(68);
    const dnspod = generateSchema(SERVICE_SOURCES[1]!);
    expect(dnspod.actions["CreateRecord"]).toMatchObject({ Domain: "string", RecordType: "string", RecordLine: "string", Value: "string", TTL: "number?" });
    expect(dnspod.actions["DescribeUserDetail"]).toEqual({});
    expect(() => compileSchema(dnspod)).not.toThrow();
  });

  it("compileSchema rejects a reference to a model it does not have", () => {
    expect(() => compileSchema({ service: "x", version: "v", sdkVersion: "s", actions: { A: { B: "Missing[]" } }, models: {} })).toThrow("Missing");
  });
});
