/**
 * Terraform's built-in functions that configurations here may call, each modelled on
 * https://developer.hashicorp.com/terraform/language/functions/<name>. Unknown arguments give an
 * unknown result; a sensitive argument makes the result sensitive ("sensitive" and
 * "nonsensitive" set and clear the mark). A function not listed is an error, so a configuration
 * that calls something the model does not know fails loudly instead of being mis-simulated.
 */
import * as crypto from "node:crypto";
import { Sensitive, UNKNOWN, Unknown, goJson, plain, type Value } from "./hcl";

export function hasUnknown(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (v instanceof Sensitive) return hasUnknown(v.value);
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasUnknown);
  return false;
}

/** Does the value carry a sensitive mark anywhere? */
export function isMarked(v: Value): boolean {
  if (v instanceof Sensitive) return true;
  if (Array.isArray(v)) return v.some(isMarked);
  if (typeof v === "object" && v !== null && !(v instanceof Unknown)) return Object.values(v).some(isMarked);
  return false;
}

export function mark(v: Value): Value {
  return v instanceof Sensitive ? v : new Sensitive(v);
}

export function unmark(v: Value): { value: Value; sensitive: boolean } {
  return { value: plain(v), sensitive: isMarked(v) };
}

type Fn = (...args: Value[]) => Value;

const str = (v: Value): string => {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new Error(`a string is required, got ${JSON.stringify(v)}`);
};
const list = (v: Value): Value[] => {
  if (Array.isArray(v)) return v;
  throw new Error(`a list is required, got ${JSON.stringify(v)}`);
};
const obj = (v: Value): Record<string, Value> => {
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, Value>;
  throw new Error(`a map or object is required, got ${JSON.stringify(v)}`);
};

function fromJson(v: unknown): Value {
  return v as Value;
}

const FUNCTIONS: Record<string, Fn> = {
  split: (sep, s) => str(s!).split(str(sep!)),
  join: (sep, l) => list(l!).map(str).join(str(sep!)),
  concat: (...ls) => ls.flatMap(list),
  jsonencode: (v) => goJson(v!),
  jsondecode: (s) => fromJson(JSON.parse(str(s!))),
  tostring: (v) => (v === null ? null : str(v!)),
  tonumber: (v) => (v === null ? null : Number(v)),
  tobool: (v) => (v === null ? null : v === true || v === "true"),
  tolist: (v) => list(v!),
  toset: (v) => [...new Set(list(v!).map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as Value),
  tomap: (v) => obj(v!),
  length: (v) => (typeof v === "string" ? [...v].length : Array.isArray(v) ? v.length : Object.keys(obj(v!)).length),
  contains: (l, x) => list(l!).some((e) => JSON.stringify(e) === JSON.stringify(x)),
  coalesce: (...vs) => {
    const found = vs.find((v) => v !== null && v !== "");
    if (found === undefined) throw new Error("no non-null, non-empty-string arguments");
    return found;
  },
  compact: (l) => list(l!).filter((x) => x !== null && x !== ""),
  distinct: (l) => [...new Set(list(l!).map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as Value),
  flatten: (l) => list(l!).flat(Infinity as 1) as Value[],
  keys: (m) => Object.keys(obj(m!)).sort(),
  values: (m) => Object.keys(obj(m!)).sort().map((k) => obj(m!)[k]!),
  merge: (...ms) => Object.assign({}, ...ms.filter((m) => m !== null).map(obj)) as Value,
  lookup: (m, k, d) => {
    const o = obj(m!);
    const key = str(k!);
    if (key in o) return o[key]!;
    if (d === undefined) throw new Error(`the given key ${key} does not exist`);
    return d;
  },
  element: (l, i) => list(l!)[Number(i) % list(l!).length]!,
  one: (l) => {
    const a = list(l!);
    if (a.length > 1) throw new Error("must be a list, set, or tuple value with either zero or one elements");
    return a[0] ?? null;
  },
  alltrue: (l) => list(l!).every((x) => x === true || x === "true"),
  anytrue: (l) => list(l!).some((x) => x === true || x === "true"),
  lower: (s) => str(s!).toLowerCase(),
  upper: (s) => str(s!).toUpperCase(),
  trimspace: (s) => str(s!).trim(),
  trim: (s, cs) => str(s!).replace(new RegExp(`^[${escapeClass(str(cs!))}]+|[${escapeClass(str(cs!))}]+$`, "g"), ""),
  trimprefix: (s, p) => (str(s!).startsWith(str(p!)) ? str(s!).slice(str(p!).length) : str(s!)),
  trimsuffix: (s, p) => (str(s!).endsWith(str(p!)) ? str(s!).slice(0, -str(p!).length) : str(s!)),
  startswith: (s, p) => str(s!).startsWith(str(p!)),
  endswith: (s, p) => str(s!).endsWith(str(p!)),
  strcontains: (s, p) => str(s!).includes(str(p!)),
  replace: (s, a, b) => {
    const pat = str(a!);
    if (pat.length > 1 && pat.startsWith("/") && pat.endsWith("/")) return str(s!).replace(new RegExp(pat.slice(1, -1), "g"), str(b!).replace(/\$\{(\d+)\}/g, "$$$1"));
    return str(s!).split(pat).join(str(b!));
  },
  regex: (p, s) => {
    const m = new RegExp(str(p!)).exec(str(s!));
    if (!m) throw new Error(`pattern did not match any part of the given string`);
    return m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0];
  },
  substr: (s, o, l) => str(s!).substr(Number(o), Number(l) < 0 ? undefined : Number(l)),
  format: (f, ...vs) => {
    let i = 0;
    return str(f!).replace(/%[-+ #0]*\d*(?:\.\d+)?([sdvq%])/g, (_m, c: string) => (c === "%" ? "%" : c === "q" ? JSON.stringify(str(vs[i++]!)) : str(vs[i++]!)));
  },
  sha256: (s) => crypto.createHash("sha256").update(str(s!)).digest("hex"),
  sha1: (s) => crypto.createHash("sha1").update(str(s!)).digest("hex"),
  md5: (s) => crypto.createHash("md5").update(str(s!)).digest("hex"),
  base64encode: (s) => Buffer.from(str(s!)).toString("base64"),
  base64decode: (s) => Buffer.from(str(s!), "base64").toString(),
  abs: (n) => Math.abs(Number(n)),
  floor: (n) => Math.floor(Number(n)),
  ceil: (n) => Math.ceil(Number(n)),
  signum: (n) => Math.sign(Number(n)),
  pow: (a, b) => Number(a) ** Number(b),
  parseint: (s, b) => {
    const n = parseInt(str(s!), Number(b));
    if (Number.isNaN(n)) throw new Error(`cannot parse ${JSON.stringify(s)} as a base ${String(b)} integer`);
    return n;
  },
  reverse: (l) => [...list(l!)].reverse(),
  sort: (l) => list(l!).map(str).sort(),
  slice: (l, a, b) => list(l!).slice(Number(a), Number(b)),
  index: (l, x) => {
    const i = list(l!).findIndex((e) => JSON.stringify(e) === JSON.stringify(x));
    if (i < 0) throw new Error("item not found");
    return i;
  },
  zipmap: (k, v) => Object.fromEntries(list(k!).map((key, i) => [str(key), list(v!)[i]!])),
  chomp: (s) => str(s!).replace(/(\r?\n)+$/, ""),
  title: (s) => str(s!).replace(/\b\w/g, (c) => c.toUpperCase()),
  max: (...ns) => Math.max(...ns.map(Number)),
  min: (...ns) => Math.min(...ns.map(Number)),
  // Time functions: timestamp() is unknown during plan (its documented behaviour); the model has no plan/apply flag here, so it is always unknown.
  timestamp: () => UNKNOWN,
  timecmp: (a, b) => Math.sign(Date.parse(str(a!)) - Date.parse(str(b!))),
  timeadd: (t, d) => new Date(Date.parse(str(t!)) + durationMs(str(d!))).toISOString().replace(/\.000Z$/, "Z"),
};

function escapeClass(s: string): string {
  return s.replace(/[\]\\^-]/g, "\\$&");
}

function durationMs(d: string): number {
  let ms = 0;
  for (const m of d.matchAll(/(-?\d+(?:\.\d+)?)(h|m|s|ms)/g)) ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as "h"];
  return ms;
}

/** An error Terraform reports for the configuration (try() and can() catch these). */
export class TerraformError extends Error {}

export class FunctionError extends TerraformError {}

/** Call a Terraform function by name (try and can are handled by the evaluator). */
export function callFunction(name: string, args: Value[]): Value {
  if (name === "sensitive") return mark(args[0]!);
  if (name === "nonsensitive") {
    if (!isMarked(args[0]!)) throw new FunctionError("Invalid function argument: nonsensitive() on a value that is not sensitive");
    return plain(args[0]!);
  }
  const f = FUNCTIONS[name];
  if (!f) throw new FunctionError(`Call to unknown function: there is no function named "${name}" in this model (add it to test/cdktf/support/tf-functions.ts)`);
  if (args.some(hasUnknown)) return args.some(isMarked) ? mark(UNKNOWN) : UNKNOWN;
  let r: Value;
  try {
    r = f(...args.map(plain));
  } catch (e) {
    throw new FunctionError(`Error in function call ${name}(): ${(e as Error).message}`);
  }
  return args.some(isMarked) ? mark(r) : r;
}
