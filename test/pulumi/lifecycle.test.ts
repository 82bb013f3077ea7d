import { afterEach, describe, expect, it } from "vitest";
import { expectIssued, expectNoCalls } from "./expect";
import { ACCOUNT, dv, pemBody, seed, startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

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
    expect(state["domains"]).toEqual(["shop.example.com", "www.shop.example.com"]);
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
    await w.host.waitForStdout("tccert shop: renewed shop");
    const printed = w.host.stdout() + w.host.stderr();
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
