/**
 * The plain HCL module (terraform/modules/renewed-certificate) and its example, parsed by
 * HashiCorp's own HCL parser (@cdktf/hcl2json, which cdktf ships), checked against the same
 * contract as the synthesized stacks: the programs and their query keys (constructs/protocol.ts),
 * the provider ranges, sensitivity, no key through a program, every reference declared, every
 * variable and output documented. The plan → apply scenarios on the module are in test/terraform.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { MATERIAL_KEYS, MATERIAL_RESULT_KEYS, RENEW_KEYS, STATUS_KEYS, STATUS_RESULT_KEYS, TF_COMMANDS, TF_ENV } from "../../constructs/protocol";
import { PROVIDER_CONSTRAINTS } from "../../constructs/providers";
import { REPO } from "./support/world";

const MODULE = path.join(REPO, "terraform/modules/renewed-certificate");
const EXAMPLE = path.join(REPO, "examples/terraform-hcl");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function load(dir: string): Promise<{ json: Json; text: string }> {
  const json: Json = {};
  let text = "";
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    const src = fs.readFileSync(path.join(dir, f), "utf8");
    text += `${src}\n`;
    for (const [block, body] of Object.entries(await parse(f, src))) json[block] = mergeBlocks(json[block], body);
  }
  return { json, text };
}

function mergeBlocks(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return { ...(a as object), ...(b as object) };
}

const one = <T>(v: T[] | T): T => (Array.isArray(v) ? v[0]! : v);
/** Keys of an HCL object written inside an expression: `{ a = 1, b = 2 }` (top level only). */
const objectKeys = (expr: string): string[] => [...expr.matchAll(/^\s*(\w+)\s*=/gm)].map((m) => m[1]!);

describe("terraform/modules/renewed-certificate", async () => {
  const { json, text } = await load(MODULE);
  const readme = fs.readFileSync(path.join(MODULE, "README.md"), "utf8");
  const status = one(json["data"]["external"]["status"]);
  const material = one(json["data"]["external"]["material"]);
  const renewal = one(json["resource"]["terraform_data"]["renewal"]);
  const locals = Object.assign({}, ...(json["locals"] as Json[])) as Record<string, string>;

  it("asks for Terraform >= 1.5 and the same provider ranges as the construct", () => {
    const terraform = one(json["terraform"]);
    expect(terraform["required_version"]).toBe(">= 1.5.0");
    const providers = one(terraform["required_providers"]) as Record<string, { source: string; version: string }>;
    expect(providers).toEqual({
      external: { source: "hashicorp/external", version: PROVIDER_CONSTRAINTS.external },
      tls: { source: "hashicorp/tls", version: PROVIDER_CONSTRAINTS.tls },
    });
  });

  it("runs the same tccert programs with the same query keys as the synthesized stacks", () => {
    expect(status["program"]).toBe(`\${concat(var.program, ["${TF_COMMANDS.status}"])}`);
    expect(material["program"]).toBe(`\${concat(var.program, ["${TF_COMMANDS.material}"])}`);
    expect(Object.keys(status["query"]).sort()).toEqual([...STATUS_KEYS].sort());
    expect(Object.keys(material["query"]).sort()).toEqual([...MATERIAL_KEYS].sort());
    expect(material["query"]["after_renewal"]).toBe("${terraform_data.renewal.output.cycle}");
    const exec = one(renewal["provisioner"])["local-exec"][0] ?? one(renewal["provisioner"])["local-exec"];
    expect(exec["interpreter"]).toBe(`\${concat(var.program, ["${TF_COMMANDS.renew}", "--certificate-id"])}`);
    expect(exec["command"]).toBe("${var.certificate_id}");
    const envNames = [...String(exec["environment"]).matchAll(/\b(TCCERT_\w+)\s*=/g)].map((m) => m[1]);
    expect(new Set(envNames)).toEqual(new Set([TF_ENV.query, TF_ENV.csr, TF_ENV.forceFrom, TF_ENV.stateDir, TF_ENV.privateKey]));
    expect(objectKeys(locals["renew_query"]!.replace(/^\$\{jsonencode\(\{|\}\)\}$/g, "")).sort()).toEqual([...RENEW_KEYS].sort());
    expect(one(json["variable"]["program"])["default"]).toEqual(["npx", "--no-install", "tccert"]);
  });

  it("reads only result keys the programs write", () => {
    for (const m of text.matchAll(/local\.status\.(\w+)/g)) expect(STATUS_RESULT_KEYS, `status result ${m[1]}`).toContain(m[1]);
    for (const m of text.matchAll(/data\.external\.status\.result\.(\w+)/g)) expect(STATUS_RESULT_KEYS).toContain(m[1]);
    for (const m of text.matchAll(/(?:data\.external\.material\.result|self\.result)\.(\w+)/g)) expect(MATERIAL_RESULT_KEYS, `material result ${m[1]}`).toContain(m[1]);
  });

  it("every reference is declared: variables, locals, resources, data sources", () => {
    const vars = new Set(Object.keys(json["variable"]));
    const localNames = new Set(Object.keys(locals));
    const resources = new Set(Object.entries(json["resource"] as Json).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)));
    const data = new Set(Object.entries(json["data"] as Json).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`)));
    for (const m of text.matchAll(/\bvar\.(\w+)/g)) expect(vars, `var.${m[1]}`).toContain(m[1]);
    for (const m of text.matchAll(/\blocal\.(\w+)/g)) expect(localNames, `local.${m[1]}`).toContain(m[1]);
    for (const m of text.matchAll(/(?<![\w.])((?:terraform_data|tls_private_key|tls_cert_request)\.\w+)/g)) expect(resources, m[1]).toContain(m[1]);
    for (const m of text.matchAll(/\b(data\.external\.\w+)/g)) expect(data, m[1]).toContain(m[1]);
  });

  it("keys: only tls_private_key makes one; it reaches the CSR, the sensitive output and (with deploy) the renewal step's environment, never a program's query", () => {
    const keyRefs = [...text.matchAll(/tls_private_key\.key[^\s,)}]*/g)].map((m) => m[0]);
    expect(keyRefs.every((r) => /private_key_pem|\[count\.index\]|\[\*\]|\[0\]/.test(r))).toBe(true);
    expect(JSON.stringify(status["query"]) + JSON.stringify(material["query"])).not.toMatch(/tls_private_key/);
    const outputs = json["output"] as Record<string, Json[]>;
    for (const [name, body] of Object.entries(outputs)) {
      const o = one(body);
      if (/tls_private_key/.test(String(o["value"]))) expect(o["sensitive"], `output ${name}`).toBe(true);
      else expect(o["sensitive"], `output ${name}`).toBeUndefined();
    }
    expect(String(one(outputs["private_key_pem"]!)["value"])).toBe('${data.external.material.result.key_matches == "true" ? one(tls_private_key.key[*].private_key_pem) : null}');
    expect(material["query"]["key_cycle"]).toBe("${local.key_cycle}");
    expect(locals["csr_pem"]).toMatch(/tls_cert_request\.csr\[\*\]\.cert_request_pem/);
  });

  it("key rotation: the key is replaced when the key cycle changes, by a bare reference", () => {
    const key = one(json["resource"]["tls_private_key"]["key"]);
    expect(one(key["lifecycle"])["replace_triggered_by"]).toEqual(["${terraform_data.key_cycle[count.index]}"]);
    expect(one(json["resource"]["terraform_data"]["key_cycle"])["input"]).toEqual({ key_cycle: '${var.key_rotation == "always" ? local.key_cycle : "never"}' });
    expect(locals["key_cycle"]).toBe("${local.owed ? local.status.forced_key_cycle : local.status.key_cycle}");
    expect(locals["cycle"]).toBe("${local.owed ? local.status.forced_cycle : local.status.cycle}");
  });

  it("missing, mismatched or stale material fails the apply through postconditions", () => {
    const post = one(material["lifecycle"])["postcondition"] as { condition: string; error_message: string }[];
    expect(post).toEqual([
      { condition: '${self.result.problem == ""}', error_message: "tccert: ${self.result.problem}" },
      { condition: '${self.result.certificate_pem != ""}', error_message: expect.stringContaining("no certificate PEM") },
    ]);
  });

  it("refuses Tencent-held keys and other bad input at plan, naming the variable and the fix", () => {
    const v = json["variable"] as Record<string, Json[]>;
    const validation = (name: string) => one(one(v[name]!)["validation"]) as { condition: string; error_message: string };
    expect(validation("key_source").condition).toBe('${contains(["local", "csr"], var.key_source)}');
    expect(validation("key_source").error_message).toMatch(/"online" and "original" .* cannot mark sensitive/);
    expect(validation("key_rotation").condition).toBe('${contains(["always", "never"], var.key_rotation)}');
    expect(validation("validation").condition).toBe('${contains(["dnspod", "DNS_AUTO", "manual-dns"], var.validation)}');
  });

  it("every optional variable says its @default; README documents every variable and output", () => {
    for (const [name, body] of Object.entries(json["variable"] as Record<string, Json[]>)) {
      const b = one(body);
      if ("default" in b) expect(String(b["description"]), `variable ${name}`).toMatch(/@default/);
      expect(readme, `README: variable ${name}`).toContain(`\`${name}\``);
    }
    for (const name of Object.keys(json["output"])) expect(readme, `README: output ${name}`).toContain(`\`${name}\``);
    for (const k of [...STATUS_RESULT_KEYS, ...MATERIAL_RESULT_KEYS]) expect(readme, `README: result key ${k}`).toContain(`\`${k}\``);
    expect(readme).toMatch(/Terraform ≥ 1\.5/);
  });
});

describe("examples/terraform-hcl", async () => {
  const { json } = await load(EXAMPLE);
  it("uses the module with a local EC key rotated per renewal, deploys to CLB, and outputs the key as sensitive", () => {
    const shop = one(json["module"]["shop"]);
    expect(shop["source"]).toBe("../../terraform/modules/renewed-certificate");
    expect(shop).toMatchObject({ key_algorithm: "EC_P256", key_rotation: "always", validation: "dnspod" });
    const outputs = json["output"] as Record<string, Json[]>;
    expect(one(outputs["shop_private_key_pem"]!)).toEqual({ value: "${module.shop.private_key_pem}", sensitive: true });
    expect(one(outputs["renewal_message"]!)["value"]).toBe("${module.shop.renewal_message}");
  });
});
