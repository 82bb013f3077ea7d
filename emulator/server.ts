/**
 * The request pipeline of the API (everything not under `/_emulator/`):
 * route (Host first label, else X-TC-Version) -> action known -> body size -> TC3 auth -> throttle
 * -> scripted faults -> parse and validate parameters -> handler -> after-commit faults -> envelope.
 * Every call, whatever its outcome, lands in the call log. Answers are HTTP 200 with
 * `{"Response":{...,"RequestId"}}` (errors in `Response.Error`), except for scripted transport faults.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorAdmin } from "./admin";
import { handleAdminRequest } from "./admin-http";
import { apiErrors } from "./api-errors";
import { authenticate } from "./auth";
import type { CallLog } from "./call-log";
import type { ControllableClock } from "./clock";
import { ApiError, type EmulatorBackend, type ServiceName } from "./contract";
import { faultMessage, isTransportFault, type FaultScript, type TransportFault } from "./faults";
import { routeService } from "./routing";
import type { Throttle } from "./throttle";
import { errorEnvelope, headerString, MAX_BODY_BYTES, parseFlatParams, readBody, sendJson, sendText, splitTarget, successEnvelope } from "./transport";
import { hasActionSchema, validateParams } from "./validate";

export interface EmulatorCore {
  readonly backend: EmulatorBackend;
  readonly clock: ControllableClock;
  readonly callLog: CallLog;
  readonly faults: FaultScript;
  readonly throttle: Throttle;
  readonly admin: EmulatorAdmin;
  /** `http://127.0.0.1:PORT`. */
  baseUrl(): string;
  /** Persists state (state file) after a handler or admin operation ran. */
  afterMutation(): void;
  /** Diagnostics (unexpected handler exceptions). */
  log(message: string): void;
}

export const ADMIN_PREFIX = "/_emulator/";

const NON_JSON_BODY = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n";
const HTTP_500_BODY = "<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>\n";

/** A scripted fault that ends the call without an envelope. */
class TransportFaultSignal {
  constructor(readonly rule: TransportFault) {}
}

export function createRequestListener(core: EmulatorCore): RequestListener {
  return (req, res) => {
    handle(core, req, res).catch((err: unknown) => {
      core.log(`emulator: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { code: "InternalError", message: "unexpected emulator error" } });
      else res.destroy();
    });
  };
}

async function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? "/";
  const { body, tooLarge } = await readBody(req);
  if (target.startsWith(ADMIN_PREFIX) || target === "/_emulator") {
    await handleAdminRequest(core, req, res, target, body);
    return;
  }
  await handleApi(core, req, res, target, body, tooLarge);
}

function parseParams(req: IncomingMessage, query: string, body: Buffer): { params: unknown; form: boolean } {
  const method = req.method ?? "POST";
  const contentType = (headerString(req.headers, "content-type") ?? "").toLowerCase();
  if (method === "GET") return { params: parseFlatParams(query), form: true };
  if (contentType.startsWith("application/x-www-form-urlencoded")) return { params: parseFlatParams(body.toString("utf8")), form: true };
  if (contentType.startsWith("multipart/")) throw apiErrors.invalidRequest("multipart request bodies are not supported by the emulator; send JSON.");
  const text = body.toString("utf8");
  if (text.trim() === "") return { params: {}, form: false };
  try {
    return { params: JSON.parse(text) as unknown, form: false };
  } catch (e) {
    throw apiErrors.invalidParameter(`The request body is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : "parse error"}).`);
  }
}

async function handleApi(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, target: string, body: Buffer, tooLarge: boolean): Promise<void> {
  const requestId = randomUUID();
  const traceId = headerString(req.headers, "x-tc-traceid");
  const extraHeaders: Record<string, string> = traceId !== undefined ? { "X-TC-TraceId": traceId } : {};
  const action = headerString(req.headers, "x-tc-action") ?? "";
  let service: ServiceName | null = null;
  let accountId: string | null = null;
  let outcome = "ok";
  try {
    const method = req.method ?? "";
    const { path, query } = splitTarget(target);
    if (method !== "POST" && method !== "GET") throw apiErrors.invalidRequest(`The HTTP method ${method} is not supported; use POST (or GET).`);
    if (path !== "/") throw apiErrors.invalidRequest(`The path ${JSON.stringify(path.slice(0, 100))} is not served; the API lives at \`/\`.`);
    service = routeService(headerString(req.headers, "host"), headerString(req.headers, "x-tc-version"));
    if (action === "") throw apiErrors.missingParameter("X-TC-Action");
    const handler = Object.hasOwn(core.backend.actions[service], action) ? core.backend.actions[service][action] : undefined;
    if (!hasActionSchema(service, action) && !handler) throw apiErrors.invalidAction(service, action);
    if (tooLarge) throw apiErrors.requestSizeLimitExceeded(MAX_BODY_BYTES);

    const account = authenticate({ method, path, query, headers: req.headers, body }, service, core.clock.now(), (id) => core.backend.findAccountBySecretId(id));
    accountId = account.accountId;

    if (!core.throttle.take(account.accountId, service, action)) {
      throw apiErrors.requestLimitExceeded(service, action, core.throttle.rateFor(service, action));
    }

    const plan = core.faults.plan(service, action, account.accountId);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    const fault = plan.fault;
    if (fault?.kind === "error") throw new ApiError(fault.code, faultMessage(fault));
    const transportFault = fault && isTransportFault(fault) ? fault : undefined;
    if (transportFault && transportFault.afterCommit !== true) throw new TransportFaultSignal(transportFault);

    const { params: raw, form } = parseParams(req, query, body);
    const params = validateParams(service, action, raw, { form });
    if (!handler) throw apiErrors.unsupportedAction(service, action);

    let fields: Record<string, unknown>;
    try {
      fields = await handler({ service, action, accountId: account.accountId, params, now: () => core.clock.now(), baseUrl: core.baseUrl() });
    } finally {
      core.afterMutation();
    }
    if (fault?.kind === "error-after-commit") throw new ApiError(fault.code, faultMessage(fault));
    if (transportFault) throw new TransportFaultSignal(transportFault);

    let payload: string;
    try {
      payload = JSON.stringify(successEnvelope(requestId, fields));
    } catch (e) {
      core.log(`emulator: ${service}.${action} returned a value that is not JSON-serializable: ${e instanceof Error ? e.message : String(e)}`);
      throw apiErrors.internalError();
    }
    sendText(res, 200, "application/json", payload, extraHeaders);
  } catch (err) {
    if (err instanceof TransportFaultSignal) {
      outcome = `fault:${err.rule.kind}`;
      if (err.rule.kind === "reset") req.socket.destroy();
      else if (err.rule.kind === "non-json") sendText(res, 200, "text/html", NON_JSON_BODY, extraHeaders);
      else sendText(res, 500, "text/html", HTTP_500_BODY, extraHeaders);
      return;
    }
    let apiError: ApiError;
    if (err instanceof ApiError) {
      apiError = err;
    } else {
      core.log(`emulator: ${service ?? "?"}.${action} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      apiError = apiErrors.internalError();
    }
    outcome = apiError.code;
    sendJson(res, 200, errorEnvelope(requestId, apiError.code, apiError.message), extraHeaders);
  } finally {
    core.callLog.record({ time: core.clock.now().toISOString(), service, action, accountId, outcome, requestId });
  }
}
