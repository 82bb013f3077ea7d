/**
 * Terraform configurations, loaded into one internal model from either form:
 * - JSON syntax (cdktf's cdk.tf.json, any *.tf.json):
 *   https://developer.hashicorp.com/terraform/language/syntax/json
 * - native HCL (*.tf), converted to the same JSON shape by HashiCorp's parser (`@cdktf/hcl2json`,
 *   hclsyntax compiled to WASM): blocks come back as arrays, expressions as "${...}" strings.
 *
 * JSON syntax allows a block to be written as an object or as an array of objects; both are
 * accepted for every block type. Meta-arguments that take references (depends_on,
 * replace_triggered_by, ignore_changes) are plain strings in JSON syntax and "${...}" in hcl2json's
 * output; both are normalized to the bare reference. Local module sources ("./x", "../x") are
 * loaded relative to the calling module's directory, as Terraform does
 * (https://developer.hashicorp.com/terraform/language/modules/sources#local-paths).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { TerraformError, compileAll } from "./tf-expr";

type Json = Record<string, unknown>;

export interface Check {
  readonly condition: unknown;
  readonly error_message: unknown;
}

export interface Provisioner {
  readonly type: string;
  readonly config: Json;
}

export interface ResourceDef {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** `type.name` or `data.type.name`, relative to its module. */
  readonly address: string;
  /** The arguments (meta-arguments removed). */
  readonly args: Json;
  readonly count?: unknown;
  readonly forEach?: unknown;
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly replaceTriggeredBy: readonly string[];
  readonly preconditions: readonly Check[];
  readonly postconditions: readonly Check[];
  readonly provisioners: readonly Provisioner[];
}

export interface VariableDef {
  /** Absent when the variable is required; may be null. */
  readonly default?: unknown;
  readonly hasDefault: boolean;
  readonly sensitive: boolean;
  readonly nullable: boolean;
  readonly validations: readonly Check[];
}

export interface OutputDef {
  readonly value: unknown;
  readonly sensitive: boolean;
  readonly dependsOn: readonly string[];
  readonly preconditions: readonly Check[];
}

export interface ModuleCall {
  readonly name: string;
  readonly source: string;
  readonly args: Json;
  readonly dependsOn: readonly string[];
  readonly module: ModuleDef;
}

export interface ModuleDef {
  readonly dir: string;
  readonly variables: Readonly<Record<string, VariableDef>>;
  readonly locals: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, OutputDef>>;
  readonly resources: readonly ResourceDef[];
  readonly calls: Readonly<Record<string, ModuleCall>>;
  readonly terraform: readonly Json[];
  /** The merged JSON document, as loaded. */
  readonly raw: Json;
}

const META = new Set(["provider", "depends_on", "lifecycle", "provisioner", "count", "for_each", "connection"]);

/** A block written as an object or as an array of objects. */
function blocks(v: unknown): Json[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as Json[];
  return [v as Json];
}

function bareRef(s: unknown): string {
  const t = String(s);
  const m = /^\$\{(.*)\}$/s.exec(t);
  return (m ? m[1]! : t).trim();
}

function checks(v: unknown): Check[] {
  return blocks(v).map((c) => ({ condition: c["condition"], error_message: c["error_message"] }));
}

function provisioners(v: unknown): Provisioner[] {
  // cdktf: [{ "local-exec": {...} }]; hcl2json: { "local-exec": [{...}] }
  const out: Provisioner[] = [];
  for (const p of blocks(v)) for (const [type, cfgs] of Object.entries(p)) for (const config of blocks(cfgs)) out.push({ type, config });
  return out;
}

function resourceDef(mode: "managed" | "data", type: string, name: string, body: Json): ResourceDef {
  const lifecycle = blocks(body["lifecycle"]).reduce<Json>((a, b) => ({ ...a, ...b }), {});
  return {
    mode,
    type,
    name,
    address: mode === "data" ? `data.${type}.${name}` : `${type}.${name}`,
    args: Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k))),
    ...(body["count"] !== undefined ? { count: body["count"] } : {}),
    ...(body["for_each"] !== undefined ? { forEach: body["for_each"] } : {}),
    dependsOn: ((body["depends_on"] as unknown[] | undefined) ?? []).map(bareRef),
    ignoreChanges: ((lifecycle["ignore_changes"] as unknown[] | string | undefined) === "all" ? ["all"] : ((lifecycle["ignore_changes"] as unknown[] | undefined) ?? []).map(bareRef)),
    replaceTriggeredBy: ((lifecycle["replace_triggered_by"] as unknown[] | undefined) ?? []).map(bareRef),
    preconditions: checks(lifecycle["precondition"]),
    postconditions: checks(lifecycle["postcondition"]),
    provisioners: provisioners(body["provisioner"]),
  };
}

function merge(docs: Json[]): Json {
  const out: Json = {};
  for (const d of docs)
    for (const [k, v] of Object.entries(d)) {
      if (Array.isArray(out[k]) || (k === "locals" || k === "terraform")) out[k] = [...blocks(out[k]), ...blocks(v)];
      else if (typeof v === "object" && v !== null && !Array.isArray(v) && typeof out[k] === "object") {
        const prev = out[k] as Json;
        for (const [t, byName] of Object.entries(v as Json)) prev[t] = typeof byName === "object" && byName !== null && !Array.isArray(byName) && (k === "resource" || k === "data") ? { ...(prev[t] as Json | undefined), ...(byName as Json) } : byName;
      } else out[k] = v;
    }
  return out;
}

/** Build the model of one module from its merged JSON document; `loadChild` loads called modules. */
export async function moduleFromJson(dir: string, doc: Json, loadChild: (source: string, from: string) => Promise<ModuleDef>): Promise<ModuleDef> {
  await compileAll(doc);
  const resources: ResourceDef[] = [];
  for (const [mode, key] of [["managed", "resource"], ["data", "data"]] as const)
    for (const [type, byName] of Object.entries((doc[key] ?? {}) as Json))
      for (const [name, body] of Object.entries(byName as Json)) for (const b of blocks(body)) resources.push(resourceDef(mode, type, name, b));
  const variables: Record<string, VariableDef> = {};
  for (const [name, body] of Object.entries((doc["variable"] ?? {}) as Json)) {
    const b = blocks(body)[0] ?? {};
    variables[name] = { ...("default" in b ? { default: b["default"] } : {}), hasDefault: "default" in b, sensitive: b["sensitive"] === true, nullable: b["nullable"] !== false, validations: checks(b["validation"]) };
  }
  const outputs: Record<string, OutputDef> = {};
  for (const [name, body] of Object.entries((doc["output"] ?? {}) as Json)) {
    const b = blocks(body)[0] ?? {};
    outputs[name] = { value: b["value"], sensitive: b["sensitive"] === true, dependsOn: ((b["depends_on"] as unknown[] | undefined) ?? []).map(bareRef), preconditions: checks(b["precondition"]) };
  }
  const locals = blocks(doc["locals"]).reduce<Json>((a, b) => ({ ...a, ...b }), {});
  const calls: Record<string, ModuleCall> = {};
  for (const [name, body] of Object.entries((doc["module"] ?? {}) as Json)) {
    const b = blocks(body)[0] ?? {};
    const source = String(b["source"]);
    const args = Object.fromEntries(Object.entries(b).filter(([k]) => !["source", "version", "providers", "depends_on", "count", "for_each"].includes(k)));
    calls[name] = { name, source, args, dependsOn: ((b["depends_on"] as unknown[] | undefined) ?? []).map(bareRef), module: await loadChild(source, dir) };
  }
  return { dir, variables, locals, outputs, resources, calls, terraform: blocks(doc["terraform"]), raw: doc };
}

async function loadChildModule(source: string, from: string): Promise<ModuleDef> {
  if (!source.startsWith("./") && !source.startsWith("../")) throw new TerraformError(`module source ${source}: only local paths are simulated`);
  const dir = path.resolve(from, source);
  if (!fs.existsSync(dir)) throw new TerraformError(`Unreadable module directory: ${dir} (module source "${source}") does not exist`);
  return loadModuleDir(dir);
}

/** Load a module directory: every *.tf (HCL, through hcl2json) and *.tf.json, merged. */
export async function loadModuleDir(dir: string): Promise<ModuleDef> {
  const docs: Json[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, f);
    if (f.endsWith(".tf.json")) docs.push(JSON.parse(fs.readFileSync(file, "utf8")) as Json);
    else if (f.endsWith(".tf")) {
      try {
        docs.push((await parseHcl(f, fs.readFileSync(file, "utf8"))) as Json);
      } catch (e) {
        throw new TerraformError(`${file}: ${(e as Error).message}`);
      }
    }
  }
  if (docs.length === 0) throw new TerraformError(`No configuration files in ${dir}`);
  return moduleFromJson(dir, merge(docs), loadChildModule);
}

/** Load one JSON document (e.g. cdk.tf.json) as the root module; its directory is the working directory. */
export async function loadJsonFile(file: string): Promise<ModuleDef> {
  return moduleFromJson(path.dirname(file), JSON.parse(fs.readFileSync(file, "utf8")) as Json, loadChildModule);
}

/** Every module in the tree with its address prefix ("" for the root, "module.a." ...). */
export function modulesOf(root: ModuleDef, prefix = ""): { prefix: string; module: ModuleDef }[] {
  return [{ prefix, module: root }, ...Object.values(root.calls).flatMap((c) => modulesOf(c.module, `${prefix}module.${c.name}.`))];
}
