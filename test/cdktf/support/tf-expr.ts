/**
 * Terraform expressions, parsed by HashiCorp's own HCL parser (hclsyntax, compiled to WASM and
 * shipped as `@cdktf/hcl2json`'s `getExpressionAst`), evaluated here.
 *
 * Both forms of configuration reach this module the same way: `.tf.json` (cdktf's cdk.tf.json) and
 * `.tf` converted by hcl2json are JSON documents whose strings are templates
 * (https://developer.hashicorp.com/terraform/language/syntax/json, "Expression Mapping": a JSON
 * string is a string template; a template that is a single interpolation `"${x}"` yields x's value
 * unchanged, of any type). Each template is parsed as an HCL heredoc body, which is exactly a
 * template without quote escapes, as JSON strings are after JSON decoding.
 *
 * Values: JS strings, numbers, booleans, null, arrays, objects, plus `UNKNOWN` ("known after apply")
 * and `Sensitive` (a value with Terraform's sensitive mark), from ./hcl. The evaluation is a model:
 * - unknowns propagate through operators, functions and templates (a conditional with an unknown
 *   condition is unknown; traversing an unknown gives unknown);
 * - the sensitive mark propagates to the result of any operator, function or template that reads a
 *   sensitive value (https://developer.hashicorp.com/terraform/language/expressions/references,
 *   "Sensitive Resource Attributes"); `nonsensitive()` removes it, `sensitive()` adds it;
 * - types are loose (no cty type unification); functions not listed in ./tf-functions are errors.
 */
import { getExpressionAst } from "@cdktf/hcl2json";
import { Sensitive, UNKNOWN, Unknown, plain, type Value } from "./hcl";
import { TerraformError, callFunction, hasUnknown, isMarked, mark, unmark } from "./tf-functions";

export { TerraformError };

interface Ast {
  readonly type: string;
  readonly children: Ast[];
  readonly meta?: Record<string, unknown> & { value?: string };
  readonly range: { start: { byte: number }; end: { byte: number } };
}

interface Compiled {
  readonly ast: Ast;
  readonly source: Buffer;
}

const MARKER = "EOT_TF_SIM_TEMPLATE";
const compiled = new Map<string, Compiled>();

/** Does this JSON string hold a template (an interpolation or a directive)? */
export function isTemplate(s: string): boolean {
  return /(^|[^$])\$\{|(^|[^%])%\{/.test(s);
}

/** Parse every template string in a JSON document (the parser is async; evaluation is not). */
export async function compileAll(doc: unknown): Promise<void> {
  const pending: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (isTemplate(v) && !compiled.has(v)) pending.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
  };
  walk(doc);
  for (const s of pending) {
    if (compiled.has(s)) continue;
    if (s.split("\n").includes(MARKER)) throw new TerraformError(`template contains the heredoc marker: ${s}`);
    const source = `<<${MARKER}\n${s}\n${MARKER}\n`;
    let ast: Ast | null;
    try {
      ast = (await getExpressionAst("main.tf.json", source)) as unknown as Ast | null;
    } catch (e) {
      throw new TerraformError(`Invalid template ${JSON.stringify(s)}: ${(e as Error).message}`);
    }
    if (!ast) throw new TerraformError(`Invalid template ${JSON.stringify(s)}`);
    compiled.set(s, { ast, source: Buffer.from(source) });
  }
}

/** A resolver turns a traversal (root name first) into a value; it throws for undeclared names. */
export type Resolve = (parts: readonly (string | number)[]) => Value;

/** Evaluate a JSON-syntax value: every string a template, objects and arrays element-wise. */
export function evaluateJson(v: unknown, resolve: Resolve): Value {
  if (typeof v === "string") return isTemplate(v) ? evaluateTemplateString(v, resolve) : unescapeLiteral(v);
  if (Array.isArray(v)) return v.map((x) => evaluateJson(x, resolve));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = evaluateJson(x, resolve);
    return out;
  }
  return v as Value;
}

function unescapeLiteral(s: string): string {
  return s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

export function evaluateTemplateString(s: string, resolve: Resolve): Value {
  const c = compiled.get(s);
  if (!c) throw new TerraformError(`template not compiled (call compileAll first): ${s}`);
  const ast = c.ast;
  if (ast.type !== "template") return new Evaluator(c.source, resolve).eval(ast);
  // The heredoc adds the final newline: drop it from the last literal.
  const parts = [...ast.children];
  const last = parts.at(-1);
  if (last?.type === "literalValue" && String(last.meta?.value).endsWith("\n")) {
    const text = String(last.meta!.value).slice(0, -1);
    parts.pop();
    if (text !== "") parts.push({ ...last, meta: { ...last.meta, value: text } });
  }
  return new Evaluator(c.source, resolve).template(parts);
}

/** All references (root traversals, e.g. "data.external.status", "var.x") in a JSON-syntax value. */
export function referencesIn(v: unknown): string[][] {
  const out: string[][] = [];
  const walk = (x: unknown) => {
    if (typeof x === "string") {
      if (!isTemplate(x)) return;
      const c = compiled.get(x);
      if (!c) throw new TerraformError(`template not compiled: ${x}`);
      collectRefs(c.ast, out);
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === "object" && x !== null) Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
}

function collectRefs(ast: Ast, out: string[][], bound: ReadonlySet<string> = new Set()): void {
  if (ast.type === "scopeTraversal") {
    const parts = traversalOf(ast).map(String);
    if (!bound.has(parts[0]!)) out.push(parts);
  }
  if (ast.type === "for") {
    // The key and value names are bound in every part but the collection.
    const [collection, ...rest] = ast.children;
    collectRefs(collection!, out, bound);
    const inner = new Set([...bound, String(ast.meta?.["keyVar"] ?? ""), String(ast.meta?.["valVar"] ?? "")]);
    for (const c of rest) collectRefs(c, out, inner);
    return;
  }
  for (const c of ast.children) collectRefs(c, out, bound);
}

/**
 * Does any part of a JSON-syntax value carry what `isSource` calls a source (e.g. a private key),
 * through any operator or function but those in `cleansing` (e.g. sha256: a digest does not carry
 * the key)? Names bound by for-expressions are not references.
 */
export function carries(v: unknown, isSource: (parts: string[]) => boolean, cleansing: ReadonlySet<string>): boolean {
  /** The full traversal of `x.y[*].z`, `x.y[i].z`, `x.y.z` (an index counts as "0"), or undefined. */
  const pathOf = (a: Ast): string[] | undefined => {
    if (a.type === "scopeTraversal") return traversalOf(a).map(String);
    if (a.type === "index") {
      const base = pathOf(a.children[0]!);
      return base && [...base, "0"];
    }
    if (a.type === "relativeTraversal" || a.type === "splat") {
      const base = pathOf(a.children[0]!);
      const each = a.type === "splat" ? a.children[1] : a;
      const rest = each?.type === "relativeTraversal" ? traversalOf(each).map(String) : [];
      return base && [...base, ...rest];
    }
    return undefined;
  };
  const COMPARISONS = new Set(["equal", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"]);
  const walk = (a: Ast, bound: ReadonlySet<string>): boolean => {
    const path = pathOf(a);
    if (path) {
      if (!bound.has(path[0]!) && isSource(path)) return true;
      // Index keys may refer to other things; the traversed value itself was judged above.
      return a.type === "index" ? walk(a.children[1]!, bound) : false;
    }
    // A comparison is a bool, and a condition only selects a branch: neither carries the value.
    if (a.type === "binaryOp" && COMPARISONS.has(String(a.meta?.["operator"]))) return false;
    if (a.type === "conditional") return walk(a.children[1]!, bound) || walk(a.children[2]!, bound);
    if (a.type === "function" && cleansing.has(String(a.meta?.["name"]))) return false;
    if (a.type === "for") {
      const [collection, ...rest] = a.children;
      const inner = new Set([...bound, String(a.meta?.["keyVar"] ?? ""), String(a.meta?.["valVar"] ?? "")]);
      return walk(collection!, bound) || rest.some((c) => walk(c, inner));
    }
    return a.children.some((c) => walk(c, bound));
  };
  const each = (x: unknown): boolean => {
    if (typeof x === "string") return isTemplate(x) && walk(compiled.get(x)!.ast, new Set());
    if (Array.isArray(x)) return x.some(each);
    if (typeof x === "object" && x !== null) return Object.values(x).some(each);
    return false;
  };
  return each(v);
}

/** Function names called anywhere in a JSON-syntax value. */
export function functionsIn(v: unknown): string[] {
  const out: string[] = [];
  const walk = (a: Ast) => {
    if (a.type === "function") out.push(String(a.meta?.["name"]));
    a.children.forEach(walk);
  };
  const each = (x: unknown) => {
    if (typeof x === "string" && isTemplate(x)) walk(compiled.get(x)!.ast);
    else if (Array.isArray(x)) x.forEach(each);
    else if (typeof x === "object" && x !== null) Object.values(x).forEach(each);
  };
  each(v);
  return out;
}

function traversalOf(ast: Ast): (string | number)[] {
  const parts = (ast.meta?.["traversal"] as { type: string; segment: string }[] | undefined) ?? [];
  return parts.map((p) => (p.type === "indexTraversal" ? (JSON.parse(p.segment) as string | number) : p.segment));
}

const BINARY: Record<string, (a: Value, b: Value) => Value> = {
  equal: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  notEqual: (a, b) => JSON.stringify(a) !== JSON.stringify(b),
  logicalAnd: (a, b) => bool(a) && bool(b),
  logicalOr: (a, b) => bool(a) || bool(b),
  greaterThan: (a, b) => num(a) > num(b),
  greaterThanOrEqual: (a, b) => num(a) >= num(b),
  lessThan: (a, b) => num(a) < num(b),
  lessThanOrEqual: (a, b) => num(a) <= num(b),
  add: (a, b) => num(a) + num(b),
  subtract: (a, b) => num(a) - num(b),
  multiply: (a, b) => num(a) * num(b),
  divide: (a, b) => num(a) / num(b),
  modulo: (a, b) => num(a) % num(b),
};

function bool(v: Value): boolean {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw new TerraformError(`Invalid operand: a bool is required, got ${JSON.stringify(v)}`);
}

function num(v: Value): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new TerraformError(`Invalid operand: a number is required, got ${JSON.stringify(v)}`);
  return n;
}

/** Terraform's string conversion for template interpolation. */
export function toText(v: Value): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) throw new TerraformError("Invalid template interpolation value: the value is null");
  throw new TerraformError(`Invalid template interpolation value: cannot include a ${Array.isArray(v) ? "tuple" : "object"} in a string template`);
}

class Evaluator {
  constructor(
    readonly source: Buffer,
    readonly resolve: Resolve,
    readonly locals: ReadonlyMap<string, Value> = new Map(),
  ) {}

  private with(names: Record<string, Value>): Evaluator {
    return new Evaluator(this.source, this.resolve, new Map([...this.locals, ...Object.entries(names)]));
  }

  private text(a: Ast): string {
    return this.source.subarray(a.range.start.byte, a.range.end.byte).toString();
  }

  template(parts: Ast[]): Value {
    if (parts.length === 1 && parts[0]!.type !== "literalValue") return this.eval(parts[0]!);
    const values = parts.map((p) => (p.type === "literalValue" ? unescapeLiteral(String(p.meta?.value ?? "")) : this.eval(p)));
    return derive(values, (vs) => vs.map(toText).join(""));
  }

  eval(a: Ast): Value {
    switch (a.type) {
      case "":
        if (a.children.length === 1) return this.eval(a.children[0]!);
        throw new TerraformError(`unsupported expression ${this.text(a)}`);
      case "literalValue":
        return literal(a);
      case "template":
        return this.template(a.children);
      case "templateWrap":
        return this.eval(a.children[0]!);
      case "scopeTraversal":
        return this.traversal(traversalOf(a));
      case "relativeTraversal":
        return traverse(this.eval(a.children[0]!), traversalOf(a));
      case "index": {
        const key = this.eval(a.children[1]!);
        if (key instanceof Unknown) return UNKNOWN;
        return traverse(this.eval(a.children[0]!), [plain(key) as string | number], isMarked(key));
      }
      case "tuple":
        return a.children.map((c) => this.eval(c));
      case "object":
        return this.object(a);
      case "function":
        return this.call(a);
      case "conditional": {
        const cond = this.eval(a.children[0]!);
        if (hasUnknown(cond)) return UNKNOWN;
        const chosen = bool(plain(cond)) ? this.eval(a.children[1]!) : this.eval(a.children[2]!);
        return isMarked(cond) ? mark(chosen) : chosen;
      }
      case "binaryOp": {
        const op = BINARY[String(a.meta?.["operator"])];
        if (!op) throw new TerraformError(`unsupported operator ${String(a.meta?.["operator"])}`);
        return derive([this.eval(a.children[0]!), this.eval(a.children[1]!)], ([x, y]) => op(x!, y!));
      }
      case "unaryOp":
        return derive([this.eval(a.children[0]!)], ([x]) => (a.meta?.["operator"] === "logicalNot" ? !bool(x!) : -num(x!)));
      case "for":
        return this.forExpr(a);
      case "splat": {
        const src = this.eval(a.children[0]!);
        if (src instanceof Unknown) return UNKNOWN;
        const list = plain(src);
        const items = Array.isArray(list) ? list : list === null ? [] : [list];
        const each = a.children[1]!;
        return items.map((it) => (each.type === "relativeTraversal" ? traverse(it, traversalOf(each)) : it));
      }
      default:
        throw new TerraformError(`unsupported expression (${a.type}) ${this.text(a)}`);
    }
  }

  private traversal(parts: (string | number)[]): Value {
    const [root, ...rest] = parts;
    if (typeof root === "string" && this.locals.has(root)) return traverse(this.locals.get(root)!, rest);
    return this.resolve(parts);
  }

  private object(a: Ast): Value {
    const out: Record<string, Value> = {};
    for (let i = 0; i + 1 < a.children.length; i += 2) {
      const k = a.children[i]!;
      const key = k.type === "" && k.children.length === 0 ? this.text(k) : this.eval(k);
      if (hasUnknown(key)) return UNKNOWN;
      out[toText(plain(key))] = this.eval(a.children[i + 1]!);
    }
    return out;
  }

  private call(a: Ast): Value {
    const name = String(a.meta?.["name"]);
    if (name === "try" || name === "can") {
      for (const c of a.children) {
        try {
          const v = this.eval(c);
          if (name === "can") return hasUnknown(v) ? UNKNOWN : true;
          return v;
        } catch (e) {
          if (!(e instanceof TerraformError)) throw e;
        }
      }
      if (name === "can") return false;
      throw new TerraformError("Error in function call: try(): no expression succeeded");
    }
    let args = a.children.map((c) => this.eval(c));
    if (a.meta?.["expandedFinalArgument"] === true) {
      const last = args.pop()!;
      if (last instanceof Unknown) return UNKNOWN;
      args = [...args, ...(plain(last) as Value[])];
    }
    return callFunction(name, args);
  }

  private forExpr(a: Ast): Value {
    const m = a.meta as Record<string, unknown>;
    const isObject = m["openRangeValue"] === "{";
    const [collectionAst, ...rest] = a.children;
    const keyAst = isObject ? rest.shift() : undefined;
    const valueAst = rest.shift()!;
    const condAst = m["conditionalExpression"] ? rest.shift() : undefined;
    const collection = this.eval(collectionAst!);
    if (collection instanceof Unknown) return UNKNOWN;
    const c = unmark(collection);
    const entries: [Value, Value][] = Array.isArray(c.value) ? c.value.map((v, i) => [i, v]) : Object.entries(c.value as Record<string, Value>);
    const outList: Value[] = [];
    const outObj: Record<string, Value> = {};
    for (const [k, v] of entries) {
      const names: Record<string, Value> = { [String(m["valVar"])]: v };
      if (m["keyVar"]) names[String(m["keyVar"])] = k;
      const scope = this.with(names);
      if (condAst) {
        const ok = scope.eval(condAst);
        if (hasUnknown(ok)) return UNKNOWN;
        if (!bool(plain(ok))) continue;
      }
      if (isObject) {
        const key = scope.eval(keyAst!);
        if (hasUnknown(key)) return UNKNOWN;
        outObj[toText(plain(key))] = scope.eval(valueAst);
      } else outList.push(scope.eval(valueAst));
    }
    const result = isObject ? outObj : outList;
    return c.sensitive ? mark(result) : result;
  }
}

function literal(a: Ast): Value {
  const m = a.meta as { type: string; value: string };
  if (m.type === "number") return Number(m.value);
  if (m.type === "bool") return m.value === "true";
  // `null` is a literal of type "dynamic" (cty.NullVal(cty.DynamicPseudoType)).
  if (m.type === "dynamic" || m.type === "null" || m.value === undefined) return null;
  return unescapeLiteral(m.value);
}

/** Apply f to the plain values; unknown if any is unknown, sensitive if any is. */
function derive(values: Value[], f: (vs: Value[]) => Value): Value {
  if (values.some(hasUnknown)) return values.some(isMarked) ? mark(UNKNOWN) : UNKNOWN;
  const r = f(values.map(plain));
  return values.some(isMarked) ? mark(r) : r;
}

/** Index into a value: `.name` and `[key]`; marks carry to what is read. */
export function traverse(v: Value, parts: readonly (string | number | Value)[], marked = false): Value {
  let cur = v;
  let sensitive = marked;
  for (const p of parts) {
    if (cur instanceof Sensitive) {
      sensitive = true;
      cur = cur.value;
    }
    if (cur instanceof Unknown) return sensitive ? mark(UNKNOWN) : UNKNOWN;
    if (typeof cur !== "object" || cur === null) throw new TerraformError(`Unsupported attribute: cannot read ${JSON.stringify(p)} of ${JSON.stringify(cur)}`);
    const key = plain(p as Value) as string | number;
    const next: Value | undefined = Array.isArray(cur) ? cur[Number(key)] : (cur as Record<string, Value>)[String(key)];
    if (next === undefined) throw new TerraformError(`Unsupported attribute or invalid index: ${JSON.stringify(key)} is not in ${Array.isArray(cur) ? `a tuple of ${cur.length}` : `{${Object.keys(cur).join(", ")}}`}`);
    cur = next;
  }
  return sensitive ? mark(cur) : cur;
}
