/**
 * examples/pulumi-renewal run as a Pulumi program: the program loads the
 * package by name, `pulumi.dynamic.Resource` serializes both providers, and
 * every resource goes through Pulumi's real dynamic-provider host against the
 * emulator's `demo` preset (what the README's `pulumi up` uses).
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT, DEMO_IDS } from "../../emulator/backend";
import { pemBody, startPulumiWorld, type PulumiWorld } from "./world";
import { loadProgram, stackOutputs, useHostAsEngine } from "./program";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const PROJECT = "tencentcloud-cert-renewal-example";

describe("examples/pulumi-renewal", () => {
  it("renews DemoShop and hands the certificate to the CLB and CDN stand-ins", async () => {
    world = await startPulumiWorld("demo", {
      // As the README sets it: `pulumi config set tencentcloud:endpoint http://127.0.0.1:8443` (here: the emulator's port).
      config: (url) => ({ "tencentcloud:secretId": DEMO_ACCOUNT.secretId, "tencentcloud:secretKey": DEMO_ACCOUNT.secretKey, "tencentcloud:endpoint": url }),
    });
    const w = world;
    const host = w.host;

    const { registrations, failures } = await useHostAsEngine(host, PROJECT, { [`${PROJECT}:waitTimeoutMinutes`]: "5" });
    const program = loadProgram(w.projectDir, path.resolve(__dirname, "../../examples/pulumi-renewal"));
    const out = await stackOutputs(program, failures);

    expect(out["originalCertificateId"]).toBe(DEMO_IDS.shop);
    expect(out["certificateId"]).not.toBe(DEMO_IDS.shop);
    expect(out["status"]).toBe("issued");
    expect(out["pendingAction"]).toBe("");
    expect(out["listenerCertificateId"]).toBe(out["certificateId"]);
    expect(out["cdnKeyMatchesCertificate"]).toBe(true);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    const renewal = registrations.find((r) => r.name === "shop")!;
    expect(renewal.type).toBe("pulumi-nodejs:dynamic/tencentcloud-cert-renewal:RenewedCertificate");
    expect(renewal.additionalSecretOutputs).toEqual(expect.arrayContaining(["privateKeyPem", "pkcs12"]));
    // What pulumi.dynamic.Resource serialized is what the harness serializes.
    expect(renewal.inputs["__provider"]).toBe(w.providerText);
    const consumers = registrations.filter((r) => r.type === "pulumi-nodejs:dynamic/tencentcloud-cert-renewal-example:CertificateConsumer");
    expect(consumers.map((c) => c.name).sort()).toEqual(["shop-cdn-domain", "shop-https-listener"]);
    const fingerprint = new crypto.X509Certificate(consumers.find((c) => c.name === "shop-cdn-domain")!.inputs["certificatePem"] as string).fingerprint256;
    expect(out["cdnCertificateSha256"]).toBe(fingerprint);

    // Neither the secret key nor the new private key was printed by the host.
    await host.waitForStdout(`clb-listener lb-demoshop/lbl-demoshop: now serving certificate ${String(out["certificateId"])}`);
    const printed = host.stdout() + host.stderr();
    expect(printed).not.toContain(DEMO_ACCOUNT.secretKey);
    const key = consumers.find((c) => c.name === "shop-cdn-domain")!.inputs["privateKeyPem"] as string;
    expect(printed).not.toContain(pemBody(key).slice(0, 64));
  });
});
