import { afterEach, describe, expect, it } from "vitest";
import * as crypto from "node:crypto";
import { ACCOUNT, dv, pemBody, seed, startPulumiWorld, type PulumiWorld } from "./world";
import type { Props } from "./host";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Every output the resource declares, and what it must hold once issued. */
const ISSUED_OUTPUTS = [
  "certificateId",
  "originalCertificateId",
  "status",
  "certificatePem",
  "chainPem",
  "fullchainPem",
  "privateKeyPem",
  "notBefore",
  "notAfter",
  "renewAfter",
  "domains",
  "serialNumber",
  "sha256Fingerprint",
];

function expectIssued(state: Props): void {
  for (const name of ISSUED_OUTPUTS) expect(state[name], name).toBeTruthy();
  expect(state["status"]).toBe("issued");
  expect(state["pendingAction"]).toBe("");
  expect(state["pendingCertificateId"]).toBe("");
  const cert = new crypto.X509Certificate(state["certificatePem"] as string);
  expect(cert.checkPrivateKey(crypto.createPrivateKey(state["privateKeyPem"] as string))).toBe(true);
  expect(new Date(state["notAfter"] as string).getTime()).toBe(new Date(cert.validTo).getTime());
  expect(state["sha256Fingerprint"]).toBe(cert.fingerprint256);
}

/** Preview (Check, Diff) must make no API call at all. */
async function expectNoCalls<T>(w: PulumiWorld, f: () => Promise<T>): Promise<T> {
  const before = w.totalCalls();
  const r = await f();
  expect(w.totalCalls() - before, "API calls during preview").toBe(0);
  return r;
}

describe("RenewedCertificate through Pulumi's dynamic-provider host", () => {
  it("create renews a due certificate (paid once), then refresh and a quiet preview", async () => {
    world = await startPulumiWorld(seed([dv("shop", 20)]));
    const w = world;
    const args = { certificateId: "shop", renewBeforeDays: 30 };
    await expectNoCalls(w, () => w.previewCreate("cert", args));
    const { id, state } = await w.up("cert", args);
    expect(id).toBe("shop");
    expectIssued(state);
    expect(state["certificateId"]).not.toBe("shop");
    expect(state["previousCertificateId"]).toBe("shop");
    expect(state["originalCertificateId"]).toBe("shop");
    expect(state["domains"]).toEqual(["shop.example.com"]);
    expect(state["__provider"]).toBe(w.providerText);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    // Refresh: read-only calls, same certificate, same key.
    const mutatingBefore = w.count("ssl.CreateCertificateByPackage") + w.count("ssl.CertificateOrderSubmit") + w.count("dnspod.CreateRecord");
    const read = await w.host.read("cert", id, state);
    expect(read.id).toBe("shop");
    expect(read.properties["certificateId"]).toBe(state["certificateId"]);
    expect(read.properties["privateKeyPem"]).toBe(state["privateKeyPem"]);
    expect(w.count("ssl.CreateCertificateByPackage") + w.count("ssl.CertificateOrderSubmit") + w.count("dnspod.CreateRecord")).toBe(mutatingBefore);

    // The renewed certificate is not due: the next preview shows no change and calls nothing.
    const p = await expectNoCalls(w, () => w.preview("cert", id, read.properties, args));
    expect(p.changes).toBe("none");

    // No secret in the host's output.
    const printed = w.host.stdout() + w.host.stderr();
    expect(printed).toContain("tccert shop:");
    expect(printed).not.toContain(ACCOUNT.secretKey);
    expect(printed).not.toContain(pemBody(state["privateKeyPem"] as string).slice(0, 64));
  });

  it("create adopts a certificate that is not due: outputs it, pays nothing", async () => {
    world = await startPulumiWorld(seed([dv("blog", 200)]));
    const w = world;
    const { id, state } = await w.up("blog", { certificateId: "blog", key: { source: "online" } });
    expect(id).toBe("blog");
    expect(state["certificateId"]).toBe("blog");
    expect(state["status"]).toBe("issued");
    expect(state["certificatePem"]).toContain("BEGIN CERTIFICATE");
    expect(state["renewalReason"]).toMatch(/renewal is due from/);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);
    const p = await expectNoCalls(w, () => w.preview("blog", id, state, { certificateId: "blog", key: { source: "online" } }));
    expect(p.changes, w.host.stdout()).toBe("none");
  });
});
