/**
 * The full lifecycle through the REAL plugin executable over gRPC, against the emulator seeded
 * like the demo: preview pays nothing (no call at all), create renews the due certificate paying
 * once, a second diff shows nothing, refresh reads only, the next due renewal is one paid update,
 * delete calls nothing. Secrets arrive as Pulumi secret values and are never printed.
 */
import * as crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT, DEMO_SPEC } from "../../emulator/backend/seed";
import { isSecret, pb, reveal, secret, UNKNOWN, type Props } from "./plugin-host";
import { counting, startPluginWorld, type PluginWorld } from "./world";

let world: PluginWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const PAID = "ssl.CreateCertificateByPackage";
const MUTATING = [PAID, "ssl.CertificateOrderSubmit", "ssl.CompleteCertificate", "ssl.CancelCertificateOrder", "ssl.UpdateCertificateInstance", "dnspod.CreateRecord", "dnspod.DeleteRecord"];
const mutating = (w: PluginWorld) => MUTATING.reduce((s, k) => s + (w.emu.admin.calls().counts[k] ?? 0), 0);
const KIND = () => pb["PropertyDiff"].Kind as Record<string, number>;

function expectMatchingPair(state: Props): void {
  expect(isSecret(state["privateKeyPem"]), "privateKeyPem is a secret value").toBe(true);
  const cert = new crypto.X509Certificate(state["certificatePem"] as string);
  expect(cert.checkPrivateKey(crypto.createPrivateKey(reveal(state["privateKeyPem"]) as string))).toBe(true);
  expect(state["status"]).toBe("issued");
  expect(state["notAfter"]).toBe(new Date(cert.validTo).toISOString());
}

describe("the plugin executable, driven like the Pulumi engine", () => {
  it("preview → create (renews the demo's due DemoShop, paid once) → quiet diff → refresh → due again: one paid update → delete without a call", async () => {
    // The demo, with its benefit package valid long enough to pay for the renewal after next.
    world = await startPluginWorld({ ...DEMO_SPEC, packages: DEMO_SPEC.packages!.map((pkg) => ({ ...pkg, expiresInDays: 1000 })) });
    const w = world;
    const p = w.plugin;
    const inputs = { certificateId: "DemoShop", renewBeforeDays: 30, pkcs12Password: secret("p12-password") };

    // Preview: Check + Create(preview) make no call and leave the outputs unknown.
    const preview = await counting(w, async () => {
      const checked = await p.check("shop", {}, inputs);
      expect(checked.failures).toEqual([]);
      return p.create("shop", checked.inputs, true);
    });
    expect(preview.calls).toBe(0);
    expect(preview.result.properties["certificatePem"]).toBe(UNKNOWN);
    expect(reveal(preview.result.properties["privateKeyPem"])).toBe(UNKNOWN);

    // Up: the due certificate is renewed, paid once; the key and the PKCS#12 come back secret.
    const checked = await p.check("shop", {}, inputs);
    expect(isSecret(checked.inputs["pkcs12Password"]), "Check keeps the secret input secret").toBe(true);
    const created = await p.create("shop", checked.inputs);
    expect(created.id).toBe("DemoShop");
    const state = created.properties;
    expect(w.count(PAID)).toBe(1);
    expectMatchingPair(state);
    expect(state["certificateId"]).not.toBe("DemoShop");
    expect(state["previousCertificateId"]).toBe("DemoShop");
    expect(state["domains"]).toEqual(["shop.example.com", "www.shop.example.com"]);
    expect(isSecret(state["pkcs12"])).toBe(true);
    expect(reveal(state["pkcs12"])).not.toBe("");
    expect(isSecret(state["pkcs12Password"])).toBe(true);
    expect(isSecret(state["certificatePem"])).toBe(false);

    // A second preview with the same inputs: no change, no call.
    const quiet = await counting(w, () => p.diff("shop", created.id, state, checked.inputs));
    expect(quiet.calls).toBe(0);
    expect(quiet.result.changes).toBe("none");
    expect(quiet.result.detailedDiff).toEqual({});

    // Refresh: read-only, same certificate and key, secrets still secret.
    const mutatingBefore = mutating(w);
    const read = await p.read("shop", created.id, state, checked.inputs);
    expect(read.id).toBe("DemoShop");
    expect(read.properties["certificateId"]).toBe(state["certificateId"]);
    expect(reveal(read.properties["privateKeyPem"])).toBe(reveal(state["privateKeyPem"]));
    expect(isSecret(read.properties["privateKeyPem"])).toBe(true);
    expect(mutating(w)).toBe(mutatingBefore);

    // Inside the renewed certificate's renewBeforeDays window, it is due: the diff says so (no call but the emulator's clock), per property.
    const daysLeft = (new Date(state["notAfter"] as string).getTime() - w.emu.admin.now().getTime()) / 86_400_000;
    w.emu.admin.advanceClock(Math.round((daysLeft - 20) * 86_400));
    const due = await counting(w, () => p.diff("shop", created.id, read.properties, checked.inputs));
    expect(due.calls).toBe(0);
    expect(due.result.changes).toBe("some");
    expect(due.result.replaces).toEqual([]);
    expect(due.result.hasDetailedDiff).toBe(true);
    expect(due.result.detailedDiff["certificateId"]).toEqual({ kind: KIND()["UPDATE"], inputDiff: false });
    await p.waitForStderr(/renewal due .*a paid renewal: pays once/);

    // Update preview: no call. Update: paid once more, a new matching pair.
    const upPreview = await counting(w, () => p.update("shop", created.id, read.properties, checked.inputs, true));
    expect(upPreview.calls).toBe(0);
    expect(upPreview.result.properties["certificatePem"], "a renewing update's preview cannot know the new certificate").toBe(UNKNOWN);
    expect(upPreview.result.properties["originalCertificateId"]).toBe("DemoShop");
    const updated = await p.update("shop", created.id, read.properties, checked.inputs);
    expect(w.count(PAID), p.stderr()).toBe(2);
    expectMatchingPair(updated.properties);
    expect(updated.properties["previousCertificateId"]).toBe(state["certificateId"]);

    // Delete forgets: no call at all.
    const del = await counting(w, () => p.delete("shop", created.id, updated.properties));
    expect(del.calls).toBe(0);

    // Nothing secret was printed by the plugin (its lines reach stderr asynchronously: wait for the last one).
    await p.waitForStderr(/tccert DemoShop: forgotten/);
    const printed = p.stdout() + p.stderr();
    expect(printed).toContain("paid: renewal");
    for (const s of [DEMO_ACCOUNT.secretKey, "p12-password", reveal(state["privateKeyPem"]) as string, reveal(updated.properties["privateKeyPem"]) as string]) {
      const body = s.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
      expect(printed).not.toContain(body.slice(0, 48));
    }
    // stdout carries the port and nothing else.
    expect(p.stdout().trim()).toMatch(/^\d+$/);
  });

  it("a create that stops after paying returns ErrorResourceInitFailed with id and properties; the next update resumes without paying again", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    w.emu.admin.setIssuanceDelay(20);
    const p = w.plugin;
    const inputs = { certificateId: "DemoShop", waitTimeoutMinutes: 0.05 };
    const error = await p.create("shop", (await p.check("shop", {}, inputs)).inputs).then(
      () => null,
      (e: unknown) => e as { message: string; partial: { id: string; properties: Props } | null },
    );
    expect(error, "create stops").not.toBeNull();
    expect(error!.partial, "ErrorResourceInitFailed").not.toBeNull();
    expect(error!.message).toMatch(/the next `pulumi up` resumes it without paying again/);
    const { id, properties } = error!.partial!;
    expect(id).toBe("DemoShop");
    expect(properties["pendingCertificateId"]).toMatch(/^[A-Za-z0-9]+$/);
    expect(isSecret(properties["privateKeyPem"])).toBe(true);
    expect(w.count(PAID)).toBe(1);

    const d = await counting(w, () => p.diff("shop", id, properties, inputs));
    expect(d.calls).toBe(0);
    expect(d.result.changes).toBe("some");
    await p.waitForStderr(/resumes the paid order, pays nothing/);
    w.emu.admin.advanceClock(25);
    const resumed = await p.update("shop", id, properties, inputs);
    expectMatchingPair(resumed.properties);
    expect(resumed.properties["certificateId"]).toBe(properties["pendingCertificateId"]);
    expect(w.count(PAID)).toBe(1);
  });
});

describe("a crash of the plugin", () => {
  it("after the paid call: Pulumi retries the create in a new plugin process, which resumes the same order from the journal without paying again", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    w.emu.admin.setIssuanceDelay(30);
    const inputs = { certificateId: "DemoShop" };
    const checked = (await w.plugin.check("shop", {}, inputs)).inputs;
    const first = w.plugin.create("shop", checked).catch((e: unknown) => e);
    await w.plugin.waitForStderr(/paid: renewal (\w+) of DemoShop created/);
    const order = /paid: renewal (\w+) of DemoShop created/.exec(w.plugin.stderr())![1]!;
    expect(w.count(PAID)).toBe(1);
    const p = await w.restart();
    expect(await first, "the crashed create never answered").toBeInstanceOf(Error);
    w.emu.admin.setIssuanceDelay(0);
    const created = await p.create("shop", checked);
    expectMatchingPair(created.properties);
    expect(created.properties["certificateId"]).toBe(order);
    expect(w.count(PAID)).toBe(1);

  });
});
