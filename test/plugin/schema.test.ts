/**
 * The schema the REAL plugin serves over gRPC (`GetSchema`), checked structurally against the
 * definitions it is generated from: every Pulumi input of the engine's field table, the resource's
 * own inputs, every output, secrets, provider config and the language sections. Also the build's
 * `schema.json` (shipped in the package) is the same text, and the plugin's version is the package's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldsOf } from "../../engine/options";
import { CONFIG_NAMES } from "../../provider/config";
import { PULUMI_INPUTS } from "../../provider/inputs";
import { OUTPUTS, OUTPUT_NAMES } from "../../provider/state";
import { REPO, startPlugin, TOKEN, type Plugin } from "./plugin-host";
import { checkSchemaStructure, type Schema } from "./schema-check";

let plugin: Plugin;
let text: string;
let schema: Schema;
beforeAll(async () => {
  plugin = await startPlugin();
  text = await plugin.getSchema();
  schema = JSON.parse(text) as Schema;
});
afterAll(async () => plugin?.close());

const resource = () => schema.resources[TOKEN]!;

describe("GetSchema and GetPluginInfo of the plugin executable", () => {
  it("serves a structurally valid package schema with the RenewedCertificate token, and the package's version", async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;
    expect(schema.name).toBe("tencentcloud-cert-renewal");
    expect(schema.version).toBe(version);
    expect((await plugin.getPluginInfo()).version).toBe(version);
    expect(Object.keys(schema.resources)).toEqual([TOKEN]);
    expect(checkSchemaStructure(schema)).toEqual([]);
  });

  it("has every Pulumi input of the engine's field table, nested ones in their object types, plus the resource's own inputs", () => {
    const r = resource();
    for (const [, spec] of fieldsOf("pulumi")) {
      const parts = spec.pulumi!.replace("[]", "").split(".");
      if (parts.length === 1) {
        expect(r.inputProperties[parts[0]!], spec.pulumi).toBeDefined();
        expect(r.inputProperties[parts[0]!]!.description).toContain(spec.doc.slice(0, 20));
      } else {
        const parent = r.inputProperties[parts[0]!]!;
        const ref = (parent.$ref ?? parent.items?.$ref)!.replace("#/types/", "");
        expect(schema.types[ref]!.properties[parts[1]!], spec.pulumi).toBeDefined();
        if (spec.secret) expect(schema.types[ref]!.properties[parts[1]!]!.secret, `${spec.pulumi} is secret`).toBe(true);
      }
      if (typeof spec.default !== "undefined" && parts.length === 1) expect(r.inputProperties[parts[0]!]!.default, `${spec.pulumi} default`).toBe(spec.default);
    }
    for (const name of Object.keys(PULUMI_INPUTS)) expect(r.inputProperties[name], name).toBeDefined();
    expect(r.inputProperties["pkcs12Password"]!.secret).toBe(true);
    expect(r.requiredInputs).toEqual(["certificateId"]);
    expect(schema.types["tencentcloud-cert-renewal:index:Key"]!.properties["privateKeyPem"]!.secret).toBe(true);
  });

  it("has every output, secret ones marked secret, all required; and the stored inputs", () => {
    const r = resource();
    for (const name of OUTPUT_NAMES) {
      expect(r.properties[name], name).toBeDefined();
      expect(r.required).toContain(name);
      expect(r.properties[name]!.secret === true, `${name} secret`).toBe("secret" in OUTPUTS[name]);
    }
    expect(r.properties["privateKeyPem"]!.secret).toBe(true);
    expect(r.properties["pkcs12"]!.secret).toBe(true);
    expect(r.properties["pkcs12Password"]!.secret).toBe(true);
    expect(r.properties["certificatePem"]!.secret).toBeUndefined();
    // The key is stored as a digest: its output type has no privateKeyPem.
    expect(r.properties["key"]!.$ref).toBe("#/types/tencentcloud-cert-renewal:index:KeyState");
    expect(schema.types["tencentcloud-cert-renewal:index:KeyState"]!.properties["privateKeyPem"]).toBeUndefined();
  });

  it("declares the provider config (secretKey and securityToken secret) and the nodejs, python, go and csharp package names", () => {
    for (const name of ["secretId", "secretKey", "securityToken", "region", "endpoint", "site", "stateDir"]) {
      expect(CONFIG_NAMES).toContain(name);
      expect(schema.config.variables[name], name).toBeDefined();
      expect(schema.provider.inputProperties[name], name).toBeDefined();
    }
    expect(schema.config.variables["secretKey"]!.secret).toBe(true);
    expect(schema.config.variables["securityToken"]!.secret).toBe(true);
    expect(schema.config.variables["secretId"]!.secret).toBeUndefined();
    const lang = schema.language as Record<string, Record<string, unknown>>;
    expect(lang["nodejs"]!["packageName"]).toMatch(/^@?[a-z0-9-/]+$/);
    expect(lang["python"]!["packageName"]).toBe("pulumi_tencentcloud_cert_renewal");
    expect(lang["go"]!["importBasePath"]).toMatch(/^[a-z0-9.-]+\/.+\/tencentcloudcertrenewal$/);
    expect((lang["csharp"]!["namespaces"] as Record<string, string>)["tencentcloud-cert-renewal"]).toBe("TencentCloudCertRenewal");
  });

  it("the build's schema.json (shipped in the package) is the schema the plugin serves", () => {
    expect(fs.readFileSync(path.join(REPO, "schema.json"), "utf8")).toBe(text);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { files: string[]; bin: Record<string, string> };
    expect(pkg.files).toEqual(expect.arrayContaining(["schema.json", "bin"]));
    expect(pkg.bin["pulumi-resource-tencentcloud-cert-renewal"]).toBe("bin/pulumi-resource-tencentcloud-cert-renewal");
  });
});
