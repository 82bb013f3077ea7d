/**
 * Test-only certificate issuance: tiny self-signed roots, intermediates and
 * leaves signed with @peculiar/x509 on Node's WebCrypto, so inspector tests
 * have real X.509 to check. Not the emulator's CA (crypto/ca/).
 */
import { createPublicKey, webcrypto } from "node:crypto";
import type { KeyPair } from "../../../engine/ports";
import { webCrypto, x509 } from "../../../crypto/peculiar";
import { keyAlgorithm } from "../../../crypto/keys";

export interface Issuer {
  readonly name: string;
  readonly key: KeyPair;
  readonly certificatePem: string;
}

function signingParams(privateKeyPem: string): { importAlg: Parameters<typeof webcrypto.subtle.importKey>[2]; signAlg: { name: string; hash: string } } {
  const alg = keyAlgorithm(privateKeyPem);
  switch (alg) {
    case "EC_P256": return { importAlg: { name: "ECDSA", namedCurve: "P-256" }, signAlg: { name: "ECDSA", hash: "SHA-256" } };
    case "EC_P384": return { importAlg: { name: "ECDSA", namedCurve: "P-384" }, signAlg: { name: "ECDSA", hash: "SHA-384" } };
    default: return { importAlg: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, signAlg: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } };
  }
}

async function signingKey(privateKeyPem: string) {
  const { importAlg } = signingParams(privateKeyPem);
  const der = Buffer.from(privateKeyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  return webcrypto.subtle.importKey("pkcs8", der, importAlg, false, ["sign"]);
}

/** A copy in a plain ArrayBuffer: typed as @peculiar/x509 wants it whether or not the DOM lib is in the program (@cdktf/hcl2json's types pull it in). */
function spki(publicKeyPem: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createPublicKey(publicKeyPem).export({ type: "spki", format: "der" }));
}

let serial = 1;

export interface IssueOptions {
  /** Subject public key (SPKI PEM). */
  readonly publicKeyPem: string;
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly isCa?: boolean;
  /** Signer; omitted means self-signed with `selfKey`. */
  readonly issuer?: Issuer;
  readonly selfKey?: KeyPair;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A PEM certificate (LF line endings, trailing newline). */
export async function issue(options: IssueOptions): Promise<string> {
  const signer = options.issuer?.key ?? options.selfKey;
  if (signer === undefined) throw new Error("test-issuer: give an issuer or selfKey");
  const issuerName = options.issuer?.name ?? `CN=${options.commonName}`;
  const extensions: x509.Extension[] = [];
  if (options.isCa === true) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  }
  if (options.dnsNames !== undefined && options.dnsNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: "dns" as const, value }))));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: (serial++).toString(16).padStart(4, "0") + "0a",
      subject: `CN=${options.commonName}`,
      issuer: issuerName,
      notBefore: options.notBefore ?? new Date("2025-01-01T00:00:00Z"),
      notAfter: options.notAfter ?? new Date("2026-01-01T00:00:00Z"),
      publicKey: spki(options.publicKeyPem),
      signingKey: (await signingKey(signer.privateKeyPem)) as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[0] extends { signingKey: infer K } ? K : never,
      signingAlgorithm: signingParams(signer.privateKeyPem).signAlg,
      extensions,
    },
    webCrypto,
  );
  return cert.toString("pem").replace(/\r\n/g, "\n") + "\n";
}

/** A self-signed root CA. */
export async function root(name: string, key: KeyPair): Promise<Issuer> {
  return { name: `CN=${name}`, key, certificatePem: await issue({ publicKeyPem: key.publicKeyPem, commonName: name, isCa: true, selfKey: key }) };
}

/** An intermediate CA signed by `parent`. */
export async function intermediate(name: string, key: KeyPair, parent: Issuer): Promise<Issuer> {
  return { name: `CN=${name}`, key, certificatePem: await issue({ publicKeyPem: key.publicKeyPem, commonName: name, isCa: true, issuer: parent }) };
}
