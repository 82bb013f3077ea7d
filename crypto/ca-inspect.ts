/** Reading back certificates the CA issued (or a customer uploaded): names, validity, fingerprints. */
import { createPrivateKey, X509Certificate } from "node:crypto";

export interface CertificateSummary {
  readonly subjectCommonName: string;
  readonly issuerCommonName: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex SHA-1 of the DER. */
  readonly sha1: string;
  readonly serialNumber: string;
  /** `RSA 2048`, `ECC 256`: Tencent's `EncryptAlgorithm` form. */
  readonly encryptAlgorithm: string;
  readonly isCa: boolean;
}

function cn(dn: string): string {
  const m = /(?:^|\n)CN=([^\n]+)/.exec(dn);
  return m?.[1]?.trim() ?? dn;
}

/** Splits a PEM bundle into its certificates. */
export function splitPemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Summarises one PEM certificate. Throws if it does not parse. */
export function summarizeCertificate(pem: string): CertificateSummary {
  const x = new X509Certificate(pem);
  const dnsNames = (x.subjectAltName ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4).toLowerCase());
  const key = x.publicKey;
  const d = key.asymmetricKeyDetails;
  const encryptAlgorithm =
    key.asymmetricKeyType === "rsa"
      ? `RSA ${d?.modulusLength ?? 0}`
      : `ECC ${d?.namedCurve === "secp384r1" ? 384 : 256}`;
  return {
    subjectCommonName: cn(x.subject),
    issuerCommonName: cn(x.issuer),
    dnsNames,
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    sha1: x.fingerprint.replace(/:/g, "").toLowerCase(),
    serialNumber: x.serialNumber,
    encryptAlgorithm,
    isCa: x.ca,
  };
}

/** True when `privateKeyPem` is the key of the certificate in `certificatePem`. */
export function certificateMatchesKey(certificatePem: string, privateKeyPem: string): boolean {
  try {
    return new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch {
    return false;
  }
}
