/**
 * Validation records in DNSPod (validation "dnspod"), as Tencent may actually answer:
 * - the zone is found among the account's DNSPod domains (`DescribeDomainList`) by the longest
 *   suffix of the record's name, not taken from `DvAuthDomain` (which may name the registrable
 *   domain while the zone is a delegated sub-zone);
 * - values are compared normalised (case, a trailing dot on CNAME/MX/NS targets, TXT quotes);
 * - `CreateRecord` answering `DomainRecordExist` means the record is present: its id is looked for
 *   after DNSPod's index delay ("新添加的解析记录存在短暂的索引延迟"), and if it is not listed yet
 *   the journal keeps the planned record, so the cleanup finds it by value later.
 */
import type { Certificate, DvAuth } from "./domain";
import type { EngineDeps } from "./deps";
import { RenewalError, isRenewalError, isTencentApiError, isTransientError } from "./errors";
import type { WaitRequest } from "./wait-types";

/** How many times a record DNSPod has (or may have) is looked for in its listing, waiting between looks. */
const LOOKS = 5;

export function recordText(a: DvAuth): string {
  return `${a.recordType} ${a.key} = ${a.value}`;
}

/**
 * One record value as DNSPod and the CA may each write it: a CNAME/MX/NS target with or without
 * its trailing dot, in any case; a TXT value with or without quotes.
 */
export function sameRecordValue(a: string, b: string): boolean {
  const norm = (v: string) => v.trim().replace(/^"(.*)"$/, "$1").replace(/\.$/, "").toLowerCase();
  return norm(a) === norm(b);
}

/** The zone among `zones` that holds `fqdn` (longest suffix); "" when none. */
export function zoneFor(zones: readonly string[], fqdn: string): string {
  const name = fqdn.trim().toLowerCase().replace(/\.$/, "").replace(/^\*\./, "");
  let best = "";
  for (const z of zones) if ((name === z || name.endsWith(`.${z}`)) && z.length > best.length) best = z;
  return best;
}

/** `auth` placed in `zone`: the host label inside it (`@` for the apex). */
function inZone(auth: DvAuth, zone: string): DvAuth {
  const name = auth.key.trim().toLowerCase().replace(/\.$/, "");
  const subDomain = name === zone ? "@" : name.slice(0, -(zone.length + 1));
  return { ...auth, zone, subDomain };
}

/**
 * The order's records placed in the account's DNSPod zones. When the zones cannot be listed (a
 * CAM policy without `DescribeDomainList`), Tencent's `DvAuthDomain` is used, with a warning.
 */
export async function placeRecords(deps: EngineDeps, req: WaitRequest, cert: Certificate): Promise<DvAuth[]> {
  let zones: readonly string[];
  try {
    zones = await deps.dns.listZones();
  } catch (e) {
    if (isTransientError(e)) throw e;
    req.progress({ type: "warning", message: `could not list this account's DNSPod zones (${(e as Error).message}); using the zone Tencent names (DvAuthDomain)` });
    return [...cert.dvAuths];
  }
  return cert.dvAuths.map((a) => {
    const zone = zoneFor(zones, a.key);
    if (zone === "") throw noZone(req, cert, a, zones);
    return zone === a.zone && a.subDomain !== "" ? a : inZone(a, zone);
  });
}

function noZone(req: WaitRequest, cert: Certificate, a: DvAuth, zones: readonly string[]): RenewalError {
  return new RenewalError(
    "ValidationFailed",
    `validation "dnspod": no DNSPod zone of this account holds ${a.key} (zones: ${zones.length > 0 ? zones.join(", ") : "none"}). ` +
      `Add the zone to DNSPod, or use validation "manual-dns" and publish ${recordText(a)} yourself. The order ${cert.certificateId} is kept; rerun resumes it.`,
    { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true },
  );
}

/** One DNS record: reused when DNSPod already has this order's value, created (journaled first) otherwise. */
export async function publishRecord(deps: EngineDeps, req: WaitRequest, cert: Certificate, a: DvAuth): Promise<void> {
  let existing: Awaited<ReturnType<EngineDeps["dns"]["listRecords"]>>;
  try {
    existing = await deps.dns.listRecords(a.zone, a.subDomain, a.recordType);
  } catch (e) {
    throw zoneProblem(req, cert, a, e) ?? e;
  }
  const found = existing.find((r) => sameRecordValue(r.value, a.value));
  if (found) {
    // This order's own value: a record we created whose answer was lost (or before a crash let us
    // journal it). It serves only this validation, so it is removed with the others at the end.
    await req.onRecordCreated(a.zone, found.recordId);
    req.progress({ type: "dns-record", action: "reused", record: a, message: `record ${recordText(a)} already exists` });
    return;
  }
  const planned = { zone: a.zone, subDomain: a.subDomain, type: a.recordType, value: a.value };
  await req.onRecordPlanned(planned);
  let recordId: number;
  try {
    // FILE records were refused by `validate`.
    recordId = await deps.dns.createRecord({ zone: a.zone, subDomain: a.subDomain, type: a.recordType as "TXT" | "CNAME", value: a.value });
  } catch (e) {
    return recoverFailedCreate(deps, req, cert, a, e);
  }
  await req.onRecordCreated(a.zone, recordId, planned);
  req.progress({ type: "dns-record", action: "created", record: a, message: `created ${recordText(a)} (record ${recordId})` });
}

/** `CreateRecord` failed: journal the record if DNSPod has it after all; otherwise explain or rethrow. */
async function recoverFailedCreate(deps: EngineDeps, req: WaitRequest, cert: Certificate, a: DvAuth, e: unknown): Promise<void> {
  // The answer was lost, not necessarily the record; or another run driving the same order (another
  // state dir) created it first (`DomainRecordExist`: present, possibly not listed yet). If DNSPod
  // lists this order's value, journal its id for cleanup now: the CA may issue before we look again.
  const exists = isTencentApiError(e) && /RecordExist/i.test(e.code);
  if (!isTransientError(e) && !exists) throw zoneProblem(req, cert, a, e) ?? e;
  const planned = { zone: a.zone, subDomain: a.subDomain, type: a.recordType, value: a.value };
  const made = await findRecord(deps, req.signal, planned, exists ? LOOKS : 1);
  if (made !== undefined) {
    await req.onRecordCreated(a.zone, made, planned);
    const how = exists ? "present already (DomainRecordExist)" : `its answer was lost: ${(e as Error).message}`;
    req.progress({ type: "dns-record", action: exists ? "reused" : "created", record: a, message: `found ${recordText(a)} (record ${made}; ${how})` });
    return;
  }
  if (!exists) throw e; // unknown: the next attempt lists again before creating
  // DNSPod has it (the CA sees it) but does not list it yet: the journal keeps the planned record,
  // and the cleanup finds it by its value once DNSPod lists it.
  req.progress({ type: "dns-record", action: "reused", record: a, message: `${recordText(a)} is in DNSPod (DomainRecordExist) but not listed yet; the cleanup removes it by its value` });
}

/** The id of the record with `p`'s value, looking up to `looks` times (DNSPod's index delay in between); undefined when not listed. */
export async function findRecord(
  deps: Pick<EngineDeps, "dns" | "sleep" | "polling">,
  signal: AbortSignal | undefined,
  p: { zone: string; subDomain: string; type: string; value: string },
  looks: number,
  exclude: ReadonlySet<number> = new Set(),
): Promise<number | undefined> {
  for (let look = 0; look < looks; look++) {
    if (look > 0) await deps.sleep(indexDelayPause(deps, look), signal);
    const listed = await deps.dns.listRecords(p.zone, p.subDomain, p.type).catch(() => []);
    const hit = listed.find((r) => sameRecordValue(r.value, p.value) && !exclude.has(r.recordId));
    if (hit) return hit.recordId;
  }
  return undefined;
}

/** Pause before the look `look` (1, 2, …): 1, 2, 4, 8 units of polling's fast interval (at least 500 ms: the delay is DNSPod's, not ours). */
function indexDelayPause(deps: Pick<EngineDeps, "polling">, look: number): number {
  return Math.max(500, deps.polling?.fastMs ?? 1000) * Math.min(8, 2 ** (look - 1));
}

/** The zone is not in this account's DNSPod (listing or creating said so): explained, resumable. */
function zoneProblem(req: WaitRequest, cert: Certificate, a: DvAuth, e: unknown): RenewalError | null {
  if (!(isRenewalError(e) && isTencentApiError(e) && /DomainNotExists|NoPermission/.test(e.code))) return null;
  return new RenewalError(
    "ValidationFailed",
    `validation "dnspod": zone ${a.zone} is not in this account's DNSPod (${e.code}). Add the zone to DNSPod, or use validation "manual-dns" and publish ${recordText(a)} yourself. The order ${cert.certificateId} is kept; rerun resumes it.`,
    { originalCertificateId: req.rootId, newCertificateId: cert.certificateId, resumable: true, cause: e },
  );
}
