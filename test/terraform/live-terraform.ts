/**
 * The same scenarios with a real `terraform` (TERRAFORM_LIVE=1): a TerraformRunner over the binary.
 * plan = `terraform plan -detailed-exitcode -out=tfplan`, read back with `terraform show -json
 * tfplan`; apply = `terraform apply tfplan`; outputs from `terraform output -json`; what Terraform
 * prints = `terraform show` and `terraform output` (human-readable, sensitive values hidden).
 * `terraform init` needs the hashicorp/external and hashicorp/tls providers: from the registry, or
 * a mirror configured through TF_CLI_CONFIG_FILE / TF_PLUGIN_CACHE_DIR (passed through).
 */
import { spawnSync } from "node:child_process";
import { Sensitive, type Value } from "../cdktf/support/hcl";
import type { Action, Plan, ProgramRun } from "../cdktf/support/tf-sim";
import type { TerraformRunner } from "./world";

const PASS = ["TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_LOG", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];

interface PlanJson {
  resource_changes?: { address: string; mode: string; change: { actions: string[] } }[];
  output_changes?: Record<string, { actions: string[] }>;
}

function action(actions: string[]): Action | "read" {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions[0] === "no-op") return "noop";
  return actions[0] as Action | "read";
}

export class LiveTerraform implements TerraformRunner {
  readonly runs: ProgramRun[] = [];
  private readonly env: Record<string, string>;
  private initialized = false;

  constructor(
    readonly dir: string,
    env: Record<string, string>,
    readonly vars: Record<string, string> = {},
    readonly binary = process.env["TERRAFORM_BINARY"] ?? "terraform",
  ) {
    this.env = { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...Object.fromEntries(PASS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!])) };
  }

  private tf(args: string[], okCodes = [0]): { code: number; stdout: string } {
    const r = spawnSync(this.binary, args, { cwd: this.dir, env: this.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    const code = r.status ?? -1;
    if (!okCodes.includes(code)) throw new Error(`terraform ${args.join(" ")} exited ${code}:\n${r.stdout}\n${r.stderr}`);
    return { code, stdout: r.stdout };
  }

  private init(): void {
    if (this.initialized) return;
    this.tf(["init", "-input=false", "-no-color"]);
    this.initialized = true;
  }

  private varArgs(): string[] {
    return Object.entries(this.vars).flatMap(([k, v]) => ["-var", `${k}=${v}`]);
  }

  async plan(): Promise<Plan> {
    this.init();
    const { code } = this.tf(["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan", ...this.varArgs()], [0, 2]);
    const json = JSON.parse(this.tf(["show", "-json", "tfplan"]).stdout) as PlanJson;
    const changes: Record<string, Action> = {};
    const deferred: string[] = [];
    for (const rc of json.resource_changes ?? []) {
      const a = action(rc.change.actions);
      if (rc.mode === "data") {
        if (a === "read") deferred.push(rc.address);
      } else changes[rc.address] = a as Action;
    }
    const outputs = Object.fromEntries(Object.entries(json.output_changes ?? {}).map(([k, o]) => [k, action(o.actions)])) as Plan["outputs"];
    return { changes, outputs, readAtPlan: [], deferred, exitCode: code === 2 ? 2 : 0, data: new Map() };
  }

  async apply(_plan: Plan): Promise<void> {
    this.tf(["apply", "-input=false", "-no-color", "-auto-approve", "tfplan"]);
  }

  output(name: string): Value {
    const all = JSON.parse(this.tf(["output", "-json"]).stdout) as Record<string, { value: Value; sensitive: boolean }>;
    const o = all[name];
    if (!o) throw new Error(`no output ${name}`);
    return o.sensitive ? new Sensitive(o.value) : o.value;
  }

  printable(): { where: string; text: string }[] {
    return [
      { where: "terraform show", text: this.tf(["show", "-no-color"]).stdout },
      { where: "terraform output", text: this.tf(["output", "-no-color"]).stdout },
    ];
  }
}
