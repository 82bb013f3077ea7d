import { createPublicKey } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import type { KeyAlgorithm } from "../../../engine/domain";
import { isInvalidInputError, type InvalidInputError } from "../../../engine/errors";
import type { KeyPair } from "../../../engine/ports";
import { createCsr, csrDomains, csrPublicKey } from "../../../crypto/csr";
import { generateKey } from "../../../crypto/keys";
import { webCrypto, x509 } from "../../../crypto/peculiar";
import { expectNoKeyMaterial, rejected, thrown } from "./secrets";

const ALL: readonly KeyAlgorithm[] = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"];
const SIGNATURE: Record<KeyAlgorithm, { name: string; hash: string }> = {
  RSA_2048: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  RSA_3072: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  RSA_4096: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  EC_P256: { name: "ECDSA", hash: "SHA-256" },
  EC_P384: { name: "ECDSA", hash: "SHA-384" },
};
const keys = new Map<KeyAlgorithm, KeyPair>();

beforeAll(async () => {
  for (const a of ALL) keys.set(a, await generateKey(a));
}, 60_000);

function key(a: KeyAlgorithm): KeyPair {
  const k = keys.get(a);
  if (k === undefined) throw new Error(`no key for ${a}`);
  return k;
}

describe("createCsr", () => {
  it.each(ALL)("%s: domains and public key round-trip, and the signature verifies", async (a) => {
    const csrPem = await createCsr(key(a), "example.com", ["www.example.com", "*.example.com"]);
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
    expect(csrPem).not.toContain("\r");
    expect(csrDomains(csrPem)).toEqual(["example.com", "www.example.com", "*.example.com"]);
    expect(csrPublicKey(csrPem)).toBe(key(a).publicKeyPem);

    const parsed = new x509.Pkcs10CertificateRequest(csrPem);
    expect(await parsed.verify(webCrypto)).toBe(true);
    expect(parsed.signatureAlgorithm).toMatchObject({ name: SIGNATURE[a].name, hash: { name: SIGNATURE[a].hash } });
    expect(parsed.subject).toBe("CN=example.com");
  });

  it("RSA CSRs also verify with forge (an independent implementation)", async () => {
    const csr = forge.pki.certificationRequestFromPem(await createCsr(key("RSA_2048"), "a.example", []));
    expect(csr.verify()).toBe(true);
    expect(csr.signatureOid).toBe(forge.pki.oids["sha256WithRSAEncryption"]);
  });

  it("puts the CN first, dedupes case-insensitively, lower-cases, and carries the CN as a SAN", async () => {
    const csrPem = await createCsr(key("EC_P256"), "Shop.Example.COM.", ["*.example.com", "shop.example.com", "API.example.com", "*.EXAMPLE.com"]);
    expect(csrDomains(csrPem)).toEqual(["shop.example.com", "*.example.com", "api.example.com"]);
    const san = new x509.Pkcs10CertificateRequest(csrPem).getExtension("2.5.29.17");
    expect(san).toBeInstanceOf(x509.SubjectAlternativeNameExtension);
    expect((san as x509.SubjectAlternativeNameExtension).names.items.map((n) => n.value)).toEqual(["shop.example.com", "*.example.com", "api.example.com"]);
  });

  it("turns internationalised names into punycode", async () => {
    const csrPem = await createCsr(key("EC_P256"), "bücher.example", []);
    expect(csrDomains(csrPem)).toEqual(["xn--bcher-kva.example"]);
  });

  it.each([["a b.example.com"], ["*.*.example.com"], ["www.*.example.com"], ["*"], [""], ["-bad.example.com"], ["x".repeat(64) + ".example.com"]])(
    "refuses the domain %j with a branded error naming `domains`",
    async (bad) => {
      const e = (await rejected(createCsr(key("EC_P256"), "ok.example.com", [bad]))) as InvalidInputError;
      expect(isInvalidInputError(e)).toBe(true);
      expect(e.field).toBe("domains");
      expect(e.message).toMatch(/is not a DNS name\. Use a host name such as "www\.example\.com" or a wildcard such as "\*\.example\.com"/);
    },
  );

  it("refuses a key whose declared algorithm is wrong", async () => {
    const k = key("EC_P384");
    const e = (await rejected(createCsr({ ...k, algorithm: "EC_P256" }, "example.com", []))) as InvalidInputError;
    expect(e.field).toBe("key.algorithm");
    expect(e.message).toBe('crypto: the private key is EC_P384, but the algorithm requested is "EC_P256"; make them agree.');
    expectNoKeyMaterial(e.message, k.privateKeyPem);
  });

  it("refuses a public key that does not belong to the private key", async () => {
    const e = (await rejected(createCsr({ ...key("RSA_2048"), publicKeyPem: key("RSA_3072").publicKeyPem }, "example.com", []))) as InvalidInputError;
    expect(e.field).toBe("key.publicKeyPem");
    expectNoKeyMaterial(e.message, key("RSA_2048").privateKeyPem);
  });

  it("accepts a pair without a public key (derives it)", async () => {
    const csrPem = await createCsr({ ...key("EC_P256"), publicKeyPem: "" }, "example.com", []);
    expect(csrPublicKey(csrPem)).toBe(key("EC_P256").publicKeyPem);
  });
});

describe("csrDomains / csrPublicKey on CSRs made elsewhere", () => {
  it("reads a CSR with no SAN extension (CN only) and CRLF line endings", async () => {
    const k = key("EC_P256");
    const alg = { name: "ECDSA", namedCurve: "P-256" };
    const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const keysPair = {
      privateKey: await webCrypto.subtle.importKey("pkcs8", der(k.privateKeyPem), alg, false, ["sign"]),
      publicKey: await webCrypto.subtle.importKey("spki", der(k.publicKeyPem), alg, true, ["verify"]),
    };
    const csr = await x509.Pkcs10CertificateRequestGenerator.create(
      { name: "CN=legacy.example.com", keys: keysPair, signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } },
      webCrypto,
    );
    const pem = csr.toString("pem").replace(/\n/g, "\r\n");
    expect(csrDomains(pem)).toEqual(["legacy.example.com"]);
    expect(createPublicKey(csrPublicKey(pem)).export({ type: "spki", format: "der" })).toEqual(
      createPublicKey(k.publicKeyPem).export({ type: "spki", format: "der" }),
    );
  });

  it("refuses garbage, and a PEM holding a private key, without echoing it", () => {
    const garbage = thrown(() => csrDomains("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")) as InvalidInputError;
    expect(isInvalidInputError(garbage)).toBe(true);
    expect(garbage.field).toBe("key.csrPem");
    const secret = key("EC_P256").privateKeyPem;
    const e = thrown(() => csrPublicKey(secret)) as InvalidInputError;
    expect(e.field).toBe("key.csrPem");
    expect(e.message).toBe("crypto: the value contains a private key; supply only the CSR (contents not shown).");
    expectNoKeyMaterial(e.message, secret);
  });
});
