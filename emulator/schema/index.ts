/**
 * The committed request schemas, compiled for fast lookups. Regenerate the JSON with
 * `npm run schema:generate` after upgrading `tencentcloud-sdk-nodejs`.
 */
import type { ServiceName } from "../contract";
import dnspodJson from "./dnspod.json";
import sslJson from "./ssl.json";
import { parseFieldType, PRIMITIVES, type FieldType, type RequestSchemaFile } from "./types";

export interface CompiledModel {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldType>;
}

export interface ServiceSchema {
  readonly file: RequestSchemaFile;
  readonly actions: ReadonlyMap<string, CompiledModel>;
  readonly models: ReadonlyMap<string, CompiledModel>;
}

function compileModel(name: string, fields: Readonly<Record<string, string>>): CompiledModel {
  return { name, fields: new Map(Object.entries(fields).map(([k, v]) => [k, parseFieldType(v)])) };
}

export function compileSchema(file: RequestSchemaFile): ServiceSchema {
  const actions = new Map(Object.entries(file.actions).map(([name, fields]) => [name, compileModel(name, fields)]));
  const models = new Map(Object.entries(file.models).map(([name, fields]) => [name, compileModel(name, fields)]));
  for (const model of [...actions.values(), ...models.values()]) {
    for (const [field, type] of model.fields) {
      if (!PRIMITIVES.has(type.base) && !models.has(type.base)) {
        throw new Error(`schema: ${file.service} ${model.name}.${field} refers to the unknown model ${type.base}`);
      }
    }
  }
  return { file, actions, models };
}

const fileFor: Readonly<Record<ServiceName, RequestSchemaFile>> = { ssl: sslJson, dnspod: dnspodJson };
const compiled = new Map<ServiceName, ServiceSchema>();

export function serviceSchema(service: ServiceName): ServiceSchema {
  let schema = compiled.get(service);
  if (!schema) {
    schema = compileSchema(fileFor[service]);
    compiled.set(service, schema);
  }
  return schema;
}
