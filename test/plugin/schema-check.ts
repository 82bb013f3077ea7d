/**
 * A structural check of a Pulumi package schema, for what this package uses: names and tokens,
 * property types (primitive, array with items, `$ref` to a declared type, `oneOf`), required names
 * that exist, defaults of the property's type, secret flags that are booleans. Returns the
 * problems, one line each ([] when valid).
 */
export interface Property {
  readonly type?: string;
  readonly $ref?: string;
  readonly items?: Property;
  readonly oneOf?: Property[];
  readonly description?: string;
  readonly default?: unknown;
  readonly secret?: boolean;
}
export interface ObjectType {
  readonly type: string;
  readonly properties: Record<string, Property>;
  readonly required?: string[];
}
export interface Resource {
  readonly description: string;
  readonly properties: Record<string, Property>;
  readonly required: string[];
  readonly inputProperties: Record<string, Property>;
  readonly requiredInputs: string[];
}
export interface Schema {
  readonly name: string;
  readonly version: string;
  readonly config: { variables: Record<string, Property> };
  readonly provider: { properties: Record<string, Property>; inputProperties: Record<string, Property> };
  readonly types: Record<string, ObjectType>;
  readonly resources: Record<string, Resource>;
  readonly language: Record<string, unknown>;
}

const PRIMITIVES = ["string", "integer", "number", "boolean"];

function checkProperty(where: string, p: Property, schema: Schema): string[] {
  const problems: string[] = [];
  if (typeof p.description !== "string" || p.description === "") problems.push(`${where}: no description`);
  if (p.secret !== undefined && typeof p.secret !== "boolean") problems.push(`${where}: secret is not a boolean`);
  problems.push(...checkType(where, p, schema));
  if (p.default !== undefined) {
    const t = typeof p.default;
    const ok = (p.type === "string" && t === "string") || ((p.type === "integer" || p.type === "number") && t === "number") || (p.type === "boolean" && t === "boolean") || (p.oneOf !== undefined && (t === "string" || t === "number"));
    if (!ok) problems.push(`${where}: default ${JSON.stringify(p.default)} is not a ${p.type ?? "value of its type"}`);
  }
  return problems;
}

function checkType(where: string, p: Property, schema: Schema): string[] {
  if (p.$ref !== undefined) {
    const m = /^#\/types\/(.+)$/.exec(p.$ref);
    return m && schema.types[m[1]!] ? [] : [`${where}: $ref ${p.$ref} names no declared type`];
  }
  if (p.oneOf !== undefined) return p.oneOf.flatMap((o, i) => checkType(`${where}.oneOf[${i}]`, o, schema));
  if (p.type === "array") return p.items ? checkType(`${where}.items`, p.items, schema) : [`${where}: array without items`];
  return p.type !== undefined && PRIMITIVES.includes(p.type) ? [] : [`${where}: unknown type ${JSON.stringify(p.type)}`];
}

function checkProperties(where: string, props: Record<string, Property>, required: string[] | undefined, schema: Schema): string[] {
  const problems = Object.entries(props).flatMap(([n, p]) => [...(/^[a-z][A-Za-z0-9]*$/.test(n) ? [] : [`${where}.${n}: not a camelCase name`]), ...checkProperty(`${where}.${n}`, p, schema)]);
  for (const r of required ?? []) if (!(r in props)) problems.push(`${where}: required ${r} is not a property`);
  return problems;
}

export function checkSchemaStructure(schema: Schema): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(schema.name)) problems.push(`name ${schema.name} is not a package name`);
  if (!/^\d+\.\d+\.\d+/.test(schema.version)) problems.push(`version ${schema.version} is not semver`);
  const token = new RegExp(`^${schema.name}:index:[A-Z][A-Za-z0-9]*$`);
  for (const [t, ty] of Object.entries(schema.types)) {
    if (!token.test(t)) problems.push(`type token ${t}`);
    if (ty.type !== "object") problems.push(`${t}: not an object type`);
    problems.push(...checkProperties(t, ty.properties, ty.required, schema));
  }
  for (const [t, r] of Object.entries(schema.resources)) {
    if (!token.test(t)) problems.push(`resource token ${t}`);
    if (!r.description) problems.push(`${t}: no description`);
    problems.push(...checkProperties(`${t} properties`, r.properties, r.required, schema));
    problems.push(...checkProperties(`${t} inputs`, r.inputProperties, r.requiredInputs, schema));
  }
  problems.push(...checkProperties("config", schema.config.variables, [], schema));
  problems.push(...checkProperties("provider", schema.provider.inputProperties, [], schema));
  for (const lang of ["nodejs", "python", "go", "csharp"]) if (typeof schema.language[lang] !== "object") problems.push(`no language.${lang}`);
  return problems;
}
