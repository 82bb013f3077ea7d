/**
 * Leaf key pairs for a certificate authority that generates keys on the
 * customer's behalf (Tencent's `online` CSR mode), and CSRs built from them.
 *
 * Keys are made with `node:crypto` (native, off the main thread) and exported
 * the way Tencent hands them out: PKCS#1 `RSA PRIVATE KEY` / SEC1
 * `EC PRIVATE KEY` PEM.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto } from "node:crypto";
import { promisify } from "node:util";
import { ensureCryptoProvider, type WebCryptoKey } from "./ca-provider";
import * as x509 from "@peculiar/x509";

const generateKeyPairAsync = promisify(generateKeyPair);

export type LeafKeyAlgorithm = "RSA_2048" | "RSA_3072" | "RSA_4096" | "EC_P256" | "EC_P384";

export const LEAF_KEY_ALGORITHMS: readonly LeafKeyAlgorithm[] = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"];

export interface LeafKeyPair {
  readonly algorithm: LeafKeyAlgorithm;
  /** PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) PEM. */
  readonly privateKeyPem: string;
  /** DER SubjectPublicKeyInfo. */
  readonly spkiDer: Buffer;
}

/** Generates a fresh key pair. RSA 4096 takes a second or more. */
export async function generateLeafKeyPair(algorithm: LeafKeyAlgorithm): Promise<LeafKeyPair> {
  if (algorithm.startsWith("RSA_")) {
    const modulusLength = Number(algorithm.slice(4));
    const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength, publicExponent: 0x10001 });
    return fromPrivateKeyObject(algorithm, privateKey);
  }
  const namedCurve = algorithm === "EC_P384" ? "secp384r1" : "prime256v1";
  const { privateKey } = await generateKeyPairAsync("ec", { namedCurve });
  return fromPrivateKeyObject(algorithm, privateKey);
}

function fromPrivateKeyObject(algorithm: LeafKeyAlgorithm, privateKey: import("node:crypto").KeyObject): LeafKeyPair {
  const type = algorithm.startsWith("RSA_") ? "pkcs1" : "sec1";
  const privateKeyPem = privateKey.export({ type, format: "pem" }).toString();
  const spkiDer = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return { algorithm, privateKeyPem, spkiDer };
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

/** Reads a PEM private key (PKCS#1, SEC1 or PKCS#8) back into a `LeafKeyPair`. */
export function leafKeyPairFromPem(privateKeyPem: string): LeafKeyPair {
  const key = createPrivateKey(privateKeyPem);
  const details = key.asymmetricKeyDetails;
  let algorithm: LeafKeyAlgorithm;
  if (key.asymmetricKeyType === "rsa") {
    const bits = details?.modulusLength ?? 2048;
    algorithm = bits >= 4096 ? "RSA_4096" : bits >= 3072 ? "RSA_3072" : "RSA_2048";
  } else if (key.asymmetricKeyType === "ec") {
    algorithm = details?.namedCurve === "secp384r1" ? "EC_P384" : "EC_P256";
  } else {
    throw new Error(`ca: unsupported private key type ${String(key.asymmetricKeyType)}; expected RSA or EC`);
  }
  return fromPrivateKeyObject(algorithm, key);
}

/** A PKCS#10 CSR for `key`, with `commonName` as CN and every domain as a DNS SAN. */
export async function createCsrForKey(key: LeafKeyPair, commonName: string, dnsNames: readonly string[]): Promise<string> {
  ensureCryptoProvider();
  const isRsa = key.algorithm.startsWith("RSA_");
  const pkcs8 = createPrivateKey(key.privateKeyPem).export({ type: "pkcs8", format: "der" });
  const algorithm = isRsa
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: key.algorithm === "EC_P384" ? "P-384" : "P-256" };
  const privateKey: WebCryptoKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, algorithm, false, ["sign"]);
  const publicKey: WebCryptoKey = await webcrypto.subtle.importKey("spki", key.spkiDer, algorithm, true, ["verify"]);
  const names = uniqueNames(commonName, dnsNames);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys: { privateKey, publicKey },
    signingAlgorithm: isRsa ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", hash: key.algorithm === "EC_P384" ? "SHA-384" : "SHA-256" },
    extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value })))],
  });
  return csr.toString("pem");
}

export function uniqueNames(commonName: string, dnsNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of [commonName, ...dnsNames]) {
    const v = n.trim().toLowerCase();
    if (v !== "" && !out.includes(v)) out.push(v);
  }
  return out;
}
