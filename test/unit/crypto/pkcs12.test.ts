import { createPrivateKey } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import { isInvalidInputError, type InvalidInputError } from "../../../engine/errors";
import type { KeyPair } from "../../../engine/ports";
import { generateKey } from "../../../crypto/keys";
import { createPkcs12 } from "../../../crypto/pkcs12";
import { intermediate, issue, root, type Issuer } from "./test-issuer";
import { expectNoKeyMaterial, thrown } from "./secrets";

let rootCa: Issuer;
let interCa: Issuer;
let rsaKey: KeyPair;
let rsaLeaf: string;
let ecKey: KeyPair;
let ecLeaf: string;

beforeAll(async () => {
  rootCa = await root("P12 Root", await generateKey("RSA_2048"));
  interCa = await intermediate("P12 Intermediate", await generateKey("RSA_2048"), rootCa);
  rsaKey = await generateKey("RSA_2048");
  rsaLeaf = await issue({ publicKeyPem: rsaKey.publicKeyPem, commonName: "p12.example.com", dnsNames: ["p12.example.com"], issuer: interCa });
  ecKey = await generateKey("EC_P256");
  ecLeaf = await issue({ publicKeyPem: ecKey.publicKeyPem, commonName: "ec.example.com", dnsNames: ["ec.example.com"], issuer: interCa });
}, 60_000);

function open(b64: string, password: string) {
  const der = forge.util.decode64(b64);
  return forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password);
}

function der(pem: string): string {
  return forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes();
}

describe("createPkcs12", () => {
  it("round-trips: forge reads back the same RSA key and the leaf + chain in order", () => {
    const b64 = createPkcs12(rsaLeaf, interCa.certificatePem + rootCa.certificatePem, rsaKey.privateKeyPem, "s3cret pass!");
    expect(b64).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const p12 = open(b64, "s3cret pass!");

    const keyBags = p12.getBags({ bagType: forge.pki.oids["pkcs8ShroudedKeyBag"] as string })[forge.pki.oids["pkcs8ShroudedKeyBag"] as string] ?? [];
    expect(keyBags).toHaveLength(1);
    const forgeKey = keyBags[0]?.key as forge.pki.rsa.PrivateKey;
    const roundTripped = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forgeKey)));
    expect(createPrivateKey(roundTripped).export({ type: "pkcs8", format: "der" })).toEqual(
      createPrivateKey(rsaKey.privateKeyPem).export({ type: "pkcs8", format: "der" }),
    );

    const certBags = p12.getBags({ bagType: forge.pki.oids["certBag"] as string })[forge.pki.oids["certBag"] as string] ?? [];
    const certs = certBags.map((b) => forge.asn1.toDer(forge.pki.certificateToAsn1(b.cert as forge.pki.Certificate)).getBytes());
    expect(certs).toEqual([der(rsaLeaf), der(interCa.certificatePem), der(rootCa.certificatePem)]);
  });

  it("encrypts the key with PBES2 AES-256-CBC and PBKDF2-HMAC-SHA256", () => {
    const b64 = createPkcs12(rsaLeaf, "", rsaKey.privateKeyPem, "pw");
    // Collect every OID, descending into OCTET STRINGs that hold nested DER (the SafeContents).
    const p12Asn1 = forge.asn1.fromDer(forge.util.decode64(b64));
    const oids = new Set<string>();
    const walk = (node: forge.asn1.Asn1): void => {
      if (node.type === forge.asn1.Type.OID && typeof node.value === "string") oids.add(forge.asn1.derToOid(node.value));
      if (Array.isArray(node.value)) node.value.forEach((child) => walk(child as forge.asn1.Asn1));
      else if (node.type === forge.asn1.Type.OCTETSTRING && typeof node.value === "string") {
        try {
          walk(forge.asn1.fromDer(node.value));
        } catch {
          // not nested DER
        }
      }
    };
    walk(p12Asn1);
    expect(oids).toContain("1.2.840.113549.1.5.13"); // PBES2
    expect(oids).toContain("2.16.840.1.101.3.4.1.42"); // aes256-CBC
    expect(oids).toContain("1.2.840.113549.2.9"); // hmacWithSHA256
    expect(oids).not.toContain("1.2.840.113549.1.12.1.3"); // pbeWithSHAAnd3-KeyTripleDES-CBC
  });

  it("the wrong password does not open it", () => {
    const b64 = createPkcs12(rsaLeaf, "", rsaKey.privateKeyPem, "right");
    expect(() => open(b64, "wrong")).toThrow();
  });

  it("refuses an EC key with a branded error that says why and what to do instead", () => {
    const e = thrown(() => createPkcs12(ecLeaf, interCa.certificatePem, ecKey.privateKeyPem, "pw")) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("pkcs12");
    expect(e.message).toBe(
      "crypto: PKCS#12 output is available for RSA keys only (node-forge cannot encode EC_P256 keys); use certificatePem + privateKeyPem, or choose an RSA key algorithm.",
    );
    expectNoKeyMaterial(e.message, ecKey.privateKeyPem);
  });

  it("refuses a key that does not belong to the certificate", async () => {
    const other = await generateKey("RSA_2048");
    const e = thrown(() => createPkcs12(rsaLeaf, "", other.privateKeyPem, "pw")) as InvalidInputError;
    expect(e.field).toBe("privateKeyPem");
    expectNoKeyMaterial(e.message, other.privateKeyPem);
  });

  it("refuses an RSA leaf whose chain has an EC certificate", async () => {
    const ecRoot = await root("EC Root", await generateKey("EC_P256"));
    const ecSignedRsa = await issue({ publicKeyPem: rsaKey.publicKeyPem, commonName: "mixed.example.com", issuer: ecRoot });
    // The RSA leaf itself is fine for forge; the EC root in the chain is not.
    const e = thrown(() => createPkcs12(ecSignedRsa, ecRoot.certificatePem, rsaKey.privateKeyPem, "pw")) as InvalidInputError;
    expect(e.field).toBe("pkcs12");
    expect(e.message).toMatch(/non-RSA public key/);
  });

  it.each([[""], ["pässword"], ["x".repeat(129)]])("refuses the password %j without echoing it", (pw) => {
    const e = thrown(() => createPkcs12(rsaLeaf, "", rsaKey.privateKeyPem, pw)) as InvalidInputError;
    expect(e.field).toBe("pkcs12Password");
    expect(e.message).toBe("crypto: the PKCS#12 password must be 1 to 128 printable ASCII characters (value not shown).");
  });
});
