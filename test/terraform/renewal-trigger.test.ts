/**
 * Issue 14, "Failures are red": a renewalTrigger on a certificate Tencent will not renew yet (199 days
 * left, RenewAble false) fails the apply with the reason and the date Tencent allows it, pays nothing,
 * and the next plan still shows the renewal step (it is not silently swallowed).
 */
import { TerraformOutput } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenewedCertificate } from "../../constructs";
import type { SimulatedTerraform } from "../cdktf/support/tf-sim";
import { triggerHcl } from "./stacks";
import { seed, stackOf, startTfWorld, type TfWorld } from "./world";

const FAR = "tfFar01";
let world: TfWorld;
beforeAll(async () => {
  world = await startTfWorld(seed([{ certificateId: FAR, domain: "far.example.com", expiresInDays: 199 }]));
});
afterAll(async () => world?.close());

const MESSAGE = new RegExp(
  `renewalTrigger cannot be honoured: Tencent does not allow renewing ${FAR} yet \\(RenewAble is false\\); [^\\n]*\\d{4}-\\d{2}-\\d{2}[^\\n]*Nothing was paid`,
);

async function expectRed(tf: SimulatedTerraform, renewalStep: (address: string) => boolean): Promise<void> {
  const mutatingBefore = world.mutating();
  const paidBefore = world.paid();
  const plan = await tf.plan();
  expect(world.mutating(), "the plan made a mutating call").toBe(mutatingBefore);
  const step = Object.keys(plan.changes).find(renewalStep)!;
  expect(plan.changes[step], "the plan shows the forced renewal").toMatch(/create|replace/);
  await expect(tf.apply(plan)).rejects.toThrow(MESSAGE);
  expect(world.paid(), "nothing paid").toBe(paidBefore);
  const next = await tf.plan();
  expect(next.changes[step], "the next plan still shows the renewal step").toMatch(/create|replace/);
  expect(next.exitCode).toBe(2);
}

describe("renewalTrigger on a certificate Tencent will not renew yet", () => {
  it("CDKTF: the apply fails with the reason and the date, pays nothing, and the next plan shows it again", async () => {
    const { tf } = world.cdktf(
      "trigger",
      stackOf((stack) => {
        const cert = new RenewedCertificate(stack, "cert", { certificateId: FAR, renewalTrigger: "rotate-1" });
        new TerraformOutput(stack, "certificate_id", { value: cert.certificateId });
      }),
    );
    await expectRed(tf, (a) => /^terraform_data\.cert_renewal_[0-9A-F]+$/.test(a));
  });

  it("HCL module: the same", async () => {
    const { tf } = world.hcl("trigger-hcl", triggerHcl(FAR, "rotate-1"));
    await expectRed(tf, (a) => a === "module.cert.terraform_data.renewal");
  });
});
