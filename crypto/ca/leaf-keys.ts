/**
 * Leaf key pairs for a certificate authority that generates keys on the
 * customer's behalf (Tencent's `online` CSR mode), and CSRs built from them.
 *
 * Keys come from the product's generator (../keys) and CSRs from ../csr; all
 * this module adds is the encoding Tencent hands keys out in: PKCS#1
 * `RSA PRIVATE KEY` / SEC1 `EC PRIVATE KEY` PEM.
 */
import type { KeyObject } from "node:crypto";
import type { KeyAlgorithm } from "../../engine/domain";
import { createCsr } from "../csr";
import { algorithmOfKey, generateKey, KEY_SPECS, loadPrivateKey, publicKeyDer, type KeySpec } from "../keys";

/** The algorithms the CA generates: the engine's `KeyAlgorithm`. */
export type LeafKeyAlgorithm = KeyAlgorithm;

export interface LeafKeyPair {
  readonly algorithm: LeafKeyAlgorithm;
  /** PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) PEM for generated keys; a read-back key as it was given. */
  readonly privateKeyPem: string;
  /** DER SubjectPublicKeyInfo. */
  readonly spkiDer: Buffer;
}

/** How Tencent encodes a private key of each family. */
const TENCENT_KEY_ENCODING: Readonly<Record<KeySpec["type"], "pkcs1" | "sec1">> = { rsa: "pkcs1", ec: "sec1" };

/** Generates a fresh key pair. RSA 4096 takes a second or more. */
export async function generateLeafKeyPair(algorithm: LeafKeyAlgorithm): Promise<LeafKeyPair> {
  const key = loadPrivateKey((await generateKey(algorithm)).privateKeyPem);
  const privateKeyPem = key.export({ type: TENCENT_KEY_ENCODING[KEY_SPECS[algorithm].type], format: "pem" }).toString();
  return { algorithm, privateKeyPem, spkiDer: publicKeyDer(key) };
}

const shared = new Map<LeafKeyAlgorithm, Promise<LeafKeyPair>>();

/**
 * One key pair per algorithm per process, for bulk-seeded certificates whose
 * key nobody will ever use. Never use it for a certificate a test renews with
 * a key it checks.
 */
export function sharedLeafKeyPair(algorithm: LeafKeyAlgorithm): Promise<LeafKeyPair> {
  let p = shared.get(algorithm);
  if (!p) {
    p = generateLeafKeyPair(algorithm);
    shared.set(algorithm, p);
  }
  return p;
}

/**
 * The algorithm a key is filed under. A customer may upload a certificate
 * whose key we would never generate (RSA 1024, another curve): it is filed
 * under its family's default rather than refused.
 */
function fileUnder(key: KeyObject): LeafKeyAlgorithm {
  const exact = algorithmOfKey(key);
  if (exact !== null) return exact;
  if (key.asymmetricKeyType === "rsa") return "RSA_2048";
  if (key.asymmetricKeyType === "ec") return "EC_P256";
  throw new Error(`ca: unsupported private key type ${String(key.asymmetricKeyType)}; expected RSA or EC`);
}

/** Reads a PEM private key (PKCS#1, SEC1 or PKCS#8) back into a `LeafKeyPair`. */
export function leafKeyPairFromPem(privateKeyPem: string): LeafKeyPair {
  const key = loadPrivateKey(privateKeyPem);
  return { algorithm: fileUnder(key), privateKeyPem, spkiDer: publicKeyDer(key) };
}

/**
 * A PKCS#10 CSR for `key`, with `commonName` as CN and every domain as a DNS
 * SAN (made by the product's `createCsr`). With no common name, the first
 * domain stands in for it.
 */
export function createCsrForKey(key: LeafKeyPair, commonName: string, dnsNames: readonly string[]): Promise<string> {
  const [first = commonName, ...rest] = [commonName, ...dnsNames].filter((n) => n.trim() !== "");
  return createCsr({ algorithm: key.algorithm, privateKeyPem: key.privateKeyPem, publicKeyPem: "" }, first, rest);
}
