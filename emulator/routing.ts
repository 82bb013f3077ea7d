/** Which service a request is for: the Host header's first label, else `X-TC-Version`. */
import { apiErrors } from "./api-errors";
import { SERVICE_VERSIONS, type ServiceName } from "./contract";
import { hostWithoutPort } from "./tc3";

export const SERVICES: readonly ServiceName[] = ["ssl", "dnspod"];

export function isServiceName(v: string): v is ServiceName {
  return (SERVICES as readonly string[]).includes(v);
}

export function serviceForVersion(version: string | undefined): ServiceName | undefined {
  return SERVICES.find((s) => SERVICE_VERSIONS[s] === version);
}

/**
 * @throws ApiError `NoSuchProduct` when neither the host nor the version names a service,
 *   `MissingParameter` without `X-TC-Version`, `NoSuchVersion` when the version is not the service's.
 */
export function routeService(host: string | undefined, version: string | undefined): ServiceName {
  const label = (hostWithoutPort(host ?? "").split(".")[0] ?? "").toLowerCase();
  const service = isServiceName(label) ? label : serviceForVersion(version);
  if (!service) throw apiErrors.noSuchProduct(host ?? "");
  if (version === undefined || version === "") throw apiErrors.missingParameter("X-TC-Version");
  if (version !== SERVICE_VERSIONS[service]) throw apiErrors.noSuchVersion(service, version, SERVICE_VERSIONS[service]);
  return service;
}
