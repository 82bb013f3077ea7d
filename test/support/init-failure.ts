/**
 * Pulumi's partial-progress error as a provider sends it: `ErrorResourceInitFailed` (id, properties,
 * reasons) in the gRPC status details. Decoded with Pulumi's own generated stubs from @pulumi/pulumi,
 * for the dynamic-provider host harness and the plugin harness alike.
 */
import { createRequire } from "node:module";
import type * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf stubs are untyped */
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const provproto = pulumiRequire("./proto/provider_pb") as Record<string, any>;
const statusproto = pulumiRequire("./proto/status_pb") as Record<string, any>;

export interface InitFailureDetail {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
}

/** The `ErrorResourceInitFailed` detail of a gRPC error, or null when it carries none. */
export function decodeInitFailureDetail(err: grpc.ServiceError): InitFailureDetail | null {
  const raw = err.metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return null;
  const status = statusproto["Status"].deserializeBinary(new Uint8Array(raw as Buffer));
  for (const any of status.getDetailsList() as { getTypeName(): string; getValue_asU8(): Uint8Array }[]) {
    if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const d = provproto["ErrorResourceInitFailed"].deserializeBinary(any.getValue_asU8());
    return { id: d.getId(), properties: d.getProperties()?.toJavaScript() ?? {}, reasons: d.getReasonsList() };
  }
  return null;
}
