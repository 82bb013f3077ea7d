/**
 * Checks request parameters against the SDK's request models (`schema/*.json`) before a handler
 * runs, and returns them coerced (numeric strings become numbers where the model says number).
 *
 * Codes: a required field absent (or null) -> `MissingParameter`; a field the model does not have ->
 * `UnknownParameter`; a value of the wrong type -> `InvalidParameter`. Messages name the field by its
 * flattened path (`Tags.0.TagKey`), the way Tencent names nested parameters. At each level unknown
 * fields are reported first, then missing ones, then wrong types, in the order the body lists them.
 */
import { apiErrors } from "./api-errors";
import type { ServiceName } from "./contract";
import { serviceSchema, type CompiledModel, type ServiceSchema } from "./schema";
import { describeType, type FieldType } from "./schema/types";

export interface ValidateOptions {
  /**
   * The parameters came from a query string or form (GET): every value is a string, arrays are
   * objects keyed `0`, `1`, ..., and `"true"`/`"false"` are booleans. @default false
   */
  readonly form?: boolean;
}

/** `true` when the SDK's models know the action. */
export function hasActionSchema(service: ServiceName, action: string): boolean {
  return serviceSchema(service).actions.has(action);
}

/**
 * Validates `body` for `service.action` and returns coerced parameters.
 * @throws ApiError (`MissingParameter` / `UnknownParameter` / `InvalidParameter`)
 */
export function validateParams(service: ServiceName, action: string, body: unknown, options: ValidateOptions = {}): Record<string, unknown> {
  const schema = serviceSchema(service);
  const model = schema.actions.get(action);
  if (!isPlainObject(body)) {
    throw apiErrors.invalidParameter(`The request parameters must be a JSON object, got ${jsonType(body)}.`);
  }
  if (!model) return { ...body };
  return validateObject(schema, model, body, "", options.form === true);
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function preview(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return jsonType(v);
}

function validateObject(schema: ServiceSchema, model: CompiledModel, value: Record<string, unknown>, prefix: string, form: boolean): Record<string, unknown> {
  const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
  for (const [key] of entries) {
    if (!model.fields.has(key)) throw apiErrors.unknownParameter(prefix + key);
  }
  for (const [key, type] of model.fields) {
    if (type.required && (!Object.hasOwn(value, key) || value[key] === null || value[key] === undefined)) {
      throw apiErrors.missingParameter(prefix + key);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const type = model.fields.get(key) as FieldType;
    out[key] = validateValue(schema, type.base, type.arrayDepth, v, prefix + key, form);
  }
  return out;
}

function wrongType(path: string, base: string, arrayDepth: number, v: unknown): never {
  throw apiErrors.invalidParameter(`The parameter \`${path}\` must be ${describeType(base, arrayDepth)}, got ${preview(v)}.`);
}

function formArray(v: Record<string, unknown>): unknown[] | undefined {
  const keys = Object.keys(v);
  if (!keys.every((k) => /^(0|[1-9]\d{0,5})$/.test(k))) return undefined;
  const out: unknown[] = [];
  for (const k of keys.sort((a, b) => Number(a) - Number(b))) out.push(v[k]);
  return out;
}

function validateValue(schema: ServiceSchema, base: string, arrayDepth: number, v: unknown, path: string, form: boolean): unknown {
  if (arrayDepth > 0) {
    let arr: unknown[] | undefined = Array.isArray(v) ? v : undefined;
    if (!arr && form && isPlainObject(v)) arr = formArray(v);
    if (!arr) return wrongType(path, base, arrayDepth, v);
    return arr.map((item, i) => {
      if (item === null || item === undefined) return wrongType(`${path}.${i}`, base, arrayDepth - 1, item);
      return validateValue(schema, base, arrayDepth - 1, item, `${path}.${i}`, form);
    });
  }
  switch (base) {
    case "any":
      return v;
    case "string":
      if (typeof v === "string") return v;
      return wrongType(path, base, 0, v);
    case "number":
      if (typeof v === "number" && Number.isFinite(v)) return v;
      if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
      return wrongType(path, base, 0, v);
    case "boolean":
      if (typeof v === "boolean") return v;
      if (form && (v === "true" || v === "false")) return v === "true";
      return wrongType(path, base, 0, v);
    default: {
      const model = schema.models.get(base);
      if (!model) return v;
      if (!isPlainObject(v)) return wrongType(path, base, 0, v);
      return validateObject(schema, model, v, `${path}.`, form);
    }
  }
}
