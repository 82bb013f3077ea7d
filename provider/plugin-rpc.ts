/**
 * The wire pieces of the plugin: gRPC and Pulumi's generated protobuf stubs, loaded from the
 * installed `@pulumi/pulumi` (its own `@grpc/grpc-js` and `google-protobuf`, so messages and the
 * server share one protobuf runtime), plus the property-value conventions of the provider
 * protocol: secrets (`{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * value }`) and the unknown sentinel of a preview.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf stubs are untyped */
import { createRequire } from "node:module";
import type * as GrpcJs from "@grpc/grpc-js";

function pulumiRequire(): NodeJS.Require {
  try {
    return createRequire(require.resolve("@pulumi/pulumi/package.json"));
  } catch {
    throw new Error(
      "pulumi-resource-tencentcloud-cert-renewal needs @pulumi/pulumi installed beside tencentcloud-cert-renewal (npm install @pulumi/pulumi); it provides the gRPC runtime and Pulumi's protocol definitions.",
    );
  }
}

const req = pulumiRequire();
export const grpc = req("@grpc/grpc-js") as typeof GrpcJs;
export const provider = req("./proto/provider_pb") as Record<string, any>;
export const providerService = (req("./proto/provider_grpc_pb") as Record<string, any>)["ResourceProviderService"] as GrpcJs.ServiceDefinition;
export const pluginProto = req("./proto/plugin_pb") as Record<string, any>;
export const engine = req("./proto/engine_pb") as Record<string, any>;
export const engineService = (req("./proto/engine_grpc_pb") as Record<string, any>)["EngineClient"] as unknown;
export const statusProto = req("./proto/status_pb") as Record<string, any>;
const anyProto = req("google-protobuf/google/protobuf/any_pb") as Record<string, any>;
const emptyProto = req("google-protobuf/google/protobuf/empty_pb") as Record<string, any>;
const structProto = req("google-protobuf/google/protobuf/struct_pb") as Record<string, any>;

export type Props = Record<string, unknown>;

export const empty = (): unknown => new emptyProto["Empty"]();
export const toStruct = (v: Props): unknown => structProto["Struct"].fromJavaScript(v);
export const fromStruct = (s: { toJavaScript(): Props } | undefined): Props => s?.toJavaScript() ?? {};

/** Pulumi's unknown sentinel (a value not known during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecret(v: unknown): v is { value: unknown } {
  return isObject(v) && v[SIG] === SECRET_SIG;
}

export const secret = (value: unknown): Props => ({ [SIG]: SECRET_SIG, value });

function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isObject(v)) return Object.values(v).some(containsSecret);
  return false;
}

function strip(v: unknown): unknown {
  if (isSecret(v)) return strip(v.value);
  if (Array.isArray(v)) return v.map(strip);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
  return v;
}

/** Plain values, and the top-level names that held a secret anywhere inside. */
export function unwrapSecrets(props: Props): { plain: Props; secretNames: Set<string> } {
  const secretNames = new Set(Object.keys(props).filter((k) => containsSecret(props[k])));
  return { plain: strip(props) as Props, secretNames };
}

/** `props` with the named top-level values wrapped as secrets (empty strings too: a secret stays a secret). */
export function wrapSecrets(props: Props, names: Iterable<string>): Props {
  const out: Props = { ...props };
  for (const n of names) if (n in out && out[n] !== undefined && !isSecret(out[n])) out[n] = secret(out[n]);
  return out;
}

/** A gRPC error whose message is the error's own (the engine's errors name the field, the value and the fix; never a secret). */
export function grpcError(e: unknown, code: GrpcJs.status = grpc.status.UNKNOWN): GrpcJs.ServiceError {
  const message = e instanceof Error ? e.message : String(e);
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/**
 * Pulumi's `ErrorResourceInitFailed`: the resource exists (a paid order is recorded) but did not
 * finish; Pulumi stores `id` and `properties`, and the next `pulumi up` resumes without paying.
 */
export function initFailedError(message: string, id: string, properties: Props, reasons: string[]): GrpcJs.ServiceError {
  const detail = new provider["ErrorResourceInitFailed"]();
  detail.setId(id);
  detail.setProperties(toStruct(properties));
  detail.setReasonsList(reasons);
  const any = new anyProto["Any"]();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusProto["Status"]();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(message);
  status.addDetails(any);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}
