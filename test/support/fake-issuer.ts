/**
 * Real X.509 for the in-memory fake: one EC P-256 root per process (fast to
 * make) signs every leaf, so the engine's verification (key, CSR, domains,
 * chain) runs on real certificates. Built on the crypto adapter's key factory
 * and the crypto tests' issuer.
 */
import { createKeyFactory } from "../../crypto";
import type { KeyAlgorithm } from "../../engine/domain";
import type { KeyPair } from "../../engine/ports";
import { issue, root, type Issuer } from "../unit/crypto/test-issuer";

export const fakeKeys = createKeyFactory();

let ca: Promise<Issuer> | undefined;

/** The fake CA (self-signed root, EC P-256), made once per process. */
export function fakeCa(): Promise<Issuer> {
  ca ??= fakeKeys.generateKey("EC_P256").then((key) => root("Fake Tencent Test CA", key));
  return ca;
}

const keyCache = new Map<KeyAlgorithm, Promise<KeyPair>>();

/** A fresh key pair (EC is fast; RSA costs tens of milliseconds). */
export function freshKey(algorithm: KeyAlgorithm = "EC_P256"): Promise<KeyPair> {
  return fakeKeys.generateKey(algorithm);
}

/** One key pair per algorithm per process, for tests that only need "some key". */
export function sharedKey(algorithm: KeyAlgorithm = "EC_P256"): Promise<KeyPair> {
  let k = keyCache.get(algorithm);
  if (!k) keyCache.set(algorithm, (k = freshKey(algorithm)));
  return k;
}

/** A leaf for `publicKeyPem` covering `domains` (the first is the CN), followed by the CA: leaf + chain PEM. */
export async function issueLeaf(publicKeyPem: string, domains: readonly string[], notBefore: Date, notAfter: Date): Promise<string> {
  const issuer = await fakeCa();
  const leaf = await issue({ publicKeyPem, commonName: domains[0] ?? "example.com", dnsNames: domains, issuer, notBefore, notAfter });
  return leaf + issuer.certificatePem;
}
