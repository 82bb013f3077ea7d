/**
 * Key generation and key-type detection, with `node:crypto` alone: OpenSSL
 * generates RSA and EC keys natively, off the main thread.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as nodeGenerateKeyPair, type KeyObject } from "node:crypto";
import { KEY_ALGORITHMS, type KeyAlgorithm } from "../engine/domain";
import type { KeyPair } from "../engine/ports";
import { invalidInput } from "./errors";

/** How one algorithm's keys are made and used. */
export type KeySpec =
  | { readonly type: "rsa"; readonly bits: 2048 | 3072 | 4096 }
  | { readonly type: "ec"; readonly curve: "prime256v1" | "secp384r1"; readonly webCurve: "P-256" | "P-384"; readonly hash: "SHA-256" | "SHA-384" };

/** Every algorithm we generate and accept, with its parameters. A `Record`, so a new `KeyAlgorithm` does not compile until it is added here. */
export const KEY_SPECS: Readonly<Record<KeyAlgorithm, KeySpec>> = {
  RSA_2048: { type: "rsa", bits: 2048 },
  RSA_3072: { type: "rsa", bits: 3072 },
  RSA_4096: { type: "rsa", bits: 4096 },
  EC_P256: { type: "ec", curve: "prime256v1", webCurve: "P-256", hash: "SHA-256" },
  EC_P384: { type: "ec", curve: "secp384r1", webCurve: "P-384", hash: "SHA-384" },
};

const ALLOWED = KEY_ALGORITHMS.join(", ");

/** Field name used in errors about a supplied private key (DESIGN §4 `key.privateKeyPem`). */
export const PRIVATE_KEY_FIELD = "key.privateKeyPem";

const PEM_ENCODING = { publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } } as const;

function nodeKeyPair(algorithm: KeyAlgorithm, spec: KeySpec): Promise<{ publicKey: string; privateKey: string }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: string, privateKey: string): void => {
      if (err) reject(new Error(`crypto: ${algorithm} key generation failed`, { cause: err }));
      else resolve({ publicKey, privateKey });
    };
    if (spec.type === "rsa") nodeGenerateKeyPair("rsa", { modulusLength: spec.bits, publicExponent: 0x10001, ...PEM_ENCODING }, done);
    else nodeGenerateKeyPair("ec", { namedCurve: spec.curve, ...PEM_ENCODING }, done);
  });
}

/** A fresh key pair: PKCS#8 PEM private key (SECRET) and SPKI PEM public key. */
export async function generateKey(algorithm: KeyAlgorithm): Promise<KeyPair> {
  const spec = KEY_SPECS[algorithm] as KeySpec | undefined;
  if (spec === undefined) {
    throw invalidInput("key.algorithm", `unsupported key algorithm ${JSON.stringify(String(algorithm))}; use one of ${ALLOWED}.`);
  }
  const { privateKey, publicKey } = await nodeKeyPair(algorithm, spec);
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

/** Our name for a parsed key's algorithm (private or public), or null when we do not support it. */
export function algorithmOfKey(key: KeyObject): KeyAlgorithm | null {
  const details = key.asymmetricKeyDetails ?? {};
  const found = KEY_ALGORITHMS.find((algorithm) => {
    const spec = KEY_SPECS[algorithm];
    if (spec.type === "rsa") return key.asymmetricKeyType === "rsa" && details.modulusLength === spec.bits;
    return key.asymmetricKeyType === "ec" && details.namedCurve === spec.curve;
  });
  return found ?? null;
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
