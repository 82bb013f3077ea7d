/**
 * The seam between the emulator's HTTP front (server, TC3 auth, parameter
 * validation, faults, admin surface) and its Tencent back (per-account state,
 * the SSL and DNSPod action handlers, the CA, the status machine).
 *
 * One handler per action, named exactly as Tencent names it. A handler receives
 * already-authenticated, already-validated parameters (numeric strings are
 * already coerced where the request model says integer), and returns the
 * `Response` fields without `RequestId` (the server adds it), or throws
 * `ApiError` with a Tencent error code.
 */

export type ServiceName = "ssl" | "dnspod";

export const SERVICE_VERSIONS: Readonly<Record<ServiceName, string>> = {
  ssl: "2019-12-05",
  dnspod: "2021-03-23",
};

/** A Tencent error code and message, answered with HTTP 200 in `Response.Error`. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

export interface ActionContext {
  readonly service: ServiceName;
  readonly action: string;
  /** The account the SecretId belongs to. */
  readonly accountId: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The emulator's controllable clock. */
  now(): Date;
  /** Base URL of this emulator (for URLs it serves, e.g. certificate downloads). */
  readonly baseUrl: string;
}

export type ActionHandler = (ctx: ActionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type ActionTable = Readonly<Record<string, ActionHandler>>;
