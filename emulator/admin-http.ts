/**
 * The admin surface over HTTP, under `/_emulator/` on the API port, without TC3 auth. Answers are plain
 * JSON (not Tencent envelopes); failures are `{"error":{"code","message"}}` with HTTP 400 (bad input
 * or a backend ApiError), 404 or 405. Each endpoint is a small named handler in `ADMIN_ROUTES`,
 * keyed by `METHOD first-segment`. See README.md for the list of endpoints.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { methodNames } from "./admin";
import { ApiError, type SeedSpec } from "./contract";
import type { EmulatorCore } from "./core";
import { parseFaultRule } from "./faults";
import { parseProfileName, parseRules } from "./rules";
import { validateThrottleConfig } from "./throttle";
import { sendJson, sendText, splitTarget } from "./transport";

/** Parameter names of the backend admin operations, for calls with a JSON object body. */
export const ADMIN_OP_PARAMS: Readonly<Record<string, readonly string[]>> = {
  seed: ["spec"],
  seedPreset: ["name"],
  acceptLetter: ["certificateId"],
  failReview: ["certificateId", "reason"],
  setIssuanceDelay: ["seconds"],
  inspectCertificate: ["certificateId"],
  inspectZone: ["zone", "accountId"],
  inspectPackages: ["accountId"],
  setBindSyncSeconds: ["seconds"],
  setBindResourceRegionError: ["region", "message", "resourceType"],
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): HttpError => new HttpError(400, "InvalidRequest", message);

/** One admin request, as the route handlers see it. */
export interface AdminCall {
  readonly core: EmulatorCore;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  /** Path segments after `/_emulator/`, decoded. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** The body parsed as JSON (`undefined` when empty). @throws HttpError 400 when not JSON */
  json(): unknown;
}

/** A handler answers with a JSON payload (sent as 200), or `SENT` when it wrote the response itself. */
type AdminRoute = (call: AdminCall) => unknown;

const SENT = Symbol("sent");

function parseJsonBody(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad("the body is not valid JSON");
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Runs a parser that throws TypeError/Error on bad input and turns that into a 400. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw bad(e instanceof Error ? e.message : String(e));
  }
}

function numberParam(query: URLSearchParams, body: unknown, name: string): number {
  const raw = query.get(name) ?? (isObject(body) ? body[name] : undefined);
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isFinite(n)) throw bad(`\`${name}\` must be a number (query ?${name}=N or JSON body {"${name}":N})`);
  return n;
}

function adminArgs(op: string, body: unknown): unknown[] {
  if (body === undefined) return [];
  if (isObject(body) && Array.isArray(body["args"]) && Object.keys(body).length === 1) return body["args"] as unknown[];
  const names = ADMIN_OP_PARAMS[op];
  if (names && isObject(body)) {
    for (const key of Object.keys(body)) if (!names.includes(key)) throw bad(`${op} takes ${names.map((n) => `\`${n}\``).join(", ")} (or {"args":[...]}), not \`${key}\``);
    const args = names.map((n) => body[n]);
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    return args;
  }
  return [body];
}

const advanceClock: AdminRoute = ({ core, query, json }) => ({ now: core.admin.advanceClock(numberParam(query, json(), "seconds")).toISOString() });

const setClock: AdminRoute = ({ core, query, json }) => {
  const b = json();
  const raw = query.get("time") ?? (isObject(b) ? b["time"] : undefined);
  const date = typeof raw === "string" || typeof raw === "number" ? new Date(raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw bad('`time` must be an ISO date (query ?time=... or JSON body {"time":"..."})');
  return { now: core.admin.setClock(date).toISOString() };
};

const CLOCK_ROUTES: Readonly<Record<string, AdminRoute>> = { advance: advanceClock, set: setClock };

const postClock: AdminRoute = (call) => {
  const sub = CLOCK_ROUTES[call.segments[1] ?? ""];
  if (!sub) throw new HttpError(404, "NotFound", "clock endpoints: GET /_emulator/clock, POST /_emulator/clock/advance?seconds=N, POST /_emulator/clock/set");
  return sub(call);
};

const postFaults: AdminRoute = ({ core, json }) => {
  const b = json();
  const rules = parsed(() => (Array.isArray(b) ? b : [b]).map(parseFaultRule));
  const added = core.admin.addFault(rules);
  return { added, faults: core.admin.faults() };
};

const postThrottle: AdminRoute = ({ core, json }) => {
  const config = parsed(() => validateThrottleConfig(json()));
  core.admin.setThrottle(config);
  return { throttle: config };
};

const postSeed: AdminRoute = ({ core, segments, json }) => {
  const preset = segments[1];
  if (preset !== undefined) return core.admin.seedPreset(preset);
  const spec = json();
  if (!isObject(spec)) throw bad("the body must be a SeedSpec object {accounts?, certificates?, packages?, zones?}");
  return core.admin.seed(spec as SeedSpec);
};

const postAdminOp: AdminRoute = async ({ core, segments, json }) => {
  const op = segments[1] ?? "";
  const backendOps = methodNames(core.backend.admin);
  if (!backendOps.includes(op)) throw new HttpError(404, "NotFound", `unknown admin operation \`${op}\`; known: ${backendOps.sort().join(", ")}`);
  const fn = (core.admin as unknown as Record<string, (...args: unknown[]) => unknown>)[op];
  if (!fn) throw new HttpError(404, "NotFound", `unknown admin operation \`${op}\``);
  const result = await fn(...adminArgs(op, json()));
  return { result: result ?? null };
};

const getDownload: AdminRoute = ({ core, segments, res }) => {
  const blob = core.backend.downloads?.get(segments.slice(1).join("/"));
  if (!blob) throw new HttpError(404, "NotFound", "no download with this token");
  sendText(res, 200, blob.contentType, blob.body);
  return SENT;
};

/** `{ "profile"?: "default" | "pessimistic", ...switches }`: a profile resets every switch first. */
const postRules: AdminRoute = ({ core, json }) => {
  const b = json();
  if (!isObject(b)) throw bad('the body must be an object of switches like {"secondRenewal":"accepted"}, optionally with "profile":"pessimistic"');
  const { profile, ...switches } = b;
  const partial = parsed(() => parseRules(switches));
  if (profile === undefined) return core.admin.setRules(partial);
  return core.admin.useProfile(parsed(() => parseProfileName(profile)), partial);
};

export const ADMIN_ROUTES: Readonly<Record<string, AdminRoute>> = {
  "GET health": ({ core }) => ({ ok: true, now: core.admin.now().toISOString(), baseUrl: core.baseUrl() }),
  "GET clock": ({ core }) => ({ now: core.admin.now().toISOString(), offsetMs: core.clock.offsetMs() }),
  "POST clock": postClock,
  "GET faults": ({ core }) => ({ faults: core.admin.faults() }),
  "POST faults": postFaults,
  "DELETE faults": ({ core }) => (core.admin.clearFaults(), { faults: [] }),
  "POST throttle": postThrottle,
  "GET calls": ({ core }) => core.admin.calls(),
  "DELETE calls": ({ core }) => (core.admin.resetCalls(), { calls: [], counts: {}, okCounts: {} }),
  "GET rules": ({ core }) => core.admin.rules(),
  "POST rules": postRules,
  "POST seed": postSeed,
  "POST admin": postAdminOp,
  "GET download": getDownload,
};

const KNOWN_ENDPOINTS = [...new Set(Object.keys(ADMIN_ROUTES).map((k) => k.split(" ")[1] ?? ""))];

function routeFor(method: string, path: string, first: string): AdminRoute {
  const route = ADMIN_ROUTES[`${method} ${first}`];
  if (route) return route;
  if (KNOWN_ENDPOINTS.includes(first)) throw new HttpError(405, "MethodNotAllowed", `${method} is not supported on ${path}`);
  throw new HttpError(404, "NotFound", `no admin endpoint ${path}; see emulator/README.md`);
}

function answerAdminFailure(core: EmulatorCore, res: ServerResponse, method: string, path: string, e: unknown): void {
  if (e instanceof HttpError) return sendJson(res, e.status, { error: { code: e.code, message: e.message } });
  if (e instanceof ApiError) return sendJson(res, 400, { error: { code: e.code, message: e.message } });
  if (e instanceof RangeError || e instanceof TypeError) return sendJson(res, 400, { error: { code: "InvalidRequest", message: e.message } });
  core.log(`emulator: admin ${method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  sendJson(res, 500, { error: { code: "InternalError", message: e instanceof Error ? e.message : String(e) } });
}

export async function handleAdminRequest(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, target: string, body: Buffer): Promise<void> {
  const method = req.method ?? "GET";
  const { path, query } = splitTarget(target);
  const segments = path.slice("/_emulator/".length).split("/").filter((s) => s !== "").map(decodeURIComponent);
  const call: AdminCall = { core, res, method, path, segments, query: new URLSearchParams(query), json: () => parseJsonBody(body) };
  try {
    const payload = await routeFor(method, path, segments[0] ?? "")(call);
    if (payload !== SENT) sendJson(res, 200, payload);
  } catch (e) {
    answerAdminFailure(core, res, method, path, e);
  }
}
