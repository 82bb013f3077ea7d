/**
 * The CA hierarchy: a self-signed root and one intermediate, RSA 2048 like
 * Tencent's TrustAsia CAs. Keys come from the product's generator (../keys)
 * and sign through ../signing. Generating the hierarchy costs two RSA key
 * generations, so `sharedCertificateAuthority()` caches it per process.
 */
import type { KeyAlgorithm } from "../../engine/domain";
import { generateKey, loadPrivateKey } from "../keys";
import { webCrypto, x509 } from "../peculiar";
import { signingKeys, type SigningKeys } from "../signing";
import { DAY_MS, serialNumberHex } from "./serial";

const HIERARCHY_KEY: KeyAlgorithm = "RSA_2048";

/** Everything needed to rebuild a CA in another process (keys are PKCS#8 PEM). */
export interface CertificateAuthorityPem {
  readonly rootCertPem: string;
  readonly rootKeyPem: string;
  readonly intermediateCertPem: string;
  readonly intermediateKeyPem: string;
}

export interface CertificateAuthority {
  readonly pem: CertificateAuthorityPem;
  readonly rootCommonName: string;
  readonly intermediateCommonName: string;
  /**
   * The intermediate certificate, parsed: an @peculiar/x509 `X509Certificate`, typed here by what
   * callers outside crypto/ may read, so that the declarations users compile against (the emulator
   * reaches this file) never pull in @peculiar's types; see ../signing.
   */
  readonly intermediate: { readonly subject: string };
  /** The intermediate's key, ready to sign leaves. */
  readonly intermediateKey: SigningKeys;
}

export interface CreateCertificateAuthorityOptions {
  /** @default "Emulator" */
  readonly name?: string;
  /** @default now */
  readonly notBefore?: Date;
}

interface CaKey {
  readonly pem: string;
  readonly signing: SigningKeys;
}

async function caKey(): Promise<CaKey> {
  const pem = (await generateKey(HIERARCHY_KEY)).privateKeyPem;
  return { pem, signing: await signingKeys(loadPrivateKey(pem), HIERARCHY_KEY) };
}

const CA_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

/** Who a CA certificate names, and the key it certifies. */
interface CaSubject {
  readonly commonName: string;
  readonly organization: string;
  readonly key: CaKey;
}

async function selfSignedRoot(subject: CaSubject, notBefore: Date): Promise<x509.X509Certificate> {
  const { keys, signingAlgorithm } = subject.key.signing;
  return x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumberHex(),
      name: [{ CN: [subject.commonName] }, { O: [subject.organization] }],
      notBefore,
      notAfter: new Date(notBefore.getTime() + 3650 * DAY_MS),
      signingAlgorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(CA_USAGE, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
}

async function intermediateSignedBy(root: x509.X509Certificate, rootKey: CaKey, subject: CaSubject, notBefore: Date): Promise<x509.X509Certificate> {
  const publicKey = subject.key.signing.keys.publicKey;
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumberHex(),
      subject: [{ CN: [subject.commonName] }, { O: [subject.organization] }],
      issuer: root.subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 1825 * DAY_MS),
      signingAlgorithm: rootKey.signing.signingAlgorithm,
      publicKey,
      signingKey: rootKey.signing.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(CA_USAGE | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webCrypto),
        await x509.AuthorityKeyIdentifierExtension.create(rootKey.signing.keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
}

/** Creates a new root and intermediate (RSA 2048, SHA-256), valid for 10 and 5 years. */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions = {}): Promise<CertificateAuthority> {
  const name = options.name ?? "Emulator";
  const notBefore = new Date((options.notBefore ?? new Date()).getTime() - DAY_MS);
  const rootCn = `${name} Root CA`;
  const intCn = `${name} DV TLS RSA CA`;
  const [rootKey, intKey] = await Promise.all([caKey(), caKey()]);
  const root = await selfSignedRoot({ commonName: rootCn, organization: name, key: rootKey }, notBefore);
  const intermediate = await intermediateSignedBy(root, rootKey, { commonName: intCn, organization: name, key: intKey }, notBefore);
  const pem: CertificateAuthorityPem = {
    rootCertPem: root.toString("pem") + "\n",
    rootKeyPem: rootKey.pem,
    intermediateCertPem: intermediate.toString("pem") + "\n",
    intermediateKeyPem: intKey.pem,
  };
  return { pem, rootCommonName: rootCn, intermediateCommonName: intCn, intermediate, intermediateKey: intKey.signing };
}

function commonNameOf(cert: x509.X509Certificate): string {
  return cert.subjectName.getField("CN")[0] ?? cert.subject;
}

/** Rebuilds a CA from `ca.pem` (e.g. after the emulator restored a state file). */
export async function loadCertificateAuthority(pem: CertificateAuthorityPem): Promise<CertificateAuthority> {
  const intermediate = new x509.X509Certificate(pem.intermediateCertPem);
  const root = new x509.X509Certificate(pem.rootCertPem);
  const intermediateKey = await signingKeys(loadPrivateKey(pem.intermediateKeyPem, "intermediateKeyPem"), HIERARCHY_KEY);
  return { pem, rootCommonName: commonNameOf(root), intermediateCommonName: commonNameOf(intermediate), intermediate, intermediateKey };
}

let shared: Promise<CertificateAuthority> | undefined;

/** One CA per process (creating one costs two RSA key generations). */
export function sharedCertificateAuthority(): Promise<CertificateAuthority> {
  if (!shared) {
    shared = createCertificateAuthority();
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}
