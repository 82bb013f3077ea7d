/**
 * The crypto adapter: implements the engine's `KeyFactory` and
 * `CertificateInspector` ports (the file-backed `RenewalJournal` is in state/). This folder is the only
 * importer of node-forge (PKCS#12 only, ./pkcs12) and @peculiar/x509 (DESIGN §3). The emulator's
 * certificate authority (./ca) is built on the same key, CSR and certificate functions.
 *
 * Loaded lazily: the modules behind the ports (and node-forge and @peculiar/x509 with them, some
 * 300 modules) are required on the first call of a port, so that `tccert --help`, `--version` and
 * `scan`, and a Pulumi program's import, never pay for them.
 */
import type { CertificateInspector, KeyFactory } from "../engine/ports";

type Csr = typeof import("./csr");
type Inspect = typeof import("./inspect");
type Keys = typeof import("./keys");
type Pkcs12 = typeof import("./pkcs12");

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading at the adapter's boundary */
const csr = (): Csr => require("./csr") as Csr;
const inspect = (): Inspect => require("./inspect") as Inspect;
const keys = (): Keys => require("./keys") as Keys;
const pkcs12 = (): Pkcs12 => require("./pkcs12") as Pkcs12;
/* eslint-enable @typescript-eslint/no-require-imports */

export function createKeyFactory(): KeyFactory {
  return {
    generateKey: (algorithm) => keys().generateKey(algorithm),
    keyAlgorithm: (privateKeyPem) => keys().keyAlgorithm(privateKeyPem),
    createCsr: (key, commonName, altNames) => csr().createCsr(key, commonName, altNames),
    csrDomains: (csrPem) => csr().csrDomains(csrPem),
    csrPublicKey: (csrPem) => csr().csrPublicKey(csrPem),
    keyMatchesCsr: (privateKeyPem, csrPem) => csr().keyMatchesCsr(privateKeyPem, csrPem),
  };
}

export function createCertificateInspector(): CertificateInspector {
  return {
    parse: (pem) => inspect().parseCertificate(pem),
    bundle: (certificatePem, extraChainPem) => inspect().bundleCertificates(certificatePem, extraChainPem),
    matchesPrivateKey: (certificatePem, privateKeyPem) => inspect().matchesPrivateKey(certificatePem, privateKeyPem),
    matchesCsr: (certificatePem, csrPem) => inspect().matchesCsr(certificatePem, csrPem),
    chainInOrder: (leafPem, chainPem) => inspect().chainInOrder(leafPem, chainPem),
    pkcs12: (certificatePem, chainPem, privateKeyPem, password) => pkcs12().createPkcs12(certificatePem, chainPem, privateKeyPem, password),
  };
}

/** Whether the names a certificate covers include every domain asked for (see ./inspect). */
export function coversDomains(...args: Parameters<Inspect["coversDomains"]>): ReturnType<Inspect["coversDomains"]> {
  return inspect().coversDomains(...args);
}
