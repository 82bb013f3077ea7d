/**
 * PKCS#12 (PFX) archives, with node-forge.
 *
 * What forge 1.4.3 writes (checked in its source, `lib/pkcs12.js`):
 * - the private key in a pkcs8ShroudedKeyBag, encrypted with PBES2:
 *   AES-256-CBC, key from PBKDF2-HMAC-SHA256 (`prfAlgorithm: "sha256"`),
 *   {@link PKCS12_ITERATIONS} iterations;
 * - the certificates (leaf first, then the chain) in a plain, unencrypted
 *   SafeContents, as `openssl pkcs12 -certpbe NONE` would;
 * - an integrity MAC with HMAC-SHA1: forge hard-codes SHA-1 for the MAC.
 * OpenSSL 3 and current Windows/Java read this without legacy providers.
 *
 * Limits: forge can encode only RSA keys and RSA certificates. For an EC key
 * (or an EC certificate in the chain) this module refuses with a branded
 * `InvalidInputError` (field `pkcs12`) rather than hand-rolling the ASN.1;
 * use `certificatePem` + `privateKeyPem` instead, or an RSA key. The password
 * must be printable ASCII: forge feeds the password to PBKDF2 as raw UTF-16
 * code units, which would not match other tools for non-ASCII characters.
 */
// node-forge is here, and only here, because nothing else we use writes PKCS#12:
// node:crypto cannot, and @peculiar/x509 has no PFX builder. Keys, CSRs and
// X.509 are node:crypto + @peculiar/x509 (./keys, ./csr, ./inspect).
import type Forge from "node-forge";
import { invalidInput } from "./errors";
import { loadCertificate, loadCertificates, matchesPrivateKey } from "./inspect";
import { algorithmOfKey, loadPrivateKey } from "./keys";

export const PKCS12_FIELD = "pkcs12";
export const PKCS12_PASSWORD_FIELD = "pkcs12Password";
/** PBKDF2 and MAC iteration count. */
export const PKCS12_ITERATIONS = 10_000;

/** node-forge, loaded on the first PKCS#12 (it is large, and only this file uses it). */
function forgeModule(): typeof Forge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy loading at the adapter's boundary
  return require("node-forge") as typeof Forge;
}

function forgeCertificate(pem: string): Forge.pki.Certificate {
  const forge = forgeModule();
  try {
    return forge.pki.certificateFromPem(pem);
  } catch {
    throw invalidInput(
      PKCS12_FIELD,
      "a certificate of the chain has a non-RSA public key, which node-forge cannot put in a PKCS#12; use certificatePem, chainPem and privateKeyPem instead.",
    );
  }
}

/**
 * A password-protected PKCS#12 archive of the certificate, its chain and the
 * RSA private key, base64-encoded.
 *
 * @throws InvalidInputError for an EC key (`pkcs12`), a key that does not match
 *   the certificate (`privateKeyPem`), or an empty / non-ASCII password (`pkcs12Password`).
 */
export function createPkcs12(certificatePem: string, chainPem: string, privateKeyPem: string, password: string): string {
  if (typeof password !== "string" || !/^[\x20-\x7e]{1,128}$/.test(password)) {
    throw invalidInput(PKCS12_PASSWORD_FIELD, "the PKCS#12 password must be 1 to 128 printable ASCII characters (value not shown).");
  }
  const key = loadPrivateKey(privateKeyPem, "privateKeyPem");
  const algorithm = algorithmOfKey(key);
  if (algorithm === null || !algorithm.startsWith("RSA_")) {
    throw invalidInput(
      PKCS12_FIELD,
      `PKCS#12 output is available for RSA keys only (node-forge cannot encode ${algorithm ?? "this key type"} keys); use certificatePem + privateKeyPem, or choose an RSA key algorithm.`,
    );
  }
  const leaf = loadCertificate(certificatePem);
  if (!matchesPrivateKey(leaf.toString(), privateKeyPem)) {
    throw invalidInput("privateKeyPem", "the private key does not belong to the certificate; a PKCS#12 of them would be unusable.");
  }
  const certs = [leaf, ...loadCertificates(chainPem, "chainPem")].map((c) => forgeCertificate(c.toString()));
  const forge = forgeModule();
  const forgeKey = forge.pki.privateKeyFromPem(key.export({ type: "pkcs8", format: "pem" }).toString());
  const options = { algorithm: "aes256" as const, prfAlgorithm: "sha256", count: PKCS12_ITERATIONS, saltSize: 16 };
  const pfx = forge.pkcs12.toPkcs12Asn1(forgeKey, certs, password, options);
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), "binary").toString("base64");
}
