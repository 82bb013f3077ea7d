/**
 * A simulated `terraform plan` / `terraform apply` over a synthesized cdk.tf.json, for the few
 * resource types our stack uses (there is no terraform binary here). It follows Terraform's rules
 * where they matter for the gate pattern:
 * - data sources are read during plan when their config is known and nothing they depend on has
 *   a pending change; otherwise they are deferred and read during apply;
 * - `terraform_data`: create/replace when new, tainted or `triggers_replace` changed (output and
 *   id unknown until apply); update when only `input` changed (honouring `lifecycle.ignore_changes`);
 * - `local-exec` runs `interpreter... command` with the extra `environment`, after the create; a
 *   failure taints the resource and stops the apply;
 * - `data "external"`: `program` run with cwd = the stack directory, stdin = the query as a JSON
 *   object of strings written the way Go's encoding/json writes it, stdout must be a JSON object of
 *   strings, a non-zero exit is an error;
 * - `tls_private_key` / `tls_cert_request`: every argument forces a new resource.
 */
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Sensitive, UNKNOWN, evaluateJson, goJson, isUnknown, plain, references, templatesIn, type Value } from "./hcl";
import { tlsCertRequest, tlsPrivateKey } from "./tls";

export type Action = "create" | "replace" | "update" | "noop";

export interface ProgramRun {
  readonly phase: "plan" | "apply";
  readonly address: string;
  readonly argv: readonly string[];
  readonly stdin: string;
  readonly env: Readonly<Record<string, string>>;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Plan {
  readonly changes: Readonly<Record<string, Action>>;
  /** Data sources read during plan, with their result; deferred ones are absent. */
  readonly readAtPlan: readonly string[];
  readonly deferred: readonly string[];
}

interface Node {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly deps: string[];
}

interface Instance {
  attrs: Record<string, Value>;
  tainted: boolean;
}

const SENSITIVE_ATTRS: Readonly<Record<string, readonly string[]>> = {
  tls_private_key: ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"],
  tls_cert_request: ["private_key_pem"],
};

export class TerraformError extends Error {}

export interface SimOptions {
  /** Directory holding cdk.tf.json: Terraform's working directory. */
  readonly stackDir: string;
  /** The environment Terraform runs in (credentials, endpoint). */
  readonly env: Readonly<Record<string, string>>;
  /** Map a synthesized program/interpreter to what to spawn (e.g. npx tccert → node dist/cli/main.js). @default as is */
  readonly rewrite?: (argv: readonly string[]) => string[];
  readonly vars?: Readonly<Record<string, Value>>;
}

export class SimulatedTerraform {
  readonly config: Record<string, unknown>;
  readonly nodes: Map<string, Node>;
  readonly order: string[];
  readonly state = new Map<string, Instance>();
  readonly runs: ProgramRun[] = [];
  private data = new Map<string, Record<string, Value>>();

  constructor(readonly options: SimOptions) {
    this.config = JSON.parse(fs.readFileSync(path.join(options.stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    this.nodes = collectNodes(this.config);
    this.order = topoSort(this.nodes);
  }

  /** Plan against the current state. Reads data sources whose inputs are known. */
  async plan(): Promise<Plan> {
    const planned = new Map<string, Record<string, Value>>();
    const changes: Record<string, Action> = {};
    const readAtPlan: string[] = [];
    const deferred: string[] = [];
    this.data = new Map();
    const resolve = this.resolver(planned);
    for (const address of this.order) {
      const node = this.nodes.get(address)!;
      const cfg = evaluateJson(argumentsOf(node.config), resolve) as Record<string, Value>;
      if (node.mode === "data") {
        const pending = this.dependsOnChange(node, changes);
        if (isUnknown(cfg) || pending) {
          deferred.push(address);
          this.data.set(address, { ...cfg, id: UNKNOWN, result: UNKNOWN });
        } else {
          this.data.set(address, await this.readData(node, cfg, "plan"));
          readAtPlan.push(address);
        }
        continue;
      }
      const prior = this.state.get(address);
      const { action, attrs } = planManaged(node, prior, cfg);
      changes[address] = action;
      planned.set(address, attrs);
    }
    return { changes, readAtPlan, deferred };
  }

  /** Apply a plan (made just before): creates, replaces and updates in dependency order, then reads deferred data. */
  async apply(plan: Plan): Promise<void> {
    const applied = new Map<string, Record<string, Value>>();
    for (const [address, inst] of this.state) applied.set(address, inst.attrs);
    const resolve = this.resolver(applied);
    for (const address of this.order) {
      const node = this.nodes.get(address)!;
      if (node.mode === "data") {
        if (!plan.deferred.includes(address)) continue;
        const cfg = evaluateJson(argumentsOf(node.config), resolve) as Record<string, Value>;
        if (isUnknown(cfg)) throw new TerraformError(`${address}: configuration still unknown during apply`);
        this.data.set(address, await this.readData(node, cfg, "apply"));
        continue;
      }
      const action = plan.changes[address] ?? "noop";
      if (action === "noop") continue;
      const cfg = evaluateJson(argumentsOf(node.config), resolve) as Record<string, Value>;
      if (isUnknown(cfg)) throw new TerraformError(`${address}: configuration still unknown during apply`);
      const prior = this.state.get(address);
      const attrs = action === "update" && prior ? { ...prior.attrs, input: plain(cfg["input"] ?? null), output: plain(cfg["input"] ?? null) } : await createManaged(node, plain(cfg) as Record<string, Value>);
      applied.set(address, attrs);
      if (action === "update") {
        this.state.set(address, { attrs, tainted: false });
        continue;
      }
      this.state.set(address, { attrs, tainted: false });
      for (const p of provisionersOf(node.config)) {
        const pc = evaluateJson(p, resolve) as Record<string, Value>;
        const interpreter = (plain(pc["interpreter"] ?? ["/bin/sh", "-c"]) as string[]).map(String);
        const env = plain(pc["environment"] ?? {}) as Record<string, string>;
        const argv = [...interpreter, String(plain(pc["command"] ?? ""))];
        const run = await this.spawn("apply", address, argv, "", env);
        if (run.exitCode !== 0) {
          this.state.set(address, { attrs, tainted: true });
          throw new TerraformError(`${address}: local-exec provisioner error: exit status ${run.exitCode}. Output: ${run.stdout}${run.stderr}`);
        }
      }
    }
  }

  /** `terraform apply`: plan, then apply that plan. */
  async planAndApply(): Promise<Plan> {
    const plan = await this.plan();
    await this.apply(plan);
    return plan;
  }

  /** An attribute of a data source read last (plan or apply). */
  dataResult(address: string): Record<string, string> {
    const d = this.data.get(address);
    if (!d || d["result"] === UNKNOWN) throw new Error(`${address} was not read`);
    return d["result"] as Record<string, string>;
  }

  /** Evaluate an expression string (e.g. a construct's token, resolved) against state and data. */
  evaluate(expression: unknown): Value {
    const applied = new Map<string, Record<string, Value>>();
    for (const [address, inst] of this.state) applied.set(address, inst.attrs);
    return evaluateJson(expression, this.resolver(applied));
  }

  private dependsOnChange(node: Node, changes: Record<string, Action>, seen = new Set<string>()): boolean {
    for (const d of node.deps) {
      if (seen.has(d)) continue;
      seen.add(d);
      const c = changes[d];
      if (c !== undefined && c !== "noop") return true;
      const dn = this.nodes.get(d);
      if (dn && this.dependsOnChange(dn, changes, seen)) return true;
    }
    return false;
  }

  private resolver(managed: Map<string, Record<string, Value>>) {
    return (parts: (string | Value)[]): Value => {
      const [root, ...rest] = parts;
      let value: Value;
      let type: string;
      let remaining: (string | Value)[];
      if (root === "data") {
        const address = `data.${String(rest[0])}.${String(rest[1])}`;
        const d = this.data.get(address);
        if (!d) throw new TerraformError(`reference to undeclared or unread data source ${address}`);
        value = d;
        type = String(rest[0]);
        remaining = rest.slice(2);
      } else if (root === "var") {
        const v = this.options.vars?.[String(rest[0])];
        if (v === undefined) throw new TerraformError(`reference to undeclared variable var.${String(rest[0])}`);
        return traverse(v, rest.slice(1));
      } else {
        const address = `${String(root)}.${String(rest[0])}`;
        if (!this.nodes.has(address)) throw new TerraformError(`reference to undeclared resource ${address}`);
        const attrs = managed.get(address);
        if (!attrs) return UNKNOWN;
        type = String(root);
        const sens = SENSITIVE_ATTRS[type] ?? [];
        value = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, sens.includes(k) ? new Sensitive(v) : v]));
        remaining = rest.slice(1);
      }
      return traverse(value, remaining);
    };
  }

  private async readData(node: Node, cfg: Record<string, Value>, phase: "plan" | "apply"): Promise<Record<string, Value>> {
    if (node.type !== "external") throw new TerraformError(`data source type ${node.type} is not simulated`);
    const program = plain(cfg["program"] ?? null);
    if (!Array.isArray(program) || program.length === 0 || program.some((p) => typeof p !== "string"))
      throw new TerraformError(`${node.address}: program must be a non-empty list of strings`);
    const query = plain(cfg["query"] ?? {}) as Record<string, Value>;
    for (const [k, v] of Object.entries(query)) if (typeof v !== "string") throw new TerraformError(`${node.address}: query.${k} is not a string`);
    const run = await this.spawn(phase, node.address, program as string[], goJson(query), {});
    if (run.exitCode !== 0) throw new TerraformError(`${node.address}: External Program Execution Failed: ${run.stderr.trim()}`);
    let result: unknown;
    try {
      result = JSON.parse(run.stdout);
    } catch {
      throw new TerraformError(`${node.address}: Unexpected External Program Results: the program's stdout is not JSON: ${run.stdout}`);
    }
    if (typeof result !== "object" || result === null || Array.isArray(result) || Object.values(result).some((v) => typeof v !== "string"))
      throw new TerraformError(`${node.address}: Unexpected External Program Results: stdout must be a JSON object of strings`);
    return { ...cfg, id: "-", result: result as Record<string, string> };
  }

  private spawn(phase: "plan" | "apply", address: string, argvIn: readonly string[], stdin: string, extraEnv: Record<string, string>): Promise<ProgramRun> {
    const argv = this.options.rewrite ? this.options.rewrite(argvIn) : [...argvIn];
    const env = { ...this.options.env, ...extraEnv };
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: this.options.stackDir, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const run: ProgramRun = { phase, address, argv: argvIn, stdin, env: extraEnv, exitCode: code ?? -1, stdout, stderr };
        this.runs.push(run);
        resolve(run);
      });
      child.stdin.end(stdin);
    });
  }
}

function traverse(v: Value, parts: (string | Value)[]): Value {
  let cur = v;
  for (const p of parts) {
    if (cur === UNKNOWN) return UNKNOWN;
    const sensitive = cur instanceof Sensitive;
    const inner = plain(cur);
    if (typeof inner !== "object" || inner === null) throw new TerraformError(`cannot index ${JSON.stringify(inner)} with ${String(p)}`);
    const key = plain(p as Value);
    const next = Array.isArray(inner) ? inner[Number(key)] : (cur instanceof Sensitive ? (inner as Record<string, Value>) : (cur as Record<string, Value>))[String(key)];
    if (next === undefined) throw new TerraformError(`unsupported attribute or missing key ${JSON.stringify(key)}`);
    cur = sensitive && !(next instanceof Sensitive) ? new Sensitive(next) : next;
  }
  return cur;
}

function collectNodes(config: Record<string, unknown>): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const add = (mode: "managed" | "data", type: string, name: string, body: Record<string, unknown>) => {
    const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    const deps = new Set<string>();
    for (const t of templatesIn(body)) for (const r of references(t)) if (!r.startsWith("var.")) deps.add(r);
    for (const d of (body["depends_on"] as string[] | undefined) ?? []) deps.add(d);
    nodes.set(address, { address, mode, type, config: body, deps: [...deps] });
  };
  for (const [mode, key] of [["managed", "resource"], ["data", "data"]] as const) {
    const block = (config[key] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [type, byName] of Object.entries(block)) for (const [name, body] of Object.entries(byName)) add(mode, type, name, body);
  }
  return nodes;
}

function topoSort(nodes: Map<string, Node>): string[] {
  const out: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (a: string, trail: string[]) => {
    if (state.get(a) === "done") return;
    if (state.get(a) === "visiting") throw new TerraformError(`Cycle: ${[...trail, a].join(" → ")}`);
    const n = nodes.get(a);
    if (!n) throw new TerraformError(`reference to undeclared ${a}${trail.length ? ` (from ${trail[trail.length - 1]})` : ""}`);
    state.set(a, "visiting");
    for (const d of n.deps) visit(d, [...trail, a]);
    state.set(a, "done");
    out.push(a);
  };
  for (const a of [...nodes.keys()].sort()) visit(a, []);
  return out;
}

const META = ["provider", "depends_on", "lifecycle", "provisioner", "count", "for_each", "connection"];

function argumentsOf(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !META.includes(k)));
}

function provisionersOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const list = (body["provisioner"] as Record<string, Record<string, unknown>>[] | undefined) ?? [];
  return list.flatMap((p) =>
    Object.entries(p).map(([type, cfg]) => {
      if (type !== "local-exec") throw new TerraformError(`provisioner ${type} is not simulated`);
      if (cfg["when"] === "destroy") return {};
      return cfg;
    }),
  ).filter((c) => Object.keys(c).length > 0);
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (isUnknown(a) || isUnknown(b)) return false;
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

function planManaged(node: Node, prior: Instance | undefined, cfg: Record<string, Value>): { action: Action; attrs: Record<string, Value> } {
  switch (node.type) {
    case "terraform_data": {
      const ignored = ((node.config["lifecycle"] as { ignore_changes?: string[] } | undefined)?.ignore_changes ?? []).includes("input");
      const input = cfg["input"] ?? null;
      const triggers = cfg["triggers_replace"] ?? null;
      if (!prior) return { action: "create", attrs: { id: UNKNOWN, input, output: UNKNOWN, triggers_replace: triggers } };
      if (prior.tainted || !same(prior.attrs["triggers_replace"], triggers)) return { action: "replace", attrs: { id: UNKNOWN, input, output: UNKNOWN, triggers_replace: triggers } };
      if (!ignored && !same(prior.attrs["input"], input)) return { action: "update", attrs: { ...prior.attrs, input, output: UNKNOWN } };
      return { action: "noop", attrs: prior.attrs };
    }
    case "tls_private_key":
    case "tls_cert_request": {
      const args = Object.keys(cfg);
      const computed = node.type === "tls_private_key" ? ["id", "private_key_pem", "private_key_pem_pkcs8", "public_key_pem"] : ["id", "cert_request_pem"];
      const fresh = { ...cfg, ...Object.fromEntries(computed.filter((c) => !args.includes(c)).map((c) => [c, UNKNOWN])) };
      if (!prior) return { action: "create", attrs: fresh };
      if (prior.tainted || args.some((k) => !same(prior.attrs[k], cfg[k]))) return { action: "replace", attrs: fresh };
      return { action: "noop", attrs: prior.attrs };
    }
    default:
      throw new TerraformError(`resource type ${node.type} is not simulated`);
  }
}

async function createManaged(node: Node, cfg: Record<string, Value>): Promise<Record<string, Value>> {
  switch (node.type) {
    case "terraform_data":
      return { id: crypto.randomUUID(), input: cfg["input"] ?? null, output: cfg["input"] ?? null, triggers_replace: cfg["triggers_replace"] ?? null };
    case "tls_private_key": {
      const key = tlsPrivateKey(cfg as { algorithm: string; rsa_bits?: number; ecdsa_curve?: string });
      return { ...cfg, id: crypto.createHash("sha1").update(key.public_key_pem).digest("hex"), ...key };
    }
    case "tls_cert_request": {
      const pem = await tlsCertRequest(cfg as { private_key_pem: string; dns_names?: string[]; subject?: { common_name?: string }[] });
      return { ...cfg, id: crypto.createHash("sha1").update(pem).digest("hex"), cert_request_pem: pem };
    }
    default:
      throw new TerraformError(`resource type ${node.type} is not simulated`);
  }
}
