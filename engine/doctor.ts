/**
 * `doctor`: check, read-only, every assumption the renewal engine makes about a Tencent account, and
 * say for each one pass / unknown (risky) / fail with the evidence. It reads through the
 * `TencentProbe` port, which refuses anything but read actions, so it can never pay or change
 * anything. Every raw answer is returned with the report, for `--record` (redacted first: see
 * doctor-record.ts).
 */
import { certificateChecks, pointsOf } from "./doctor-checks-certificate";
import { certificateRows, linkChecks, packageChecks, pastRenewals, waitingRenewalChecks } from "./doctor-checks-account";
import { camChecks, clockCheck, UNCHECKABLE_NOTE } from "./doctor-checks-access";
import { dvAuthDomainChecks, suffixesOf, valueChecks, zoneChecks, zoneOf, type ZoneSource } from "./doctor-checks-dns";
import { at, flag, numberAt, objects, text } from "./doctor-raw";
import { check, recordingReader, worst, type CheckStatus, type DoctorCheck, type DoctorDeps, type Reader } from "./doctor-types";
import type { ProbeTarget, RawAnswer, RawObject } from "./probe-port";

export type { CheckStatus, DoctorCheck, DoctorDeps } from "./doctor-types";

export interface DoctorOptions {
  /** Check this certificate. @default every issued paid certificate of the account, up to `maxCertificates` */
  readonly certificateId?: string;
  /** @default 20 */
  readonly maxCertificates?: number;
}

export interface DoctorReport {
  readonly target: ProbeTarget;
  /** The worst verdict: `fail` if any check failed, else `unknown` if any is unknown, else `pass`. */
  readonly status: CheckStatus;
  readonly checks: readonly DoctorCheck[];
  /** Certificates whose fields were checked. */
  readonly certificates: readonly string[];
  /** What doctor cannot check, and why; printed under the table. */
  readonly notes: readonly string[];
  /** Every raw answer, in order (NOT redacted: redact before writing anywhere). */
  readonly answers: readonly RawAnswer[];
}

const PAGE = 1000;
const MAX_PAGES = 5;
/** Domains of DNSPod read in one page; DescribeDomainList allows up to 3000. */
const DOMAIN_PAGE = 3000;
/** Codes meaning "this endpoint has no such action" (an emulator, a site without DNSPod). */
const NO_ACTION = /^(UnsupportedOperation|InvalidAction)/;

async function listCertificates(r: Reader): Promise<RawObject[]> {
  const rows: RawObject[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const a = await r.read("ssl", "DescribeCertificates", { Offset: rows.length, Limit: PAGE });
    const items = certificateRows(a.output);
    rows.push(...items);
    if (items.length < PAGE || rows.length >= (numberAt(a.output, "TotalCount") ?? 0)) break;
  }
  return rows;
}

/** The certificates to check: the one named, else the issued paid ones (by the list or the detail). */
async function chooseCertificates(r: Reader, rows: readonly RawObject[], options: DoctorOptions, notes: string[]): Promise<Map<string, RawAnswer>> {
  const details = new Map<string, RawAnswer>();
  if (options.certificateId !== undefined) {
    details.set(options.certificateId, await r.read("ssl", "DescribeCertificateDetail", { CertificateId: options.certificateId }));
    return details;
  }
  const max = options.maxCertificates ?? 20;
  const issued = rows.filter((row) => numberAt(row, "Status") === 1 && text(row, "From") !== "upload");
  for (const row of issued.slice(0, max)) {
    const id = text(row, "CertificateId");
    const a = await r.read("ssl", "DescribeCertificateDetail", { CertificateId: id });
    if (flag(a.output, "IsVip") || flag(row, "IsVip") || a.error !== null) details.set(id, a);
  }
  const skipped = issued.length - Math.min(issued.length, max);
  if (skipped > 0) notes.push(`${skipped} more issued certificate(s) were not checked; name one with --certificate-id.`);
  return details;
}

function domainsOf(d: RawObject): string[] {
  const sans = (at(d, "SubjectAltName") as unknown[] | undefined) ?? [];
  const all = [text(d, "Domain"), ...sans.filter((s): s is string => typeof s === "string")];
  return [...new Set(all.filter((x) => x !== "").map((x) => x.toLowerCase()))];
}

/** DNSPod zones from DescribeDomainList; without it, by asking DescribeRecordList on each candidate suffix. */
async function findZones(r: Reader, domains: readonly string[]): Promise<ZoneSource> {
  const a = await r.read("dnspod", "DescribeDomainList", { Offset: 0, Limit: DOMAIN_PAGE });
  if (a.output !== null) return { zones: objects(a.output, "DomainList").map((d) => text(d, "Name")).filter((n) => n !== ""), note: "" };
  if (!NO_ACTION.test(a.error?.code ?? "")) return { zones: [], note: `DescribeDomainList failed: ${a.error?.code ?? ""}` };
  const zones = new Set<string>();
  for (const d of domains) {
    if (zoneOf(d, [...zones]) !== "") continue;
    for (const candidate of suffixesOf(d)) {
      const probe = await r.read("dnspod", "DescribeRecordList", { Domain: candidate, Offset: 0, Limit: 1, ErrorOnEmpty: "no" });
      if (probe.output !== null) {
        zones.add(candidate);
        break;
      }
    }
  }
  return { zones: [...zones], note: `DescribeDomainList answered ${a.error?.code ?? ""}, so zones were found by DescribeRecordList on each suffix` };
}

/** Orders waiting for domain validation (status 0 or 4), with their DvAuths: at most 5 are read. */
async function validatingOrders(r: Reader, rows: readonly RawObject[]): Promise<{ id: string; detail: RawObject }[]> {
  const ids = rows.filter((row) => [0, 4].includes(numberAt(row, "Status") ?? -1)).map((row) => text(row, "CertificateId")).slice(0, 5);
  const out: { id: string; detail: RawObject }[] = [];
  for (const id of ids) {
    const a = await r.read("ssl", "DescribeCertificateDetail", { CertificateId: id });
    if (a.output !== null) out.push({ id, detail: a.output });
  }
  return out;
}

async function dnsChecks(r: Reader, domains: readonly string[], rows: readonly RawObject[]): Promise<DoctorCheck[]> {
  const orders = await validatingOrders(r, rows);
  const keys = orders.flatMap((o) => objects(o.detail, "DvAuthDetail.DvAuths").map((a) => text(a, "DvAuthKey") || text(a, "DvAuthDomain")));
  if (domains.length === 0 && keys.length === 0) return [];
  const source = await findZones(r, [...domains, ...keys]);
  const zones = [...new Set(domains.map((d) => zoneOf(d, source.zones)).filter((z) => z !== ""))].slice(0, 10);
  const values: DoctorCheck[] = [];
  for (const zone of zones) {
    const a = await r.read("dnspod", "DescribeRecordList", { Domain: zone, Offset: 0, Limit: 3000, ErrorOnEmpty: "no" });
    values.push(valueChecks(zone, a.output, a.error ? `${a.error.code}: ${a.error.message}` : ""));
  }
  return [...zoneChecks(domains, source), ...values, ...dvAuthDomainChecks(orders, source.zones)];
}

/** Past renewals and the origin details they need (read here when not read already). */
async function linkHistory(r: Reader, rows: readonly RawObject[], details: Map<string, RawAnswer>): Promise<DoctorCheck[]> {
  const origins = [...new Set(rows.map((row) => text(row, "CertificateExtra.OriginCertificateId")).filter((x) => x !== ""))].slice(0, 10);
  const known = new Map<string, RawObject>();
  for (const id of origins) {
    const a = details.get(id) ?? (await r.read("ssl", "DescribeCertificateDetail", { CertificateId: id }));
    if (a.output !== null) known.set(id, a.output);
  }
  return [...linkChecks(pastRenewals(rows, known)), ...waitingRenewalChecks(rows)];
}

/** Read actions not needed for the checks above are still asked once, for their CAM check. */
async function askRemainingReads(r: Reader, certificateId: string | undefined): Promise<void> {
  if (certificateId !== undefined) await r.read("ssl", "CheckCertificateDomainVerification", { CertificateId: certificateId });
  await r.read("ssl", "DescribeHostUpdateRecordDetail", { DeployRecordId: "0", Limit: "10", Offset: "0" });
}

/** Run every check. Read-only; never throws for what Tencent answers (an answer is evidence). */
export async function runDoctor(deps: DoctorDeps, options: DoctorOptions = {}): Promise<DoctorReport> {
  const r = recordingReader(deps.probe);
  const notes: string[] = [];
  const time = await deps.probe.serverTime();
  const rows = await listCertificates(r);
  const details = await chooseCertificates(r, rows, options, notes);
  const now = deps.clock.now();
  const certs: DoctorCheck[] = [];
  let points = 0;
  const domains: string[] = [];
  for (const [id, a] of details) {
    if (a.output === null) {
      certs.push(check("certificate.found", id, "fail", `DescribeCertificateDetail failed: ${a.error?.code ?? ""}: ${a.error?.message ?? ""}`, "Check the id with `tccert scan`, and that this key may read it."));
      continue;
    }
    const row = rows.find((x) => text(x, "CertificateId") === id) ?? null;
    certs.push(...certificateChecks(id, a.output, row, now));
    points += pointsOf(a.output);
    domains.push(...domainsOf(a.output));
  }
  if (details.size === 0) certs.push(check("certificate.found", "account", "unknown", `no issued paid certificate among the ${rows.length} certificate(s) listed`, "Name one with --certificate-id."));
  const packages = await r.read("ssl", "DescribePackages", { Offset: 0, Limit: 100 });
  const account = [...packageChecks(packages.output === null ? null : objects(packages.output, "Packages"), points, now), ...(await linkHistory(r, rows, details))];
  const dns = await dnsChecks(r, [...new Set(domains)], rows);
  await askRemainingReads(r, [...details.keys()][0]);
  const checks = [clockCheck(time), ...camChecks(r.answers), ...certs, ...account, ...dns];
  notes.push(UNCHECKABLE_NOTE);
  return { target: deps.probe.target, status: worst(checks.map((c) => c.status)), checks, certificates: [...details.keys()], notes, answers: r.answers };
}
