/**
 * Domain validation: what the CA asks to publish (`DvAuths`) and what it finds
 * in the DNSPod store.
 *
 * DNSPod-brand certificates get a CNAME like Tencent's pending-DCV example
 * (`_<32 hex>` -> `<hex>.<hex>.<id>.trust-provider.com`); other brands get a
 * TrustAsia-style TXT record at `_dnsauth.<domain>`.
 */
import { hexToken, alnumId } from "./ids";
import { hostIn, normaliseValue, recordsNamed, zoneNameOf, zoneOf } from "./dns";
import { productOf } from "./products";
import type { BackendCore } from "./core";
import type { InferredRules } from "../rules";
import type { AccountState, CertificateRecord, DvAuthRecord } from "./state";

/** The domains the CA validates: every certificate domain, minus the free `www.` of a single-domain certificate. */
export function validatedDomains(cert: CertificateRecord): string[] {
  const all = [cert.domain, ...cert.sans];
  const out: string[] = [];
  for (const d of all) {
    const base = d.toLowerCase();
    if (base === `www.${cert.domain.toLowerCase()}` && cert.sans.length === 1) continue;
    if (!out.includes(base)) out.push(base);
  }
  return out;
}

/**
 * The `DvAuthDomain` shown for `bare`: the account's zone, or (inferred rule `dvAuthDomain:
 * "registrable"`) the last two labels even when the zone is a delegated sub-zone.
 */
function shownZone(account: AccountState, bare: string, rules: Pick<InferredRules, "dvAuthDomain">): string {
  if (rules.dvAuthDomain === "registrable") return bare.toLowerCase().split(".").slice(-2).join(".");
  return zoneNameOf(account, bare);
}

export function buildDvAuths(account: AccountState, cert: CertificateRecord, verifyType: string, rules: Pick<InferredRules, "dvAuthDomain"> = { dvAuthDomain: "zone" }): DvAuthRecord[] {
  const product = productOf(cert.productPid);
  const cname = product?.brand === "DNSPod";
  return validatedDomains(cert).map((domain) => {
    const bare = domain.replace(/^\*\./, "");
    const zone = shownZone(account, bare, rules);
    if (verifyType === "FILE") {
      const name = hexToken(16);
      return { key: name, value: hexToken(32), zone, subDomain: hostIn(zone, bare), verifyType: "FILE", domain, path: `http://${bare}/.well-known/pki-validation/${name}.txt` };
    }
    if (cname) {
      const label = `_${hexToken(16)}`;
      const fqdn = `${label}.${bare}`;
      const value = `${hexToken(16)}.${hexToken(16)}.${alnumId(14).toLowerCase()}.trust-provider.com`;
      return { key: fqdn, value, zone, subDomain: hostIn(zone, fqdn), verifyType: "CNAME", domain, path: "" };
    }
    const fqdn = `_dnsauth.${bare}`;
    return { key: fqdn, value: hexToken(24), zone, subDomain: hostIn(zone, fqdn), verifyType: "TXT", domain, path: "" };
  });
}

export interface DvCheck {
  /** 1 found; -1 TXT not found; -2 TXT mismatch; -4 file not found; -6 CNAME not found; -7 CNAME mismatch. */
  readonly localCheck: number;
  readonly reason: string;
  readonly values: string[];
  /** Creation time of the matching record. */
  readonly foundAt: string | null;
}

export function checkDvAuth(account: AccountState, auth: DvAuthRecord, now: Date): DvCheck {
  if (auth.verifyType === "FILE") return { localCheck: -4, reason: "file not found", values: [], foundAt: null };
  const zone = zoneOf(account, auth.key);
  const isTxt = auth.verifyType === "TXT";
  const notFound: DvCheck = { localCheck: isTxt ? -1 : -6, reason: isTxt ? "txt record not found" : "cname record not found", values: [], foundAt: null };
  if (!zone) return notFound;
  const records = recordsNamed(zone, hostIn(zone.zone, auth.key), auth.verifyType).filter((r) => Date.parse(r.createdAt) <= now.getTime());
  if (records.length === 0) return notFound;
  const want = normaliseValue(auth.verifyType, auth.value);
  const hit = records.find((r) => normaliseValue(r.type, r.value) === want);
  const values = records.map((r) => r.value);
  if (!hit) return { localCheck: isTxt ? -2 : -7, reason: isTxt ? "txt record not match" : "cname record not match", values, foundAt: null };
  return { localCheck: 1, reason: "", values, foundAt: hit.updatedAt };
}

/** DNS_AUTO: the emulator adds the records itself where the zone is in the account. */
export function addAutoRecords(core: BackendCore, account: AccountState, cert: CertificateRecord, now: Date): void {
  const stamp = now.toISOString();
  for (const auth of cert.dvAuths) {
    if (auth.verifyType === "FILE") continue;
    const zone = zoneOf(account, auth.key);
    if (!zone) continue;
    const name = hostIn(zone.zone, auth.key);
    if (recordsNamed(zone, name, auth.verifyType).some((r) => normaliseValue(r.type, r.value) === normaliseValue(auth.verifyType, auth.value))) continue;
    const recordId = core.nextRecordId();
    zone.records.push({
      recordId, name, type: auth.verifyType, line: "默认", lineId: "0", value: auth.value, ttl: 600, mx: 0, weight: null,
      status: "ENABLE", remark: `DNS_AUTO ${cert.id}`, createdAt: stamp, updatedAt: stamp, defaultNs: false,
    });
    cert.autoRecords.push(`${zone.zone}/${recordId}`);
  }
}

export function removeAutoRecords(account: AccountState, cert: CertificateRecord): void {
  for (const ref of cert.autoRecords) {
    const slash = ref.lastIndexOf("/");
    const zone = account.zones[ref.slice(0, slash)];
    const id = Number(ref.slice(slash + 1));
    if (zone) zone.records = zone.records.filter((r) => r.recordId !== id);
  }
  cert.autoRecords = [];
}
