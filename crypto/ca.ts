/**
 * A small certificate authority: a self-signed root, one intermediate, and
 * leaf certificates signed from a CSR or a bare public key. RSA and EC (P-256,
 * P-384) leaves; the hierarchy itself is RSA 2048 like Tencent's TrustAsia CAs.
 *
 * Used by the emulator; reusable by tests. Generating the hierarchy costs one
 * or two RSA key generations, so `sharedCertificateAuthority()` caches it per
 * process.
 */
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate as NodeX509Certificate } from "node:crypto";
import { ensureCryptoProvider, type WebCryptoKey } from "./ca-provider";
import * as x509 from "@peculiar/x509";
import { uniqueNames } from "./ca-keys";

export { createCsrForKey, generateLeafKeyPair, leafKeyPairFromPem, sharedLeafKeyPair, LEAF_KEY_ALGORITHMS } from "./ca-keys";
export type { LeafKeyAlgorithm, LeafKeyPair } from "./ca-keys";
export { certificateMatchesKey, splitPemCertificates, summarizeCertificate } from "./ca-inspect";
export type { CertificateSummary } from "./ca-inspect";

/** CA/Browser Forum limit, and Tencent's documented cap on a renewed certificate. */
export const MAX_LEAF_VALIDITY_DAYS = 398;

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

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
  readonly intermediate: x509.X509Certificate;
  readonly intermediateKey: WebCryptoKey;
}

export interface CreateCertificateAuthorityOptions {
  /** @default "Emulator" */
  readonly name?: string;
  /** @default now */
  readonly notBefore?: Date;
}

function pkcs8Pem(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" }).toString();
}

function serialNumberHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f | 0x10;
  return b.toString("hex");
}

async function rsaKeys(): Promise<{ privateKey: WebCryptoKey; publicKey: WebCryptoKey }> {
  const keys = await webcrypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  return keys;
}

/** Creates a new root and intermediate (RSA 2048, SHA-256), valid for 10 and 5 years. */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions = {}): Promise<CertificateAuthority> {
  ensureCryptoProvider();
  const name = options.name ?? "Emulator";
  const notBefore = new Date((options.notBefore ?? new Date()).getTime() - DAY_MS);
  const rootCn = `${name} Root CA`;
  const intCn = `${name} DV TLS RSA CA`;
  const [rootKeys, intKeys] = await Promise.all([rsaKeys(), rsaKeys()]);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumberHex(),
    name: `CN=${rootCn}, O=${name}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 3650 * DAY_MS),
    signingAlgorithm: RSA_SHA256,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumberHex(),
    subject: `CN=${intCn}, O=${name}`,
    issuer: root.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 1825 * DAY_MS),
    signingAlgorithm: RSA_SHA256,
    publicKey: intKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(intKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const pem: CertificateAuthorityPem = {
    rootCertPem: root.toString("pem") + "\n",
    rootKeyPem: pkcs8Pem(await webcrypto.subtle.exportKey("pkcs8", rootKeys.privateKey)),
    intermediateCertPem: intermediate.toString("pem") + "\n",
    intermediateKeyPem: pkcs8Pem(await webcrypto.subtle.exportKey("pkcs8", intKeys.privateKey)),
  };
  return { pem, rootCommonName: rootCn, intermediateCommonName: intCn, intermediate, intermediateKey: intKeys.privateKey };
}

/** Rebuilds a CA from `ca.pem` (e.g. after the emulator restored a state file). */
export async function loadCertificateAuthority(pem: CertificateAuthorityPem): Promise<CertificateAuthority> {
  ensureCryptoProvider();
  const intermediate = new x509.X509Certificate(pem.intermediateCertPem);
  const root = new x509.X509Certificate(pem.rootCertPem);
  const der = createPrivateKey(pem.intermediateKeyPem).export({ type: "pkcs8", format: "der" });
  const intermediateKey = await webcrypto.subtle.importKey("pkcs8", der, RSA_SHA256, false, ["sign"]);
  return {
    pem,
    rootCommonName: commonNameOf(root.subject),
    intermediateCommonName: commonNameOf(intermediate.subject),
    intermediate,
    intermediateKey,
  };
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

function commonNameOf(dn: string): string {
  const m = /(?:^|,\s*)CN=([^,]+)/.exec(dn);
  return m?.[1]?.trim() ?? dn;
}

export class CsrParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsrParseError";
  }
}

export interface ParsedCsr {
  readonly pem: string;
  /** Subject CN, if any. */
  readonly commonName: string | undefined;
  /** DNS SANs from the extension request (lowercased), in order. */
  readonly dnsNames: readonly string[];
  /** CN first, then the SANs, without duplicates. */
  readonly domains: readonly string[];
  readonly keyAlgorithm: "RSA" | "EC";
  /** RSA modulus bits or EC curve bits. */
  readonly keyBits: number;
  /** `P-256`, `P-384` for EC. */
  readonly namedCurve: string | undefined;
  readonly spkiDer: Buffer;
}

/** Parses a PEM PKCS#10 request and checks its self-signature. Throws `CsrParseError`. */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  ensureCryptoProvider();
  if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(pem)) {
    throw new CsrParseError("ca: not a PEM certificate request (expected -----BEGIN CERTIFICATE REQUEST-----)");
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
  } catch (e) {
    throw new CsrParseError(`ca: cannot parse certificate request: ${(e as Error).message}`);
  }
  let ok = false;
  try {
    ok = await csr.verify();
  } catch (e) {
    throw new CsrParseError(`ca: cannot verify certificate request signature: ${(e as Error).message}`);
  }
  if (!ok) throw new CsrParseError("ca: certificate request signature does not verify");
  const cnAttr = csr.subjectName.getField("CN")[0];
  const commonName = cnAttr === undefined ? undefined : cnAttr.toLowerCase();
  const sanExt = csr.getExtension("2.5.29.17");
  const dnsNames = sanExt instanceof x509.SubjectAlternativeNameExtension ? sanExt.names.items.filter((n) => n.type === "dns").map((n) => n.value.toLowerCase()) : [];
  const spkiDer = Buffer.from(csr.publicKey.rawData);
  const key = createPublicKey({ key: spkiDer, format: "der", type: "spki" });
  const details = key.asymmetricKeyDetails;
  const isRsa = key.asymmetricKeyType === "rsa";
  if (!isRsa && key.asymmetricKeyType !== "ec") {
    throw new CsrParseError(`ca: unsupported CSR key type ${String(key.asymmetricKeyType)}; expected RSA or EC`);
  }
  const curve = details?.namedCurve;
  const namedCurve = isRsa ? undefined : curve === "prime256v1" ? "P-256" : curve === "secp384r1" ? "P-384" : curve;
  const keyBits = isRsa ? details?.modulusLength ?? 0 : namedCurve === "P-384" ? 384 : 256;
  return {
    pem,
    commonName,
    dnsNames,
    domains: uniqueNames(commonName ?? "", dnsNames),
    keyAlgorithm: isRsa ? "RSA" : "EC",
    keyBits,
    namedCurve,
    spkiDer,
  };
}

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
  /** Optional subject organisation (OV/EV). */
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

/** Signs a leaf TLS server certificate. Refuses a validity above 398 days. */
export async function issueLeafCertificate(ca: CertificateAuthority, req: IssueLeafRequest): Promise<IssuedLeaf> {
  ensureCryptoProvider();
  const days = (req.notAfter.getTime() - req.notBefore.getTime()) / DAY_MS;
  if (days > MAX_LEAF_VALIDITY_DAYS + 1e-9) {
    throw new Error(`ca: validity of ${days.toFixed(2)} days exceeds the ${MAX_LEAF_VALIDITY_DAYS}-day maximum`);
  }
  if (days <= 0) throw new Error("ca: notAfter must be after notBefore");
  const names = uniqueNames(req.commonName, req.dnsNames);
  const serialNumber = req.serialNumber ?? serialNumberHex();
  const subject = req.organization ? `CN=${escapeDn(req.commonName)}, O=${escapeDn(req.organization)}` : `CN=${escapeDn(req.commonName)}`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: ca.intermediate.subject,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    signingAlgorithm: RSA_SHA256,
    publicKey: new Uint8Array(req.spkiDer),
    signingKey: ca.intermediateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.intermediate),
    ],
  });
  const certificatePem = cert.toString("pem") + "\n";
  const chainPem = ca.pem.intermediateCertPem;
  const sha1Fingerprint = new NodeX509Certificate(certificatePem).fingerprint.replace(/:/g, "").toUpperCase();
  return {
    certificatePem,
    chainPem,
    fullchainPem: certificatePem + chainPem,
    rootPem: ca.pem.rootCertPem,
    serialNumber,
    sha1Fingerprint,
  };
}

function escapeDn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, "\\$1");
}
