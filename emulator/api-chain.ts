/**
 * The API request pipeline (everything not under `/_emulator/`) as a chain of small named handlers,
 * in the spirit of localstack's handler chain. Each step reads and extends one `ApiCall`; a step ends
 * the call by throwing an `ApiError` (answered in `Response.Error`) or a `TransportFaultSignal`
 * (a scripted transport fault). Every call, whatever its outcome, lands in the call log.
 *
 *   route -> auth -> throttle -> fault -> validate -> handle -> after-commit -> envelope
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { apiErrors } from "./api-errors";
import { authenticate } from "./auth";
import { ApiError, type ActionHandler, type ServiceName } from "./contract";
import type { EmulatorCore } from "./core";
import { faultMessage, isTransportFault, type TerminalFault, type TransportFault } from "./faults";
import { routeService } from "./routing";
import { errorEnvelope, headerString, MAX_BODY_BYTES, parseFlatParams, sendJson, sendText, splitTarget, successEnvelope } from "./transport";
import { hasActionSchema, validateParams } from "./validate";

const NON_JSON_BODY = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n";
const HTTP_500_BODY = "<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>\n";

/** The calls that spend money: the inferred rule `paidCallFailsAfterCommit` applies to them. */
export const PAID_ACTIONS: readonly string[] = ["ssl.CreateCertificateByPackage", "ssl.CreateCertificate"];

/** A scripted fault that ends the call without an envelope. */
export class TransportFaultSignal {
  constructor(readonly rule: TransportFault) {}
}

/** One API call as it moves through the chain. */
export interface ApiCall {
  readonly core: EmulatorCore;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly body: Buffer;
  readonly tooLarge: boolean;
  readonly requestId: string;
  readonly extraHeaders: Record<string, string>;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** `X-TC-Action` as sent ("" when missing). */
  readonly action: string;
  service: ServiceName | null;
  accountId: string | null;
  handler: ActionHandler | undefined;
  /** The scripted terminal fault for this call, if any. */
  fault: TerminalFault | undefined;
  params: Record<string, unknown>;
  fields: Record<string, unknown>;
  outcome: string;
}

export type ApiStep = (call: ApiCall) => void | Promise<void>;

/** Method, path, service, action known, body size. */
export const route: ApiStep = (call) => {
  const { core, method, path, action } = call;
  if (method !== "POST" && method !== "GET") throw apiErrors.invalidRequest(`The HTTP method ${method} is not supported; use POST (or GET).`);
  if (path !== "/") throw apiErrors.invalidRequest(`The path ${JSON.stringify(path.slice(0, 100))} is not served; the API lives at \`/\`.`);
  const service = routeService(headerString(call.req.headers, "host"), headerString(call.req.headers, "x-tc-version"));
  call.service = service;
  if (action === "") throw apiErrors.missingParameter("X-TC-Action");
  call.handler = Object.hasOwn(core.backend.actions[service], action) ? core.backend.actions[service][action] : undefined;
  if (!hasActionSchema(service, action) && !call.handler) throw apiErrors.invalidAction(service, action);
  if (call.tooLarge) throw apiErrors.requestSizeLimitExceeded(MAX_BODY_BYTES);
};

/** TC3-HMAC-SHA256 against the backend's accounts. */
export const auth: ApiStep = (call) => {
  const { core, req } = call;
  const account = authenticate(
    { method: call.method, path: call.path, query: call.query, headers: req.headers, body: call.body },
    routed(call),
    core.clock.now(),
    (id) => core.backend.findAccountBySecretId(id),
  );
  call.accountId = account.accountId;
};

export const throttle: ApiStep = (call) => {
  const service = routed(call);
  if (!call.core.throttle.take(authenticated(call), service, call.action)) {
    throw apiErrors.requestLimitExceeded(service, call.action, call.core.throttle.rateFor(service, call.action));
  }
};

/** Scripted faults: latency, then the ones that end the call before the handler. */
export const fault: ApiStep = async (call) => {
  const plan = call.core.faults.plan(routed(call), call.action, authenticated(call));
  if (plan.latencyMs > 0) await sleep(plan.latencyMs);
  call.fault = plan.fault;
  if (plan.fault?.kind === "error") throw new ApiError(plan.fault.code, faultMessage(plan.fault));
  if (plan.fault && isTransportFault(plan.fault) && plan.fault.afterCommit !== true) throw new TransportFaultSignal(plan.fault);
};

export const validate: ApiStep = (call) => {
  const service = routed(call);
  const { params, form } = parseParams(call);
  call.params = validateParams(service, call.action, params, { form });
  if (!call.handler) throw apiErrors.unsupportedAction(service, call.action);
};

/** Runs the backend handler; the state is persisted whatever it does. */
export const handle: ApiStep = async (call) => {
  const { core } = call;
  const handler = call.handler;
  if (!handler) throw apiErrors.unsupportedAction(routed(call), call.action);
  try {
    call.fields = await handler({
      service: routed(call), action: call.action, accountId: authenticated(call), params: call.params, now: () => core.clock.now(), baseUrl: core.baseUrl(),
    });
  } finally {
    core.afterMutation();
  }
};

/** The state changed; now lose the answer: scripted after-commit faults, else the `paidCallFailsAfterCommit` rule. */
export const afterCommit: ApiStep = (call) => {
  const f = call.fault ?? paidCallRuleFault(call);
  if (f?.kind === "error-after-commit") throw new ApiError(f.code, faultMessage(f));
  if (f && isTransportFault(f)) throw new TransportFaultSignal(f);
};

export const envelope: ApiStep = (call) => {
  let payload: string;
  try {
    payload = JSON.stringify(successEnvelope(call.requestId, call.fields));
  } catch (e) {
    call.core.log(`emulator: ${call.service ?? "?"}.${call.action} returned a value that is not JSON-serializable: ${e instanceof Error ? e.message : String(e)}`);
    throw apiErrors.internalError();
  }
  sendText(call.res, 200, "application/json", payload, call.extraHeaders);
};

/** The chain, in order. */
export const API_CHAIN: ReadonlyArray<readonly [name: string, step: ApiStep]> = [
  ["route", route],
  ["auth", auth],
  ["throttle", throttle],
  ["fault", fault],
  ["validate", validate],
  ["handle", handle],
  ["after-commit", afterCommit],
  ["envelope", envelope],
];

export async function runApiChain(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, target: string, body: Buffer, tooLarge: boolean): Promise<void> {
  const call = newCall(core, req, res, target, body, tooLarge);
  try {
    for (const [, step] of API_CHAIN) await step(call);
  } catch (err) {
    answerFailure(call, err);
  } finally {
    core.callLog.record({ time: core.clock.now().toISOString(), service: call.service, action: call.action, accountId: call.accountId, outcome: call.outcome, requestId: call.requestId });
  }
}

function newCall(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, target: string, body: Buffer, tooLarge: boolean): ApiCall {
  const traceId = headerString(req.headers, "x-tc-traceid");
  const { path, query } = splitTarget(target);
  return {
    core, req, res, body, tooLarge, path, query,
    requestId: randomUUID(),
    extraHeaders: traceId !== undefined ? { "X-TC-TraceId": traceId } : {},
    method: req.method ?? "",
    action: headerString(req.headers, "x-tc-action") ?? "",
    service: null, accountId: null, handler: undefined, fault: undefined, params: {}, fields: {}, outcome: "ok",
  };
}

/** Answers what a step threw: a transport fault as scripted, an ApiError as is, anything else as InternalError. */
function answerFailure(call: ApiCall, err: unknown): void {
  const { res, extraHeaders } = call;
  if (err instanceof TransportFaultSignal) {
    call.outcome = `fault:${err.rule.kind}`;
    if (err.rule.kind === "reset") call.req.socket.destroy();
    else if (err.rule.kind === "non-json") sendText(res, 200, "text/html", NON_JSON_BODY, extraHeaders);
    else sendText(res, 500, "text/html", HTTP_500_BODY, extraHeaders);
    return;
  }
  let apiError: ApiError;
  if (err instanceof ApiError) {
    apiError = err;
  } else {
    call.core.log(`emulator: ${call.service ?? "?"}.${call.action} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    apiError = apiErrors.internalError();
  }
  call.outcome = apiError.code;
  sendJson(res, 200, errorEnvelope(call.requestId, apiError.code, apiError.message), extraHeaders);
}

/** The `paidCallFailsAfterCommit` rule as the scripted fault it stands for. */
function paidCallRuleFault(call: ApiCall): TerminalFault | undefined {
  if (!PAID_ACTIONS.includes(`${call.service ?? "?"}.${call.action}`)) return undefined;
  const mode = call.core.rules.takePaidCallFailure();
  if (mode === "5xx") return { action: call.action, kind: "http-500", afterCommit: true };
  if (mode === "TradeError") {
    return { action: call.action, kind: "error-after-commit", code: "FailedOperation.TradeError", message: "计费中心错误 (billing centre error): the deduction state is unknown (emulator rule paidCallFailsAfterCommit)." };
  }
  return undefined;
}

function parseParams(call: ApiCall): { params: unknown; form: boolean } {
  const contentType = (headerString(call.req.headers, "content-type") ?? "").toLowerCase();
  if (call.method === "GET") return { params: parseFlatParams(call.query), form: true };
  if (contentType.startsWith("application/x-www-form-urlencoded")) return { params: parseFlatParams(call.body.toString("utf8")), form: true };
  if (contentType.startsWith("multipart/")) throw apiErrors.invalidRequest("multipart request bodies are not supported by the emulator; send JSON.");
  const text = call.body.toString("utf8");
  if (text.trim() === "") return { params: {}, form: false };
  try {
    return { params: JSON.parse(text) as unknown, form: false };
  } catch (e) {
    throw apiErrors.invalidParameter(`The request body is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : "parse error"}).`);
  }
}

function routed(call: ApiCall): ServiceName {
  if (call.service === null) throw new Error("emulator: a step ran before `route`");
  return call.service;
}

function authenticated(call: ApiCall): string {
  if (call.accountId === null) throw new Error("emulator: a step ran before `auth`");
  return call.accountId;
}
