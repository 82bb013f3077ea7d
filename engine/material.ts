/**
 * "The current certificate's material and its key": one implementation, used by the engine's
 * adoption, the Pulumi provider's read and the Terraform material program. Read-only.
 *
 * A key is output only when it matches the certificate: a certificate with a key that does not
 * belong to it is worse than one with no key, because downstream resources would install both.
 */
import type { Certificate } from "./domain";
import type { EngineDeps } from "./deps";
import { RenewalError } from "./errors";
import type { Lineage } from "./lineage";
import type { CertificateInspector, JournalEntry, RenewalJournal } from "./ports";

/** Public material of an issued certificate, plus the private key that matches it ("" when none). */
export interface Material {
  readonly certificatePem: string;
  readonly chainPem: string;
  readonly fullchainPem: string;
  /** SECRET. "" when no key we know matches the certificate (key.source "csr", or Tencent holds it and does not return it). */
  readonly privateKeyPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly domains: readonly string[];
  readonly serialNumber: string;
  readonly sha256Fingerprint: string;
}

/** Where the output key came from. */
export type KeyOrigin = "journal" | "tencent" | "caller" | "";

export interface CurrentMaterial extends Material {
  readonly certificate: Certificate;
  readonly keyOrigin: KeyOrigin;
  /** With `csrPem`: the certificate is for that CSR's key. Otherwise: a matching private key was found. */
  readonly keyMatches: boolean;
}

export interface KeyCandidates {
  /** Keys the caller holds (e.g. the previous outputs), tried after the journal and Tencent. SECRET. @default [] */
  readonly keys?: readonly string[];
  /** A CSR whose key the caller holds (Terraform `tls_private_key`): checked instead of a private key. @default none */
  readonly csrPem?: string;
  /** Offer Tencent's key (`CertificatePrivateKey`) when it matches. @default true */
  readonly tencentKey?: boolean;
  /**
   * Other journals to search after this one, e.g. another state dir that renewed the lineage
   * (`tccert renew` with its own state dir). A journal that cannot be read is skipped. @default []
   */
  readonly journals?: readonly RenewalJournal[];
}

/** Public material of a PEM (leaf, chain, fullchain, parsed fields) with `key` as the private key. */
export function materialOf(inspector: CertificateInspector, pem: string, key: string): Material {
  const bundle = inspector.bundle(pem);
  const parsed = inspector.parse(bundle.leafPem);
  return {
    certificatePem: bundle.leafPem,
    chainPem: bundle.chainPem,
    fullchainPem: bundle.fullchainPem,
    privateKeyPem: key,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    domains: parsed.domains,
    serialNumber: parsed.serialNumber,
    sha256Fingerprint: parsed.sha256Fingerprint,
  };
}

/** Keys the journal holds for `certificateId`: the current entry and every earlier attempt. */
export function journalKeysFor(journal: JournalEntry | null, certificateId: string): string[] {
  if (!journal) return [];
  const entries = [journal, ...(journal.history ?? [])];
  return entries.filter((e) => e.newCertificateId === certificateId && e.privateKeyPem).map((e) => e.privateKeyPem ?? "");
}

/**
 * The certificate's PEM with its chain: `CertificatePublicKey` may carry the leaf only, then the
 * chain comes from Tencent's nginx bundle (a read). Without `ssl`, the PEM as Tencent gave it.
 */
export async function withChain(deps: Pick<EngineDeps, "inspector"> & Partial<Pick<EngineDeps, "ssl">>, certificateId: string, pem: string): Promise<string> {
  if (!deps.ssl || deps.inspector.bundle(pem).chainPem.trim() !== "") return pem;
  const chain = await deps.ssl.downloadChain(certificateId);
  return chain.trim() === "" ? pem : `${pem.trimEnd()}\n${chain}`;
}

/** The lineage's current certificate with the first key candidate that matches it (its chain fetched when Tencent left it out). */
export async function currentMaterial(
  deps: Pick<EngineDeps, "journal" | "inspector"> & Partial<Pick<EngineDeps, "ssl">>,
  lineage: Lineage,
  candidates: KeyCandidates = {},
): Promise<CurrentMaterial> {
  const c = lineage.current;
  if (!c.certificatePem)
    throw new RenewalError("TencentApi", `certificate ${c.certificateId} is issued but Tencent returned no certificate PEM; rerun later.`, {
      originalCertificateId: lineage.rootId,
      resumable: true,
    });
  const publicPart = materialOf(deps.inspector, await withChain(deps, c.certificateId, c.certificatePem), "");
  const leaf = publicPart.certificatePem;
  if (candidates.csrPem !== undefined)
    return { ...publicPart, certificate: c, keyOrigin: "", keyMatches: deps.inspector.matchesCsr(leaf, candidates.csrPem) };
  const tencent = candidates.tencentKey !== false;
  const keys = [...(tencent ? [c.privateKeyPem ?? ""] : []), ...(candidates.keys ?? [])];
  const found = await findKey(deps, lineage.rootId, c.certificateId, leaf, { ...candidates, keys }, tencent);
  return { ...publicPart, privateKeyPem: found?.key ?? "", certificate: c, keyOrigin: found?.origin ?? "", keyMatches: found !== undefined };
}

/**
 * The first key that matches `leafPem`: the journal's (this state dir's, then `candidates.journals`),
 * then `candidates.keys` in order (with `firstIsTencent`, the first of them is Tencent's). Read-only.
 */
export async function findKey(
  deps: Pick<EngineDeps, "journal" | "inspector">,
  rootId: string,
  certificateId: string,
  leafPem: string,
  candidates: Pick<KeyCandidates, "keys" | "journals">,
  firstIsTencent = false,
): Promise<{ key: string; origin: KeyOrigin } | undefined> {
  const journal = await deps.journal.load(rootId);
  const others = await Promise.all((candidates.journals ?? []).map((j) => j.load(rootId).catch(() => null)));
  const keys = candidates.keys ?? [];
  const ordered: { key: string; origin: KeyOrigin }[] = [
    ...[journal, ...others].flatMap((j) => journalKeysFor(j, certificateId)).map((key) => ({ key, origin: "journal" as const })),
    ...keys.map((key, i) => ({ key, origin: firstIsTencent && i === 0 ? ("tencent" as const) : ("caller" as const) })),
  ];
  return ordered.find((k) => k.key !== "" && deps.inspector.matchesPrivateKey(leafPem, k.key));
}
