import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { isInvalidInputError, type InvalidInputError } from "../../../engine/errors";
import type { KeyPair } from "../../../engine/ports";
import { createCsr } from "../../../crypto/csr";
import {
  bundleCertificates,
  chainInOrder,
  coversDomains,
  matchesCsr,
  matchesPrivateKey,
  parseCertificate,
} from "../../../crypto/inspect";
import { generateKey } from "../../../crypto/keys";
import { intermediate, issue, root, type Issuer } from "./test-issuer";
import { expectNoKeyMaterial, thrown } from "./secrets";

let rootCa: Issuer;
let interCa: Issuer;
let rsaKey: KeyPair;
let ecKey: KeyPair;
let otherEcKey: KeyPair;
let rsaCsr: string;
let ecCsr: string;
let rsaLeaf: string;
let ecLeaf: string;

beforeAll(async () => {
  rootCa = await root("Test Root", await generateKey("EC_P384"));
  interCa = await intermediate("Test Intermediate", await generateKey("RSA_2048"), rootCa);
  rsaKey = await generateKey("RSA_2048");
  ecKey = await generateKey("EC_P256");
  otherEcKey = await generateKey("EC_P256");
  rsaCsr = await createCsr(rsaKey, "example.com", ["www.example.com"]);
  ecCsr = await createCsr(ecKey, "*.example.org", ["example.org"]);
  rsaLeaf = await issue({ publicKeyPem: rsaKey.publicKeyPem, commonName: "example.com", dnsNames: ["example.com", "www.example.com"], issuer: interCa });
  ecLeaf = await issue({
    publicKeyPem: ecKey.publicKeyPem,
    commonName: "*.example.org",
    dnsNames: ["*.example.org", "example.org"],
    issuer: interCa,
    notBefore: new Date("2025-03-04T05:06:07Z"),
    notAfter: new Date("2025-06-02T05:06:07Z"),
  });
}, 60_000);

describe("parseCertificate", () => {
  it("reads CN, SAN DNS names, issuer, serial, dates, fingerprint and public key", () => {
    const p = parseCertificate(ecLeaf);
    const node = new X509Certificate(ecLeaf);
    expect(p.subjectCommonName).toBe("*.example.org");
    expect(p.domains).toEqual(["*.example.org", "example.org"]);
    expect(p.issuer).toBe("CN=Test Intermediate");
    expect(p.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(p.serialNumber).toBe(node.serialNumber.toUpperCase());
    expect(p.notBefore.toISOString()).toBe("2025-03-04T05:06:07.000Z");
    expect(p.notAfter.toISOString()).toBe("2025-06-02T05:06:07.000Z");
    expect(p.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(p.sha256Fingerprint).toBe(node.fingerprint256);
    expect(p.publicKeyPem).toBe(ecKey.publicKeyPem);
  });

  it("puts the CN first even when the SAN lists it later, without duplicates", async () => {
    const pem = await issue({ publicKeyPem: rsaKey.publicKeyPem, commonName: "b.example.com", dnsNames: ["a.example.com", "B.example.com"], issuer: interCa });
    expect(parseCertificate(pem).domains).toEqual(["b.example.com", "a.example.com"]);
  });

  it("reads only DNS SAN entries, decoding the values Node quotes", async () => {
    const pem = await issue({ publicKeyPem: rsaKey.publicKeyPem, commonName: "q.example.com", dnsNames: ["q.example.com", "odd,name.example.com", "z.example.com"], issuer: interCa });
    expect(new X509Certificate(pem).subjectAltName).toContain('DNS:"odd\\u002cname.example.com"');
    expect(parseCertificate(pem).domains).toEqual(["q.example.com", "odd,name.example.com", "z.example.com"]);
  });

  it("parses the first certificate of a fullchain, and refuses text with no certificate", () => {
    expect(parseCertificate(rsaLeaf + interCa.certificatePem).subjectCommonName).toBe("example.com");
    const e = thrown(() => parseCertificate("hello")) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("certificatePem");
    expect(e.message).toBe('crypto: no "-----BEGIN CERTIFICATE-----" block found.');
  });

  it("refuses a corrupt certificate block", () => {
    const e = thrown(() => parseCertificate("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n")) as InvalidInputError;
    expect(e.message).toBe("crypto: certificate #1 in the PEM could not be parsed as X.509.");
  });
});

describe("matchesPrivateKey / matchesCsr", () => {
  it("a certificate made for a CSR matches its key and CSR (RSA and EC)", () => {
    expect(matchesPrivateKey(rsaLeaf, rsaKey.privateKeyPem)).toBe(true);
    expect(matchesCsr(rsaLeaf, rsaCsr)).toBe(true);
    expect(matchesPrivateKey(ecLeaf, ecKey.privateKeyPem)).toBe(true);
    expect(matchesCsr(ecLeaf, ecCsr)).toBe(true);
  });

  it("does not match another key of the same or another type, nor another CSR", () => {
    expect(matchesPrivateKey(ecLeaf, otherEcKey.privateKeyPem)).toBe(false);
    expect(matchesPrivateKey(ecLeaf, rsaKey.privateKeyPem)).toBe(false);
    expect(matchesPrivateKey(rsaLeaf, ecKey.privateKeyPem)).toBe(false);
    expect(matchesCsr(ecLeaf, rsaCsr)).toBe(false);
    expect(matchesCsr(rsaLeaf, ecCsr)).toBe(false);
  });

  it("refuses a garbled key without echoing it", () => {
    const garbled = ecKey.privateKeyPem.replace(/[A-Za-z]{4}/, "!!!!");
    const e = thrown(() => matchesPrivateKey(ecLeaf, garbled)) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("privateKeyPem");
    expectNoKeyMaterial(e.message, ecKey.privateKeyPem);
  });
});

describe("coversDomains", () => {
  it("covers exact names and one label under a wildcard", () => {
    expect(coversDomains(ecLeaf, ["a.example.org"])).toBe(true);
    expect(coversDomains(ecLeaf, ["example.org", "*.example.org", "WWW.Example.Org."])).toBe(true);
  });

  it("a wildcard covers neither the apex nor two labels down", async () => {
    const wildOnly = await issue({ publicKeyPem: ecKey.publicKeyPem, commonName: "*.example.com", dnsNames: ["*.example.com"], issuer: interCa });
    expect(coversDomains(wildOnly, ["a.example.com"])).toBe(true);
    expect(coversDomains(wildOnly, ["example.com"])).toBe(false);
    expect(coversDomains(wildOnly, ["a.b.example.com"])).toBe(false);
    expect(coversDomains(wildOnly, ["a.example.net"])).toBe(false);
  });

  it("a requested wildcard needs the same wildcard, not a host", () => {
    expect(coversDomains(rsaLeaf, ["*.example.com"])).toBe(false);
  });

  it("fails when any one name is missing, and fails closed for an empty list", () => {
    expect(coversDomains(rsaLeaf, ["example.com", "api.example.com"])).toBe(false);
    expect(coversDomains(rsaLeaf, [])).toBe(false);
  });

  it("ignores the CN when a SAN exists, uses it when there is none", async () => {
    const cnNotInSan = await issue({ publicKeyPem: ecKey.publicKeyPem, commonName: "cn.example.com", dnsNames: ["san.example.com"], issuer: interCa });
    expect(coversDomains(cnNotInSan, ["cn.example.com"])).toBe(false);
    const cnOnly = await issue({ publicKeyPem: ecKey.publicKeyPem, commonName: "legacy.example.com", issuer: interCa });
    expect(coversDomains(cnOnly, ["legacy.example.com"])).toBe(true);
  });
});

describe("chainInOrder", () => {
  it("true for leaf → intermediate → root, and for leaf → intermediate", () => {
    expect(chainInOrder(rsaLeaf, interCa.certificatePem + rootCa.certificatePem)).toBe(true);
    expect(chainInOrder(ecLeaf, interCa.certificatePem)).toBe(true);
  });

  it("true for an empty chain (nothing to check)", () => {
    expect(chainInOrder(rsaLeaf, "")).toBe(true);
  });

  it("false when the order is swapped, a link is missing, or a certificate is foreign", async () => {
    expect(chainInOrder(rsaLeaf, rootCa.certificatePem + interCa.certificatePem)).toBe(false);
    expect(chainInOrder(rsaLeaf, rootCa.certificatePem)).toBe(false);
    const stranger = await root("Test Root", await generateKey("EC_P384"));
    // Same name as the real root but another key: the signature check must fail.
    expect(chainInOrder(rsaLeaf, interCa.certificatePem + stranger.certificatePem)).toBe(false);
  });
});

describe("bundleCertificates", () => {
  it("assembles leaf → intermediate → root from messy input (CRLF, duplicates, stray blocks, wrong order)", () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const messy =
      "issued by Test Intermediate\r\n" +
      crlf(rootCa.certificatePem) +
      crlf(rsaLeaf) +
      "\r\n\r\n" +
      crlf(interCa.certificatePem) +
      crlf(rsaLeaf);
    const b = bundleCertificates(messy, crlf(rootCa.certificatePem + interCa.certificatePem));
    expect(b.leafPem).toBe(rsaLeaf);
    expect(b.chainPem).toBe(interCa.certificatePem + rootCa.certificatePem);
    expect(b.fullchainPem).toBe(rsaLeaf + interCa.certificatePem + rootCa.certificatePem);
    expect(b.fullchainPem).not.toContain("\r");
    expect(chainInOrder(b.leafPem, b.chainPem)).toBe(true);
  });

  it("takes the chain from the extra PEM when the blob has only the leaf", () => {
    const b = bundleCertificates(rsaLeaf, interCa.certificatePem);
    expect(b.chainPem).toBe(interCa.certificatePem);
    expect(b.fullchainPem).toBe(rsaLeaf + interCa.certificatePem);
  });

  it("a lone certificate has an empty chain", () => {
    const b = bundleCertificates(ecLeaf);
    expect(b).toEqual({ leafPem: ecLeaf, chainPem: "", fullchainPem: ecLeaf });
  });

  it("never copies a private key block into the output", () => {
    const b = bundleCertificates(rsaLeaf + rsaKey.privateKeyPem + interCa.certificatePem);
    expect(b.fullchainPem).toBe(rsaLeaf + interCa.certificatePem);
    expect(b.fullchainPem + b.leafPem + b.chainPem).not.toContain("PRIVATE KEY");
  });

  it("keeps a certificate that does not link, after the linked ones, so chainInOrder flags it", async () => {
    const unrelated = await root("Unrelated Root", await generateKey("EC_P256"));
    const b = bundleCertificates(rsaLeaf + unrelated.certificatePem + interCa.certificatePem);
    expect(b.chainPem).toBe(interCa.certificatePem + unrelated.certificatePem);
    expect(chainInOrder(b.leafPem, b.chainPem)).toBe(false);
  });

  it("refuses a blob with no certificate", () => {
    const e = thrown(() => bundleCertificates(rsaKey.privateKeyPem)) as InvalidInputError;
    expect(e.field).toBe("certificatePem");
    expectNoKeyMaterial(e.message, rsaKey.privateKeyPem);
  });
});
