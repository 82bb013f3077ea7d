import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createCsrForKey,
  CsrParseError,
  generateLeafKeyPair,
  issueLeafCertificate,
  leafKeyPairFromPem,
  loadCertificateAuthority,
  MAX_LEAF_VALIDITY_DAYS,
  parseCsr,
  sharedCertificateAuthority,
  type LeafKeyAlgorithm,
} from "../../../crypto/ca";

const DAY = 86_400_000;
const NOW = new Date("2026-03-01T00:00:00Z");

describe("crypto/ca", () => {
  it("has a self-signed root and an intermediate it signed", async () => {
    const ca = await sharedCertificateAuthority();
    const root = new X509Certificate(ca.pem.rootCertPem);
    const int = new X509Certificate(ca.pem.intermediateCertPem);
    expect(root.ca).toBe(true);
    expect(int.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(int.verify(root.publicKey)).toBe(true);
    expect(int.checkIssued(root)).toBe(true);
    expect(await sharedCertificateAuthority()).toBe(ca); // cached per process
  });

  for (const alg of ["RSA_2048", "EC_P256", "EC_P384"] as LeafKeyAlgorithm[]) {
    it(`signs a ${alg} CSR: leaf -> intermediate -> root, matching the CSR's key and names`, async () => {
      const ca = await sharedCertificateAuthority();
      const key = await generateLeafKeyPair(alg);
      const csr = await parseCsr(await createCsrForKey(key, "a.example.com", ["www.a.example.com", "*.b.example.com"]));
      expect(csr.domains).toEqual(["a.example.com", "www.a.example.com", "*.b.example.com"]);
      expect(csr.keyAlgorithm).toBe(alg.startsWith("RSA") ? "RSA" : "EC");
      const leaf = await issueLeafCertificate(ca, { spkiDer: csr.spkiDer, commonName: "a.example.com", dnsNames: csr.dnsNames, notBefore: NOW, notAfter: new Date(NOW.getTime() + 90 * DAY) });
      const x = new X509Certificate(leaf.certificatePem);
      const int = new X509Certificate(leaf.chainPem);
      const root = new X509Certificate(leaf.rootPem);
      expect(x.verify(int.publicKey)).toBe(true);
      expect(x.checkIssued(int)).toBe(true);
      expect(int.verify(root.publicKey)).toBe(true);
      expect(x.checkPrivateKey(createPrivateKey(key.privateKeyPem))).toBe(true);
      expect(x.ca).toBe(false);
      expect(x.subjectAltName).toBe("DNS:a.example.com, DNS:www.a.example.com, DNS:*.b.example.com");
      expect(leaf.sha1Fingerprint).toMatch(/^[0-9A-F]{40}$/);
      expect(leaf.fullchainPem).toBe(leaf.certificatePem + leaf.chainPem);
    });
  }

  it(`refuses a validity above ${MAX_LEAF_VALIDITY_DAYS} days and accepts exactly ${MAX_LEAF_VALIDITY_DAYS}`, async () => {
    const ca = await sharedCertificateAuthority();
    const key = await generateLeafKeyPair("EC_P256");
    const base = { spkiDer: key.spkiDer, commonName: "a.example.com", dnsNames: [], notBefore: NOW };
    await expect(issueLeafCertificate(ca, { ...base, notAfter: new Date(NOW.getTime() + (MAX_LEAF_VALIDITY_DAYS + 1) * DAY) })).rejects.toThrow(/exceeds the 398-day maximum/);
    const ok = await issueLeafCertificate(ca, { ...base, notAfter: new Date(NOW.getTime() + MAX_LEAF_VALIDITY_DAYS * DAY) });
    const x = new X509Certificate(ok.certificatePem);
    expect((Date.parse(x.validTo) - Date.parse(x.validFrom)) / DAY).toBe(MAX_LEAF_VALIDITY_DAYS);
  });

  it("parses the real CSR from Tencent's upload-CSR example", async () => {
    const fixture = path.resolve(__dirname, "../../fixtures/tencent-api/variants/ssl.CertificateInfoSubmit.upload-csr.json");
    const { input } = JSON.parse(readFileSync(fixture, "utf8")) as { input: { Csr: string } };
    const csr = await parseCsr(input.Csr);
    expect(csr.commonName).toBe("tencent.com");
    expect(csr.domains).toEqual(["tencent.com"]);
    expect(csr).toMatchObject({ keyAlgorithm: "RSA", keyBits: 2048 });
  });

  it("rejects garbage and tampered CSRs with CsrParseError", async () => {
    await expect(parseCsr("CSR")).rejects.toBeInstanceOf(CsrParseError);
    const pem = await createCsrForKey(await generateLeafKeyPair("EC_P256"), "a.example.com", []);
    const body = pem.split("\n").slice(1, -2).join("");
    const der = Buffer.from(body, "base64");
    der[der.length - 10] = (der[der.length - 10] ?? 0) ^ 0xff; // flip a signature byte
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(parseCsr(tampered)).rejects.toBeInstanceOf(CsrParseError);
  });

  it("exports keys the way Tencent hands them out, and reads them back", async () => {
    const rsa = await generateLeafKeyPair("RSA_2048");
    expect(rsa.privateKeyPem).toContain("-----BEGIN RSA PRIVATE KEY-----");
    const ec = await generateLeafKeyPair("EC_P384");
    expect(ec.privateKeyPem).toContain("-----BEGIN EC PRIVATE KEY-----");
    expect(leafKeyPairFromPem(ec.privateKeyPem).algorithm).toBe("EC_P384");
    expect(leafKeyPairFromPem(rsa.privateKeyPem).spkiDer.equals(rsa.spkiDer)).toBe(true);
  });

  it("a CA reloaded from its PEM signs certificates that chain to the same root", async () => {
    const ca = await sharedCertificateAuthority();
    const again = await loadCertificateAuthority(ca.pem);
    const key = await generateLeafKeyPair("EC_P256");
    const leaf = await issueLeafCertificate(again, { spkiDer: key.spkiDer, commonName: "r.example.com", dnsNames: [], notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY) });
    expect(new X509Certificate(leaf.certificatePem).verify(new X509Certificate(ca.pem.intermediateCertPem).publicKey)).toBe(true);
    expect(again.intermediateCommonName).toBe(ca.intermediateCommonName);
  });
});
