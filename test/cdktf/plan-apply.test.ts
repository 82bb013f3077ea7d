/**
 * Plan → apply, the way Terraform runs the synthesized stack: the real `tccert tf-*` programs
 * (node dist/cli/main.js) spawned from the stack directory, stdin written as Go writes it,
 * against the embedded emulator, whose call log tells what was paid.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { afterEach, describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { Sensitive, plain } from "./support/hcl";
import { tlsCertRequest, tlsPrivateKey } from "./support/tls";
import { CLI, PAID, seed, startCdktfWorld, type CdktfWorld } from "./support/world";
import type { SimulatedTerraform } from "./support/tf-sim";

let world: CdktfWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function stackWith(config: RenewedCertificateConfig) {
  return (stack: Construct) => {
    const cert = new RenewedCertificate(stack, "cert", config);
    new TerraformOutput(stack, "certificate_id", { value: cert.certificateId });
    new TerraformOutput(stack, "certificate_pem", { value: cert.certificatePem });
    new TerraformOutput(stack, "fullchain_pem", { value: cert.fullchainPem });
    new TerraformOutput(stack, "private_key_pem", { value: cert.privateKeyPem, sensitive: true });
    new TerraformOutput(stack, "not_after", { value: cert.notAfter });
  };
}

function output(tf: SimulatedTerraform, json: Record<string, unknown>, name: string) {
  const outputs = json["output"] as Record<string, { value: unknown }>;
  return tf.evaluate(outputs[name]!.value);
}

function addressOf(tf: SimulatedTerraform, prefix: string): string {
  const a = [...tf.nodes.keys()].find((k) => k.startsWith(prefix));
  if (!a) throw new Error(`no ${prefix}* in the stack`);
  return a;
}

describe("a renewal waiting for a human: stale material is red, downstream keeps its pair", () => {
  it("OV letter pending: the rotated key has no certificate yet, so the apply and the plans fail at the material read; after the letter one apply resumes it, paid once", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkOv01", domain: "corp.example.com", certType: "OV", expiresInDays: 24 }]));
    const { tf, json } = world.synth(stackWith({ certificateId: "cdkOv01", waitTimeoutMinutes: 1 }));
    const renewal = addressOf(tf, "terraform_data.cert_renewal_");
    const status = addressOf(tf, "data.external.cert_status_");
    const key = addressOf(tf, "tls_private_key.");

    await expect(tf.planAndApply()).rejects.toThrow(/tccert: certificate cdkOv01, the lineage's current one, was not issued for this stack's key .*its renewal \w+ is not issued yet \(pending-letter/);
    expect(world.count(PAID)).toBe(1);
    const run = tf.runs.filter((r) => r.address === renewal).at(-1)!;
    expect(run.stdout).toMatch(/^tccert tf-renew: renewal \S+ waits for a human \(confirmation-letter\)/);
    expect(run.stderr).toContain("tccert: what to do: Open the Tencent Cloud SSL console");
    // No output was written: whatever used the previous pair keeps it.
    expect(tf.outputState.size).toBe(0);
    const keyPem = tf.state.get(key)!.attrs["private_key_pem"];

    // While the letter waits the plan is red too, and the renewal step is not run again.
    await expect(tf.plan()).rejects.toThrow(/is not issued yet/);
    expect(tf.runs.filter((r) => r.address === renewal)).toHaveLength(1);
    const order = /renewal (\w+) waits for a human/.exec(run.stdout)![1]!;

    world.emu.admin.acceptLetter(String(order));
    world.emu.admin.advanceClock(5 * 24 * 3600);
    // The letter accepted leaves work for the tool: the plan resumes the order, with the same key.
    const resume = await tf.plan();
    expect(tf.dataResult(status)["cycle"]).toBe(`resume:${order}`);
    expect(resume.changes[renewal]).toBe("replace");
    expect(resume.changes[key]).toBe("noop");
    await tf.apply(resume);
    expect(tf.state.get(key)!.attrs["private_key_pem"]).toBe(keyPem);
    expect(output(tf, json, "certificate_id")).toBe(order);
    // One more apply records the finished cycle (it pays and changes nothing), then the plan settles.
    await tf.planAndApply();
    expect(world.count(PAID, false)).toBe(1);
    expect((await tf.plan()).exitCode).toBe(0);
  }, 120_000);
});

describe("plan → apply against the emulator", () => {
  it("local key: plan pays nothing, apply renews once with the CSR of the tls key, a second plan changes nothing", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkDue01", domain: "www.example.com", sans: ["api.example.com"], expiresInDays: 12 }]));
    const { tf, json } = world.synth(stackWith({ certificateId: "cdkDue01", waitTimeoutMinutes: 2 }));
    const renewal = addressOf(tf, "terraform_data.cert_renewal_");
    const status = addressOf(tf, "data.external.cert_status_");
    const material = addressOf(tf, "data.external.cert_material_");

    // plan: the status read runs; nothing paid, nothing mutated; the material read is deferred.
    const plan1 = await tf.plan();
    expect(plan1.readAtPlan).toEqual([status]);
    expect(plan1.deferred).toContain(material);
    expect(plan1.changes[renewal]).toBe("create");
    expect(world.mutatingCalls()).toBe(0);
    expect(world.count(PAID, false)).toBe(0);
    const s = tf.dataResult(status);
    expect(s).toMatchObject({ certificate_id: "cdkDue01", due: "true", reason: "NearingExpiry", cycle: "renew:cdkDue01", domain: "www.example.com" });
    expect(s["domains"]!.split(",").sort()).toEqual(["api.example.com", "www.example.com"]);
    // the status read's stdin was a JSON object of strings, written as Go writes it
    const statusRun = tf.runs.find((r) => r.address === status)!;
    expect(statusRun.stdin).toBe('{"certificate_id":"cdkDue01","renew_before_days":""}');
    expect(JSON.stringify(s)).not.toMatch(/PRIVATE KEY|SECRET/i);

    // apply: the renewal step pays exactly once; the gated material read runs after it.
    await tf.apply(plan1);
    expect(world.count(PAID)).toBe(1);
    const renewRun = tf.runs.find((r) => r.address === renewal)!;
    expect(renewRun.phase).toBe("apply");
    expect(renewRun.argv.slice(-3)).toEqual(["tf-renew", "--certificate-id", "cdkDue01"]);
    expect(renewRun.argv.join(" ")).not.toContain("BEGIN");
    expect(renewRun.env["TCCERT_CSR_PEM"]).toContain("-----BEGIN CERTIFICATE REQUEST-----");
    expect(tf.runs.findIndex((r) => r.address === material)).toBeGreaterThan(tf.runs.indexOf(renewRun));

    const m = tf.dataResult(material);
    expect(m["certificate_id"]).not.toBe("cdkDue01");
    expect(m["original_certificate_id"]).toBe("cdkDue01");
    expect(m["key_matches"]).toBe("true");
    expect(m["problem"]).toBe("");
    expect(m).not.toHaveProperty("private_key_pem");
    const keyPem = tf.state.get(addressOf(tf, "tls_private_key."))!.attrs["private_key_pem"] as string;
    expect(keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const leaf = new crypto.X509Certificate(m["certificate_pem"]!);
    expect(leaf.checkPrivateKey(crypto.createPrivateKey(keyPem))).toBe(true);
    expect(m["fullchain_pem"]!.startsWith(m["certificate_pem"]!.trim())).toBe(true);
    expect(new Date(m["not_after"]!).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);

    // outputs resolve; the private key output is the tls key, and sensitive
    expect(output(tf, json, "certificate_id")).toBe(m["certificate_id"]);
    const pk = output(tf, json, "private_key_pem");
    expect(pk).toBeInstanceOf(Sensitive);
    expect(plain(pk)).toBe(keyPem);

    // a second plan: nothing due, the trigger value unchanged, nothing to change or pay
    const before = world.emu.admin.calls().counts;
    const plan2 = await tf.plan();
    expect(tf.dataResult(status)).toMatchObject({ certificate_id: m["certificate_id"], due: "false", cycle: "renew:cdkDue01" });
    expect(Object.values(plan2.changes).every((c) => c === "noop")).toBe(true);
    // outputs included (terraform plan -detailed-exitcode → 0), and still on the next day
    expect(plan2.exitCode).toBe(0);
    world.emu.admin.advanceClock(24 * 3600);
    expect((await tf.plan()).exitCode).toBe(0);
    expect(plan2.deferred).toEqual([]);
    expect(plan2.readAtPlan).toContain(material);
    await tf.apply(plan2);
    expect(world.count(PAID, false)).toBe(1);
    const after = world.emu.admin.calls().counts;
    expect(Object.keys(after).filter((k) => !k.startsWith("ssl.Describe") && (after[k] ?? 0) !== (before[k] ?? 0))).toEqual([]);
  }, 120_000);

  it("a retried apply (the first stopped while waiting for issuance) resumes the paid order and pays once", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkSlow01", domain: "slow.example.com", expiresInDays: 5 }]));
    world.emu.admin.setIssuanceDelay(24 * 3600);
    const { tf } = world.synth(stackWith({ certificateId: "cdkSlow01", waitTimeoutMinutes: 0.05, key: { source: "local", algorithm: "EC_P256" } }));
    const renewal = addressOf(tf, "terraform_data.cert_renewal_");

    await expect(tf.planAndApply()).rejects.toThrow(/local-exec provisioner error: exit status 2[\s\S]*resumable/);
    expect(world.count(PAID)).toBe(1);
    expect(tf.state.get(renewal)!.tainted).toBe(true);

    // Tencent issues later; the retried apply replaces the tainted step, which resumes.
    world.emu.admin.advanceClock(2 * 24 * 3600);
    world.emu.admin.setIssuanceDelay(0);
    const keyAtPayment = tf.state.get(addressOf(tf, "tls_private_key."))!.attrs["private_key_pem"];
    const plan = await tf.plan();
    expect(plan.changes[renewal]).toBe("replace");
    // the key its CSR was made from stays: a resumed renewal never rotates the key
    expect(plan.changes[addressOf(tf, "tls_private_key.")]).toBe("noop");
    expect(world.mutatingCalls()).toBeGreaterThan(0);
    const paidBefore = world.count(PAID, false);
    await tf.apply(plan);
    expect(world.count(PAID, false)).toBe(paidBefore);
    expect(world.count(PAID)).toBe(1);
    const m = tf.dataResult(addressOf(tf, "data.external.cert_material_"));
    expect(m["key_matches"]).toBe("true");
    const keyPem = tf.state.get(addressOf(tf, "tls_private_key."))!.attrs["private_key_pem"] as string;
    expect(keyPem).toBe(keyAtPayment);
    expect(keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(new crypto.X509Certificate(m["certificate_pem"]!).checkPrivateKey(crypto.createPrivateKey(keyPem))).toBe(true);

    // and running the renewal step's program once more, as a second retry, pays nothing
    const run = tf.runs.filter((r) => r.address === renewal).at(-1)!;
    const again = await tf.plan();
    expect(again.changes[renewal]).toBe("noop");
    tf.state.get(renewal)!.tainted = true;
    await tf.apply(await tf.plan());
    expect(tf.runs.filter((r) => r.address === renewal).at(-1)!.env).toEqual(run.env);
    expect(world.count(PAID, false)).toBe(1);
  }, 120_000);

  it("csr key: renews with your CSR; the material read checks the certificate against it; no key output", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkCsr01", domain: "csr.example.com", expiresInDays: 7 }]));
    const key = tlsPrivateKey({ algorithm: "ECDSA", ecdsa_curve: "P256" });
    const csrPem = await tlsCertRequest({ private_key_pem: key.private_key_pem, subject: [{ common_name: "csr.example.com" }], dns_names: ["csr.example.com"] });
    const { tf, json } = world.synth((stack) => {
      const cert = new RenewedCertificate(stack, "cert", { certificateId: "cdkCsr01", key: { source: "csr", csrPem } });
      new TerraformOutput(stack, "certificate_id", { value: cert.certificateId });
    });
    expect(Object.keys(json["resource"] as object)).toEqual(["terraform_data"]);
    await tf.planAndApply();
    expect(world.count(PAID)).toBe(1);
    const m = tf.dataResult(addressOf(tf, "data.external.cert_material_"));
    expect(m["key_matches"]).toBe("true");
    expect(new crypto.X509Certificate(m["certificate_pem"]!).checkPrivateKey(crypto.createPrivateKey(key.private_key_pem))).toBe(true);
    expect((await tf.plan()).exitCode).toBe(0);
  }, 120_000);

  it("adopting a certificate that is not due: the apply succeeds with the certificate and no key (null, never \"\"), pays nothing, and the next plan is empty", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkFar01", domain: "far.example.com", expiresInDays: 200 }]));
    const { tf, json } = world.synth(stackWith({ certificateId: "cdkFar01" }));
    const plan = await tf.plan();
    expect(tf.dataResult(addressOf(tf, "data.external.cert_status_"))).toMatchObject({ due: "false", cycle: "hold:cdkFar01", key_cycle: "hold:cdkFar01" });
    await tf.apply(plan);
    expect(tf.runs.find((r) => r.address.includes("cert_renewal_"))!.stdout).toMatch(/nothing to renew/);
    expect(world.count(PAID, false)).toBe(0);
    expect(output(tf, json, "certificate_id")).toBe("cdkFar01");
    const pk = output(tf, json, "private_key_pem");
    expect(pk).toBeInstanceOf(Sensitive);
    expect(plain(pk)).toBeNull();
    expect(tf.dataResult(addressOf(tf, "data.external.cert_material_"))["message"]).toMatch(/^cdkFar01 is adopted: .*null\) until its first renewal, due from /);
    expect((await tf.plan()).exitCode).toBe(0);
  }, 120_000);

  it("renewalTrigger: one apply renews a certificate that is not due and the next plan is empty; a trigger Tencent will not honour fails with its date", async () => {
    // 20 days left: Tencent allows renewing (RenewAble), but renewBeforeDays 7 says not yet.
    world = await startCdktfWorld(seed([{ certificateId: "cdkTrg01", domain: "trigger.example.com", expiresInDays: 20 }]));
    const first = world.synth(stackWith({ certificateId: "cdkTrg01", renewBeforeDays: 7, renewalTrigger: "rotate-1" }));
    const tf = first.tf;
    const renewal = addressOf(tf, "terraform_data.cert_renewal_");
    const plan = await tf.plan();
    expect(plan.changes[renewal]).toBe("create");
    expect(world.mutatingCalls()).toBe(0);
    await tf.apply(plan);
    expect(world.count(PAID)).toBe(1);
    const m = tf.dataResult(addressOf(tf, "data.external.cert_material_"));
    expect(m["certificate_id"]).not.toBe("cdkTrg01");
    expect(m["key_matches"]).toBe("true");

    // Converged in one apply: nothing to change, outputs included, today and tomorrow.
    const after = await tf.plan();
    expect(Object.values(after.changes).every((c) => c === "noop")).toBe(true);
    expect(after.exitCode).toBe(0);
    world.emu.admin.advanceClock(24 * 3600);
    expect((await tf.plan()).exitCode).toBe(0);

    // A new trigger on a certificate with a year left: Tencent will not renew it yet. The apply is red, with the date.
    const second = world.synth(stackWith({ certificateId: "cdkTrg01", renewBeforeDays: 7, renewalTrigger: "rotate-2" }), tf);
    const again = await second.tf.plan();
    expect(again.changes[addressOf(second.tf, "terraform_data.cert_renewal_")]).toBe("replace");
    await expect(second.tf.apply(again)).rejects.toThrow(
      new RegExp(`renewalTrigger cannot be honoured: Tencent does not allow renewing ${m["certificate_id"]} yet \\(RenewAble is false\\); Tencent opens renewal about 30 days before expiry: from about \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z`),
    );
    expect(world.count(PAID, false)).toBe(1);
    // and it stays red (the step is tainted) rather than silently green
    expect((await second.tf.plan()).changes[addressOf(second.tf, "terraform_data.cert_renewal_")]).toBe("replace");
  }, 120_000);
});

describe("program resolution that survives relocation", () => {
  it("a program chosen at synth (an absolute node + main.js) runs from a stack folder outside any npm project", async () => {
    world = await startCdktfWorld(seed([{ certificateId: "cdkRel01", domain: "rel.example.com", expiresInDays: 12 }]));
    const program = [process.execPath, CLI];
    const { tf, stackDir } = world.synth(stackWith({ certificateId: "cdkRel01", program }));
    // No package.json above the stack: `npx --no-install tccert` could not find a tccert here.
    expect(fs.existsSync(path.join(stackDir, "package.json"))).toBe(false);
    const plan = await tf.plan();
    const run = tf.runs.find((r) => r.address.includes("cert_status_"))!;
    expect(run.argv).toEqual([...program, "tf-status"]);
    expect(run.cwd).toBe(stackDir);
    expect(run.exitCode).toBe(0);
    expect(plan.changes[addressOf(tf, "terraform_data.cert_renewal_")]).toBe("create");
    expect(world.mutatingCalls()).toBe(0);
  }, 60_000);
});
