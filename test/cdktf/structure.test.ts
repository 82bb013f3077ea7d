/**
 * A structural check of the synthesized cdk.tf.json, for every key mode: every `${...}` parses
 * and resolves to something declared, every provider used is required, private keys are
 * sensitive, and nothing of the build machine or any secret is written into the stack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { functionsCalled, parseTemplate, references, templatesIn, type Template } from "./support/hcl";
import { REPO } from "./support/world";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-cdktf-structure-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
const MODES: [string, RenewedCertificateConfig][] = [
  ["local", { certificateId: "a1B2c3D4" }],
  ["local EC with trigger and deploy", { certificateId: "a1B2c3D4", key: { source: "local", algorithm: "EC_P256" }, renewalTrigger: "r1", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }] }],
  ["local, keyRotation never, payment", { certificateId: "a1B2c3D4", keyRotation: "never", payment: { packageIds: ["pkg-1"] } }],
  ["csr", { certificateId: "a1B2c3D4", key: { source: "csr", csrPem: CSR } }],
];

type Json = Record<string, Record<string, Record<string, unknown>>>;

function synthToDisk(name: string, config: RenewedCertificateConfig, withVariable = false): Json {
  const outdir = path.join(dir, name.replace(/\W+/g, "-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "certs");
  // cdktf's default local backend writes an absolute state path; users choose their backend.
  new LocalBackend(stack, { path: "terraform.certs.tfstate" });
  const cfg = withVariable ? { ...config, certificateId: new TerraformVariable(stack, "cert_id", { type: "string" }).stringValue } : config;
  const cert = new RenewedCertificate(stack, "cert", cfg);
  // key.source "csr": the stack holds no key, and privateKeyPem throws.
  if (config.key?.source !== "csr") new TerraformOutput(stack, "private_key_pem", { value: cert.privateKeyPem, sensitive: true });
  new TerraformOutput(stack, "fullchain_pem", { value: cert.fullchainPem });
  new TerraformOutput(stack, "certificate_id", { value: cert.certificateId });
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "certs", "cdk.tf.json"), "utf8")) as Json;
}

function declared(json: Json): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(json["resource"] ?? {})) for (const name of Object.keys(byName)) out.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(json["data"] ?? {})) for (const name of Object.keys(byName)) out.add(`data.${type}.${name}`);
  for (const name of Object.keys(json["variable"] ?? {})) out.add(`var.${name}`);
  // `self` in the material read's postconditions (Terraform's custom conditions).
  out.add("self.result");
  return out;
}

const KNOWN_FUNCTIONS = new Set(["split", "jsonencode", "sensitive"]);
/** A template that reads a private key. */
const readsKey = (t: Template) => {
  const text = JSON.stringify(t);
  return /tls_private_key\.\w+.*private_key_pem|"private_key_pem"/.test(text) && references(t).some((r) => r.startsWith("tls_private_key.") || r.includes("_material_"));
};

describe.each(MODES)("synthesized JSON, key mode %s", (name, config) => {
  const json = synthToDisk(name, config);
  const text = JSON.stringify(json);

  it("every ${...} parses and refers to something declared, with known functions only", () => {
    const names = declared(json);
    const templates = templatesIn(json);
    expect(templates.length).toBeGreaterThan(3);
    for (const t of templates) {
      for (const r of references(t)) expect(names, `reference ${r}`).toContain(r);
      for (const f of functionsCalled(t)) expect(KNOWN_FUNCTIONS, `function ${f}()`).toContain(f);
    }
  });

  it("every provider used is in required_providers and configured", () => {
    const required = (json["terraform"] as unknown as { required_providers: Record<string, { source: string; version: string }> }).required_providers;
    const used = new Set<string>();
    for (const type of Object.keys(json["resource"] ?? {})) if (type !== "terraform_data") used.add(type.split("_")[0]!);
    for (const type of Object.keys(json["data"] ?? {})) used.add(type.split("_")[0]!);
    expect(used).toContain("external");
    for (const p of used) {
      expect(required[p], `required_providers.${p}`).toBeDefined();
      expect((json["provider"] as Record<string, unknown>)[p], `provider ${p}`).toBeDefined();
    }
    expect(required["external"]!.source).toMatch(/^(hashicorp\/)?external$/);
    if (used.has("tls")) expect(required["tls"]!.source).toBe("hashicorp/tls");
    // terraform_data is built into Terraform: no provider needed
    expect(required["terraform"]).toBeUndefined();
  });

  it("private keys are sensitive wherever they leave the key resource", () => {
    const outputs = json["output"] as unknown as Record<string, { value: string; sensitive?: boolean }>;
    for (const [k, o] of Object.entries(outputs)) {
      const t = parseTemplate(String(o.value));
      if (typeof o.value === "string" && readsKey(t)) {
        expect(o.sensitive, `output ${k}`).toBe(true);
        expect(String(o.value)).toMatch(/^\$\{sensitive\(/);
      }
    }
    // the only other consumers of the key: the CSR resource, and (to deploy) the renewal step's
    // environment, which Terraform neither stores nor shows
    for (const [type, byName] of Object.entries(json["resource"] ?? {}))
      for (const [n, body] of Object.entries(byName))
        for (const t of templatesIn(body))
          if (references(t).some((r) => r.startsWith("tls_private_key."))) {
            const where = `${type}.${n}`;
            if (where.startsWith("terraform_data.cert_renewal_")) {
              const env = (body as { provisioner: { "local-exec": { environment: Record<string, string> } }[] }).provisioner[0]!["local-exec"].environment;
              const keyed = Object.entries(env).filter(([, v]) => /tls_private_key\./.test(v)).map(([k]) => k);
              expect(keyed).toEqual(config.deploy?.length ? ["TCCERT_PRIVATE_KEY_PEM"] : []);
            } else expect(where, "only tls_cert_request reads the key").toMatch(/^tls_cert_request\./);
          }
    // the key only when the certificate is for it (adopted: null), never "" and never another certificate's
    if (name.startsWith("local")) expect(outputs["private_key_pem"]!.value).toMatch(/^\$\{sensitive\(\(data\.external\.cert_material_\w+\.result\["key_matches"\] == "true"\) \? tls_private_key\.cert_key_\w+\.private_key_pem : null\)\}$/);
    else expect(outputs["private_key_pem"]).toBeUndefined();
    // No program result carries a key: Terraform cannot mark a data "external" result sensitive.
    expect(text).not.toMatch(/_material_\w+\.result\[\\"private_key_pem/);
  });

  it("the material read is gated on the renewal step's output", () => {
    const material = Object.entries(json["data"]!["external"]!).find(([k]) => k.includes("material"))![1] as { query: Record<string, string> };
    expect(Object.values(material.query).some((v) => /^\$\{terraform_data\.cert_renewal_\w+\.output\[/.test(v))).toBe(true);
  });

  it("writes no path of this machine and no secret", () => {
    expect(text).not.toContain(REPO);
    expect(text).not.toContain(os.tmpdir());
    expect(text).not.toContain(os.homedir());
    expect(text).not.toMatch(/node_modules|dist\/cli/);
    expect(text).not.toMatch(/PRIVATE KEY|TENCENTCLOUD_SECRET|AKID/);
    for (const p of [...Object.values(json["data"]!["external"]!)].map((d) => (d as { program: string[] }).program)) expect(p.slice(0, 3)).toEqual(["npx", "--no-install", "tccert"]);
  });
});

describe("synthesized JSON with a token certificate id", () => {
  it("references the variable and still resolves everything", () => {
    const json = synthToDisk("token", { certificateId: "ignored" }, true);
    const names = declared(json);
    const refs = templatesIn(json).flatMap((t) => references(t));
    expect(refs).toContain("var.cert_id");
    for (const r of refs) expect(names).toContain(r);
  });
});
