/** Reading back certificates the CA issued (or a customer uploaded): names, validity, fingerprints. */
import { commonNameOf, loadCertificate, matchesPrivateKey, sanDnsNames } from "../inspect";
import { pemBlocks } from "../pem";

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

/** Splits a PEM bundle into its certificates, each as it was written (from `-----BEGIN` to `-----END CERTIFICATE-----`). */
export function splitPemCertificates(pem: string): string[] {
  return pemBlocks(pem).filter((b) => b.label === "CERTIFICATE").map((b) => b.pem);
}

/** Summarises one PEM certificate. Throws if it does not parse. */
export function summarizeCertificate(pem: string): CertificateSummary {
  const x = loadCertificate(pem);
  const key = x.publicKey;
  const d = key.asymmetricKeyDetails;
  const encryptAlgorithm =
    key.asymmetricKeyType === "rsa"
      ? `RSA ${d?.modulusLength ?? 0}`
      : `ECC ${d?.namedCurve === "secp384r1" ? 384 : 256}`;
  return {
    subjectCommonName: commonNameOf(x.subject),
    issuerCommonName: commonNameOf(x.issuer),
    dnsNames: sanDnsNames(x.subjectAltName).map((n) => n.toLowerCase()),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    sha1: x.fingerprint.replace(/:/g, "").toLowerCase(),
    serialNumber: x.serialNumber,
    encryptAlgorithm,
    isCa: x.ca,
  };
}

/** True when `privateKeyPem` is the key of the certificate in `certificatePem`; false also when either does not parse. */
export function certificateMatchesKey(certificatePem: string, privateKeyPem: string): boolean {
  try {
    return matchesPrivateKey(certificatePem, privateKeyPem);
  } catch {
    return false;
  }
}
