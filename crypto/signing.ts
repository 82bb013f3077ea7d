/**
 * A private key made ready for signing with @peculiar/x509: imported into
 * Node's WebCrypto with the signature algorithm its key algorithm calls for.
 * CSRs (./csr) and the emulator's CA (./ca) both sign through here.
 */
import { webcrypto, type KeyObject } from "node:crypto";
import type { KeyAlgorithm } from "../engine/domain";
import { KEY_SPECS, publicKeyDer } from "./keys";

/**
 * A WebCrypto key pair, as Node types it. Not typed through @peculiar/x509, so that the
 * declarations users compile against (the emulator's CA reaches this file) never pull in
 * @peculiar's own types, which do not compile in a CommonJS project under moduleResolution node16.
 */
export interface X509KeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
}

export interface SigningKeys {
  readonly keys: X509KeyPair;
  /** RSASSA-PKCS1-v1_5 with SHA-256 for RSA; ECDSA with SHA-256 (P-256) or SHA-384 (P-384). */
  readonly signingAlgorithm: { readonly name: string; readonly hash: string };
}

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** `privateKey`, which must be of `algorithm`, and its public half as WebCrypto keys. */
export async function signingKeys(privateKey: KeyObject, algorithm: KeyAlgorithm): Promise<SigningKeys> {
  const spec = KEY_SPECS[algorithm];
  const importAlgorithm = spec.type === "rsa" ? RSA_SHA256 : { name: "ECDSA", namedCurve: spec.webCurve };
  const signingAlgorithm = spec.type === "rsa" ? RSA_SHA256 : { name: "ECDSA", hash: spec.hash };
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const keys = {
    privateKey: await webcrypto.subtle.importKey("pkcs8", pkcs8, importAlgorithm, false, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("spki", publicKeyDer(privateKey), importAlgorithm, true, ["verify"]),
  };
  return { keys, signingAlgorithm };
}
