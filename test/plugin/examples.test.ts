/**
 * The examples against the schema the REAL plugin serves (no Pulumi CLI or Python here to run
 * them): examples/pulumi-yaml/Pulumi.yaml is parsed (js-yaml, as @pulumi/pulumi ships it) and
 * every property it sets exists with a value of its type, every `${resource.output}` names an
 * output; examples/pulumi-python/__main__.py uses only inputs (snake_case of the schema's names),
 * input types and outputs that exist.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, startPlugin, TOKEN, type Plugin } from "./plugin-host";
import type { Property, Schema } from "./schema-check";

const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as { load(text: string): unknown };

let plugin: Plugin;
let schema: Schema;
beforeAll(async () => {
  plugin = await startPlugin();
  schema = JSON.parse(await plugin.getSchema()) as Schema;
});
afterAll(async () => plugin?.close());

const INTERPOLATION = /^\$\{[^}]+\}$/;

/** Problems with `value` as a value of property `p` (interpolations stand for any value). */
function typeProblems(where: string, value: unknown, p: Property): string[] {
  if (typeof value === "string" && INTERPOLATION.test(value)) return [];
  if (p.$ref) {
    const type = schema.types[p.$ref.replace("#/types/", "")]!;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${where}: expected an object (${p.$ref})`];
    return Object.entries(value).flatMap(([k, v]) => (type.properties[k] ? typeProblems(`${where}.${k}`, v, type.properties[k]!) : [`${where}.${k}: not a property of ${p.$ref}`]));
  }
  if (p.oneOf) return p.oneOf.some((o) => typeProblems(where, value, o).length === 0) ? [] : [`${where}: matches none of oneOf`];
  if (p.type === "array") return Array.isArray(value) ? value.flatMap((v, i) => typeProblems(`${where}[${i}]`, v, p.items!)) : [`${where}: expected a list`];
  const ok = { string: typeof value === "string", integer: Number.isInteger(value), number: typeof value === "number", boolean: typeof value === "boolean" }[p.type as "string"];
  return ok ? [] : [`${where}: expected ${p.type}, got ${JSON.stringify(value)}`];
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

describe("the examples against the plugin's schema", () => {
  it("examples/pulumi-yaml: every property set exists with its type; every output referenced exists; the plugin path is the package's bin", () => {
    const project = yaml.load(fs.readFileSync(path.join(REPO, "examples/pulumi-yaml/Pulumi.yaml"), "utf8")) as {
      runtime: string;
      plugins: { providers: { name: string; path: string }[] };
      resources: Record<string, { type: string; properties: Record<string, unknown> }>;
      outputs: Record<string, string>;
    };
    expect(project.runtime).toBe("yaml");
    expect(project.plugins.providers).toEqual([{ name: "tencentcloud-cert-renewal", path: "./node_modules/tencentcloud-cert-renewal/bin" }]);
    const r = schema.resources[TOKEN]!;
    const ours = Object.entries(project.resources).filter(([, res]) => res.type === TOKEN);
    expect(ours.length).toBeGreaterThan(0);
    for (const [name, res] of ours) {
      const problems = Object.entries(res.properties).flatMap(([k, v]) => (r.inputProperties[k] ? typeProblems(`${name}.${k}`, v, r.inputProperties[k]!) : [`${name}.${k}: not an input of ${TOKEN}`]));
      expect(problems).toEqual([]);
      for (const required of r.requiredInputs) expect(res.properties[required], `${name}.${required}`).toBeDefined();
    }
    for (const [out, expr] of Object.entries(project.outputs)) {
      const m = /^\$\{(\w+)\.(\w+)\}$/.exec(expr);
      expect(m, out).not.toBeNull();
      expect(project.resources[m![1]!], out).toBeDefined();
      expect(r.properties[m![2]!], `${out}: ${m![2]} is an output`).toBeDefined();
    }
  });

  it("examples/pulumi-python: keyword arguments are inputs, KeyArgs is an input type, attributes are outputs", () => {
    const text = fs.readFileSync(path.join(REPO, "examples/pulumi-python/__main__.py"), "utf8");
    const r = schema.resources[TOKEN]!;
    const call = /tccert\.RenewedCertificate\(([\s\S]*?)\n\)/.exec(text)![1]!;
    const kwargs = [...call.matchAll(/^\s+(\w+)=/gm)].map((m) => camel(m[1]!));
    expect(kwargs.length).toBeGreaterThan(3);
    for (const k of kwargs) expect(r.inputProperties[k], k).toBeDefined();
    for (const m of text.matchAll(/tccert\.(\w+)Args\(([^)]*)\)/g)) {
      const type = schema.types[`tencentcloud-cert-renewal:index:${m[1]}`];
      expect(type, `${m[1]}Args`).toBeDefined();
      for (const a of m[2]!.matchAll(/(\w+)=/g)) expect(type!.properties[camel(a[1]!)], `${m[1]}Args.${a[1]}`).toBeDefined();
    }
    for (const m of text.matchAll(/\bcert\.(\w+)/g)) expect(r.properties[camel(m[1]!)], `cert.${m[1]}`).toBeDefined();
    const lang = schema.language["python"] as { packageName: string };
    expect(text).toContain(`import ${lang.packageName} as tccert`);
    expect(fs.readFileSync(path.join(REPO, "examples/pulumi-python/Pulumi.yaml"), "utf8")).toMatch(/path: \.\/node_modules\/tencentcloud-cert-renewal\/bin/);
  });
});
