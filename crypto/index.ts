/**
 * The crypto adapter: implements the engine's `KeyFactory` and
 * `CertificateInspector` ports (the file-backed `RenewalJournal` is in state/). This folder is the only
 * importer of node-forge (PKCS#12 only, ./pkcs12) and @peculiar/x509 (DESIGN §3). The emulator's
 * certificate authority (./ca) is built on the same key, CSR and certificate functions.
 *
 * node-forge and @peculiar/x509 (some 300 modules) load on first use, not on import (./peculiar,
 * ./pkcs12), so that `tccert --help`, `--version` and `scan` never pay for them.
 */
import type { CertificateInspector, KeyFactory } from "../engine/ports";
import { createCsr, csrDomains, csrPublicKey, keyMatchesCsr } from "./csr";
import { bundleCertificates, chainInOrder, matchesCsr, matchesPrivateKey, parseCertificate } from "./inspect";
import { generateKey, keyAlgorithm } from "./keys";
import { createPkcs12 } from "./pkcs12";

export function createKeyFactory(): KeyFactory {
  return {
    generateKey: (algorithm) => generateKey(algorithm),
    keyAlgorithm: (privateKeyPem) => keyAlgorithm(privateKeyPem),
    createCsr: (key, commonName, altNames) => createCsr(key, commonName, altNames),
    csrDomains: (csrPem) => csrDomains(csrPem),
    csrPublicKey: (csrPem) => csrPublicKey(csrPem),
    keyMatchesCsr: (privateKeyPem, csrPem) => keyMatchesCsr(privateKeyPem, csrPem),
  };
}

export function createCertificateInspector(): CertificateInspector {
  return {
    parse: (pem) => parseCertificate(pem),
    bundle: (certificatePem, extraChainPem) => bundleCertificates(certificatePem, extraChainPem),
    matchesPrivateKey: (certificatePem, privateKeyPem) => matchesPrivateKey(certificatePem, privateKeyPem),
    matchesCsr: (certificatePem, csrPem) => matchesCsr(certificatePem, csrPem),
    chainInOrder: (leafPem, chainPem) => chainInOrder(leafPem, chainPem),
    pkcs12: (certificatePem, chainPem, privateKeyPem, password) => createPkcs12(certificatePem, chainPem, privateKeyPem, password),
  };
}

export { coversDomains } from "./inspect";
export { PKCS12_ITERATIONS } from "./pkcs12";
