import { domainToASCII } from "node:url";
import { invalidInput } from "./errors";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/**
 * A DNS name as it goes into a CSR: trimmed, lower-case, no trailing dot,
 * internationalised names in their ASCII (punycode) form. A leading `*.` is
 * kept (wildcard); a `*` anywhere else is refused.
 *
 * @throws InvalidInputError naming `field` when the name is not a DNS name.
 */
export function normaliseDomain(name: string, field: string): string {
  const trimmed = name.trim().replace(/\.$/, "");
  const wildcard = trimmed.startsWith("*.");
  const rest = wildcard ? trimmed.slice(2) : trimmed;
  const ascii = rest.includes("*") ? "" : domainToASCII(rest);
  const labels = ascii.split(".");
  if (ascii === "" || ascii.length > 253 || !labels.every((l) => LABEL.test(l)) || (wildcard && labels.length < 2)) {
    throw invalidInput(
      field,
      `${quote(name)} is not a DNS name. Use a host name such as "www.example.com" or a wildcard such as "*.example.com" (the "*" only as the whole leftmost label).`,
    );
  }
  return wildcard ? `*.${ascii}` : ascii;
}

/** Names in order, the first occurrence kept, compared case-insensitively. */
export function dedupe(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/**
 * True when the certificate name `pattern` covers the host `name`. A wildcard
 * covers exactly one label: `*.example.com` covers `a.example.com`, not
 * `example.com` nor `a.b.example.com`. A requested wildcard is covered only by
 * the same wildcard.
 */
export function nameCovers(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, "");
  const n = name.toLowerCase().replace(/\.$/, "");
  if (p === n) return true;
  if (!p.startsWith("*.") || n.startsWith("*.")) return false;
  const dot = n.indexOf(".");
  return dot > 0 && n.slice(dot + 1) === p.slice(2);
}
