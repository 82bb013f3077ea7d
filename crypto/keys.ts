/**
 * Key generation and key-type detection.
 *
 * RSA keys come from node-forge's `pki.rsa.generateKeyPair` called with a
 * callback and no custom PRNG: on Node, forge then delegates to Node's native
 * `crypto.generateKeyPair("rsa")` (OpenSSL) instead of its pure-JavaScript
 * prime search. (`workers: -1` is passed too, but only matters for the pure-JS
 * fallback, which is never taken here unless someone sets
 * `forge.options.usePureJavaScript`.) EC keys come from `node:crypto`, since
 * forge has no ECDSA.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as nodeGenerateKeyPair, type KeyObject } from "node:crypto";
import forge from "node-forge";
import type { KeyAlgorithm } from "../engine/domain";
import type { KeyPair } from "../engine/ports";
import { invalidInput } from "./errors";
import { normaliseLineEndings } from "./pem";

/** Every algorithm we generate and accept, with its parameters. */
export const KEY_ALGORITHMS: Readonly<Record<KeyAlgorithm, { readonly type: "rsa"; readonly bits: 2048 | 3072 | 4096 } | { readonly type: "ec"; readonly curve: "prime256v1" | "secp384r1"; readonly webCurve: "P-256" | "P-384"; readonly hash: "SHA-256" | "SHA-384" }>> = {
  RSA_2048: { type: "rsa", bits: 2048 },
  RSA_3072: { type: "rsa", bits: 3072 },
  RSA_4096: { type: "rsa", bits: 4096 },
  EC_P256: { type: "ec", curve: "prime256v1", webCurve: "P-256", hash: "SHA-256" },
  EC_P384: { type: "ec", curve: "secp384r1", webCurve: "P-384", hash: "SHA-384" },
};

const ALLOWED = Object.keys(KEY_ALGORITHMS).join(", ");

/** Field name used in errors about a supplied private key (DESIGN §4 `key.privateKeyPem`). */
export const PRIVATE_KEY_FIELD = "key.privateKeyPem";

function forgeRsaKeyPair(bits: number): Promise<forge.pki.rsa.KeyPair> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, workers: -1 }, (err, keypair) => {
      if (err) reject(new Error(`crypto: RSA-${bits} key generation failed`, { cause: err }));
      else resolve(keypair);
    });
  });
}

function nodeEcKeyPair(namedCurve: string): Promise<{ publicKey: string; privateKey: string }> {
  return new Promise((resolve, reject) => {
    nodeGenerateKeyPair(
      "ec",
      { namedCurve, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } },
      (err, publicKey, privateKey) => {
        if (err) reject(new Error(`crypto: EC ${namedCurve} key generation failed`, { cause: err }));
        else resolve({ publicKey, privateKey });
      },
    );
  });
}

/** A fresh key pair: PKCS#8 PEM private key (SECRET) and SPKI PEM public key. */
export async function generateKey(algorithm: KeyAlgorithm): Promise<KeyPair> {
  const spec = KEY_ALGORITHMS[algorithm] as (typeof KEY_ALGORITHMS)[KeyAlgorithm] | undefined;
  if (spec === undefined) {
    throw invalidInput("key.algorithm", `unsupported key algorithm ${JSON.stringify(String(algorithm))}; use one of ${ALLOWED}.`);
  }
  if (spec.type === "rsa") {
    const { privateKey, publicKey } = await forgeRsaKeyPair(spec.bits);
    const pkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey));
    return {
      algorithm,
      privateKeyPem: normaliseLineEndings(forge.pki.privateKeyInfoToPem(pkcs8)),
      publicKeyPem: normaliseLineEndings(forge.pki.publicKeyToPem(publicKey)),
    };
  }
  const { privateKey, publicKey } = await nodeEcKeyPair(spec.curve);
  return { algorithm, privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * Parses a PEM private key (PKCS#8, PKCS#1 or SEC1; unencrypted).
 *
 * @throws InvalidInputError naming `field`; the message never contains the key.
 */
export function loadPrivateKey(privateKeyPem: string, field: string = PRIVATE_KEY_FIELD): KeyObject {
  if (typeof privateKeyPem !== "string" || !privateKeyPem.includes("-----BEGIN")) {
    throw invalidInput(field, "expected a PEM private key (\"-----BEGIN PRIVATE KEY-----\"); the value is not PEM (contents not shown).");
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(privateKeyPem)) {
    throw invalidInput(field, "the private key is encrypted; supply it unencrypted (PKCS#8 \"-----BEGIN PRIVATE KEY-----\") (contents not shown).");
  }
  try {
    return createPrivateKey({ key: privateKeyPem, format: "pem" });
  } catch {
    // The underlying OpenSSL message is dropped on purpose: keep errors free of key material.
    throw invalidInput(field, "the private key PEM could not be parsed; supply an unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM key (contents not shown).");
  }
}

/** Our name for a parsed key's algorithm, or null when we do not support it. */
export function algorithmOfKey(key: KeyObject): KeyAlgorithm | null {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa") {
    switch (details.modulusLength) {
      case 2048: return "RSA_2048";
      case 3072: return "RSA_3072";
      case 4096: return "RSA_4096";
      default: return null;
    }
  }
  if (key.asymmetricKeyType === "ec") {
    switch (details.namedCurve) {
      case "prime256v1": return "EC_P256";
      case "secp384r1": return "EC_P384";
      default: return null;
    }
  }
  return null;
}

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  const size = d.modulusLength !== undefined ? ` ${d.modulusLength}-bit` : d.namedCurve !== undefined ? ` ${d.namedCurve}` : "";
  return `${key.asymmetricKeyType ?? "unknown"}${size}`;
}

/**
 * The algorithm of a supplied PEM private key.
 *
 * @throws InvalidInputError (`key.privateKeyPem`) for garbled, encrypted or unsupported keys.
 */
export function keyAlgorithm(privateKeyPem: string): KeyAlgorithm {
  const key = loadPrivateKey(privateKeyPem);
  const algorithm = algorithmOfKey(key);
  if (algorithm === null) {
    throw invalidInput(PRIVATE_KEY_FIELD, `unsupported private key type (${describeKey(key)}); supported: ${ALLOWED}.`);
  }
  return algorithm;
}

/** SPKI DER of a private key's public half. */
export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: "spki", format: "der" });
}
