/** DNSPod zone lookups shared by the DNSPod handlers and domain validation. */
import type { InferredRules } from "../rules";
import type { AccountState, DnsRecord, ZoneRecord } from "./state";

/** The account's zone that holds `domain` (longest suffix match). */
export function zoneOf(account: AccountState, domain: string): ZoneRecord | undefined {
  const d = domain.toLowerCase().replace(/^\*\./, "").replace(/\.$/, "");
  let best: ZoneRecord | undefined;
  for (const z of Object.values(account.zones)) {
    if (d === z.zone || d.endsWith("." + z.zone)) {
      if (!best || z.zone.length > best.zone.length) best = z;
    }
  }
  return best;
}

/** The zone name for `domain`: the account's zone if any, else the last two labels. */
export function zoneNameOf(account: AccountState, domain: string): string {
  const z = zoneOf(account, domain);
  if (z) return z.zone;
  const labels = domain.toLowerCase().replace(/^\*\./, "").split(".");
  return labels.slice(-2).join(".");
}

/** Host label of `fqdn` inside `zone` (`@` for the apex). */
export function hostIn(zone: string, fqdn: string): string {
  const f = fqdn.toLowerCase().replace(/\.$/, "");
  if (f === zone) return "@";
  return f.endsWith("." + zone) ? f.slice(0, -(zone.length + 1)) : f;
}

export function normaliseValue(type: string, value: string): string {
  return type === "CNAME" ? value.toLowerCase().replace(/\.$/, "") : value;
}

/** A CNAME target as answered: with a trailing dot under the inferred rule `cnameTrailingDot`. */
export function cnameValueOf(type: string, value: string, rules: InferredRules): string {
  return type === "CNAME" && rules.cnameTrailingDot && !value.endsWith(".") ? `${value}.` : value;
}

/** Enabled records named `name` of `type`. */
export function recordsNamed(zone: ZoneRecord, name: string, type: string): DnsRecord[] {
  const n = name.toLowerCase();
  return zone.records.filter((r) => r.name.toLowerCase() === n && r.type === type && r.status === "ENABLE");
}
