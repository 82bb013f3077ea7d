/**
 * Bad configuration and bad inputs are refused by the REAL plugin before any call (the emulator
 * counts every request, reads included); messages name the field, the value and the fix, and
 * never echo a secret. Input changes show in the detailed diff per property, replace vs update.
 * After Cancel, no create starts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { pb, PluginError, secret, UNKNOWN } from "./plugin-host";
import { startPluginWorld, type PluginWorld } from "./world";

let world: PluginWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const KIND = () => pb["PropertyDiff"].Kind as Record<string, number>;

describe("refusals before any call", () => {
  it("CheckConfig names each bad setting, its value and the fix (never a secret's value); Configure refuses a bad config", async () => {
    world = await startPluginWorld("demo", { configure: false });
    const w = world;
    const p = w.plugin;
    const { failures } = await p.checkConfig({ endpoint: "ftp://127.0.0.1:1", site: "international", secretKey: secret(""), regoin: "ap-guangzhou", secretId: "AKIDOK" });
    const by = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(by).sort()).toEqual(["endpoint", "regoin", "secretKey", "site"]);
    expect(by["endpoint"]).toMatch(/endpoint must be an http\(s\) URL .*got "ftp:\/\/127\.0\.0\.1:1".*Leave it out/);
    expect(by["site"]).toMatch(/site must be "cn"; got "international".*CreateCertificateByPackage/);
    expect(by["secretKey"]).toMatch(/not shown.*TENCENTCLOUD_SECRET_KEY/);
    expect(by["regoin"]).toMatch(/not a setting .*region/);
    expect((await p.checkConfig({ endpoint: w.emu.url, secretKey: secret("k") })).failures).toEqual([]);

    const configure = await p.configure({ endpoint: "not a url" }).then(
      () => null,
      (e: unknown) => e as PluginError,
    );
    expect(configure?.message).toMatch(/endpoint must be an http\(s\) URL/);

    const diff = await p.diffConfig({ endpoint: "http://a", secretKey: secret("x") }, { endpoint: "http://b", secretKey: secret("x") });
    expect(diff).toEqual({ changes: "some", diffs: ["endpoint"] });
    expect(w.totalCalls()).toBe(0);
  });

  it("Check names each bad input, its value and the fix; another resource type is refused; nothing is called", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    const p = w.plugin;
    const { failures, inputs } = await p.check("bad", {}, {
      certificateId: "not an id!",
      renewBeforeDays: 0,
      key: { algorithm: "RSA_1024", privateKeyPem: secret("-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----") },
      validaton: "dnspod",
      pkcs12Password: secret("abc"),
    });
    const by = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(by["certificateId"]).toMatch(/certificateId must be a Tencent certificate id .*got "not an id!"/);
    expect(by["renewBeforeDays"]).toMatch(/renewBeforeDays must be a whole number of days from 1 to 365; got 0.*default is 30/);
    expect(by["key.algorithm"]).toMatch(/RSA_1024/);
    expect(by["validaton"]).toMatch(/did you mean validation\?/);
    expect(by["pkcs12Password"]).toMatch(/4 to 128 characters \(the value given is not shown\)/);
    expect(JSON.stringify(failures)).not.toMatch(/secret-material|"abc"/);
    // The inputs go back as given: secrets still secret.
    expect((inputs["key"] as Record<string, unknown>)["privateKeyPem"]).toEqual(secret("-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----"));

    const other = await p.check("x", {}, { certificateId: "DemoShop" }, "tencentcloud-cert-renewal:index:Other").then(
      () => null,
      (e: unknown) => e as PluginError,
    );
    expect(other?.message).toMatch(/no resource type "tencentcloud-cert-renewal:index:Other"; its only resource is tencentcloud-cert-renewal:index:RenewedCertificate/);
    expect(w.totalCalls()).toBe(0);
  });

  it("the detailed diff names the changed inputs: key.algorithm updates (Tencent permitting), certificateId replaces; no call", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    const p = w.plugin;
    const inputs = { certificateId: "DemoBlog", key: { source: "online" } };
    const created = await p.create("blog", (await p.check("blog", {}, inputs)).inputs);
    expect(created.properties["certificateId"]).toBe("DemoBlog");
    const before = w.totalCalls();
    const algo = await p.diff("blog", created.id, created.properties, { certificateId: "DemoBlog", key: { source: "online", algorithm: "EC_P256" } });
    expect(algo.changes).toBe("some");
    expect(algo.replaces).toEqual([]);
    expect(algo.detailedDiff["key.algorithm"]).toEqual({ kind: KIND()["UPDATE"], inputDiff: true });
    expect(algo.diffs).toContain("key");
    const other = await p.diff("blog", created.id, created.properties, { certificateId: "DemoCorp", key: { source: "online" } });
    expect(other.replaces).toEqual(["certificateId"]);
    expect(other.detailedDiff["certificateId"]).toEqual({ kind: KIND()["UPDATE_REPLACE"], inputDiff: true });
    expect(w.totalCalls()).toBe(before);

    // An update that cannot renew (waitTimeoutMinutes, renewBeforeDays still outside the window): its preview keeps the served pair.
    const calm = { ...inputs, waitTimeoutMinutes: 5, renewBeforeDays: 40 };
    const calmDiff = await p.diff("blog", created.id, created.properties, calm);
    expect(Object.keys(calmDiff.detailedDiff).sort()).toEqual(["renewBeforeDays", "waitTimeoutMinutes"]);
    const preview = (await p.update("blog", created.id, created.properties, calm, true)).properties;
    expect(preview["certificatePem"]).toBe(created.properties["certificatePem"]);
    expect(preview["privateKeyPem"]).toEqual(created.properties["privateKeyPem"]);
    expect(preview["waitTimeoutMinutes"]).toBe(5);
    expect(preview["renewAfter"], "recomputed from renewBeforeDays").toBe(UNKNOWN);
    expect(preview["renewalReason"]).toBe(UNKNOWN);
    expect(w.totalCalls()).toBe(before);
  });

  it("after Cancel, a create starts nothing and says so", async () => {
    world = await startPluginWorld("demo");
    const w = world;
    const p = w.plugin;
    const checked = await p.check("shop", {}, { certificateId: "DemoShop" });
    await p.cancel();
    const e = await p.create("shop", checked.inputs).then(
      () => null,
      (x: unknown) => x as PluginError,
    );
    expect(e?.message).toMatch(/cancelled; nothing was started or paid/);
    expect(w.totalCalls()).toBe(0);
  });
});
