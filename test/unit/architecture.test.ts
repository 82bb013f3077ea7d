/**
 * Architecture rules of the product code, checked on every commit (issue 10):
 *
 *  1. No function, method, accessor, constructor or arrow body is over 80 lines. Exempt: the
 *     emulator's declarative handler tables, i.e. a function under emulator/ ending in `return { … }`
 *     whose entries are all `Action: handler(core, (…) => …)`. The table literal is not counted; the
 *     code around it is, and each handler inside is measured on its own.
 *  2. No import circle among relative imports (`import`, `import type`, `export … from`,
 *     `import x = require(…)`, `require(…)` and `import(…)` of a relative path).
 *  3. The front ends (provider/, cli/, constructs/) never call the SSL or DNS ports themselves:
 *     no `x.ssl.y` / `x.dns.y` and no `{ ssl }` / `{ dns }` taken apart. They go through the engine
 *     (passing `deps.ssl` on to an engine function is fine).
 *
 * Each rule's checker is first shown to catch a small made-up violation, so a green run means
 * something. Sources are parsed, not type-checked: the whole walk takes well under a second.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const PRODUCT_DIRS = ["engine", "tencent", "crypto", "state", "runtime", "cli", "provider", "constructs", "emulator"];
const FRONT_END_DIRS = ["provider", "cli", "constructs"];
const MAX_LINES = 80;

interface Source {
  /** Relative to the repository root, with `/`. */
  readonly file: string;
  readonly sf: ts.SourceFile;
}

function productFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...productFiles(p));
    } else if (p.endsWith(".ts") && !p.endsWith(".d.ts") && !/\.(test|spec)\.ts$/.test(p)) {
      out.push(p);
    }
  }
  return out;
}

function parse(file: string, text: string): Source {
  return { file, sf: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) };
}

function loadProduct(): Source[] {
  return PRODUCT_DIRS.flatMap((d) => productFiles(path.join(ROOT, d)))
    .sort()
    .map((p) => parse(path.relative(ROOT, p).split(path.sep).join("/"), fs.readFileSync(p, "utf8")));
}

function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line;
}

function span(sf: ts.SourceFile, node: ts.Node): number {
  return lineOf(sf, node.getEnd()) - lineOf(sf, node.getStart(sf)) + 1;
}

// ---- rule 1: function length ----

function isFunctionExpr(n: ts.Node): boolean {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n);
}

/** A table entry: `Action: handler(core, (…) => …)`, an action name mapped to a wrapped handler. */
function isHandlerEntry(p: ts.ObjectLiteralElementLike): boolean {
  return ts.isPropertyAssignment(p) && ts.isCallExpression(p.initializer) && p.initializer.arguments.some(isFunctionExpr);
}

/** The returned handler table, if this body ends in one. */
function handlerTable(body: ts.Block): ts.ObjectLiteralExpression | null {
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return null;
  let e: ts.Expression = last.expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (!ts.isObjectLiteralExpression(e) || e.properties.length === 0) return null;
  return e.properties.every(isHandlerEntry) ? e : null;
}

/** A body's length in lines, less a returned emulator handler table (all but the line it starts on). */
function measuredLines(file: string, sf: ts.SourceFile, body: ts.ConciseBody): number {
  const table = file.startsWith("emulator/") && ts.isBlock(body) ? handlerTable(body) : null;
  return span(sf, body) - (table ? span(sf, table) - 1 : 0);
}

function functionName(n: ts.FunctionLikeDeclaration): string {
  if (n.name) return n.name.getText();
  const parent = n.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  if (ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

function longFunctions({ file, sf }: Source): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && "body" in n && n.body) {
      const fn = n as ts.FunctionLikeDeclaration & { body: ts.ConciseBody };
      const lines = measuredLines(file, sf, fn.body);
      if (lines > MAX_LINES) found.push(`${file}:${lineOf(sf, fn.getStart(sf)) + 1} ${functionName(fn)}: ${lines} lines`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

// ---- rule 2: import circles ----

function specifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push(n.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      out.push(n.moduleReference.expression.text);
    } else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require"))) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.filter((s) => s.startsWith("."));
}

/** Relative imports between the given files (`./x` is `x.ts` or `x/index.ts`). */
function importGraph(sources: readonly Source[]): Map<string, string[]> {
  const known = new Set(sources.map((s) => s.file));
  const graph = new Map<string, string[]>();
  for (const { file, sf } of sources) {
    const deps = specifiers(sf).flatMap((spec) => {
      const base = path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, "");
      const hit = [base, `${base}.ts`, `${base}/index.ts`].find((c) => known.has(c));
      return hit ? [hit] : [];
    });
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const dfs = (n: string): void => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "open") cycles.push([...stack.slice(stack.indexOf(m)), m].join(" -> "));
      else if (!state.has(m)) dfs(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) dfs(n);
  return cycles;
}

// ---- rule 3: front ends do not call the ports ----

const PORTS = new Set(["ssl", "dns"]);

function portCalls({ file, sf }: Source): string[] {
  const found: string[] = [];
  const at = (n: ts.Node) => `${file}:${lineOf(sf, n.getStart(sf)) + 1} ${n.getText(sf).replace(/\s+/g, " ").slice(0, 80)}`;
  const visit = (n: ts.Node): void => {
    // `x.ssl.y`, `x.ssl?.y`, `x.ssl["y"]`: a member of a port.
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && ts.isPropertyAccessExpression(n.expression) && PORTS.has(n.expression.name.text)) {
      found.push(at(n));
    }
    // `const { ssl } = deps` / `{ dns: d }`: a port taken out to call later.
    if (ts.isObjectBindingPattern(n)) {
      for (const el of n.elements) {
        const key = el.propertyName ?? el.name;
        if (ts.isIdentifier(key) && PORTS.has(key.text)) found.push(at(n));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

// ---- the checkers catch what they are for ----

describe("the architecture checkers", () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join("\n");

  it("flag an 81-line function and pass an 80-line one, in every function form", () => {
    const src = parse(
      "x/a.ts",
      [
        `export function ok() {\n${body(78)}\n}`,
        `export function tooLong() {\n${body(79)}\n}`,
        `export const arrow = () => {\n${body(79)}\n};`,
        `class C {\n  method() {\n${body(79)}\n  }\n}`,
      ].join("\n"),
    );
    expect(longFunctions(src)).toEqual(["x/a.ts:81 tooLong: 81 lines", "x/a.ts:162 arrow: 81 lines", "x/a.ts:244 method: 81 lines"]);
  });

  it("exempt an emulator handler table, but not a long handler inside it, nor other long object literals", () => {
    const entries = Array.from({ length: 30 }, (_, i) => `    A${i}: handler(core, () => {\n      return ${i};\n    }),`).join("\n");
    const table = `export function table(core) {\n  const x = 1;\n  return {\n${entries}\n  };\n}`;
    expect(longFunctions(parse("emulator/backend/t.ts", table))).toEqual([]);
    // The same shape outside the emulator is plain code.
    expect(longFunctions(parse("cli/t.ts", table))).toEqual(["cli/t.ts:1 table: 95 lines"]);

    const longEntry = `export function table(core) {\n  return {\n    A: handler(core, () => {\n${body(80)}\n    }),\n  };\n}`;
    expect(longFunctions(parse("emulator/t.ts", longEntry))).toEqual(["emulator/t.ts:3 (argument of handler): 82 lines"]);

    // An object of closures (a reporter, say) or of data is not a handler table.
    const closures = Array.from({ length: 30 }, (_, i) => `    m${i}: () => {\n      return ${i};\n    },`).join("\n");
    expect(longFunctions(parse("emulator/c.ts", `export function make() {\n  return {\n${closures}\n  };\n}`))).toEqual(["emulator/c.ts:1 make: 94 lines"]);
    const data = Array.from({ length: 85 }, (_, i) => `    k${i}: compute(${i}),`).join("\n");
    expect(longFunctions(parse("emulator/d.ts", `export function notATable() {\n  return {\n${data}\n  };\n}`))).toEqual(["emulator/d.ts:1 notATable: 89 lines"]);
  });

  it("find a circle through import type, export from and index files, and print it", () => {
    const sources = [
      parse("e/wait.ts", `import { step } from "./wait-steps";`),
      parse("e/wait-steps.ts", `import type { WaitRequest } from "./wait";`),
      parse("e/a.ts", `export { b } from "./b";`),
      parse("e/b/index.ts", `import x = require("../c");`),
      parse("e/c.ts", `import "./a"; import * as fs from "node:fs";`),
      parse("e/leaf.ts", `import { a } from "./a";`),
    ];
    expect(importCycles(importGraph(sources))).toEqual(["e/a.ts -> e/b/index.ts -> e/c.ts -> e/a.ts", "e/wait-steps.ts -> e/wait.ts -> e/wait-steps.ts"]);
    expect(importCycles(importGraph(sources.filter((s) => s.file !== "e/wait-steps.ts" && s.file !== "e/c.ts")))).toEqual([]);
  });

  it("flag a front end calling a port, but not passing one on or naming an action", () => {
    const src = parse(
      "cli/x.ts",
      [
        `await deps.ssl.describeCertificate(id);`,
        `await this.deps.dns?.["createRecord"](r);`,
        `const { ssl, clock } = deps;`,
        `await readLineage(deps.ssl, id);`,
        `const paid = calls.okCounts["ssl.CreateCertificateByPackage"];`,
        `// comment: deps.ssl.applyCertificate is the engine's business`,
      ].join("\n"),
    );
    expect(portCalls(src)).toEqual([
      "cli/x.ts:1 deps.ssl.describeCertificate",
      `cli/x.ts:2 this.deps.dns?.["createRecord"]`,
      "cli/x.ts:3 { ssl, clock }",
    ]);
  });
});

// ---- the product code keeps the rules ----

describe("product code", () => {
  const sources = loadProduct();

  it("has the files it should (the walk is not empty)", () => {
    expect(sources.length).toBeGreaterThan(100);
    for (const dir of PRODUCT_DIRS) expect(sources.some((s) => s.file.startsWith(`${dir}/`)), dir).toBe(true);
  });

  it(`has no function over ${MAX_LINES} lines (the emulator's handler tables excepted)`, () => {
    expect(sources.flatMap(longFunctions)).toEqual([]);
  });

  it("has no import circle", () => {
    expect(importCycles(importGraph(sources))).toEqual([]);
  });

  it("front ends (provider/, cli/, constructs/) never call the SSL or DNS ports directly", () => {
    const frontEnds = sources.filter((s) => FRONT_END_DIRS.some((d) => s.file.startsWith(`${d}/`)));
    expect(frontEnds.flatMap(portCalls)).toEqual([]);
  });
});
