/**
 * The acceptance scenario of issue 14, shared by every configuration (CDKTF and HCL, the example and
 * the two-certificate stack, simulated or real Terraform): on day 0, day 1 and day 40 (emulator
 * clock), `plan → apply → plan`:
 * - no plan makes a mutating call (emulator call log);
 * - the second plan of each day has no changes, root outputs included (detailed exit code 0);
 * - day 0 and day 1 pay nothing; day 40 (past the renewal window) renews each certificate once, in
 *   one apply (paid calls sent, failed or not, from the call log);
 * - nothing Terraform prints (state, data results, outputs, program output) holds a private key.
 */
import * as crypto from "node:crypto";
import { expect } from "vitest";
import { isMarked } from "../cdktf/support/tf-functions";
import type { Plan } from "../cdktf/support/tf-sim";
import { KEY_PEM, type TerraformRunner, type TfWorld } from "./world";

/** Every non-noop entry of a plan, for failure messages. */
export function changed(plan: Plan): string[] {
  return [
    ...Object.entries(plan.changes).filter(([, a]) => a !== "noop").map(([k, a]) => `${k}: ${a}`),
    ...Object.entries(plan.outputs).filter(([, a]) => a !== "noop").map(([k, a]) => `output.${k}: ${a}`),
  ];
}

export interface DayResult {
  readonly first: Plan;
  readonly second: Plan;
  /** Paid calls sent during the apply. */
  readonly paid: number;
}

/** plan → apply → plan, checking that plans do not mutate. */
export async function planApplyPlan(world: TfWorld, tf: TerraformRunner, label: string): Promise<DayResult> {
  const m0 = world.mutating();
  const first = await tf.plan();
  expect(world.mutating(), `${label}: the first plan made a mutating call`).toBe(m0);
  const p0 = world.paid();
  await tf.apply(first);
  const paid = world.paid() - p0;
  const m1 = world.mutating();
  const second = await tf.plan();
  expect(world.mutating(), `${label}: the second plan made a mutating call`).toBe(m1);
  return { first, second, paid };
}

/** The second plan is empty: no resource and no root output changes. */
export function expectSettled(r: DayResult, label: string): void {
  expect(changed(r.second), `${label}: the second plan shows changes`).toEqual([]);
  expect(r.second.exitCode, `${label}: terraform plan -detailed-exitcode`).toBe(0);
}

/**
 * Nothing Terraform prints holds a private key: state, data results, outputs (./tf-sim printable()),
 * and what the programs print or are given on their command line or stdin (a data source's query
 * is shown in plans). A local-exec `environment` is not printed by Terraform (and a sensitive value
 * there suppresses the provisioner's output), so it is not checked here. No data "external" result
 * has a key-named field.
 */
export function expectNoKeyPrinted(tf: TerraformRunner, label: string): void {
  for (const p of tf.printable()) expect(KEY_PEM.test(p.text), `${label}: ${p.where} is printed unmarked and holds a private key`).toBe(false);
  for (const r of tf.runs) {
    const text = [r.argv.join(" "), r.stdin, r.stdout, r.stderr].join("\n");
    expect(KEY_PEM.test(text), `${label}: ${r.address} (${r.phase}) printed or was given a private key on its command line or stdin`).toBe(false);
    if (r.address.includes("data.external.") && r.exitCode === 0)
      expect(Object.keys(JSON.parse(r.stdout) as object).filter((k) => /private_key/.test(k)), `${label}: ${r.address} result fields`).toEqual([]);
  }
}

/** A sensitive root output holds a key that matches the certificate output. */
export function expectKeyMatches(tf: TerraformRunner, keyOutput: string, certOutput: string): void {
  const key = tf.output(keyOutput);
  expect(isMarked(key), `output ${keyOutput} is not sensitive`).toBe(true);
  const pem = String((key as { value: unknown }).value);
  expect(pem).toMatch(KEY_PEM);
  const cert = new crypto.X509Certificate(String(tf.output(certOutput)));
  expect(cert.checkPrivateKey(crypto.createPrivateKey(pem)), `${keyOutput} does not match ${certOutput}`).toBe(true);
}

/**
 * Days 0, 1, 40 for a configuration whose certificates are all 50-60 days from expiry on day 0
 * (renew_before_days 30: not due on days 0 and 1, due on day 40). `certificates` = how many
 * certificates the configuration renews on day 40. Every day runs even when an earlier one failed
 * (soft assertions), so one run reports all three days.
 */
export async function threeDays(world: TfWorld, tf: TerraformRunner, label: string, certificates: number, check?: (day: number, r: DayResult) => void): Promise<void> {
  const log: string[] = [];
  for (const [day, advance] of [[0, 0], [1, 1], [40, 39]] as const) {
    world.advanceDays(advance);
    const paidBefore = world.paid();
    const where = `${label} day ${day}`;
    try {
      const r = await planApplyPlan(world, tf, where);
      log.push(`day ${day}: first plan [${changed(r.first).join(", ")}], paid ${r.paid}, second plan [${changed(r.second).join(", ")}]`);
      expect.soft(changed(r.second), `${where}: the second plan shows changes`).toEqual([]);
      expect.soft(r.second.exitCode, `${where}: terraform plan -detailed-exitcode`).toBe(0);
      expect.soft(r.paid, `${where}: paid calls in the apply`).toBe(day === 40 ? certificates : 0);
      expectNoKeyPrinted(tf, where);
      check?.(day, r);
    } catch (e) {
      log.push(`day ${day}: FAILED (paid ${world.paid() - paidBefore}): ${(e as Error).message.split("\n")[0]}`);
      expect.soft(undefined, `${where}: ${(e as Error).message}`).toBe("no error");
    }
  }
  expect(world.paid(), `${label}: paid calls over the three days\n${log.join("\n")}`).toBe(certificates);
  expect(log.filter((l) => l.includes("FAILED")), `${label}:\n${log.join("\n")}`).toEqual([]);
}
