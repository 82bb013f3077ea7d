import * as crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { expectIssued, expectNoCalls } from "./expect";
import { HostError, type Props } from "./host";
import { dv, seed, startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function createFails(w: PulumiWorld, name: string, args: Props): Promise<{ error: HostError; id: string; properties: Props }> {
  const e = await w.up(name, args).then(
    () => {
      throw new Error("create should have stopped with partial progress");
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HostError);
  const error = e as HostError;
  expect(error.partial, "the gRPC error carries ErrorResourceInitFailed").not.toBeNull();
  return { error, id: error.partial!.id, properties: error.partial!.properties };
}

describe("partial progress (ErrorResourceInitFailed) and resume", () => {
  it("a create that times out waiting leaves a partial resource; the next update resumes the same order without paying again", async () => {
    // The CA takes 20 emulator-seconds after validation; the resource waits 3 s.
    world = await startPulumiWorld(seed([dv("slow", 20)]), { issuanceDelaySeconds: 20 });
    const w = world;
    const args = { certificateId: "slow", waitTimeoutMinutes: 0.05 };
    const { error, id, properties } = await createFails(w, "slow", args);
    expect(error.message).toMatch(/not issued after .* Nothing is lost: rerun/);
    expect(error.message).toMatch(/the next `pulumi up` resumes it without paying again/);
    expect(id).toBe("slow");
    const orderId = properties["pendingCertificateId"] as string;
    expect(orderId).toMatch(/^[A-Za-z0-9]+$/);
    expect(orderId).not.toBe("slow");
    expect(properties["originalCertificateId"]).toBe("slow");
    expect(properties["certificateId"]).toBe("slow");
    expect(properties["status"]).toBe("validating");
    expect(properties["certificatePem"]).toBe("");
    expect(properties["renewBeforeDays"]).toBe(30);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    // Progress was printed while waiting.
    await w.host.waitForStdout(new RegExp(`tccert slow: waiting for ${orderId} to issue`));

    // The next preview sees the pending order, without any call.
    const p = await expectNoCalls(w, () => w.preview("slow", id, properties, args));
    expect(p.changes).toBe("some");
    await w.host.waitForStdout(/renewal due \(OrderInFlight\)/);

    w.emu.admin.advanceClock(25);
    const up = await w.upExisting("slow", id, properties, args);
    expect(up.updated).toBe(true);
    expectIssued(up.state);
    expect(up.state["certificateId"]).toBe(orderId);
    expect(up.state["previousCertificateId"]).toBe("slow");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("OV: a pending confirmation letter never blocks downstream: up succeeds with the current certificate and key; refresh sees the letter accepted; a later up completes, paid once", async () => {
    world = await startPulumiWorld(seed([{ certificateId: "corp", domain: "corp.example.com", certType: "OV", expiresInDays: 25 }]), {
      issuanceDelaySeconds: 0,
    });
    const w = world;
    const args = { certificateId: "corp" };
    const created = await w.up("corp", args);
    const s0 = created.state;
    expect(created.id).toBe("corp");
    // The current certificate and its key, a matching pair, for the downstream resources.
    expect(s0["certificateId"]).toBe("corp");
    const cert = new crypto.X509Certificate(s0["certificatePem"] as string);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(s0["privateKeyPem"] as string))).toBe(true);
    expect(s0["fullchainPem"]).not.toBe("");
    expect(s0["status"]).toBe("pending-human-action");
    expect(s0["pendingAction"]).toBe("confirmation-letter");
    expect(s0["pendingInstructions"]).toMatch(/download the confirmation letter template, sign and stamp it, and upload it/);
    expect(s0["renewalReason"]).toMatch(/waits for its confirmation letter \(status 8\)/);
    const orderId = s0["pendingCertificateId"] as string;
    expect(orderId).not.toBe("");
    await w.host.waitForStdout(`tccert corp: pending-human-action: renewal ${orderId} of corp waits for its confirmation letter`);
    await w.host.waitForStdout(/The outputs keep corp, valid until 20\d\d-/);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    // Refresh before the letter is accepted: still waiting for the human.
    const r1 = await w.host.read("corp", created.id, s0);
    expect(r1.properties["pendingAction"]).toBe("confirmation-letter");
    expect(r1.properties["status"]).toBe("pending-human-action");
    expect(r1.properties["pendingCertificateId"]).toBe(orderId);
    expect(r1.properties["privateKeyPem"]).toBe(s0["privateKeyPem"]);

    // Preview never pays, and says the order is pending.
    expect((await expectNoCalls(w, () => w.preview("corp", created.id, r1.properties, args))).changes).toBe("some");
    // An up while the letter is still pending succeeds again, and pays nothing.
    const again = await w.upExisting("corp", created.id, r1.properties, args);
    expect(again.state["status"]).toBe("pending-human-action");
    expect(again.state["certificateId"]).toBe("corp");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    // The console accepts the letter; refresh picks it up.
    w.emu.admin.acceptLetter(orderId);
    const r2 = await w.host.read("corp", created.id, again.state);
    expect(r2.properties["pendingAction"]).toBe("");
    expect(["validating", "issued"]).toContain(r2.properties["status"]);
    await w.host.waitForStdout(`renewal ${orderId} is`);

    // The update completes the same order.
    const up = await w.upExisting("corp", created.id, r2.properties, args);
    expect(up.updated).toBe(true);
    expectIssued(up.state);
    expect(up.state["certificateId"]).toBe(orderId);
    expect(up.state["previousCertificateId"]).toBe("corp");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("a refresh after the order issued elsewhere adopts the new certificate and its journaled key (read-only calls)", async () => {
    world = await startPulumiWorld(seed([dv("away", 20)]), { issuanceDelaySeconds: 20 });
    const w = world;
    const args = { certificateId: "away", waitTimeoutMinutes: 0.02 };
    const { id, properties } = await createFails(w, "away", args);
    const orderId = properties["pendingCertificateId"] as string;
    w.emu.admin.advanceClock(25);
    const mutating = () => w.count("ssl.CreateCertificateByPackage") + w.count("ssl.CompleteCertificate") + w.count("ssl.CertificateOrderSubmit");
    const before = mutating();
    const r = await w.host.read("away", id, properties);
    expect(mutating()).toBe(before);
    // The CA finished on its own (the validation record is still published): refresh outputs the
    // new certificate, with the key from the renewal journal.
    expectIssued(r.properties);
    expect(r.properties["certificateId"]).toBe(orderId);
    expect(r.properties["previousCertificateId"]).toBe("away");
    // Nothing left to do: the next preview is quiet.
    expect((await expectNoCalls(w, () => w.preview("away", id, r.properties, args))).changes).toBe("none");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("an update that stops waiting keeps every output of the current certificate and records the order; the next update resumes it", async () => {
    world = await startPulumiWorld(seed([dv("kept", 25)]), { issuanceDelaySeconds: 20 });
    const w = world;
    const base = { certificateId: "kept", renewBeforeDays: 10, renewalTrigger: "a", waitTimeoutMinutes: 0.03 };
    const created = await w.up("kept", base);
    expectIssued(created.state);
    const forced = { ...base, renewalTrigger: "b" };
    const p = await w.preview("kept", "kept", created.state, forced);
    const e = await w.host.update("kept", "kept", created.state, p.inputs).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HostError);
    const partial = (e as HostError).partial!;
    expect(partial.id).toBe("kept");
    const props = partial.properties;
    for (const name of ["certificateId", "certificatePem", "chainPem", "fullchainPem", "privateKeyPem", "notAfter", "serialNumber", "sha256Fingerprint"])
      expect(props[name], name).toBe(created.state[name]);
    expect(props["pendingCertificateId"]).not.toBe("");
    expect(props["renewalTrigger"]).toBe("b");
    expect(props["__provider"]).toBe(w.providerText);

    // The stored trigger is the new one, yet the pending order keeps the next diff "some".
    expect((await expectNoCalls(w, () => w.preview("kept", "kept", props, forced))).changes).toBe("some");
    w.emu.admin.advanceClock(25);
    const up = await w.upExisting("kept", "kept", props, forced);
    expectIssued(up.state);
    expect(up.state["certificateId"]).toBe(props["pendingCertificateId"]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});
