/**
 * Certificate material (PEM), generated lazily the first time an issued
 * certificate is read, so seeding thousands of certificates stays cheap.
 */
import {
  createCsrForKey,
  issueLeafCertificate,
  leafKeyPairFromPem,
  parseCsr,
  sharedLeafKeyPair,
} from "../../crypto/ca";
import { isIssued } from "./status";
import type { BackendCore } from "./core";
import type { CertificateRecord, MaterialRecord } from "./state";

const inflight = new WeakMap<CertificateRecord, Promise<MaterialRecord>>();

/** Seeded certificates share one process-wide key per algorithm; copy it onto the record on first use. */
export async function ensureKey(cert: CertificateRecord): Promise<void> {
  const k = cert.key;
  if (k.mode === "seeded" && !k.privateKeyPem) {
    const shared = await sharedLeafKeyPair(k.algorithm);
    if (!k.privateKeyPem) k.privateKeyPem = shared.privateKeyPem;
  }
}

/** A CSR for the certificate (for the download bundle), built from the key on file when none was submitted. */
export async function ensureCsr(cert: CertificateRecord): Promise<string | null> {
  await ensureKey(cert);
  if (cert.key.csrPem) return cert.key.csrPem;
  if (!cert.key.privateKeyPem) return null;
  const csr = await createCsrForKey(leafKeyPairFromPem(cert.key.privateKeyPem), cert.domain, cert.sans);
  if (!cert.key.csrPem) cert.key.csrPem = csr;
  return cert.key.csrPem;
}

async function spkiOf(cert: CertificateRecord): Promise<Buffer> {
  await ensureKey(cert);
  if (cert.key.privateKeyPem) return leafKeyPairFromPem(cert.key.privateKeyPem).spkiDer;
  if (cert.key.csrPem) return (await parseCsr(cert.key.csrPem)).spkiDer;
  throw new Error(`emulator: certificate ${cert.id} has neither a key nor a CSR on file`);
}

/** PEM of an issued certificate (generated on first read), or null before issuance. */
export function ensureMaterial(core: BackendCore, cert: CertificateRecord): Promise<MaterialRecord | null> {
  if (!isIssued(cert) || !cert.notBefore || !cert.notAfter) return Promise.resolve(null);
  if (cert.material) return Promise.resolve(cert.material);
  let p = inflight.get(cert);
  if (!p) {
    const notBefore = new Date(cert.notBefore);
    const notAfter = new Date(cert.notAfter);
    p = (async () => {
      const [ca, spkiDer] = await Promise.all([core.ca(), spkiOf(cert)]);
      const leaf = await issueLeafCertificate(ca, {
        spkiDer,
        commonName: cert.domain,
        dnsNames: cert.sans,
        notBefore,
        notAfter,
        ...(cert.certType !== "DV" && cert.submitted?.organization ? { organization: cert.submitted.organization } : {}),
      });
      const material: MaterialRecord = {
        certificatePem: leaf.certificatePem,
        chainPem: leaf.chainPem,
        rootPem: leaf.rootPem,
        serialNumber: leaf.serialNumber,
        sha1Fingerprint: leaf.sha1Fingerprint,
      };
      cert.material = material;
      return material;
    })();
    inflight.set(cert, p);
    p.then(
      () => inflight.delete(cert),
      () => inflight.delete(cert),
    );
  }
  return p;
}
