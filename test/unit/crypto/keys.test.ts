import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { KeyAlgorithm } from "../../../engine/domain";
import { isInvalidInputError, type InvalidInputError } from "../../../engine/errors";
import type { KeyPair } from "../../../engine/ports";
import { generateKey, keyAlgorithm } from "../../../crypto/keys";
import { expectNoKeyMaterial, thrown } from "./secrets";

const ALL: readonly KeyAlgorithm[] = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"];
const keys = new Map<KeyAlgorithm, KeyPair>();

beforeAll(async () => {
  for (const a of ALL) keys.set(a, await generateKey(a));
}, 60_000);

function key(a: KeyAlgorithm): KeyPair {
  const k = keys.get(a);
  if (k === undefined) throw new Error(`no key for ${a}`);
  return k;
}

describe("generateKey", () => {
  it.each(ALL)("%s gives a PKCS#8 private key and an SPKI public key of that algorithm", (a) => {
    const k = key(a);
    expect(k.algorithm).toBe(a);
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    expect(k.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    expect(k.privateKeyPem).not.toContain("\r");
    expect(keyAlgorithm(k.privateKeyPem)).toBe(a);
    const derivedPublic = createPrivateKey(k.privateKeyPem);
    expect(derivedPublic.asymmetricKeyType).toBe(a.startsWith("RSA") ? "rsa" : "ec");
  });

  it("gives a different key each time", async () => {
    const again = await generateKey("EC_P256");
    expect(again.privateKeyPem).not.toBe(key("EC_P256").privateKeyPem);
  });

  it.each(["RSA_2048", "RSA_3072", "RSA_4096"] as const)("%s has the exponent 65537 and the modulus length it names", (a) => {
    const details = createPrivateKey(key(a).privateKeyPem).asymmetricKeyDetails;
    expect(details?.publicExponent).toBe(65537n);
    expect(details?.modulusLength).toBe(Number(a.slice(4)));
  });

  it.each([["EC_P256", "prime256v1"], ["EC_P384", "secp384r1"]] as const)("%s is on the curve %s", (a, curve) => {
    expect(createPrivateKey(key(a).privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe(curve);
  });

  it("rejects an unknown algorithm with a branded error", async () => {
    await expect(generateKey("RSA_1024" as KeyAlgorithm)).rejects.toSatisfy(
      (e: unknown) => isInvalidInputError(e) && e.field === "key.algorithm" && /RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384/.test(e.message),
    );
  });
});

describe("keyAlgorithm", () => {
  it("reads PKCS#1 RSA and SEC1 EC keys too", () => {
    const rsa = createPrivateKey(key("RSA_3072").privateKeyPem).export({ type: "pkcs1", format: "pem" }).toString();
    const ec = createPrivateKey(key("EC_P384").privateKeyPem).export({ type: "sec1", format: "pem" }).toString();
    expect(rsa).toContain("BEGIN RSA PRIVATE KEY");
    expect(ec).toContain("BEGIN EC PRIVATE KEY");
    expect(keyAlgorithm(rsa)).toBe("RSA_3072");
    expect(keyAlgorithm(ec)).toBe("EC_P384");
  });

  it("reads a key with CRLF line endings", () => {
    expect(keyAlgorithm(key("EC_P256").privateKeyPem.replace(/\n/g, "\r\n"))).toBe("EC_P256");
  });

  const unsupported: Array<[string, () => string, RegExp]> = [
    ["RSA-1024", () => generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /rsa 1024-bit/],
    ["secp256k1", () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /ec secp256k1/],
    ["Ed25519", () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /ed25519/],
  ];
  it.each(unsupported)("refuses %s, naming key.privateKeyPem and what is supported, without the key", (_name, make, described) => {
    const pem = make();
    const e = thrown(() => keyAlgorithm(pem)) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("key.privateKeyPem");
    expect(e.message).toMatch(described);
    expect(e.message).toMatch(/^crypto: unsupported private key type .*supported: RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384\.$/);
    expectNoKeyMaterial(e.message, pem);
  });

  it("refuses a garbled key without echoing it", () => {
    const pem = key("RSA_2048").privateKeyPem;
    const lines = pem.split("\n");
    const garbled = [...lines.slice(0, 5), "!!!!not-base64!!!!", ...lines.slice(8)].join("\n");
    const e = thrown(() => keyAlgorithm(garbled)) as InvalidInputError;
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("key.privateKeyPem");
    expect(e.message).toBe(
      "crypto: the private key PEM could not be parsed; supply an unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM key (contents not shown).",
    );
    expectNoKeyMaterial(e.message, pem);
    expect(e.cause).toBeUndefined();
  });

  it("refuses text that is not PEM, and an encrypted key", () => {
    const notPem = thrown(() => keyAlgorithm("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")) as InvalidInputError;
    expect(notPem.field).toBe("key.privateKeyPem");
    expect(notPem.message).not.toContain("MIIEvQIBADAN");
    const encrypted = createPrivateKey(key("EC_P256").privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" })
      .toString();
    const e = thrown(() => keyAlgorithm(encrypted)) as InvalidInputError;
    expect(e.field).toBe("key.privateKeyPem");
    expect(e.message).toMatch(/encrypted; supply it unencrypted/);
    expectNoKeyMaterial(e.message, encrypted);
  });

  it("refuses a public key given as a private key", () => {
    const e = thrown(() => keyAlgorithm(key("EC_P256").publicKeyPem)) as InvalidInputError;
    expect(e.field).toBe("key.privateKeyPem");
  });
});
