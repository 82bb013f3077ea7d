/**
 * Lenient readers for Tencent wire values. The SDK's models promise
 * `field?: string`, but the wire also sends `null` ("此字段可能返回 null"),
 * numbers written as strings ("12", "0") and masked placeholders. These
 * readers never throw: a missing or odd value becomes the neutral default.
 */

/**
 * What actually arrives for an SDK model `T`: every field may be absent or
 * null, at any depth. Mappers take `Wire<Model>` so field names stay checked
 * against the SDK's own models.
 */
export type Wire<T> = T extends readonly (infer U)[]
  ? readonly Wire<U>[] | null | undefined
  : T extends object
    ? { readonly [K in keyof T]?: Wire<T[K]> } | null | undefined
    : T | null | undefined;

/** A string; numbers and booleans are stringified, anything else is "". */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "";
}

/** A finite number; numeric strings are parsed; anything else is `fallback`. */
export function num(value: unknown, fallback = 0): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : fallback;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : fallback;
  }
  return fallback;
}

/** `true`, `"true"`, `1` and `"1"` are true; anything else is false. */
export function bool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return value === "1" || value.toLowerCase() === "true";
  return false;
}

/** The array, or [] when the value is not an array. */
export function list<T>(value: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** A PEM string, or null for absent, empty and masked values (`"*******"`). */
export function pemOrNull(value: unknown): string | null {
  const s = str(value);
  return s.includes("-----BEGIN ") ? s : null;
}

/** Domains with the first spelling kept, duplicates (case-insensitive) and blanks dropped. */
export function uniqueDomains(values: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const d = str(v).trim();
    if (d === "" || seen.has(d.toLowerCase())) continue;
    seen.add(d.toLowerCase());
    out.push(d);
  }
  return out;
}
