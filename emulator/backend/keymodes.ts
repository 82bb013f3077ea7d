/** Key and CSR for a new certificate: `original`, `upload` or `online` (renewals and reissues share the rules). */
import { createCsrForKey, CsrParseError, generateLeafKeyPair, parseCsr, type LeafKeyAlgorithm } from "../../crypto/ca";
import { ApiError } from "../contract";
import { ensureKey } from "./material";
import type { CertificateRecord, KeyRecord } from "./state";

export type CsrMethod = "original" | "upload" | "online";

export function parseCsrMethod(value: string | undefined, code: string, fallback: CsrMethod): CsrMethod {
  if (value === undefined || value === "") return fallback;
  const v = value.toLowerCase(); // INFERRED: case-insensitive (ReplaceCertificate examples use "Original")
  if (v === "original" || v === "upload" || v === "online") return v;
  throw new ApiError(code, `Invalid CSR method ${JSON.stringify(value)}; expected original, upload or online.`);
}

/** `RSA` + `2048|4096`, or `ECC` + `prime256v1`. SM2 is not emulated. */
export function parseAlgorithm(type: string | undefined, param: string | undefined, code: string): LeafKeyAlgorithm {
  const t = (type ?? "RSA").toUpperCase();
  if (t === "RSA") {
    const p = param === undefined || param === "" ? "2048" : param;
    if (p === "2048") return "RSA_2048";
    if (p === "4096") return "RSA_4096";
  } else if (t === "ECC") {
    const p = param === undefined || param === "" ? "prime256v1" : param;
    if (p === "prime256v1") return "EC_P256";
  }
  throw new ApiError(code, `Unsupported key algorithm ${JSON.stringify(type ?? "")}/${JSON.stringify(param ?? "")}; expected RSA with 2048 or 4096, or ECC with prime256v1 (SM2 is not supported by the emulator).`);
}

function sameDomains(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((d) => d.toLowerCase()));
  const y = new Set(b.map((d) => d.toLowerCase()));
  return x.size === y.size && [...x].every((d) => y.has(d));
}

export interface KeyRequest {
  readonly method: CsrMethod;
  readonly csrPem?: string | undefined;
  readonly algorithm?: LeafKeyAlgorithm;
  readonly keyPass?: string | undefined;
}

/**
 * Builds the key record of the new certificate from `from` (the certificate
 * renewed or reissued). Does the slow work (key generation, CSR parsing)
 * before anything is paid for.
 */
export async function keyFor(from: CertificateRecord, req: KeyRequest, csrInvalidCode: string): Promise<KeyRecord> {
  const keyPass = req.keyPass === undefined || req.keyPass === "" ? null : req.keyPass;
  if (req.method === "original") {
    await ensureKey(from);
    // INFERRED: "original" reuses the previous CSR and, when Tencent holds it, the private key.
    return { mode: "original", algorithm: from.key.algorithm, csrPem: from.key.csrPem, privateKeyPem: from.key.privateKeyPem, keyPass: keyPass ?? from.key.keyPass, inferred: true };
  }
  if (req.method === "upload") {
    if (!req.csrPem) throw new ApiError(csrInvalidCode, "A CSR is required when the CSR method is upload.");
    let parsed;
    try {
      parsed = await parseCsr(req.csrPem);
    } catch (e) {
      if (e instanceof CsrParseError) throw new ApiError(csrInvalidCode, `The CSR cannot be parsed: ${e.message}`);
      throw e;
    }
    const want = [from.domain, ...from.sans];
    if (!sameDomains(parsed.domains, want)) {
      throw new ApiError(csrInvalidCode, `The CSR's domains (${parsed.domains.join(", ")}) do not match the certificate's (${want.join(", ")}).`);
    }
    const algorithm: LeafKeyAlgorithm = parsed.keyAlgorithm === "RSA" ? (parsed.keyBits >= 4096 ? "RSA_4096" : parsed.keyBits >= 3072 ? "RSA_3072" : "RSA_2048") : parsed.keyBits === 384 ? "EC_P384" : "EC_P256";
    return { mode: "upload", algorithm, csrPem: req.csrPem, privateKeyPem: null, keyPass, inferred: false };
  }
  const algorithm = req.algorithm ?? "RSA_2048";
  const key = await generateLeafKeyPair(algorithm);
  const csrPem = await createCsrForKey(key, from.domain, from.sans);
  return { mode: "online", algorithm, csrPem, privateKeyPem: key.privateKeyPem, keyPass, inferred: false };
}
