/**
 * Certificate inspection with Node's `X509Certificate`: parse, bundle a chain,
 * and the checks the engine runs before any output is produced (key, CSR,
 * domains, chain order).
 */
import { X509Certificate, type KeyObject } from "node:crypto";
import type { CertificateBundle, ParsedCertificate } from "../engine/ports";
import { csrPublicKeyDer } from "./csr";
import { dedupe, nameCovers } from "./domains";
import { invalidInput } from "./errors";
import { loadPrivateKey, publicKeyDer } from "./keys";
import { pemBlocks } from "./pem";

/** Field name used in errors about a certificate PEM. */
export const CERTIFICATE_FIELD = "certificatePem";

/** Every CERTIFICATE block of `pem`, parsed, in order. Other blocks (keys!) are ignored. */
export function loadCertificates(pem: string, field: string = CERTIFICATE_FIELD): X509Certificate[] {
  if (typeof pem !== "string") throw invalidInput(field, "expected PEM text.");
  return pemBlocks(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b, i) => {
      try {
        return new X509Certificate(b.der);
      } catch {
        throw invalidInput(field, `certificate #${i + 1} in the PEM could not be parsed as X.509.`);
      }
    });
}

/** The first certificate of `pem`. */
export function loadCertificate(pem: string, field: string = CERTIFICATE_FIELD): X509Certificate {
  const first = loadCertificates(pem, field)[0];
  if (first === undefined) {
    throw invalidInput(field, "no \"-----BEGIN CERTIFICATE-----\" block found.");
  }
  return first;
}

/** Node's multi-line DN (`C=US\nCN=x`) as `key=value` pairs. */
function dnPairs(dn: string): Array<[string, string]> {
  return dn
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => {
      const eq = line.indexOf("=");
      return [line.slice(0, eq), line.slice(eq + 1)];
    });
}

/** The CN of Node's multi-line DN (the last one when there are several), or "" when it has none. */
export function commonNameOf(dn: string): string {
  return dnPairs(dn).filter(([k]) => k === "CN").map(([, v]) => v).pop() ?? "";
}

/**
 * DNS names of Node's `subjectAltName` string (`DNS:a, DNS:b, IP Address:…`).
 * Node quotes values holding separators as JSON strings; those are decoded.
 */
export function sanDnsNames(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  const names: string[] = [];
  const entry = /([A-Za-z][A-Za-z ]*):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (const m of subjectAltName.matchAll(entry)) {
    if (m[1] !== "DNS") continue;
    const raw = m[2] ?? "";
    names.push(raw.startsWith("\"") ? (JSON.parse(raw) as string) : raw);
  }
  return names;
}

function parseDate(text: string, which: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw invalidInput(CERTIFICATE_FIELD, `the certificate's ${which} date ${JSON.stringify(text)} could not be read.`);
  return date;
}

function spkiDer(cert: X509Certificate): Buffer {
  return cert.publicKey.export({ type: "spki", format: "der" });
}

/** Parsed facts about the first certificate of `pem`. `domains` is the CN then the SAN DNS names, deduplicated. */
export function parseCertificate(pem: string): ParsedCertificate {
  const cert = loadCertificate(pem);
  const cn = commonNameOf(cert.subject);
  const sans = sanDnsNames(cert.subjectAltName);
  return {
    subjectCommonName: cn,
    domains: dedupe([...(cn === "" ? [] : [cn]), ...sans].map((n) => n.toLowerCase())),
    issuer: dnPairs(cert.issuer).map(([k, v]) => `${k}=${v}`).join(", "),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: parseDate(cert.validFrom, "notBefore"),
    notAfter: parseDate(cert.validTo, "notAfter"),
    sha256Fingerprint: cert.fingerprint256.toUpperCase(),
    publicKeyPem: cert.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function verifiesWith(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Splits PEM text into the leaf and its chain and builds the fullchain.
 * Line endings are normalised, non-certificate blocks dropped, duplicates
 * removed, and the chain ordered leaf → intermediate(s) → root by following
 * issuer signatures. The leaf is the first certificate that signed none of
 * the others. Certificates that do not link into the chain are kept, after
 * the linked ones, so `chainInOrder` reports them instead of them vanishing.
 */
export function bundleCertificates(certificatePem: string, extraChainPem?: string): CertificateBundle {
  const all = [...loadCertificates(certificatePem), ...(extraChainPem === undefined ? [] : loadCertificates(extraChainPem, "chainPem"))];
  const seen = new Set<string>();
  const unique = all.filter((c) => {
    if (seen.has(c.fingerprint256)) return false;
    seen.add(c.fingerprint256);
    return true;
  });
  if (unique.length === 0) throw invalidInput(CERTIFICATE_FIELD, "no \"-----BEGIN CERTIFICATE-----\" block found.");

  const leaf = unique.find((c) => !unique.some((other) => other !== c && verifiesWith(other, c))) ?? unique[0];
  if (leaf === undefined) throw invalidInput(CERTIFICATE_FIELD, "no certificate found.");
  const remaining = unique.filter((c) => c !== leaf);
  const chain: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    const next = remaining.find((c) => verifiesWith(current, c));
    if (next === undefined || next === current) break;
    chain.push(next);
    remaining.splice(remaining.indexOf(next), 1);
    current = next;
  }
  chain.push(...remaining);

  const leafPem = leaf.toString();
  const chainPem = chain.map((c) => c.toString()).join("");
  return { leafPem, chainPem, fullchainPem: leafPem + chainPem };
}

/** The certificate's public key is the private key's public half (RSA or EC). */
export function matchesPrivateKey(certificatePem: string, privateKeyPem: string): boolean {
  const cert = loadCertificate(certificatePem);
  const key: KeyObject = loadPrivateKey(privateKeyPem, "privateKeyPem");
  if (!spkiDer(cert).equals(publicKeyDer(key))) return false;
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The certificate carries the CSR's public key. */
export function matchesCsr(certificatePem: string, csrPem: string): boolean {
  return spkiDer(loadCertificate(certificatePem)).equals(csrPublicKeyDer(csrPem));
}

/**
 * Every certificate of `chainPem` issued and signed the one before it, the
 * first one the leaf. An empty chain is in order (nothing to check).
 */
export function chainInOrder(leafPem: string, chainPem: string): boolean {
  const list = [loadCertificate(leafPem), ...loadCertificates(chainPem, "chainPem")];
  for (let i = 0; i + 1 < list.length; i++) {
    const child = list[i];
    const parent = list[i + 1];
    if (child === undefined || parent === undefined || !verifiesWith(child, parent)) return false;
  }
  return true;
}

/**
 * Every name in `domains` is covered by the certificate, as a browser checks
 * it: against the SAN DNS names (the CN only when there is no SAN), with a
 * wildcard covering exactly one label. An empty `domains` list returns false
 * (fail closed: nothing was verified).
 */
export function coversDomains(certificatePem: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return false;
  const cert = loadCertificate(certificatePem);
  const sans = sanDnsNames(cert.subjectAltName);
  const names = sans.length > 0 ? sans : dnPairs(cert.subject).filter(([k]) => k === "CN").map(([, v]) => v);
  return domains.every((d) => names.some((n) => nameCovers(n, d)));
}
