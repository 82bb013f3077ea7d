/**
 * A simulated `terraform plan` / `terraform apply` (there is no usable terraform binary in the test
 * environment: no provider downloads). It is a MODEL of Terraform, written from Terraform's
 * documentation, not from our construct; each rule below names where it comes from. What it runs is
 * real: the exact argv the configuration holds (`npx --no-install tccert ...`, no rewriting unless a
 * legacy caller asks for it), from Terraform's working directory (the root module: the stack folder
 * for cdktf), with Terraform's environment.
 *
 * Configuration: cdk.tf.json or HCL (*.tf through HashiCorp's parser), modules from local paths,
 * `count`, `for_each`, `locals`, `variable` (default, sensitive, nullable, validation), `output`
 * (sensitive, precondition) — ./tf-config.ts; expressions and functions — ./tf-expr.ts,
 * ./tf-functions.ts; resource types — ./tf-providers.ts.
 *
 * Rules modelled:
 * - Data sources ("Data Resource Behavior",
 *   https://developer.hashicorp.com/terraform/language/data-sources#data-resource-behavior): read
 *   during plan unless (a) the configuration has values unknown at plan, or (b) the data resource
 *   `depends_on` something with pending changes ("Data Resource Dependencies": depends_on "defers
 *   reading of the data source until after all changes to the dependencies have been applied"). For
 *   (b), as Terraform's graph does (internal/terraform/transform_reference.go, dependsOn), the
 *   managed resources counted are the depends_on targets, the managed resources they depend on, and
 *   the targets of `depends_on` on enclosing module calls. Implicit references to KNOWN values never
 *   defer a read.
 * - Managed resources: create when absent from state, replace when tainted or when the provider
 *   requires it (./tf-providers.ts), update, or no-op; `lifecycle.ignore_changes` keeps prior values;
 *   `lifecycle.replace_triggered_by`
 *   (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#replace_triggered_by):
 *   a reference to a resource instance triggers replacement when that instance is planned for
 *   update or replace; a reference to one of its attributes, when that attribute's value changes.
 *   Resources in state but no longer in the configuration are planned for delete.
 * - Preconditions are checked before a resource is planned/applied and postconditions after
 *   (with `self`), at plan when their values are known, else at apply
 *   (https://developer.hashicorp.com/terraform/language/expressions/custom-conditions). A failed
 *   condition is an error with its error_message, and stops the run.
 * - `local-exec` (https://developer.hashicorp.com/terraform/language/resources/provisioners/local-exec)
 *   runs `interpreter... command` with Terraform's environment plus `environment`, from Terraform's
 *   working directory, after create (not on update, not on no-op); a failure taints the resource
 *   and fails the apply. A sensitive value in its configuration suppresses its output lines
 *   (ProgramRun.suppressed; hashicorp/terraform#27154), not the failure's message (#30633).
 * - Outputs: every root output's planned value is compared with the value in state; a change (or
 *   an unknown) is a change of the plan, as `terraform plan` reports "Changes to Outputs" and
 *   `-detailed-exitcode` returns 2 for it (plans.Changes.Empty counts root output changes). An
 *   output whose value is sensitive must say `sensitive = true`, in any module, else Terraform
 *   fails with "Output refers to sensitive values"
 *   (https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output).
 * - Sensitive marks: provider-schema sensitive attributes, `sensitive = true` variables and
 *   `sensitive()`, propagating through expressions (./tf-expr.ts). A resource's stored
 *   attributes keep only the schema's marks and the marks of the configuration's own arguments; a
 *   computed attribute such as terraform_data's `output` does not inherit them, as Terraform
 *   re-applies only the configuration's marked paths to the planned value (hashicorp/terraform#35609:
 *   "terraform_data displays sensitive output when sensitive input changes", open as of 1.9).
 * - `terraform apply` without a saved plan = plan, then apply that plan (data read at plan are not
 *   read again). `terraform show` = what `printable()` returns: every stored value, sensitive ones
 *   replaced by "(sensitive value)".
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Sensitive, UNKNOWN, goJson, plain, type Value } from "./hcl";
import { loadJsonFile, loadModuleDir, modulesOf, type Check, type ModuleDef, type ResourceDef } from "./tf-config";
import { TerraformError, evaluateJson, referencesIn, toText, traverse, type Resolve } from "./tf-expr";
import { hasUnknown, isMarked, mark } from "./tf-functions";
import { asStrings, managedType, sameValue, type Attrs } from "./tf-providers";

export { TerraformError };

export type Action = "create" | "replace" | "update" | "delete" | "noop";

export interface ProgramRun {
  readonly phase: "plan" | "apply";
  readonly address: string;
  readonly argv: readonly string[];
  readonly stdin: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * A local-exec whose configuration holds a sensitive value: Terraform shows "(output suppressed
   * due to sensitive value in config)" instead of each line (hashicorp/terraform#27154, PR #26611);
   * a failure's error message still carries the output (hashicorp/terraform#30633).
   */
  readonly suppressed?: boolean;
}

export interface Plan {
  /** Managed resource instances → planned action. */
  readonly changes: Readonly<Record<string, Action>>;
  /** Root outputs → planned action ("noop" when the value in state stays). */
  readonly outputs: Readonly<Record<string, Exclude<Action, "replace">>>;
  /** Data sources read during plan; deferred ones are read during apply. */
  readonly readAtPlan: readonly string[];
  readonly deferred: readonly string[];
  /** `terraform plan -detailed-exitcode`: 0 no changes (resources and root outputs), 2 changes. */
  readonly exitCode: 0 | 2;
  /** Data values read at plan, by instance address. */
  readonly data: ReadonlyMap<string, Attrs>;
}

export interface Instance {
  attrs: Record<string, Value>;
  tainted: boolean;
  /** Attributes stored as sensitive because the configuration gave them a sensitive value (state's sensitive_attributes). */
  sensitive?: string[];
}

export interface Node {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly deps: string[];
}

export interface SimOptions {
  /** Directory holding cdk.tf.json (cdktf), or the root module of *.tf files: Terraform's working directory. */
  readonly stackDir: string;
  /** The environment Terraform runs in (credentials, endpoint, PATH). */
  readonly env: Readonly<Record<string, string>>;
  /** Legacy: map a synthesized program to what to spawn. The scenarios never set it. @default as is */
  readonly rewrite?: (argv: readonly string[]) => string[];
  /** Root module variables (-var). @default none */
  readonly vars?: Readonly<Record<string, Value>>;
}

interface Ctx {
  readonly prefix: string;
  readonly module: ModuleDef;
  readonly callPath: readonly { readonly prefix: string; readonly module: ModuleDef; readonly name: string }[];
  readonly each?: Record<string, Value>;
  readonly self?: Value;
}

export class SimulatedTerraform {
  readonly state = new Map<string, Instance>();
  /** Root outputs as stored by the last apply. */
  readonly outputState = new Map<string, { value: Value; sensitive: boolean }>();
  readonly runs: ProgramRun[] = [];
  nodes: Map<string, Node>;
  config: Record<string, unknown>;
  private root?: ModuleDef;
  private data = new Map<string, Attrs>();

  constructor(readonly options: SimOptions) {
    const json = path.join(options.stackDir, "cdk.tf.json");
    this.config = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, "utf8")) as Record<string, unknown>) : {};
    this.nodes = rootNodes(this.config);
  }

  /** Load (parse, compile expressions, load modules) once. */
  async load(): Promise<ModuleDef> {
    if (this.root) return this.root;
    const json = path.join(this.options.stackDir, "cdk.tf.json");
    this.root = fs.existsSync(json) ? await loadJsonFile(json) : await loadModuleDir(this.options.stackDir);
    this.config = this.root.raw;
    this.nodes = new Map();
    for (const { prefix, module } of modulesOf(this.root))
      for (const r of module.resources) this.nodes.set(prefix + r.address, { address: prefix + r.address, mode: r.mode, type: r.type, config: r.args, deps: [...new Set(referencesIn([r.args, r.count, r.forEach]).map((p) => p.slice(0, p[0] === "data" ? 3 : 2).join(".")))] });
    return this.root;
  }

  /** `terraform plan`: reads what can be read, plans every resource and root output. */
  async plan(): Promise<Plan> {
    const root = await this.load();
    const walk = new Walk(this, root, "plan");
    await walk.run();
    const changes: Record<string, Action> = { ...walk.actions };
    for (const address of this.state.keys()) if (!(address in changes)) changes[address] = "delete";
    const outputs: Record<string, Exclude<Action, "replace">> = {};
    for (const [name, v] of walk.rootOutputs) {
      const prior = this.outputState.get(name);
      outputs[name] = !prior ? "create" : sameValue(plain(prior.value), plain(v)) ? "noop" : "update";
    }
    for (const name of this.outputState.keys()) if (!walk.rootOutputs.has(name)) outputs[name] = "delete";
    for (const [a, d] of walk.readData) this.data.set(a, d);
    for (const a of walk.deferred) this.data.set(a, { id: UNKNOWN, result: UNKNOWN });
    const changed = Object.values(changes).some((c) => c !== "noop") || Object.values(outputs).some((c) => c !== "noop");
    return { changes, outputs, readAtPlan: walk.readAtPlan, deferred: walk.deferred, exitCode: changed ? 2 : 0, data: walk.readData };
  }

  /** `terraform apply <plan>`: the planned changes in dependency order, deferred reads when their dependencies are done. */
  async apply(plan: Plan): Promise<void> {
    const root = await this.load();
    const walk = new Walk(this, root, "apply", plan);
    try {
      await walk.run();
    } finally {
      for (const [a, d] of walk.readData) this.data.set(a, d);
    }
    for (const [address, action] of Object.entries(plan.changes)) if (action === "delete") this.state.delete(address);
    this.outputState.clear();
    for (const [name, value] of walk.rootOutputs) this.outputState.set(name, { value, sensitive: root.outputs[name]!.sensitive });
  }

  /** `terraform apply` (no saved plan): plan, then apply that plan. */
  async planAndApply(): Promise<Plan> {
    const plan = await this.plan();
    await this.apply(plan);
    return plan;
  }

  /** The result of a data source read last (plan or apply). */
  dataResult(address: string): Record<string, string> {
    const d = this.data.get(address);
    if (!d || d["result"] === UNKNOWN || d["result"] === undefined) throw new Error(`${address} was not read`);
    return d["result"] as Record<string, string>;
  }

  /** A root output as stored by the last apply (sensitive ones wrapped in Sensitive). */
  output(name: string): Value {
    const o = this.outputState.get(name);
    if (!o) throw new Error(`no output ${name} in state`);
    return o.value;
  }

  /** Evaluate an expression in the root module against state and the data read last (like `terraform console`). */
  evaluate(expression: unknown): Value {
    if (!this.root) throw new Error("evaluate: plan or apply first");
    const resolve: Resolve = (parts) => {
      const [head, ...rest] = parts.map(String);
      if (head === "var") return traverse(this.options.vars?.[rest[0]!] ?? (this.root!.variables[rest[0]!]?.default as Value), rest.slice(1));
      const isData = head === "data";
      const address = isData ? `data.${rest[0]}.${rest[1]}` : `${head}.${rest[0]}`;
      const inst = isData ? undefined : this.state.get(address);
      const attrs = isData ? this.data.get(address) : inst && stored(String(head), inst);
      if (!attrs) throw new TerraformError(`${address} is not in state`);
      return traverse(attrs, parts.slice(isData ? 3 : 2));
    };
    return evaluateJson(expression, resolve);
  }

  /** What `terraform show` / `state show` / `output` print: every stored string, sensitive values hidden. */
  printable(): { where: string; text: string }[] {
    const out: { where: string; text: string }[] = [];
    const walk = (where: string, v: Value) => {
      if (v instanceof Sensitive) return;
      if (typeof v === "string") out.push({ where, text: v });
      else if (Array.isArray(v)) v.forEach((x, i) => walk(`${where}[${i}]`, x));
      else if (typeof v === "object" && v !== null && v !== UNKNOWN) for (const [k, x] of Object.entries(v)) walk(`${where}.${k}`, x as Value);
    };
    for (const [address, inst] of this.state) walk(address, stored(this.nodes.get(baseAddress(address))?.type ?? "", inst));
    for (const [address, attrs] of this.data) walk(address, attrs);
    for (const [name, o] of this.outputState) if (!o.sensitive) walk(`output.${name}`, o.value);
    return out;
  }

  /** Run a program as Terraform does: argv as configured, cwd, Terraform's environment plus extra. */
  spawnProgram(phase: "plan" | "apply", address: string, argvIn: readonly string[], stdin: string, extraEnv: Record<string, string>, cwd = this.options.stackDir, suppressed = false): Promise<ProgramRun> {
    const argv = this.options.rewrite ? this.options.rewrite(argvIn) : [...argvIn];
    const env = { ...this.options.env, ...extraEnv };
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const run: ProgramRun = { phase, address, argv: argvIn, stdin, env: extraEnv, cwd, exitCode: code ?? -1, stdout, stderr, ...(suppressed ? { suppressed } : {}) };
        this.runs.push(run);
        resolve(run);
      });
      child.stdin.end(stdin);
    });
  }
}

function rootNodes(config: Record<string, unknown>): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const [mode, key] of [["managed", "resource"], ["data", "data"]] as const)
    for (const [type, byName] of Object.entries((config[key] ?? {}) as Record<string, Record<string, Record<string, unknown>>>))
      for (const [name, body] of Object.entries(byName)) {
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        nodes.set(address, { address, mode, type, config: body, deps: [] });
      }
  return nodes;
}

function baseAddress(instance: string): string {
  return instance.replace(/\[[^\]]*\]$/, "");
}

/** A stored resource's attributes with the schema's sensitive ones marked. */
function markSchema(type: string, attrs: Attrs, mode: "managed" | "data"): Attrs {
  if (mode === "data") return attrs;
  let sens: readonly string[] = [];
  try {
    sens = managedType(type).sensitive;
  } catch {
    sens = [];
  }
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, sens.includes(k) ? mark(v) : v]));
}

/** A stored instance as Terraform reads it: schema-sensitive and config-sensitive attributes marked. */
function stored(type: string, inst: Pick<Instance, "attrs" | "sensitive">): Attrs {
  const attrs = markSchema(type, inst.attrs, "managed");
  for (const k of inst.sensitive ?? []) if (k in attrs) attrs[k] = mark(attrs[k]!);
  return attrs;
}

/** Reads the whole tree once per plan or apply, lazily: each value is computed when first needed. */
class Walk {
  readonly actions: Record<string, Action> = {};
  readonly readAtPlan: string[] = [];
  readonly deferred: string[] = [];
  readonly readData = new Map<string, Attrs>();
  readonly rootOutputs = new Map<string, Value>();
  private readonly values = new Map<string, Value>();
  private readonly pending = new Map<string, Promise<Value>>();
  private readonly planned = new Map<string, Attrs>();
  private readonly vars = new Map<string, Value>();

  constructor(
    readonly tf: SimulatedTerraform,
    readonly root: ModuleDef,
    readonly phase: "plan" | "apply",
    readonly plan?: Plan,
  ) {}

  /**
   * Every resource, then the root outputs. An error stops what depends on the failed node (its
   * memoized promise rejects for them too) but not the rest, as Terraform's graph walk continues
   * with independent nodes; the first error is reported after the walk, and outputs are then not
   * saved.
   */
  async run(): Promise<void> {
    const rootCtx: Ctx = { prefix: "", module: this.root, callPath: [] };
    const errors: Error[] = [];
    for (const { prefix, module } of modulesOf(this.root)) {
      const ctx = this.ctxFor(prefix, module);
      for (const r of module.resources)
        await this.resource(ctx, r).catch((e: Error) => {
          if (!errors.includes(e)) errors.push(e);
        });
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new TerraformError(`${errors.map((e) => e.message).join("\n")}`);
    for (const [name, o] of Object.entries(this.root.outputs)) this.rootOutputs.set(name, await this.output(rootCtx, name, o));
  }

  private ctxFor(prefix: string, module: ModuleDef): Ctx {
    const callPath: { prefix: string; module: ModuleDef; name: string }[] = [];
    let cur: ModuleDef = this.root;
    let p = "";
    for (const m of prefix.matchAll(/module\.([^.]+)\./g)) {
      callPath.push({ prefix: p, module: cur, name: m[1]! });
      cur = cur.calls[m[1]!]!.module;
      p += `module.${m[1]!}.`;
    }
    return { prefix, module, callPath };
  }

  // ---- evaluation -------------------------------------------------------------------------

  /** Evaluate with every reference resolved first (async), then synchronously. */
  private async eval(ctx: Ctx, v: unknown): Promise<Value> {
    for (const parts of referencesIn(v)) await this.prepare(ctx, parts);
    return evaluateJson(v, (parts) => this.lookup(ctx, parts));
  }

  private async prepare(ctx: Ctx, parts: readonly (string | number)[]): Promise<void> {
    const [head, a, b] = parts.map(String);
    if (head === "var") await this.variable(ctx, a!);
    else if (head === "local") await this.local(ctx, a!);
    else if (head === "module") await this.moduleOutput(ctx, a!, b!);
    else if (head === "data") await this.resourceByAddress(ctx, `data.${a}.${b}`);
    else if (["count", "each", "self", "path", "terraform"].includes(head!)) return;
    else await this.resourceByAddress(ctx, `${head}.${a}`);
  }

  private lookup(ctx: Ctx, parts: readonly (string | number)[]): Value {
    const [head, a, b] = parts.map(String);
    const key = (k: string) => this.values.get(k);
    switch (head) {
      case "var":
        return traverse(this.vars.get(`${ctx.prefix}${a}`)!, parts.slice(2));
      case "local":
        return traverse(key(`${ctx.prefix}local.${a}`)!, parts.slice(2));
      case "module":
        return traverse(key(`${ctx.prefix}module.${a}.output.${b}`)!, parts.slice(3));
      case "data":
        return traverse(key(`${ctx.prefix}data.${a}.${b}`)!, parts.slice(3));
      case "count":
      case "each":
        if (!ctx.each || !(head in ctx.each)) throw new TerraformError(`Reference to "${head}" in a resource without ${head === "count" ? "count" : "for_each"}`);
        return traverse(ctx.each[head]!, parts.slice(1));
      case "self":
        if (ctx.self === undefined) throw new TerraformError(`Invalid "self" reference outside a postcondition or provisioner`);
        return traverse(ctx.self, parts.slice(1));
      case "path":
        return a === "module" ? ctx.module.dir : a === "root" ? this.root.dir : this.tf.options.stackDir;
      case "terraform":
        return "default";
      default: {
        const v = key(`${ctx.prefix}${head}.${a}`);
        if (v === undefined) throw new TerraformError(`Reference to undeclared resource ${head}.${a}`);
        return traverse(v, parts.slice(2));
      }
    }
  }

  private async memo(key: string, f: () => Promise<Value>): Promise<Value> {
    if (this.values.has(key)) return this.values.get(key)!;
    const p = this.pending.get(key);
    if (p) return p;
    const q = f().then((v) => (this.values.set(key, v), v));
    this.pending.set(key, q);
    return q;
  }

  private async variable(ctx: Ctx, name: string): Promise<void> {
    const k = `${ctx.prefix}${name}`;
    if (this.vars.has(k)) return;
    const def = ctx.module.variables[name];
    if (!def) throw new TerraformError(`Reference to undeclared input variable var.${name} in ${ctx.prefix || "the root module"}`);
    let value: Value;
    const call = ctx.callPath.at(-1);
    const fallback = (where: string): Value => (def.hasDefault ? (def.default as Value) : missing(name, where));
    if (!call) value = this.tf.options.vars?.[name] !== undefined ? this.tf.options.vars[name]! : fallback("the root module");
    else {
      const args = call.module.calls[call.name]!.args;
      const parentCtx = this.ctxFor(call.prefix, call.module);
      value = name in args ? await this.eval(parentCtx, args[name]) : fallback(`module.${call.name}`);
      // nullable = false: a null argument takes the default (https://developer.hashicorp.com/terraform/language/values/variables#disallowing-null-input-values)
      if (value === null && !def.nullable && def.hasDefault) value = def.default as Value;
    }
    if (def.sensitive) value = mark(value);
    this.vars.set(k, value);
    for (const v of def.validations) {
      const ok = await this.eval(ctx, v.condition);
      if (hasUnknown(ok)) continue;
      if (plain(ok) !== true) throw new TerraformError(`Invalid value for variable ${ctx.prefix}var.${name}: ${toText(plain(await this.eval(ctx, v.error_message)))}`);
    }
  }

  private async local(ctx: Ctx, name: string): Promise<Value> {
    if (!(name in ctx.module.locals)) throw new TerraformError(`Reference to undeclared local value local.${name}`);
    return this.memo(`${ctx.prefix}local.${name}`, () => this.eval(ctx, ctx.module.locals[name]));
  }

  private async moduleOutput(ctx: Ctx, call: string, name: string): Promise<Value> {
    const c = ctx.module.calls[call];
    if (!c) throw new TerraformError(`Reference to undeclared module module.${call}`);
    const prefix = `${ctx.prefix}module.${call}.`;
    const inner = this.ctxFor(prefix, c.module);
    const o = c.module.outputs[name];
    if (!o) throw new TerraformError(`Unsupported attribute: module.${call} has no output ${name}`);
    return this.memo(`${ctx.prefix}module.${call}.output.${name}`, () => this.output(inner, name, o));
  }

  private async output(ctx: Ctx, name: string, o: ModuleDef["outputs"][string]): Promise<Value> {
    for (const d of o.dependsOn) await this.dependency(ctx, d);
    await this.checkAll(ctx, o.preconditions, `${ctx.prefix}output.${name}`, "precondition");
    const value = await this.eval(ctx, o.value);
    if (isMarked(value) && !o.sensitive)
      throw new TerraformError(`${ctx.prefix}output.${name}: Output refers to sensitive values: to reduce the risk of accidentally exporting sensitive data that was intended to be only internal, Terraform requires that any root module output containing sensitive data be explicitly marked as sensitive`);
    return o.sensitive ? mark(value) : value;
  }

  private async dependency(ctx: Ctx, ref: string): Promise<void> {
    const parts = ref.split(".");
    if (parts[0] === "module") {
      const c = ctx.module.calls[parts[1]!];
      if (!c) throw new TerraformError(`depends_on: undeclared ${ref}`);
      const inner = this.ctxFor(`${ctx.prefix}module.${parts[1]}.`, c.module);
      for (const r of c.module.resources) await this.resource(inner, r);
      return;
    }
    await this.resourceByAddress(ctx, parts.slice(0, parts[0] === "data" ? 3 : 2).join("."));
  }

  private async checkAll(ctx: Ctx, checks: readonly Check[], where: string, kind: string): Promise<void> {
    for (const c of checks) {
      const ok = await this.eval(ctx, c.condition);
      if (hasUnknown(ok)) {
        if (this.phase === "apply") throw new TerraformError(`${where}: ${kind} condition unknown during apply`);
        continue;
      }
      if (plain(ok) !== true) throw new TerraformError(`${where}: Resource ${kind} failed: ${toText(plain(await this.eval(ctx, c.error_message)))}`);
    }
  }

  // ---- resources ----------------------------------------------------------------------------

  private async resourceByAddress(ctx: Ctx, address: string): Promise<Value> {
    const r = ctx.module.resources.find((x) => x.address === address);
    if (!r) throw new TerraformError(`Reference to undeclared resource ${ctx.prefix}${address}`);
    return this.resource(ctx, r);
  }

  private resource(ctx: Ctx, r: ResourceDef): Promise<Value> {
    return this.memo(`${ctx.prefix}${r.address}`, async () => {
      for (const d of r.dependsOn) await this.dependency(ctx, d);
      if (r.count === undefined && r.forEach === undefined) return this.instance({ ...ctx }, r, `${ctx.prefix}${r.address}`);
      if (r.count !== undefined) {
        const n = plain(await this.eval(ctx, r.count));
        if (typeof n !== "number") throw new TerraformError(`${ctx.prefix}${r.address}: Invalid count argument: the "count" value depends on resource attributes that cannot be determined until apply (${JSON.stringify(n)})`);
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(await this.instance({ ...ctx, each: { count: { index: i } } }, r, `${ctx.prefix}${r.address}[${i}]`));
        return out;
      }
      const fe = await this.eval(ctx, r.forEach);
      if (hasUnknown(fe)) throw new TerraformError(`${ctx.prefix}${r.address}: Invalid for_each argument: unknown at plan`);
      const entries: [string, Value][] = Array.isArray(plain(fe)) ? (plain(fe) as Value[]).map((k) => [String(k), k]) : Object.entries(plain(fe) as Record<string, Value>);
      const out: Record<string, Value> = {};
      for (const [k, v] of entries) out[k] = await this.instance({ ...ctx, each: { each: { key: k, value: v } } }, r, `${ctx.prefix}${r.address}["${k}"]`);
      return out;
    });
  }

  private async instance(ctx: Ctx, r: ResourceDef, address: string): Promise<Value> {
    if (r.mode === "data") return this.phase === "plan" ? this.planData(ctx, r, address) : this.applyData(ctx, r, address);
    return this.phase === "plan" ? this.planManaged(ctx, r, address) : this.applyManaged(ctx, r, address);
  }

  private async planManaged(ctx: Ctx, r: ResourceDef, address: string): Promise<Value> {
    const type = managedType(r.type);
    const config = (await this.eval(ctx, r.args)) as Attrs;
    await this.checkAll(ctx, r.preconditions, address, "precondition");
    const prior = this.tf.state.get(address);
    const cfg = plain(config) as Attrs;
    let { action, planned } = type.plan(prior?.attrs ? (plain(prior.attrs) as Attrs) : undefined, cfg, r.ignoreChanges);
    if (prior?.tainted) ({ action, planned } = { ...type.plan(undefined, cfg, []), action: "replace" });
    if (action === "noop" || action === "update")
      for (const ref of r.replaceTriggeredBy)
        if (await this.triggersReplace(ctx, ref)) ({ action, planned } = { ...type.plan(undefined, cfg, []), action: "replace" });
    this.actions[address] = action;
    this.planned.set(address, planned);
    const value = { ...planned, ...keepMarks(config, planned) };
    if (action === "noop") await this.checkAll({ ...ctx, self: markSchema(r.type, value, "managed") }, r.postconditions, address, "postcondition");
    return markSchema(r.type, value, "managed");
  }

  /** `replace_triggered_by` entry: `type.name`, `type.name[index]`, optionally followed by an attribute path. */
  private async triggersReplace(ctx: Ctx, ref: string): Promise<boolean> {
    const m = /^([\w-]+\.[\w-]+)(?:\[([^\]]+)\])?(?:\.(.+))?$/.exec(ref);
    if (!m) throw new TerraformError(`Invalid replace_triggered_by expression: ${ref}`);
    const [, base, indexExpr, attrPath] = m;
    await this.resourceByAddress(ctx, base!);
    let full = `${ctx.prefix}${base}`;
    if (indexExpr !== undefined) {
      const e = indexExpr.trim();
      const index = e === "count.index" ? (ctx.each?.["count"] as { index: number } | undefined)?.index : e === "each.key" ? (ctx.each?.["each"] as { key: string } | undefined)?.key : JSON.parse(e);
      if (index === undefined) throw new TerraformError(`replace_triggered_by ${ref}: ${e} is not available here`);
      full += typeof index === "number" ? `[${index}]` : `["${String(index)}"]`;
    }
    const actions = Object.entries(this.actions).filter(([a]) => a === full || (indexExpr === undefined && a.startsWith(`${full}[`)));
    if (attrPath === undefined) return actions.some(([, a]) => a === "update" || a === "replace");
    const path = attrPath.split(".");
    const prior = this.tf.state.get(full)?.attrs;
    const now = this.planned.get(full);
    return !prior || !now || !sameValue(traverse(plain(prior), path), traverse(now, path));
  }

  private async applyManaged(ctx: Ctx, r: ResourceDef, address: string): Promise<Value> {
    const action = this.plan!.changes[address] ?? "noop";
    const prior = this.tf.state.get(address);
    if (action === "noop" || action === "delete") {
      if (!prior) throw new TerraformError(`${address}: planned ${action} but not in state`);
      return stored(r.type, prior);
    }
    const config = (await this.eval(ctx, r.args)) as Attrs;
    if (hasUnknown(config)) throw new TerraformError(`${address}: configuration still unknown during apply`);
    await this.checkAll(ctx, r.preconditions, address, "precondition");
    const attrs = await managedType(r.type).apply(prior ? (plain(prior.attrs) as Attrs) : undefined, plain(config) as Attrs, action);
    const sensitive = Object.keys(keepMarks(config, attrs));
    this.tf.state.set(address, { attrs, tainted: false, sensitive });
    const value = stored(r.type, { attrs, sensitive });
    if (action !== "update")
      for (const p of r.provisioners) {
        if (p.type !== "local-exec") throw new TerraformError(`${address}: provisioner ${p.type} is not simulated`);
        if (p.config["when"] === "destroy" || p.config["when"] === "${destroy}") continue;
        await this.localExec({ ...ctx, self: value }, address, p.config, attrs);
      }
    await this.checkAll({ ...ctx, self: value }, r.postconditions, address, "postcondition");
    return value;
  }

  private async localExec(ctx: Ctx, address: string, config: Record<string, unknown>, attrs: Attrs): Promise<void> {
    const marked = await this.eval(ctx, config);
    const pc = plain(marked) as Attrs;
    const interpreter = (pc["interpreter"] as Value[] | undefined)?.map((x) => toText(x)) ?? ["/bin/sh", "-c"];
    const env = pc["environment"] ? (asStrings(address, "environment", pc["environment"]) as Record<string, string>) : {};
    const cwd = pc["working_dir"] ? path.resolve(this.tf.options.stackDir, String(pc["working_dir"])) : this.tf.options.stackDir;
    const run = await this.tf.spawnProgram("apply", address, [...interpreter, toText(pc["command"] ?? "")], "", env, cwd, isMarked(marked));
    if (run.exitCode !== 0) {
      this.tf.state.set(address, { ...this.tf.state.get(address)!, attrs, tainted: true });
      throw new TerraformError(`${address}: local-exec provisioner error: exit status ${run.exitCode}. Error running command ${JSON.stringify(toText(pc["command"] ?? ""))}. Output: ${run.stdout}${run.stderr}`);
    }
  }

  private async planData(ctx: Ctx, r: ResourceDef, address: string): Promise<Value> {
    const config = (await this.eval(ctx, r.args)) as Attrs;
    const pending = await this.dependsOnPending(ctx, r);
    if (hasUnknown(config) || pending) {
      this.deferred.push(address);
      return { ...config, id: UNKNOWN, result: UNKNOWN };
    }
    await this.checkAll(ctx, r.preconditions, address, "precondition");
    const value = await this.readExternal(r, address, config, "plan");
    this.readAtPlan.push(address);
    this.readData.set(address, value);
    await this.checkAll({ ...ctx, self: value }, r.postconditions, address, "postcondition");
    return value;
  }

  private async applyData(ctx: Ctx, r: ResourceDef, address: string): Promise<Value> {
    if (!this.plan!.deferred.includes(address)) {
      const v = this.plan!.data.get(address);
      if (!v) throw new TerraformError(`${address}: neither read at plan nor deferred`);
      this.readData.set(address, v);
      return v;
    }
    const config = (await this.eval(ctx, r.args)) as Attrs;
    if (hasUnknown(config)) throw new TerraformError(`${address}: configuration still unknown during apply`);
    await this.checkAll(ctx, r.preconditions, address, "precondition");
    const value = await this.readExternal(r, address, config, "apply");
    this.readData.set(address, value);
    await this.checkAll({ ...ctx, self: value }, r.postconditions, address, "postcondition");
    return value;
  }

  /** Terraform's rule (b): a depends_on target, or a managed resource it depends on, or a module call's depends_on, has pending changes. */
  private async dependsOnPending(ctx: Ctx, r: ResourceDef): Promise<boolean> {
    const targets: { ctx: Ctx; ref: string }[] = r.dependsOn.map((ref) => ({ ctx, ref }));
    for (const c of ctx.callPath) for (const ref of c.module.calls[c.name]!.dependsOn) targets.push({ ctx: this.ctxFor(c.prefix, c.module), ref });
    const managed = new Set<string>();
    const seen = new Set<string>();
    const visit = async (tctx: Ctx, ref: string): Promise<void> => {
      const parts = ref.split(".");
      if (parts[0] === "module") {
        const c = tctx.module.calls[parts[1]!]!;
        const inner = this.ctxFor(`${tctx.prefix}module.${parts[1]}.`, c.module);
        for (const x of c.module.resources) await visit(inner, x.address);
        return;
      }
      if (parts[0] === "var" || parts[0] === "local" || parts[0] === "path" || parts[0] === "count" || parts[0] === "each") return;
      const address = parts.slice(0, parts[0] === "data" ? 3 : 2).join(".");
      const key = `${tctx.prefix}${address}`;
      if (seen.has(key)) return;
      seen.add(key);
      const def = tctx.module.resources.find((x) => x.address === address);
      if (!def) return;
      await this.resource(tctx, def);
      if (def.mode === "managed") managed.add(key);
      for (const p of referencesIn([def.args, def.count, def.forEach])) await visit(tctx, p.map(String).join("."));
      for (const d of def.dependsOn) await visit(tctx, d);
    };
    for (const t of targets) await visit(t.ctx, t.ref);
    return Object.entries(this.actions).some(([a, act]) => act !== "noop" && managed.has(baseAddress(a)));
  }

  private async readExternal(r: ResourceDef, address: string, config: Attrs, phase: "plan" | "apply"): Promise<Attrs> {
    if (r.type !== "external") throw new TerraformError(`data source type ${r.type} is not simulated`);
    const program = asStrings(address, "program", plain(config["program"] ?? null)) as string[];
    if (program.length === 0) throw new TerraformError(`${address}: program must be a non-empty list of strings`);
    const query = config["query"] === undefined || config["query"] === null ? {} : (asStrings(address, "query", plain(config["query"])) as Record<string, string>);
    const cwd = config["working_dir"] ? path.resolve(this.tf.options.stackDir, String(plain(config["working_dir"]))) : this.tf.options.stackDir;
    const run = await this.tf.spawnProgram(phase, address, program, goJson(query), {}, cwd);
    if (run.exitCode !== 0) throw new TerraformError(`${address}: External Program Execution Failed: The data source received an unexpected error while attempting to execute the program. Program: ${program[0]} Error Message: ${run.stderr.trim()} State: exit status ${run.exitCode}`);
    let result: unknown;
    try {
      result = JSON.parse(run.stdout);
    } catch {
      throw new TerraformError(`${address}: Unexpected External Program Results: the program's stdout is not JSON: ${run.stdout}`);
    }
    if (typeof result !== "object" || result === null || Array.isArray(result) || Object.values(result).some((v) => typeof v !== "string"))
      throw new TerraformError(`${address}: Unexpected External Program Results: stdout must be a JSON object of strings`);
    return { program, query, working_dir: config["working_dir"] ?? null, id: "-", result: result as Record<string, string> };
  }
}

function missing(name: string, where: string): never {
  throw new TerraformError(`No value for required variable ${name} (${where}): set it with -var or the module argument`);
}

/** The configuration's own sensitive arguments stay marked in what is stored. */
function keepMarks(config: Attrs, attrs: Attrs): Attrs {
  return Object.fromEntries(Object.entries(config).filter(([k, v]) => isMarked(v) && k in attrs).map(([k]) => [k, mark(attrs[k]!)]));
}
