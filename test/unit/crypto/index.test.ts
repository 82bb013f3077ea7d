import { describe, expect, it } from "vitest";
import type { CertificateInspector, KeyFactory } from "../../../engine/ports";
import { coversDomains, createCertificateInspector, createKeyFactory } from "../../../crypto";
import { issue } from "./test-issuer";

describe("crypto ports", () => {
  it("a KeyFactory and a CertificateInspector take a key through CSR, certificate, checks and bundle", async () => {
    const factory: KeyFactory = createKeyFactory();
    const inspector: CertificateInspector = createCertificateInspector();

    const key = await factory.generateKey("RSA_2048");
    expect(factory.keyAlgorithm(key.privateKeyPem)).toBe("RSA_2048");
    const csr = await factory.createCsr(key, "port.example.com", ["*.port.example.com"]);
    expect(factory.csrDomains(csr)).toEqual(["port.example.com", "*.port.example.com"]);
    expect(factory.csrPublicKey(csr)).toBe(key.publicKeyPem);

    // An RSA CA: forge cannot put EC certificates in a PKCS#12 (see crypto/pkcs12.ts).
    const caKey = await factory.generateKey("RSA_2048");
    const ca = { name: "CN=Port CA", key: caKey, certificatePem: await issue({ publicKeyPem: caKey.publicKeyPem, commonName: "Port CA", isCa: true, selfKey: caKey }) };
    const leaf = await issue({ publicKeyPem: factory.csrPublicKey(csr), commonName: "port.example.com", dnsNames: factory.csrDomains(csr), issuer: ca });

    const bundle = inspector.bundle(leaf.replace(/\n/g, "\r\n"), ca.certificatePem);
    expect(bundle.fullchainPem).toBe(leaf + ca.certificatePem);
    expect(inspector.matchesPrivateKey(bundle.leafPem, key.privateKeyPem)).toBe(true);
    expect(inspector.matchesPrivateKey(bundle.leafPem, caKey.privateKeyPem)).toBe(false);
    expect(inspector.matchesCsr(bundle.leafPem, csr)).toBe(true);
    expect(inspector.chainInOrder(bundle.leafPem, bundle.chainPem)).toBe(true);
    expect(coversDomains(bundle.leafPem, ["port.example.com", "x.port.example.com"])).toBe(true);
    expect(inspector.parse(bundle.leafPem).domains).toEqual(["port.example.com", "*.port.example.com"]);
    expect(inspector.pkcs12(bundle.leafPem, bundle.chainPem, key.privateKeyPem, "pw").length).toBeGreaterThan(1000);
  });
});
