/**
 * Reads the Tencent SDK's request models (TypeScript declaration files: the SDK ships no runtime
 * schema) with the TypeScript compiler API, and writes `ssl.json` and `dnspod.json` beside this file's
 * source: for every action of the service's client, each request field's type and required flag, plus
 * the nested models those requests reference. See `types.ts` for the format.
 *
 * Run: `npm run schema:generate` (compiles this file alone with tsc, then runs it from the repo root).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { formatFieldType, type RequestSchemaFile } from "./types";

export interface ServiceSource {
  readonly service: "ssl" | "dnspod";
  readonly version: string;
  /** Folder under `tencentcloud/services/`, e.g. `ssl/v20191205`. */
  readonly dir: string;
  readonly modelsFile: string;
  readonly clientFile: string;
}

export const SERVICE_SOURCES: readonly ServiceSource[] = [
  { service: "ssl", version: "2019-12-05", dir: "ssl/v20191205", modelsFile: "ssl_models.d.ts", clientFile: "ssl_client.d.ts" },
  { service: "dnspod", version: "2021-03-23", dir: "dnspod/v20210323", modelsFile: "dnspod_models.d.ts", clientFile: "dnspod_client.d.ts" },
];

interface Mapped {
  base: string;
  arrayDepth: number;
}

function sdkRoot(): string {
  return path.dirname(require.resolve("tencentcloud-sdk-nodejs/package.json"));
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  throw new Error(`schema: unsupported property name ${name.getText()}`);
}

/** The models file's declarations, and the models the request fields reached so far. */
interface Declarations {
  readonly interfaces: ReadonlyMap<string, ts.InterfaceDeclaration>;
  readonly aliases: ReadonlyMap<string, ts.TypeAliasDeclaration>;
  /** Filled while mapping types: every interface a mapped field refers to. */
  readonly usedModels: Set<string>;
}

function declarationsOf(models: ts.SourceFile): Declarations {
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  for (const stmt of models.statements) {
    if (ts.isInterfaceDeclaration(stmt)) interfaces.set(stmt.name.text, stmt);
    else if (ts.isTypeAliasDeclaration(stmt)) aliases.set(stmt.name.text, stmt);
  }
  return { interfaces, aliases, usedModels: new Set() };
}

const ANY: Mapped = { base: "any", arrayDepth: 0 };

function keywordType(node: ts.TypeNode): Mapped | null {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { base: "string", arrayDepth: 0 };
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BigIntKeyword:
      return { base: "number", arrayDepth: 0 };
    case ts.SyntaxKind.BooleanKeyword:
      return { base: "boolean", arrayDepth: 0 };
    default:
      return null;
  }
}

function literalType(node: ts.LiteralTypeNode): Mapped {
  const lit = node.literal;
  if (ts.isStringLiteral(lit)) return { base: "string", arrayDepth: 0 };
  if (ts.isNumericLiteral(lit)) return { base: "number", arrayDepth: 0 };
  if (lit.kind === ts.SyntaxKind.TrueKeyword || lit.kind === ts.SyntaxKind.FalseKeyword) return { base: "boolean", arrayDepth: 0 };
  return ANY;
}

function arrayOf(inner: Mapped): Mapped {
  return { base: inner.base, arrayDepth: inner.arrayDepth + 1 };
}

/** `T | null | undefined` is `T`; a union of different types is `any`. */
function unionType(decls: Declarations, node: ts.UnionTypeNode, seenAliases: ReadonlySet<string>): Mapped {
  const members = node.types
    .filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) && t.kind !== ts.SyntaxKind.UndefinedKeyword)
    .map((t) => mapType(decls, t, seenAliases));
  const first = members[0];
  if (first && members.every((m) => m.base === first.base && m.arrayDepth === first.arrayDepth)) return first;
  return ANY;
}

/** `Array<T>`, a model of the models file (recorded as used), or an alias (followed once). */
function referenceType(decls: Declarations, node: ts.TypeReferenceNode, seenAliases: ReadonlySet<string>): Mapped {
  const name = node.typeName.getText();
  const args = node.typeArguments ?? [];
  if ((name === "Array" || name === "ReadonlyArray") && args.length === 1 && args[0]) return arrayOf(mapType(decls, args[0], seenAliases));
  if (decls.interfaces.has(name)) {
    decls.usedModels.add(name);
    return { base: name, arrayDepth: 0 };
  }
  const alias = decls.aliases.get(name);
  if (alias && !seenAliases.has(name)) return mapType(decls, alias.type, new Set([...seenAliases, name]));
  return ANY;
}

function mapType(decls: Declarations, node: ts.TypeNode, seenAliases: ReadonlySet<string> = new Set()): Mapped {
  const keyword = keywordType(node);
  if (keyword) return keyword;
  if (ts.isParenthesizedTypeNode(node)) return mapType(decls, node.type, seenAliases);
  if (ts.isArrayTypeNode(node)) return arrayOf(mapType(decls, node.elementType, seenAliases));
  if (ts.isLiteralTypeNode(node)) return literalType(node);
  if (ts.isUnionTypeNode(node)) return unionType(decls, node, seenAliases);
  if (ts.isTypeReferenceNode(node)) return referenceType(decls, node, seenAliases);
  return ANY;
}

function fieldsOf(decls: Declarations, decl: ts.InterfaceDeclaration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of decl.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const mapped = mapType(decls, member.type);
    out[propertyName(member.name)] = formatFieldType({ ...mapped, required: member.questionToken === undefined });
  }
  return out;
}

/** Each method of the client's `Client` class, with its request's fields. */
function actionsOf(decls: Declarations, client: ts.SourceFile, source: ServiceSource): Record<string, Record<string, string>> {
  const actions: Record<string, Record<string, string>> = {};
  const clientClass = client.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === "Client");
  if (!clientClass) throw new Error(`schema: no Client class in ${source.clientFile}`);
  for (const member of clientClass.members) {
    if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
    const param = member.parameters[0];
    if (!param?.type || !ts.isTypeReferenceNode(param.type)) continue;
    const requestType = param.type.typeName.getText();
    const decl = decls.interfaces.get(requestType);
    if (decl) actions[member.name.text] = fieldsOf(decls, decl);
    else if (decls.aliases.has(requestType)) actions[member.name.text] = {}; // `XxxRequest = null`: no parameters
    else throw new Error(`schema: ${member.name.text} takes ${requestType}, which ${source.modelsFile} does not declare`);
  }
  return actions;
}

/** The fields of every model the requests reach, directly or through other models. */
function reachedModels(decls: Declarations): Record<string, Record<string, string>> {
  const modelFields: Record<string, Record<string, string>> = {};
  const queue = [...decls.usedModels];
  while (queue.length > 0) {
    const name = queue.pop();
    if (name === undefined || modelFields[name]) continue;
    const decl = decls.interfaces.get(name);
    if (!decl) continue;
    const before = new Set(decls.usedModels);
    modelFields[name] = fieldsOf(decls, decl);
    for (const m of decls.usedModels) if (!before.has(m)) queue.push(m);
  }
  return modelFields;
}

function sdkVersionAt(root: string): string {
  const version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}

/** Generates the schema of one service from the installed SDK. */
export function generateSchema(source: ServiceSource, root: string = sdkRoot()): RequestSchemaFile {
  const dir = path.join(root, "tencentcloud", "services", source.dir);
  const decls = declarationsOf(parse(path.join(dir, source.modelsFile)));
  const actions = actionsOf(decls, parse(path.join(dir, source.clientFile)), source);
  return {
    service: source.service,
    version: source.version,
    sdkVersion: sdkVersionAt(root),
    actions: sortKeys(actions),
    models: sortKeys(reachedModels(decls)),
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

/** Stable, diff-friendly JSON: one action or model per line. */
export function formatSchema(schema: RequestSchemaFile): string {
  const block = (record: Readonly<Record<string, unknown>>): string =>
    Object.entries(record)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(",\n");
  return [
    "{",
    `  "service": ${JSON.stringify(schema.service)},`,
    `  "version": ${JSON.stringify(schema.version)},`,
    `  "sdkVersion": ${JSON.stringify(schema.sdkVersion)},`,
    `  "actions": {\n${block(schema.actions)}\n  },`,
    `  "models": {\n${block(schema.models)}\n  }`,
    "}",
    "",
  ].join("\n");
}

function main(): void {
  const outDir = path.resolve(process.argv[2] ?? path.join(process.cwd(), "emulator", "schema"));
  for (const source of SERVICE_SOURCES) {
    const schema = generateSchema(source);
    const file = path.join(outDir, `${source.service}.json`);
    fs.writeFileSync(file, formatSchema(schema));
    console.log(`schema: wrote ${path.relative(process.cwd(), file)} (${Object.keys(schema.actions).length} actions, ${Object.keys(schema.models).length} models, SDK ${schema.sdkVersion})`);
  }
}

if (require.main === module) main();
