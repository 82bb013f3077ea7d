/** Leaf TLS server certificates, signed by the CA's intermediate. */
import { dedupe } from "../domains";
import { loadCertificate } from "../inspect";
import { webCrypto, x509 } from "../peculiar";
import type { CertificateAuthority } from "./authority";
import { DAY_MS, serialNumberHex } from "./serial";

/** CA/Browser Forum limit, and Tencent's documented cap on a renewed certificate. */
export const MAX_LEAF_VALIDITY_DAYS = 398;

export interface IssueLeafRequest {
  /** DER SubjectPublicKeyInfo of the leaf key (from a CSR or a generated key). */
  readonly spkiDer: Buffer;
  readonly commonName: string;
  /** DNS SANs; the common name is always included. */
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** @default random */
  readonly serialNumber?: string;
  /** Subject organisation (OV/EV). @default none */
  readonly organization?: string;
}

export interface IssuedLeaf {
  readonly certificatePem: string;
  /** The intermediate (what a server sends after the leaf). */
  readonly chainPem: string;
  /** Leaf + intermediate. */
  readonly fullchainPem: string;
  readonly rootPem: string;
  readonly serialNumber: string;
  /** Uppercase hex SHA-1, as Tencent's `CertFingerprint`. */
  readonly sha1Fingerprint: string;
}

function checkValidity(notBefore: Date, notAfter: Date): void {
  const days = (notAfter.getTime() - notBefore.getTime()) / DAY_MS;
  if (days > MAX_LEAF_VALIDITY_DAYS + 1e-9) {
    throw new Error(`ca: validity of ${days.toFixed(2)} days exceeds the ${MAX_LEAF_VALIDITY_DAYS}-day maximum`);
  }
  if (days <= 0) throw new Error("ca: notAfter must be after notBefore");
}

/** Signs a leaf TLS server certificate. Refuses a validity above 398 days. */
export async function issueLeafCertificate(ca: CertificateAuthority, req: IssueLeafRequest): Promise<IssuedLeaf> {
  checkValidity(req.notBefore, req.notAfter);
  const names = dedupe([req.commonName, ...req.dnsNames].map((n) => n.trim().toLowerCase()).filter((n) => n !== ""));
  const serialNumber = req.serialNumber ?? serialNumberHex();
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: req.organization ? [{ CN: [req.commonName] }, { O: [req.organization] }] : [{ CN: [req.commonName] }],
      issuer: ca.intermediate.subject,
      notBefore: req.notBefore,
      notAfter: req.notAfter,
      signingAlgorithm: ca.intermediateKey.signingAlgorithm,
      publicKey: new Uint8Array(req.spkiDer),
      signingKey: ca.intermediateKey.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value }))),
        // authority.ts made it an x509.X509Certificate; its public type is opaque (see there).
        await x509.AuthorityKeyIdentifierExtension.create(ca.intermediate as x509.X509Certificate, false, webCrypto),
      ],
    },
    webCrypto,
  );
  const certificatePem = cert.toString("pem") + "\n";
  const chainPem = ca.pem.intermediateCertPem;
  const sha1Fingerprint = loadCertificate(certificatePem).fingerprint.replace(/:/g, "").toUpperCase();
  return { certificatePem, chainPem, fullchainPem: certificatePem + chainPem, rootPem: ca.pem.rootCertPem, serialNumber, sha1Fingerprint };
}
