import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoCalls } from "./expect";
import { UNKNOWN, type Props } from "./host";
import { dv, seed, startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld;
beforeAll(async () => {
  world = await startPulumiWorld(seed([dv("good", 200)]));
});
afterAll(async () => {
  await world.close();
});

const PRIVATE = "-----BEGIN PRIVATE KEY-----\nMIIsecretsecretsecret\n-----END PRIVATE KEY-----";
const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----";
const ok = { certificateId: "good" };

/** [what is wrong, the inputs, the property the failure must name, a pattern its reason must match] */
const MALFORMED: [string, Props, string, RegExp][] = [
  ["certificateId missing", {}, "certificateId", /Tencent certificate id/],
  ["certificateId a number", { certificateId: 42 }, "certificateId", /got 42/],
  ["certificateId with spaces", { certificateId: "not an id" }, "certificateId", /"not an id"/],
  ["renewBeforeDays zero", { ...ok, renewBeforeDays: 0 }, "renewBeforeDays", /1 to 365; got 0/],
  ["renewBeforeDays fractional", { ...ok, renewBeforeDays: 1.5 }, "renewBeforeDays", /whole number/],
  ["renewBeforeDays a string", { ...ok, renewBeforeDays: "30" }, "renewBeforeDays", /got "30"/],
  ["waitTimeoutMinutes negative", { ...ok, waitTimeoutMinutes: -1 }, "waitTimeoutMinutes", /0 to 10080/],
  ["validation unknown", { ...ok, validation: "http-01" }, "validation", /"dnspod", "DNS_AUTO", "manual-dns"/],
  ["key a string", { ...ok, key: "local" }, "key", /must be an object/],
  ["key.source unknown", { ...ok, key: { source: "hsm" } }, "key.source", /"local", "online", "original", "csr"/],
  ["key.algorithm unknown", { ...ok, key: { algorithm: "RSA_1024" } }, "key.algorithm", /RSA_2048/],
  ["key.csrPem missing with source csr", { ...ok, key: { source: "csr" } }, "key.csrPem", /required/],
  ["key.csrPem with source local", { ...ok, key: { source: "local", csrPem: CSR } }, "key.csrPem", /only used with key.source "csr"/],
  ["key.privateKeyPem not a PEM", { ...ok, key: { privateKeyPem: "hunter2-not-a-key" } }, "key.privateKeyPem", /not shown/],
  ["EC_P384 with online keys", { ...ok, key: { source: "online", algorithm: "EC_P384" } }, "key.algorithm", /not offered by Tencent/],
  ["payment.productPid too short", { ...ok, payment: { productPid: 12 } }, "payment.productPid", /7-digit/],
  ["payment.packageIds empty", { ...ok, payment: { packageIds: [] } }, "payment.packageIds", /non-empty list/],
  ["deploy not a list", { ...ok, deploy: "clb" }, "deploy", /must be a list/],
  ["deploy resourceType unknown", { ...ok, deploy: [{ resourceType: "s3" }] }, "deploy[0].resourceType", /clb, cdn/],
  ["renewalTrigger an object", { ...ok, renewalTrigger: { at: 1 } }, "renewalTrigger", /string or a number/],
  ["cancelPendingOrderOnDelete a string", { ...ok, cancelPendingOrderOnDelete: "yes" }, "cancelPendingOrderOnDelete", /true or false/],
  ["pkcs12Password too short", { ...ok, pkcs12Password: "ab" }, "pkcs12Password", /4 to 128 characters/],
  ["pkcs12Password without a key to pack", { ...ok, key: { source: "csr", csrPem: CSR }, pkcs12Password: "long enough" }, "pkcs12Password", /you hold the key/],
  ["pkcs12Password with an EC key", { ...ok, key: { algorithm: "EC_P256" }, pkcs12Password: "long enough" }, "pkcs12Password", /RSA keys only/],
  ["a misspelt input", { ...ok, renewBeforeDay: 10 }, "renewBeforeDay", /did you mean renewBeforeDays/],
  ["a misspelt key field", { ...ok, key: { algo: "RSA_2048" } }, "key.algo", /not an input/],
  ["force is not an input", { ...ok, force: true }, "force", /not an input of RenewedCertificate/],
];

describe("check: one failure per property, and no API call", () => {
  it.each(MALFORMED)("rejects %s", async (_what, args, property, reason) => {
    const r = await expectNoCalls(world, () => world.host.check("bad", {}, world.news(args)));
    expect(r.failures.map((f) => f.property)).toEqual([property]);
    expect(r.failures[0]!.reason).toMatch(reason);
    // The private key given as input is never echoed.
    expect(r.failures[0]!.reason).not.toContain("hunter2");
  });

  it("reports every bad property at once, one failure each", async () => {
    const args = { certificateId: 7, renewBeforeDays: -3, validation: "nope", key: { source: "hsm" }, cancelPendingOrderOnDelete: 1 };
    const r = await expectNoCalls(world, () => world.host.check("bad", {}, world.news(args)));
    expect(r.failures.map((f) => f.property).sort()).toEqual(["cancelPendingOrderOnDelete", "certificateId", "key.source", "renewBeforeDays", "validation"]);
  });

  it("accepts a full, valid set and returns it with the provider attached", async () => {
    const args = {
      certificateId: "good",
      renewBeforeDays: 45,
      key: { source: "local", algorithm: "RSA_4096", privateKeyPem: PRIVATE },
      validation: "DNS_AUTO",
      payment: { productPid: 1013949, packageIds: ["pkg-1"] },
      waitTimeoutMinutes: 0.5,
      renewalTrigger: 3,
      deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }],
      cancelPendingOrderOnDelete: true,
      pkcs12Password: "long enough",
    };
    const r = await expectNoCalls(world, () => world.host.check("ok", {}, world.news(args)));
    expect(r.failures).toEqual([]);
    expect(r.inputs["__provider"]).toBe(world.providerText);
    expect(r.inputs["renewBeforeDays"]).toBe(45);
  });

  it("tolerates unknown values during preview, and diff then reports a change without calling anything", async () => {
    const args = {
      certificateId: UNKNOWN,
      renewBeforeDays: UNKNOWN,
      key: { source: UNKNOWN, csrPem: UNKNOWN },
      payment: { packageIds: [UNKNOWN] },
      deploy: [UNKNOWN],
      renewalTrigger: UNKNOWN,
      pkcs12Password: UNKNOWN,
    };
    const r = await expectNoCalls(world, () => world.host.check("unknown", {}, world.news(args)));
    expect(r.failures).toEqual([]);

    const created = await world.up("known", ok);
    const d = await expectNoCalls(world, () => world.host.diff("known", created.id, created.state, world.news({ ...ok, renewBeforeDays: UNKNOWN })));
    expect(d.changes).toBe("some");
    expect(d.replaces).toEqual([]);
    const d2 = await expectNoCalls(world, () => world.host.diff("known", created.id, created.state, world.news({ certificateId: UNKNOWN })));
    expect(d2.replaces).toEqual(["certificateId"]);
  });
});
