/** Domain-name helpers (pure). */

export function normalizeDomain(d: string): string {
  return d.trim().toLowerCase().replace(/\.$/, "");
}

/** Does a certificate name (possibly `*.x`) cover `domain`? One label per wildcard, as RFC 6125. */
export function nameCovers(certName: string, domain: string): boolean {
  const n = normalizeDomain(certName);
  const d = normalizeDomain(domain);
  if (n === d) return true;
  if (!n.startsWith("*.")) return false;
  const suffix = n.slice(1); // ".example.com"
  if (!d.endsWith(suffix)) return false;
  const label = d.slice(0, d.length - suffix.length);
  return label.length > 0 && !label.includes(".");
}

/** The domains in `wanted` that none of `certNames` covers. */
export function uncoveredDomains(certNames: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((w) => !certNames.some((n) => nameCovers(n, w)));
}

export function sameDomainSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a.map(normalizeDomain));
  const sb = new Set(b.map(normalizeDomain));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
