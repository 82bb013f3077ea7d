/**
 * Readers for Tencent's raw answers (`RawAnswer.output`), for the doctor's checks. They never throw:
 * an absent or odd value reads as "" / null / [], and the checks say so in their evidence.
 */
import type { RawAnswer, RawObject } from "./probe-port";

/** The value at `path` (`"CertificateExtra.RenewOrder"`), or undefined. */
export function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split(".")) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A string (numbers stringified); "" for anything else. */
export function text(obj: unknown, path: string): string {
  const v = at(obj, path);
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return String(v);
  return "";
}

/** A number (numeric strings parsed); null when absent or not a number. */
export function numberAt(obj: unknown, path: string): number | null {
  const v = at(obj, path);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** `true`, `1`, `"1"`, `"true"` are true. */
export function flag(obj: unknown, path: string): boolean {
  const v = at(obj, path);
  return v === true || v === 1 || v === "1" || (typeof v === "string" && v.toLowerCase() === "true");
}

export function objects(obj: unknown, path: string): RawObject[] {
  const v = at(obj, path);
  return Array.isArray(v) ? v.filter((x): x is RawObject => typeof x === "object" && x !== null) : [];
}

/** How a value looks, for evidence: `"x"`, `null`, `(absent)`, `3`. */
export function shown(obj: unknown, path: string): string {
  const v = at(obj, path);
  return v === undefined ? "(absent)" : JSON.stringify(v);
}

/** The PEM certificates in a blob. */
export function pemCertificateCount(pem: string): number {
  return (pem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
}

/** What a `CertificatePrivateKey` value is, without ever showing it. */
export type PrivateKeyForm = "absent" | "masked" | "pem" | "encrypted" | "other";

export function privateKeyForm(value: unknown): PrivateKeyForm {
  if (value === undefined || value === null || value === "") return "absent";
  if (typeof value !== "string") return "other";
  if (/ENCRYPTED/.test(value) && value.includes("-----BEGIN ")) return "encrypted";
  if (value.includes("-----BEGIN ") && value.includes("PRIVATE KEY-----")) return "pem";
  if (/^\*+$/.test(value.trim())) return "masked";
  return "other";
}

/** The error code of a failed answer, or "". */
export function errorCode(a: RawAnswer): string {
  return a.error?.code ?? "";
}
