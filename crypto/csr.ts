/**
 * Certificate signing requests, built with @peculiar/x509 on Node's WebCrypto:
 * SHA-256 with RSA, ECDSA with SHA-256 for P-256 and SHA-384 for P-384. The
 * common name is the subject CN and every name (CN first) a subjectAltName
 * DNS entry.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { KeyPair } from "../engine/ports";
import { dedupe, normaliseDomain } from "./domains";
import { invalidInput } from "./errors";
import { webCrypto, x509 } from "./peculiar";
import { algorithmOfKey, loadPrivateKey, publicKeyDer } from "./keys";
import { signingKeys } from "./signing";

/** Field name used in errors about a supplied CSR (DESIGN §4 `key.csrPem`). */
export const CSR_FIELD = "key.csrPem";
const SAN_OID = "2.5.29.17";

function requestedNames(commonName: string, altNames: readonly string[]): string[] {
  const cn = normaliseDomain(commonName, "domains");
  return dedupe([cn, ...altNames.map((n) => normaliseDomain(n, "domains"))]);
}

function checkKeyPair(key: KeyPair): KeyObject {
  const privateKey = loadPrivateKey(key.privateKeyPem);
  const actual = algorithmOfKey(privateKey);
  if (actual === null || actual !== key.algorithm) {
    throw invalidInput(
      "key.algorithm",
      `the private key is ${actual ?? "of an unsupported type"}, but the algorithm requested is ${JSON.stringify(String(key.algorithm))}; make them agree.`,
    );
  }
  if (key.publicKeyPem !== "") {
    let supplied: Buffer;
    try {
      supplied = createPublicKey(key.publicKeyPem).export({ type: "spki", format: "der" });
    } catch {
      throw invalidInput("key.publicKeyPem", "the public key PEM could not be parsed (contents not shown).");
    }
    if (!supplied.equals(publicKeyDer(privateKey))) {
      throw invalidInput("key.publicKeyPem", "the public key does not belong to the private key; regenerate the pair or drop the public key.");
    }
  }
  return privateKey;
}

/**
 * A PEM CSR for `commonName` plus `altNames` (CN first, deduplicated,
 * lower-cased, wildcards allowed), signed by `key`.
 *
 * @throws InvalidInputError for a bad domain (`domains`), a key that does not
 *   match its declared algorithm (`key.algorithm`) or public key (`key.publicKeyPem`).
 */
export async function createCsr(key: KeyPair, commonName: string, altNames: readonly string[]): Promise<string> {
  const names = requestedNames(commonName, altNames);
  const { keys, signingAlgorithm } = await signingKeys(checkKeyPair(key), key.algorithm);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: [{ CN: [names[0] ?? ""] }],
      keys,
      signingAlgorithm,
      extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value })))],
    },
    webCrypto,
  );
  return csr.toString("pem").replace(/\r\n/g, "\n") + "\n";
}

/**
 * A PEM CSR, parsed (its signature is not checked here).
 *
 * @throws InvalidInputError (`key.csrPem`) for text that is not a CSR, or that holds a private key.
 */
export function loadCsr(csrPem: string): x509.Pkcs10CertificateRequest {
  if (typeof csrPem !== "string" || !csrPem.includes("-----BEGIN")) {
    throw invalidInput(CSR_FIELD, "expected a PEM CSR (\"-----BEGIN CERTIFICATE REQUEST-----\").");
  }
  if (csrPem.includes("PRIVATE KEY-----")) {
    throw invalidInput(CSR_FIELD, "the value contains a private key; supply only the CSR (contents not shown).");
  }
  try {
    return new x509.Pkcs10CertificateRequest(csrPem.replace(/\r\n?/g, "\n").trim());
  } catch {
    throw invalidInput(CSR_FIELD, "the CSR PEM could not be parsed; supply a PKCS#10 \"-----BEGIN CERTIFICATE REQUEST-----\" block.");
  }
}

/** The CN then the subjectAltName DNS names a CSR requests, lower-cased and deduplicated. */
export function csrDomains(csrPem: string): readonly string[] {
  const { commonNames, dnsNames } = csrNames(loadCsr(csrPem));
  return dedupe([...commonNames, ...dnsNames].map((n) => n.toLowerCase()));
}

/** The subject CNs and the subjectAltName DNS names of a parsed CSR, as written. */
export function csrNames(csr: x509.Pkcs10CertificateRequest): { readonly commonNames: string[]; readonly dnsNames: string[] } {
  const ext = csr.getExtension(SAN_OID);
  let dnsNames: string[] = [];
  if (ext !== null) {
    const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
    dnsNames = san.names.items.filter((n) => n.type === "dns").map((n) => n.value);
  }
  return { commonNames: csr.subjectName.getField("CN"), dnsNames };
}

/** The SPKI PEM public key a CSR carries (the same encoding `parse().publicKeyPem` uses). */
export function csrPublicKey(csrPem: string): string {
  const csr = loadCsr(csrPem);
  try {
    return createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" }).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw invalidInput(CSR_FIELD, "the CSR's public key is not one Node can read (RSA or EC expected).");
  }
}

/** SPKI DER of a CSR's public key (for key comparisons). */
export function csrPublicKeyDer(csrPem: string): Buffer {
  return createPublicKey(csrPublicKey(csrPem)).export({ type: "spki", format: "der" });
}

/** The CSR carries the public half of `privateKeyPem`. False for anything unreadable. */
export function keyMatchesCsr(privateKeyPem: string, csrPem: string): boolean {
  try {
    const fromKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: "spki", format: "der" });
    return fromKey.equals(csrPublicKeyDer(csrPem));
  } catch {
    return false;
  }
}
