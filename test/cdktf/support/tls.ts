/**
 * What hashicorp/tls computes, made here the way that provider does, independently of our crypto/:
 * - tls_private_key: `private_key_pem` is PKCS#1 ("RSA PRIVATE KEY") for RSA and SEC1
 *   ("EC PRIVATE KEY") for ECDSA; `private_key_pem_pkcs8` is PKCS#8.
 * - tls_cert_request: a PKCS#10 CSR with the subject's common name and the DNS SANs, signed with
 *   SHA-256 (RSA, P-256) or SHA-384 (P-384).
 */
import "reflect-metadata";
import * as crypto from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto.webcrypto as never);

export interface TlsPrivateKey {
  readonly private_key_pem: string;
  readonly private_key_pem_pkcs8: string;
  readonly public_key_pem: string;
}

export function tlsPrivateKey(config: { algorithm: string; rsa_bits?: number; ecdsa_curve?: string }): TlsPrivateKey {
  let pair: crypto.KeyPairKeyObjectResult;
  if (config.algorithm === "RSA") pair = crypto.generateKeyPairSync("rsa", { modulusLength: config.rsa_bits ?? 2048 });
  else if (config.algorithm === "ECDSA") {
    const curve = { P224: "P-224", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" }[config.ecdsa_curve ?? "P224"];
    if (!curve) throw new Error(`tls_private_key: unsupported curve ${config.ecdsa_curve}`);
    pair = crypto.generateKeyPairSync("ec", { namedCurve: curve });
  } else throw new Error(`tls_private_key: unsupported algorithm ${config.algorithm}`);
  return {
    private_key_pem: pair.privateKey.export({ format: "pem", type: config.algorithm === "RSA" ? "pkcs1" : "sec1" }).toString(),
    private_key_pem_pkcs8: pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    public_key_pem: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

export async function tlsCertRequest(config: { private_key_pem: string; dns_names?: string[]; subject?: { common_name?: string }[] }): Promise<string> {
  const key = crypto.createPrivateKey(config.private_key_pem);
  const pub = crypto.createPublicKey(key);
  let algorithm: crypto.webcrypto.RsaHashedImportParams | crypto.webcrypto.EcKeyImportParams;
  let signing: crypto.webcrypto.Algorithm | crypto.webcrypto.EcdsaParams;
  if (key.asymmetricKeyType === "rsa") {
    algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    signing = algorithm;
  } else {
    const curve = key.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "P-384" : "P-256";
    algorithm = { name: "ECDSA", namedCurve: curve };
    signing = { name: "ECDSA", hash: curve === "P-384" ? "SHA-384" : "SHA-256" };
  }
  const subtle = crypto.webcrypto.subtle;
  const privateKey = await subtle.importKey("pkcs8", key.export({ format: "der", type: "pkcs8" }), algorithm, false, ["sign"]);
  const publicKey = await subtle.importKey("spki", pub.export({ format: "der", type: "spki" }), algorithm, true, ["verify"]);
  const cn = config.subject?.[0]?.common_name;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(cn ? { name: `CN=${cn}` } : {}),
    keys: { privateKey: privateKey as never, publicKey: publicKey as never },
    signingAlgorithm: signing,
    extensions: config.dns_names && config.dns_names.length > 0 ? [new x509.SubjectAlternativeNameExtension(config.dns_names.map((value) => ({ type: "dns" as const, value })))] : [],
  });
  return csr.toString("pem") + "\n";
}
