/**
 * A small certificate authority: a self-signed root, one intermediate, and
 * leaf certificates signed from a CSR or a bare public key. RSA and EC (P-256,
 * P-384) leaves; the hierarchy itself is RSA 2048 like Tencent's TrustAsia CAs.
 *
 * Used by the emulator; reusable by tests. Built on the product's own key
 * generation, CSRs, key match and PEM split (crypto/keys, csr, inspect, pem):
 * one crypto stack, not two.
 */
export { createCertificateAuthority, loadCertificateAuthority, sharedCertificateAuthority } from "./authority";
export type { CertificateAuthority, CertificateAuthorityPem, CreateCertificateAuthorityOptions } from "./authority";
export { issueLeafCertificate, MAX_LEAF_VALIDITY_DAYS } from "./issuer";
export type { IssuedLeaf, IssueLeafRequest } from "./issuer";
export { createCsrForKey, generateLeafKeyPair, leafKeyPairFromPem, sharedLeafKeyPair } from "./leaf-keys";
export type { LeafKeyAlgorithm, LeafKeyPair } from "./leaf-keys";
export { CsrParseError, parseCsr } from "./parse-csr";
export type { ParsedCsr } from "./parse-csr";
export { certificateMatchesKey, splitPemCertificates, summarizeCertificate } from "./summary";
export type { CertificateSummary } from "./summary";
