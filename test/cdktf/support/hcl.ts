/**
 * A small evaluator for the HCL expressions a synthesized cdk.tf.json contains (`"${...}"`):
 * references, `a["k"]`, function calls, `==`/`!=`, `? :`, string/number/bool literals, tuples and
 * objects. Enough to run our stack the way Terraform would, and strict: anything it does not
 * understand is an error, so a malformed expression fails the test.
 *
 * Unknown values (computed during apply) are `UNKNOWN`; sensitive values are wrapped in `Sensitive`.
 */

/** A value known only during apply. */
export class Unknown {
  toString(): string {
    return "(known after apply)";
  }
}
export const UNKNOWN = new Unknown();

export class Sensitive {
  constructor(readonly value: Value) {}
}

export type Value = string | number | boolean | null | Unknown | Sensitive | Value[] | { [k: string]: Value };

export type Expr =
  | { kind: "lit"; value: string | number | boolean | null }
  | { kind: "ref"; parts: (string | Expr)[] }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "bin"; op: "==" | "!="; left: Expr; right: Expr }
  | { kind: "cond"; cond: Expr; then: Expr; else: Expr }
  | { kind: "tuple"; items: Expr[] }
  | { kind: "object"; entries: [Expr, Expr][] };

/** A template: literal text and `${expr}` parts. */
export type Template = (string | Expr)[];

export function parseTemplate(s: string): Template {
  const parts: Template = [];
  let i = 0;
  let text = "";
  while (i < s.length) {
    if (s.startsWith("$${", i)) {
      text += "${";
      i += 3;
    } else if (s.startsWith("${", i)) {
      if (text) parts.push(text);
      text = "";
      const p = new Parser(s, i + 2);
      const e = p.expr();
      p.ws();
      if (s[p.i] !== "}") throw new Error(`hcl: expected } at ${p.i} in ${JSON.stringify(s)}`);
      parts.push(e);
      i = p.i + 1;
    } else text += s[i++];
  }
  if (text) parts.push(text);
  return parts;
}

class Parser {
  constructor(
    readonly s: string,
    public i: number,
  ) {}

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  fail(what: string): never {
    throw new Error(`hcl: ${what} at ${this.i} in ${JSON.stringify(this.s)}`);
  }

  eat(tok: string): boolean {
    this.ws();
    if (this.s.startsWith(tok, this.i)) {
      this.i += tok.length;
      return true;
    }
    return false;
  }

  expect(tok: string): void {
    if (!this.eat(tok)) this.fail(`expected ${tok}`);
  }

  expr(): Expr {
    const cond = this.comparison();
    if (this.eat("?")) {
      const then = this.expr();
      this.expect(":");
      const els = this.expr();
      return { kind: "cond", cond, then, else: els };
    }
    return cond;
  }

  comparison(): Expr {
    const left = this.primary();
    this.ws();
    for (const op of ["==", "!="] as const) if (this.eat(op)) return { kind: "bin", op, left, right: this.primary() };
    return left;
  }

  primary(): Expr {
    this.ws();
    const c = this.s[this.i];
    if (c === "(") {
      this.i++;
      const e = this.expr();
      this.expect(")");
      return e;
    }
    if (c === '"') return { kind: "lit", value: this.string() };
    if (c === "[") {
      this.i++;
      const items: Expr[] = [];
      while (!this.eat("]")) {
        items.push(this.expr());
        if (!this.eat(",")) {
          this.expect("]");
          break;
        }
      }
      return { kind: "tuple", items };
    }
    if (c === "{") {
      this.i++;
      const entries: [Expr, Expr][] = [];
      while (!this.eat("}")) {
        this.ws();
        const key: Expr = this.s[this.i] === '"' ? { kind: "lit", value: this.string() } : { kind: "lit", value: this.ident() };
        if (!this.eat("=")) this.expect(":");
        entries.push([key, this.expr()]);
        this.eat(",");
      }
      return { kind: "object", entries };
    }
    if (c !== undefined && /[0-9-]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(this.s.slice(this.i));
      if (!m) this.fail("bad number");
      this.i += m[0].length;
      return { kind: "lit", value: Number(m[0]) };
    }
    const name = this.ident();
    if (name === "true" || name === "false") return { kind: "lit", value: name === "true" };
    if (name === "null") return { kind: "lit", value: null };
    if (this.s[this.i] === "(") {
      this.i++;
      const args: Expr[] = [];
      while (!this.eat(")")) {
        args.push(this.expr());
        if (!this.eat(",")) {
          this.expect(")");
          break;
        }
      }
      return { kind: "call", name, args };
    }
    const parts: (string | Expr)[] = [name];
    for (;;) {
      if (this.s[this.i] === ".") {
        this.i++;
        parts.push(this.ident());
      } else if (this.s[this.i] === "[") {
        this.i++;
        parts.push(this.expr());
        this.expect("]");
      } else break;
    }
    return { kind: "ref", parts };
  }

  ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) this.fail("expected an identifier");
    this.i += m[0].length;
    return m[0];
  }

  string(): string {
    // HCL quoted string: JSON-like escapes; a nested ${ is not used by our stacks.
    let out = "";
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "$" && this.s[this.i + 1] === "{") this.fail("nested template in a string literal is not supported");
      if (c === "\\") {
        const n = this.s[this.i + 1];
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (n === "u") {
          out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        if (n === undefined || !(n in map)) this.fail("bad escape");
        out += map[n];
        this.i += 2;
        continue;
      }
      out += c;
      this.i++;
    }
    return this.fail("unterminated string");
  }
}

/** Every reference (`type.name` or `data.type.name`, `var.x`) an expression or template makes. */
export function references(t: Template | Expr): string[] {
  const out: string[] = [];
  const walk = (e: Expr | string): void => {
    if (typeof e === "string") return;
    switch (e.kind) {
      case "ref": {
        const names = e.parts.filter((p): p is string => typeof p === "string");
        if (names[0] === "data") out.push(names.slice(0, 3).join("."));
        else out.push(names.slice(0, 2).join("."));
        e.parts.forEach(walk);
        break;
      }
      case "call":
        e.args.forEach(walk);
        break;
      case "bin":
        walk(e.left);
        walk(e.right);
        break;
      case "cond":
        walk(e.cond);
        walk(e.then);
        walk(e.else);
        break;
      case "tuple":
        e.items.forEach(walk);
        break;
      case "object":
        e.entries.forEach(([k, v]) => (walk(k), walk(v)));
        break;
      case "lit":
        break;
    }
  };
  if (Array.isArray(t)) t.forEach(walk);
  else walk(t);
  return out;
}

/** Every function an expression calls. */
export function functionsCalled(t: Template): string[] {
  const out: string[] = [];
  const walk = (e: Expr | string): void => {
    if (typeof e === "string") return;
    if (e.kind === "call") out.push(e.name);
    const kids: (Expr | string)[] =
      e.kind === "ref" ? e.parts : e.kind === "call" ? e.args : e.kind === "bin" ? [e.left, e.right] : e.kind === "cond" ? [e.cond, e.then, e.else] : e.kind === "tuple" ? e.items : e.kind === "object" ? e.entries.flat() : [];
    kids.forEach(walk);
  };
  t.forEach(walk);
  return out;
}

export function isUnknown(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (v instanceof Sensitive) return isUnknown(v.value);
  if (Array.isArray(v)) return v.some(isUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(isUnknown);
  return false;
}

export function isSensitive(v: Value): boolean {
  if (v instanceof Sensitive) return true;
  if (Array.isArray(v)) return v.some(isSensitive);
  if (typeof v === "object" && v !== null && !(v instanceof Unknown)) return Object.values(v).some(isSensitive);
  return false;
}

/** Strip sensitivity marks (what a provider or program receives). */
export function plain(v: Value): Value {
  if (v instanceof Sensitive) return plain(v.value);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object" && v !== null && !(v instanceof Unknown)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Go's encoding/json for a string: HTML-safe (<, >, & as \u003c...), U+2028/9 escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Go's encoding/json (as Terraform's jsonencode and the external provider write it): sorted keys, compact. */
export function goJson(v: Value): string {
  if (v instanceof Unknown || v instanceof Sensitive) throw new Error("goJson: unknown or sensitive value");
  if (v === null) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(",")}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJson(v[k]!)}`)
    .join(",")}}`;
}

export type Resolver = (parts: (string | Value)[]) => Value;

export function evaluate(e: Expr, resolve: Resolver): Value {
  switch (e.kind) {
    case "lit":
      return e.value;
    case "ref":
      return resolve(e.parts.map((p) => (typeof p === "string" ? p : evaluate(p, resolve))));
    case "tuple":
      return e.items.map((x) => evaluate(x, resolve));
    case "object": {
      const o: Record<string, Value> = {};
      for (const [k, v] of e.entries) {
        const key = evaluate(k, resolve);
        if (typeof key !== "string") throw new Error("hcl: object key must be a string");
        o[key] = evaluate(v, resolve);
      }
      return o;
    }
    case "bin": {
      const l = evaluate(e.left, resolve);
      const r = evaluate(e.right, resolve);
      if (isUnknown(l) || isUnknown(r)) return UNKNOWN;
      const eq = JSON.stringify(plain(l)) === JSON.stringify(plain(r));
      const out = e.op === "==" ? eq : !eq;
      return isSensitive(l) || isSensitive(r) ? new Sensitive(out) : out;
    }
    case "cond": {
      const c = evaluate(e.cond, resolve);
      if (isUnknown(c)) return UNKNOWN;
      const cv = plain(c);
      if (typeof cv !== "boolean") throw new Error("hcl: condition must be a bool");
      const out = evaluate(cv ? e.then : e.else, resolve);
      return isSensitive(c) && !(out instanceof Sensitive) ? new Sensitive(out) : out;
    }
    case "call":
      return callFunction(
        e.name,
        e.args.map((a) => evaluate(a, resolve)),
      );
  }
}

function callFunction(name: string, args: Value[]): Value {
  const sensitive = args.some(isSensitive);
  const wrap = (v: Value): Value => (sensitive && !(v instanceof Sensitive) ? new Sensitive(v) : v);
  switch (name) {
    case "sensitive":
      if (args.length !== 1) throw new Error("hcl: sensitive() takes one argument");
      return args[0] instanceof Sensitive ? args[0] : new Sensitive(args[0]!);
    case "jsonencode":
      if (args.length !== 1) throw new Error("hcl: jsonencode() takes one argument");
      return isUnknown(args[0]!) ? UNKNOWN : wrap(goJson(plain(args[0]!)));
    case "split": {
      const [sep, str] = args.map(plain);
      if (isUnknown(args[0]!) || isUnknown(args[1]!)) return UNKNOWN;
      if (typeof sep !== "string" || typeof str !== "string") throw new Error("hcl: split(string, string)");
      return wrap(str.split(sep));
    }
    default:
      throw new Error(`hcl: function ${name}() is not supported by this harness`);
  }
}

/** Evaluate a template (a JSON string value of the synthesized config). */
export function evaluateTemplate(t: Template, resolve: Resolver): Value {
  if (t.length === 1 && typeof t[0] !== "string") return evaluate(t[0]!, resolve);
  let out = "";
  let sensitive = false;
  for (const p of t) {
    if (typeof p === "string") out += p;
    else {
      const v = evaluate(p, resolve);
      if (isUnknown(v)) return UNKNOWN;
      if (isSensitive(v)) sensitive = true;
      const pv = plain(v);
      if (typeof pv !== "string" && typeof pv !== "number" && typeof pv !== "boolean") throw new Error("hcl: only primitives can be interpolated");
      out += String(pv);
    }
  }
  return sensitive ? new Sensitive(out) : out;
}

/** Evaluate any synthesized JSON value: strings are templates, objects and arrays recursively. */
export function evaluateJson(v: unknown, resolve: Resolver): Value {
  if (typeof v === "string") return evaluateTemplate(parseTemplate(v), resolve);
  if (Array.isArray(v)) return v.map((x) => evaluateJson(x, resolve));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evaluateJson(x, resolve)]));
  return v as Value;
}

/** All templates in a synthesized JSON value. */
export function templatesIn(v: unknown): Template[] {
  if (typeof v === "string") return v.includes("${") ? [parseTemplate(v)] : [];
  if (Array.isArray(v)) return v.flatMap(templatesIn);
  if (typeof v === "object" && v !== null) return Object.values(v).flatMap(templatesIn);
  return [];
}
