/**
 * The simulator's own rules, on small HCL configurations whose external program is a tiny Node
 * script (no emulator, no package): each test pins one documented Terraform behaviour the
 * scenarios rely on, so a regression in the model shows here, not as a puzzling scenario failure.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Sensitive } from "../cdktf/support/hcl";
import { SimulatedTerraform } from "../cdktf/support/tf-sim";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "tf-sim-rules-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// Echoes its query back as the result, plus a counter of how often it ran.
const ECHO = `let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const q=JSON.parse(s);const f=process.env.COUNTER;const n=f?Number(require("fs").existsSync(f)?require("fs").readFileSync(f,"utf8"):0)+1:0;if(f)require("fs").writeFileSync(f,String(n));process.stdout.write(JSON.stringify({...q,runs:String(n)}))})`;

let n = 0;
function sim(tf: string, vars: Record<string, string> = {}): SimulatedTerraform {
  const dir = path.join(root, String(n++));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "echo.js"), ECHO);
  fs.writeFileSync(path.join(dir, "main.tf"), tf);
  return new SimulatedTerraform({ stackDir: dir, env: { PATH: process.env["PATH"] ?? "", COUNTER: path.join(dir, "count") }, vars });
}

const PROGRAM = `["${process.execPath}", "echo.js"]`;

describe("the simulator follows Terraform's rules", () => {
  it("a data source referring to a KNOWN attribute of a resource with changes is read at plan; depends_on on it defers the read", async () => {
    const tf = sim(`
resource "terraform_data" "step" {
  input = { v = "x" }
  triggers_replace = [var.round]
}
variable "round" { default = "1" }
data "external" "implicit" {
  program = ${PROGRAM}
  query   = { round = var.round, known = terraform_data.step.input.v }
}
data "external" "explicit" {
  program    = ${PROGRAM}
  query      = { round = var.round }
  depends_on = [terraform_data.step]
}
data "external" "unknown" {
  program = ${PROGRAM}
  query   = { id = terraform_data.step.id }
}
`);
    const plan = await tf.plan();
    expect(plan.changes["terraform_data.step"]).toBe("create");
    expect(plan.readAtPlan).toEqual(["data.external.implicit"]);
    expect([...plan.deferred].sort()).toEqual(["data.external.explicit", "data.external.unknown"]);
    await tf.apply(plan);
    const again = await tf.plan();
    expect(again.deferred).toEqual([]);
    expect(again.exitCode).toBe(0);
  });

  it("root outputs: a changed value is a change of the plan (detailed exit code 2) even when no resource changes", async () => {
    const tf = sim(`
variable "v" {}
output "o" { value = var.v }
`, { v: "a" });
    expect((await tf.plan()).outputs).toEqual({ o: "create" });
    await tf.planAndApply();
    expect((await tf.plan()).exitCode).toBe(0);
    const changed = sim(fs.readFileSync(path.join(root, String(n - 1), "main.tf"), "utf8"), { v: "b" });
    for (const [k, v] of tf.outputState) changed.outputState.set(k, v);
    const plan = await changed.plan();
    expect(plan.outputs).toEqual({ o: "update" });
    expect(plan.exitCode).toBe(2);
  });

  it("an output of a sensitive value must be marked sensitive; a key stays (sensitive value) in what is printed", async () => {
    const bad = sim(`
resource "tls_private_key" "k" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}
output "key" { value = tls_private_key.k.private_key_pem }
`);
    await expect(bad.planAndApply()).rejects.toThrow(/Output refers to sensitive values/);
    const good = sim(`
resource "tls_private_key" "k" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}
output "key" {
  value     = tls_private_key.k.private_key_pem
  sensitive = true
}
output "pub" { value = tls_private_key.k.public_key_pem }
`);
    await good.planAndApply();
    expect(good.output("key")).toBeInstanceOf(Sensitive);
    const printed = good.printable().map((p) => p.text).join("\n");
    expect(printed).toContain("BEGIN PUBLIC KEY");
    expect(printed).not.toMatch(/PRIVATE KEY/);
  });

  it("data \"external\" results are NOT sensitive: a key returned by a program is printed", async () => {
    const tf = sim(`
data "external" "leak" {
  program = ${PROGRAM}
  query   = { pem = "-----BEGIN PRIVATE KEY-----" }
}
`);
    await tf.planAndApply();
    expect(tf.printable().some((p) => /PRIVATE KEY/.test(p.text))).toBe(true);
  });

  it("postconditions fail with their message, with self; preconditions too; variables validate", async () => {
    const post = sim(`
data "external" "d" {
  program = ${PROGRAM}
  query   = { problem = "stale" }
  lifecycle {
    postcondition {
      condition     = self.result.problem == ""
      error_message = "material: \${self.result.problem}"
    }
  }
}
`);
    await expect(post.plan()).rejects.toThrow(/data.external.d: Resource postcondition failed: material: stale/);
    const invalid = sim(`
variable "x" {
  default = "bad"
  validation {
    condition     = contains(["good"], var.x)
    error_message = "x must be good"
  }
}
output "x" { value = var.x }
`);
    await expect(invalid.plan()).rejects.toThrow(/Invalid value for variable var.x: x must be good/);
  });

  it("replace_triggered_by replaces on an update of the referenced instance; count.index is resolved", async () => {
    const text = (cycle: string) => `
resource "terraform_data" "cycle" {
  count = 1
  input = "${cycle}"
}
resource "tls_private_key" "k" {
  count     = 1
  algorithm = "ECDSA"
  ecdsa_curve = "P256"
  lifecycle {
    replace_triggered_by = [terraform_data.cycle[count.index]]
  }
}
`;
    const a = sim(text("one"));
    await a.planAndApply();
    expect(Object.values((await a.plan()).changes).every((c) => c === "noop")).toBe(true);
    const b = sim(text("two"));
    for (const [k, v] of a.state) b.state.set(k, v);
    const plan = await b.plan();
    expect(plan.changes).toMatchObject({ "terraform_data.cycle[0]": "update", "tls_private_key.k[0]": "replace" });
  });

  it("local-exec runs interpreter + command from the working directory; a failure taints the resource and the next plan replaces it", async () => {
    const tf = sim(`
resource "terraform_data" "step" {
  provisioner "local-exec" {
    interpreter = ["${process.execPath}", "-e"]
    command     = "process.exit(require('fs').existsSync('ok') ? 0 : 3)"
  }
}
`);
    await expect(tf.planAndApply()).rejects.toThrow(/local-exec provisioner error: exit status 3/);
    expect(tf.state.get("terraform_data.step")!.tainted).toBe(true);
    fs.writeFileSync(path.join(tf.options.stackDir, "ok"), "");
    const plan = await tf.plan();
    expect(plan.changes["terraform_data.step"]).toBe("replace");
    await tf.apply(plan);
    expect(tf.runs.at(-1)!.cwd).toBe(tf.options.stackDir);
  });
});
