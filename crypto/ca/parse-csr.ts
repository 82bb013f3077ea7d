/**
 * Reading a CSR a customer submitted: the product's CSR loader (../csr), plus
 * the checks a CA makes before it signs: the self-signature, and what key it
 * carries.
 */
import { createPublicKey } from "node:crypto";
import { csrNames, loadCsr } from "../csr";
import { dedupe } from "../domains";
import { webCrypto, type x509 } from "../peculiar";

export class CsrParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsrParseError";
  }
}

export interface ParsedCsr {
  readonly pem: string;
  /** Subject CN (lowercased), if any. */
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

function load(pem: string): x509.Pkcs10CertificateRequest {
  try {
    return loadCsr(pem);
  } catch (e) {
    throw new CsrParseError((e as Error).message);
  }
}

async function checkSignature(csr: x509.Pkcs10CertificateRequest): Promise<void> {
  let ok = false;
  try {
    ok = await csr.verify(webCrypto);
  } catch (e) {
    throw new CsrParseError(`ca: cannot verify certificate request signature: ${(e as Error).message}`);
  }
  if (!ok) throw new CsrParseError("ca: certificate request signature does not verify");
}

function keyOf(spkiDer: Buffer): Pick<ParsedCsr, "keyAlgorithm" | "keyBits" | "namedCurve"> {
  let key;
  try {
    key = createPublicKey({ key: spkiDer, format: "der", type: "spki" });
  } catch {
    throw new CsrParseError("ca: the CSR's public key cannot be read; expected RSA or EC");
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === "rsa") return { keyAlgorithm: "RSA", keyBits: details?.modulusLength ?? 0, namedCurve: undefined };
  if (key.asymmetricKeyType !== "ec") throw new CsrParseError(`ca: unsupported CSR key type ${String(key.asymmetricKeyType)}; expected RSA or EC`);
  const curve = details?.namedCurve;
  const namedCurve = curve === "prime256v1" ? "P-256" : curve === "secp384r1" ? "P-384" : curve;
  return { keyAlgorithm: "EC", keyBits: namedCurve === "P-384" ? 384 : 256, namedCurve };
}

/** Parses a PEM PKCS#10 request and checks its self-signature. Throws `CsrParseError`. */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  const csr = load(pem);
  await checkSignature(csr);
  const names = csrNames(csr);
  const commonName = names.commonNames[0]?.toLowerCase();
  const dnsNames = names.dnsNames.map((n) => n.toLowerCase());
  const spkiDer = Buffer.from(csr.publicKey.rawData);
  const domains = dedupe([...(commonName === undefined || commonName === "" ? [] : [commonName]), ...dnsNames]);
  return { pem, commonName, dnsNames, domains, ...keyOf(spkiDer), spkiDer };
}
