/**
 * The acceptance scenarios with a real `terraform` binary, when TERRAFORM_LIVE=1 (skipped otherwise:
 * `terraform init` needs the hashicorp/external and hashicorp/tls providers, from the registry or a
 * mirror). Same packed-tarball project and the same checks as the simulated runs; each case has its
 * own emulator, so each certificate's lineage starts fresh.
 */
import { describe, expect, it } from "vitest";
import { CertificatesStack } from "../../examples/cdktf-renewal/main";
import { LiveTerraform } from "./live-terraform";
import { threeDays } from "./scenario";
import { CERTS, EXAMPLE_CERT, triggerHcl, twoCertsCdktf, twoCertsHcl } from "./stacks";
import { hclFilesOf, MODULE_IN_PACKAGE, seed, stackOf, startTfWorld, type TfWorld } from "./world";

const LIVE = process.env["TERRAFORM_LIVE"] === "1";

async function withWorld(run: (world: TfWorld) => Promise<void>, certificates = CERTS): Promise<void> {
  const world = await startTfWorld(seed(certificates));
  try {
    await run(world);
  } finally {
    await world.close();
  }
}

function asUserProject(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.replace(/source\s*=\s*"[^"]*terraform\/modules\/renewed-certificate"/g, `source = "./${MODULE_IN_PACKAGE}"`)]));
}

describe.skipIf(!LIVE)("with a real terraform binary (TERRAFORM_LIVE=1)", () => {
  it("examples/cdktf-renewal: days 0, 1, 40", () =>
    withWorld(async (world) => {
      const { stackDir } = world.cdktf("live-example", (app, id) => new CertificatesStack(app, id));
      await threeDays(world, new LiveTerraform(stackDir, world.env, { certificate_id: EXAMPLE_CERT }), "live cdktf example", 1);
    }));

  it("examples/terraform-hcl: days 0, 1, 40", () =>
    withWorld(async (world) => {
      const { dir } = world.hcl("live-example-hcl", asUserProject(hclFilesOf("examples/terraform-hcl")));
      await threeDays(world, new LiveTerraform(dir, world.env, { certificate_id: EXAMPLE_CERT }), "live hcl example", 1);
    }));

  it("two certificates and a consumer, CDKTF: days 0, 1, 40", () =>
    withWorld(async (world) => {
      const { stackDir } = world.cdktf("live-two-certs", stackOf(twoCertsCdktf()));
      await threeDays(world, new LiveTerraform(stackDir, world.env), "live cdktf two-certs", 2);
    }));

  it("two certificates and a consumer, HCL: days 0, 1, 40", () =>
    withWorld(async (world) => {
      const { dir } = world.hcl("live-two-certs-hcl", twoCertsHcl());
      await threeDays(world, new LiveTerraform(dir, world.env), "live hcl two-certs", 2);
    }));

  it("renewalTrigger Tencent will not honour yet fails the apply and pays nothing (HCL)", () =>
    withWorld(
      async (world) => {
        const { dir } = world.hcl("live-trigger-hcl", triggerHcl("tfFar01", "rotate-1"));
        const tf = new LiveTerraform(dir, world.env);
        await expect(tf.apply(await tf.plan())).rejects.toThrow(/renewalTrigger cannot be honoured: Tencent does not allow renewing tfFar01 yet \(RenewAble is false\)/);
        expect(world.paid()).toBe(0);
      },
      [{ certificateId: "tfFar01", domain: "far.example.com", expiresInDays: 199 }],
    ));
});

/**
 * The simulator against the real binary on configurations that need no provider (terraform_data,
 * variables, locals, outputs, conditions): both must plan the same actions, root output changes and
 * detailed exit code at each step. Needs only the binary (terraform init has nothing to download).
 */
describe.skipIf(!LIVE)("the simulator agrees with terraform (TERRAFORM_LIVE=1, no providers needed)", () => {
  const CONFIG = `
variable "cycle" { type = string }
variable "note" {
  type    = string
  default = "n"
}
locals {
  pair = { cycle = var.cycle, note = var.note }
}
resource "terraform_data" "step" {
  triggers_replace = { cycle = local.pair.cycle }
  input            = { cycle = local.pair.cycle }
}
resource "terraform_data" "note" {
  input = var.note
  lifecycle {
    replace_triggered_by = [terraform_data.step]
  }
}
resource "terraform_data" "after" {
  input = terraform_data.step.output.cycle
}
output "cycle" { value = terraform_data.step.output.cycle }
output "note" { value = var.note }
output "secret" {
  value     = sensitive("s-\${var.note}")
  sensitive = true
}
`;
  it("same plans over a sequence of variable changes", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { SimulatedTerraform } = await import("../cdktf/support/tf-sim");
    const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), "tf-diff-live-")), fs.mkdtempSync(path.join(os.tmpdir(), "tf-diff-sim-"))];
    for (const d of dirs) fs.writeFileSync(path.join(d, "main.tf"), CONFIG);
    const env = { PATH: process.env["PATH"] ?? "", HOME: dirs[0]! };
    let sim: InstanceType<typeof SimulatedTerraform> | undefined;
    for (const vars of [{ cycle: "a" }, { cycle: "a" }, { cycle: "a", note: "m" }, { cycle: "b", note: "m" }, { cycle: "b", note: "m" }]) {
      const live = new LiveTerraform(dirs[0]!, env, vars);
      const next = new SimulatedTerraform({ stackDir: dirs[1]!, env, vars });
      if (sim) {
        for (const [k, v] of sim.state) next.state.set(k, v);
        for (const [k, v] of sim.outputState) next.outputState.set(k, v);
      }
      sim = next;
      const [a, b] = [await live.plan(), await sim.plan()];
      const view = (p: typeof a) => ({ changes: p.changes, outputs: Object.fromEntries(Object.entries(p.outputs).filter(([, x]) => x !== "noop")), exitCode: p.exitCode });
      expect(view(b), `vars ${JSON.stringify(vars)}`).toEqual(view(a));
      await live.apply(a);
      await sim.apply(b);
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
});
