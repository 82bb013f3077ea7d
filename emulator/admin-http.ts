/**
 * The admin surface over HTTP, under `/_emulator/` on the API port, without TC3 auth. Answers are plain
 * JSON (not Tencent envelopes); failures are `{"error":{"code","message"}}` with HTTP 400 (bad input
 * or a backend ApiError), 404 or 405. See README.md for the list of endpoints.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { methodNames } from "./admin";
import { ApiError, type SeedSpec } from "./contract";
import { parseFaultRule } from "./faults";
import type { EmulatorCore } from "./server";
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

export async function handleAdminRequest(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, target: string, body: Buffer): Promise<void> {
  const method = req.method ?? "GET";
  const { path, query: rawQuery } = splitTarget(target);
  const query = new URLSearchParams(rawQuery);
  const segments = path.slice("/_emulator/".length).split("/").filter((s) => s !== "").map(decodeURIComponent);
  const route = `${method} ${segments[0] ?? ""}`;
  const ok = (payload: unknown): void => sendJson(res, 200, payload);
  try {
    const admin = core.admin;
    switch (route) {
      case "GET health":
        return ok({ ok: true, now: admin.now().toISOString(), baseUrl: core.baseUrl() });
      case "GET clock":
        return ok({ now: admin.now().toISOString(), offsetMs: core.clock.offsetMs() });
      case "POST clock": {
        const sub = segments[1];
        if (sub === "advance") return ok({ now: admin.advanceClock(numberParam(query, parseJsonBody(body), "seconds")).toISOString() });
        if (sub === "set") {
          const b = parseJsonBody(body);
          const raw = query.get("time") ?? (isObject(b) ? b["time"] : undefined);
          const date = typeof raw === "string" || typeof raw === "number" ? new Date(raw) : undefined;
          if (!date || Number.isNaN(date.getTime())) throw bad('`time` must be an ISO date (query ?time=... or JSON body {"time":"..."})');
          return ok({ now: admin.setClock(date).toISOString() });
        }
        throw new HttpError(404, "NotFound", "clock endpoints: GET /_emulator/clock, POST /_emulator/clock/advance?seconds=N, POST /_emulator/clock/set");
      }
      case "GET faults":
        return ok({ faults: admin.faults() });
      case "POST faults": {
        const b = parseJsonBody(body);
        const list = Array.isArray(b) ? b : [b];
        let rules;
        try {
          rules = list.map(parseFaultRule);
        } catch (e) {
          throw bad(e instanceof Error ? e.message : String(e));
        }
        const added = admin.addFault(rules);
        return ok({ added, faults: admin.faults() });
      }
      case "DELETE faults":
        admin.clearFaults();
        return ok({ faults: [] });
      case "POST throttle": {
        let config;
        try {
          config = validateThrottleConfig(parseJsonBody(body));
        } catch (e) {
          throw bad(e instanceof Error ? e.message : String(e));
        }
        admin.setThrottle(config);
        return ok({ throttle: config });
      }
      case "GET calls":
        return ok(admin.calls());
      case "DELETE calls":
        admin.resetCalls();
        return ok({ calls: [], counts: {}, okCounts: {} });
      case "POST seed": {
        const preset = segments[1];
        if (preset !== undefined) return ok(admin.seedPreset(preset));
        const spec = parseJsonBody(body);
        if (!isObject(spec)) throw bad("the body must be a SeedSpec object {accounts?, certificates?, packages?, zones?}");
        return ok(admin.seed(spec as SeedSpec));
      }
      case "POST admin": {
        const op = segments[1] ?? "";
        const backendOps = methodNames(core.backend.admin);
        if (!backendOps.includes(op)) throw new HttpError(404, "NotFound", `unknown admin operation \`${op}\`; known: ${backendOps.sort().join(", ")}`);
        const fn = (admin as unknown as Record<string, (...args: unknown[]) => unknown>)[op];
        if (!fn) throw new HttpError(404, "NotFound", `unknown admin operation \`${op}\``);
        const result = await fn(...adminArgs(op, parseJsonBody(body)));
        return ok({ result: result ?? null });
      }
      case "GET download": {
        const token = segments.slice(1).join("/");
        const blob = core.backend.downloads?.get(token);
        if (!blob) throw new HttpError(404, "NotFound", "no download with this token");
        return sendText(res, 200, blob.contentType, blob.body);
      }
      default: {
        const known = ["health", "clock", "faults", "throttle", "calls", "seed", "admin", "download"];
        if (known.includes(segments[0] ?? "")) throw new HttpError(405, "MethodNotAllowed", `${method} is not supported on ${path}`);
        throw new HttpError(404, "NotFound", `no admin endpoint ${path}; see emulator/README.md`);
      }
    }
  } catch (e) {
    if (e instanceof HttpError) return sendJson(res, e.status, { error: { code: e.code, message: e.message } });
    if (e instanceof ApiError) return sendJson(res, 400, { error: { code: e.code, message: e.message } });
    if (e instanceof RangeError || e instanceof TypeError) return sendJson(res, 400, { error: { code: "InvalidRequest", message: e.message } });
    core.log(`emulator: admin ${method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return sendJson(res, 500, { error: { code: "InternalError", message: e instanceof Error ? e.message : String(e) } });
  }
}
