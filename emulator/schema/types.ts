/**
 * The shape of the committed request schemas (`ssl.json`, `dnspod.json`), generated from the
 * Tencent SDK's request models by `generate.ts`.
 *
 * A field type is a compact string, written the way TypeScript would write it:
 * - `string`, `number`, `boolean`: primitives (`bigint` and `number | bigint` are `number`);
 * - `any`: a type the generator could not map (accepted as is);
 * - `Tags`: a model name (starts with an upper-case letter), looked up in `models`;
 * - a trailing `[]` per array level: `string[]`, `Tags[]`;
 * - a trailing `?` marks an optional field: `string?`, `Tags[]?`.
 */
export interface RequestSchemaFile {
  readonly service: string;
  readonly version: string;
  /** Version of `tencentcloud-sdk-nodejs` the schema was read from. */
  readonly sdkVersion: string;
  /** Action name -> field name -> field type. */
  readonly actions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Model name -> field name -> field type (only models that requests reference). */
  readonly models: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type BaseType = "string" | "number" | "boolean" | "any";

export interface FieldType {
  /** A primitive, or the name of a model. */
  readonly base: string;
  readonly arrayDepth: number;
  readonly required: boolean;
}

export const PRIMITIVES: ReadonlySet<string> = new Set<BaseType>(["string", "number", "boolean", "any"]);

/** Parses the compact form (`Tags[]?`). */
export function parseFieldType(text: string): FieldType {
  let rest = text;
  let required = true;
  if (rest.endsWith("?")) {
    required = false;
    rest = rest.slice(0, -1);
  }
  let arrayDepth = 0;
  while (rest.endsWith("[]")) {
    arrayDepth++;
    rest = rest.slice(0, -2);
  }
  return { base: rest, arrayDepth, required };
}

export function formatFieldType(t: FieldType): string {
  return t.base + "[]".repeat(t.arrayDepth) + (t.required ? "" : "?");
}

/** Human form for messages: `number`, `array of string`, `object Tags`. */
export function describeType(base: string, arrayDepth: number): string {
  const inner = PRIMITIVES.has(base) ? base : `object (${base})`;
  return "array of ".repeat(arrayDepth) + inner;
}
