/**
 * The doctor's DNSPod checks: every domain has a DNSPod zone in the account (the longest suffix among
 * `DescribeDomainList`'s domains), and how DNSPod writes the values of existing records (a trailing
 * dot on CNAME targets? quotes around TXT values?), which the engine must compare normalised.
 */
import { check, type DoctorCheck } from "./doctor-types";
import { objects, text } from "./doctor-raw";
import type { RawObject } from "./probe-port";

/** The zone of `domain` among `zones`: the longest one that is the domain or a suffix of it; "" when none. */
export function zoneOf(domain: string, zones: readonly string[]): string {
  const name = domain.toLowerCase().replace(/^\*\./, "").replace(/\.$/, "");
  let best = "";
  for (const z of zones) {
    const zone = z.toLowerCase().replace(/\.$/, "");
    if ((name === zone || name.endsWith(`.${zone}`)) && zone.length > best.length) best = zone;
  }
  return best;
}

/** Candidate zones of a domain, longest first (`a.b.example.com` → `a.b.example.com`, `b.example.com`, `example.com`). */
export function suffixesOf(domain: string): string[] {
  const labels = domain.toLowerCase().replace(/^\*\./, "").replace(/\.$/, "").split(".");
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join("."));
  return out;
}

/** How the zones were found: from `DescribeDomainList`, or (when it is not available) by asking DescribeRecordList per suffix. */
export interface ZoneSource {
  readonly zones: readonly string[];
  /** "" when DescribeDomainList answered; otherwise what it answered and how the zones were found instead. */
  readonly note: string;
}

export function zoneChecks(domains: readonly string[], source: ZoneSource): DoctorCheck[] {
  const known = source.zones.length > 0 ? `${source.zones.length} DNSPod domain(s): ${source.zones.slice(0, 10).join(", ")}${source.zones.length > 10 ? ", …" : ""}` : "no DNSPod domain in this account";
  return domains.map((d) => {
    const zone = zoneOf(d, source.zones);
    const note = source.note === "" ? "" : `; ${source.note}`;
    if (zone === "")
      return check("dns.zone", d, "fail", `no DNSPod zone covers ${d} (${known})${note}`, "Add the zone to DNSPod in this account, or renew with --validation manual-dns (you publish the record) or DNS_AUTO.");
    return check("dns.zone", d, "pass", `zone ${zone}, the longest suffix of ${d} among ${known}${note}`);
  });
}

const QUOTED = /^".*"$/s;

/** How a zone's existing record values come back, from its `DescribeRecordList` answer. */
export function valueChecks(zone: string, output: RawObject | null, error: string): DoctorCheck {
  if (output === null) return check("dns.values", zone, "unknown", `DescribeRecordList on ${zone} failed: ${error}`);
  const records = objects(output, "RecordList");
  const of = (type: string) => records.filter((r) => text(r, "Type").toUpperCase() === type);
  const cname = of("CNAME");
  const txt = of("TXT");
  const dotted = cname.filter((r) => text(r, "Value").endsWith("."));
  const quoted = txt.filter((r) => QUOTED.test(text(r, "Value")));
  const ns = of("NS");
  const seen = [
    `${cname.length} CNAME${cname.length ? ` (${dotted.length} ending with a dot, e.g. ${JSON.stringify(text(dotted[0] ?? cname[0], "Value"))})` : ""}`,
    `${txt.length} TXT${txt.length ? ` (${quoted.length} in quotes, e.g. ${JSON.stringify(text(quoted[0] ?? txt[0], "Value"))})` : ""}`,
    ...(ns.length ? [`${ns.length} NS (${ns.filter((r) => text(r, "Value").endsWith(".")).length} ending with a dot)`] : []),
  ].join(", ");
  const risky = [
    ...(dotted.length ? ["CNAME values come back with a trailing dot"] : []),
    ...(quoted.length ? ["TXT values come back in quotes"] : []),
  ];
  if (risky.length > 0)
    return check("dns.values", zone, "unknown", `${risky.join("; ")}: ${seen}`, "Nothing to do if values are compared normalised (case, trailing dot, quotes), as the engine does; a tool comparing raw strings would not find its own records.");
  if (cname.length + txt.length === 0) return check("dns.values", zone, "pass", `no CNAME or TXT record in ${zone} to look at; ${seen}`);
  return check("dns.values", zone, "pass", `values come back as written: ${seen}`);
}

/**
 * `DvAuthDomain` of orders waiting for validation against the zone found by longest suffix: Tencent
 * may name the registrable domain even when the records belong in a delegated sub-zone.
 */
export function dvAuthDomainChecks(orders: readonly { readonly id: string; readonly detail: RawObject }[], zones: readonly string[]): DoctorCheck[] {
  return orders.flatMap(({ id, detail }) =>
    objects(detail, "DvAuthDetail.DvAuths").map((a) => {
      const key = text(a, "DvAuthKey") || text(a, "DvAuthDomain");
      const shown = text(a, "DvAuthDomain");
      const zone = zoneOf(key, zones);
      const said = `order ${id}: DvAuthKey ${JSON.stringify(text(a, "DvAuthKey"))}, DvAuthDomain ${JSON.stringify(shown)}, DNSPod zone by longest suffix ${JSON.stringify(zone)}`;
      if (zone === "") return check("dns.dv-auth-domain", id, "unknown", `${said}: no DNSPod zone holds the record`, "Publish the record where the domain's DNS is hosted (--validation manual-dns).");
      if (shown.toLowerCase().replace(/\.$/, "") === zone) return check("dns.dv-auth-domain", id, "pass", said);
      return check("dns.dv-auth-domain", id, "unknown", `${said}: DvAuthDomain is not the zone that holds the record`, "Nothing to do: the engine places records in the zone found by longest suffix, never by DvAuthDomain alone.");
    }),
  );
}
