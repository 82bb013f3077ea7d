/**
 * Certificate signing requests.
 *
 * RSA CSRs are built with node-forge (SHA-256 with RSA). Forge assembles the
 * request; the RSA signature itself is computed by Node's native
 * `crypto.sign` through forge's `csr.sign(key, md)` contract (forge only calls
 * `key.sign(md)`), which is many times faster than forge's JavaScript RSA.
 * EC CSRs are built with `@peculiar/x509` on Node's WebCrypto (ECDSA with
 * SHA-256 for P-256, SHA-384 for P-384). Both carry the common name as the
 * subject CN and every name (CN first) as a subjectAltName DNS entry.
 */
import { createHash, createPublicKey, sign as nodeSign, webcrypto, type KeyObject } from "node:crypto";
import forge from "node-forge";
import type { KeyPair } from "../engine/ports";
import { dedupe, normaliseDomain } from "./domains";
import { invalidInput } from "./errors";
import { webCrypto, x509 } from "./peculiar";
import { KEY_ALGORITHMS, algorithmOfKey, loadPrivateKey, publicKeyDer } from "./keys";

/** Field name used in errors about a supplied CSR (DESIGN §4 `key.csrPem`). */
export const CSR_FIELD = "key.csrPem";
const SAN_OID = "2.5.29.17";

type X509KeyPair = Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]["keys"];

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

function rsaCsr(privateKey: KeyObject, names: readonly string[]): string {
  const csr = forge.pki.createCertificationRequest();
  const spkiPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  csr.publicKey = forge.pki.publicKeyFromPem(spkiPem);
  csr.setSubject([{ name: "commonName", value: names[0] }]);
  csr.setAttributes([
    { name: "extensionRequest", extensions: [{ name: "subjectAltName", altNames: names.map((value) => ({ type: 2, value })) }] },
  ]);
  // forge's csr.sign(key, md) fills certificationRequestInfo, digests its DER
  // into md, then calls key.sign(md). We sign those same DER bytes natively.
  const nativeSigner = {
    sign(md: forge.md.MessageDigest): string {
      const info = csr.certificationRequestInfo;
      if (info === null) throw new Error("crypto: forge did not build the CSR body before signing");
      const tbs = Buffer.from(forge.asn1.toDer(info).getBytes(), "binary");
      const expected = createHash("sha256").update(tbs).digest("binary");
      if (md.digest().getBytes() !== expected) throw new Error("crypto: forge's CSR digest does not match the bytes signed");
      return nodeSign("sha256", tbs, privateKey).toString("binary");
    },
  };
  csr.sign(nativeSigner as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, "\n");
}

async function ecCsr(privateKey: KeyObject, names: readonly string[], curve: "P-256" | "P-384", hash: "SHA-256" | "SHA-384"): Promise<string> {
  const algorithm = { name: "ECDSA", namedCurve: curve };
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const keys = {
    privateKey: await webcrypto.subtle.importKey("pkcs8", pkcs8, algorithm, false, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("spki", publicKeyDer(privateKey), algorithm, true, ["verify"]),
  };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: [{ CN: [names[0] ?? ""] }],
      keys: keys as unknown as X509KeyPair,
      signingAlgorithm: { name: "ECDSA", hash },
      extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value })))],
    },
    webCrypto,
  );
  return csr.toString("pem").replace(/\r\n/g, "\n") + "\n";
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
  const privateKey = checkKeyPair(key);
  const spec = KEY_ALGORITHMS[key.algorithm];
  if (spec.type === "rsa") return rsaCsr(privateKey, names);
  return ecCsr(privateKey, names, spec.webCurve, spec.hash);
}

function parseCsr(csrPem: string): x509.Pkcs10CertificateRequest {
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
  const csr = parseCsr(csrPem);
  const cns = csr.subjectName.getField("CN");
  const ext = csr.getExtension(SAN_OID);
  let sans: string[] = [];
  if (ext !== null) {
    const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
    sans = san.names.items.filter((n) => n.type === "dns").map((n) => n.value);
  }
  return dedupe([...cns, ...sans].map((n) => n.toLowerCase()));
}

/** The SPKI PEM public key a CSR carries (the same encoding `parse().publicKeyPem` uses). */
export function csrPublicKey(csrPem: string): string {
  const csr = parseCsr(csrPem);
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
