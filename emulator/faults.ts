/**
 * Scripted faults: never random. Each rule applies to the next `times` calls that match it
 * (`service`, `action`, optional `accountId`), counted only for authenticated, routed calls.
 *
 * Kinds:
 * - `error`: answer `Response.Error{code, message}` without running the handler;
 * - `error-after-commit`: run the handler (its state change commits), then answer the error
 *   (the case that tests never paying twice);
 * - `latency`: wait `ms` before handling; latency rules stack with each other and with one other rule;
 * - `reset`: destroy the socket without answering;
 * - `non-json`: HTTP 200 with an HTML body;
 * - `http-500`: HTTP 500 with an HTML body.
 * `reset`, `non-json` and `http-500` take `afterCommit: true` to run the handler first (the answer
 * is lost after the state changed).
 *
 * Rules are checked in the order they were added; the first matching non-latency rule wins.
 */
import type { ServiceName } from "./contract";

export type FaultKind = "error" | "error-after-commit" | "latency" | "reset" | "non-json" | "http-500";

export interface FaultMatch {
  /** @default either service */
  readonly service?: ServiceName;
  /** Tencent action name, or `*` for every action. */
  readonly action: string;
  /** @default every account */
  readonly accountId?: string;
  /** How many matching calls the rule applies to; `Infinity` or `"always"` for every one. @default 1 */
  readonly times?: number | "always";
}

export type FaultRule = FaultMatch &
  (
    | { readonly kind: "error" | "error-after-commit"; readonly code: string; readonly message?: string }
    | { readonly kind: "latency"; readonly ms: number }
    | { readonly kind: "reset" | "non-json" | "http-500"; readonly afterCommit?: boolean }
  );

/** A rule in the script, with what is left of it. */
export interface ActiveFault {
  readonly id: number;
  readonly rule: FaultRule;
  /** Calls left; `"always"` when unlimited. */
  readonly remaining: number | "always";
}

/** A rule that ends a call (every kind but `latency`). */
export type TerminalFault = Exclude<FaultRule, { readonly kind: "latency" }>;

/** A rule that ends a call without an envelope. */
export type TransportFault = Extract<FaultRule, { readonly kind: "reset" | "non-json" | "http-500" }>;

export function isTransportFault(rule: FaultRule): rule is TransportFault {
  return rule.kind === "reset" || rule.kind === "non-json" || rule.kind === "http-500";
}

export interface FaultPlan {
  /** Total latency to add, in ms. */
  readonly latencyMs: number;
  /** The terminating fault, if any. */
  readonly fault?: TerminalFault;
}

export interface FaultScript {
  add(rules: FaultRule | readonly FaultRule[]): ActiveFault[];
  clear(): void;
  list(): ActiveFault[];
  /** Consumes the rules that match this call. */
  plan(service: ServiceName, action: string, accountId: string): FaultPlan;
}

const KINDS: readonly FaultKind[] = ["error", "error-after-commit", "latency", "reset", "non-json", "http-500"];
const SERVICES: readonly ServiceName[] = ["ssl", "dnspod"];

function fail(message: string): never {
  throw new TypeError(`fault: ${message}`);
}

/** Checks a rule that came from outside (HTTP or an untyped caller). @throws TypeError */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail("a rule must be an object like {\"action\":\"X\",\"kind\":\"error\",\"code\":\"InternalError\"}");
  const r = input as Record<string, unknown>;
  const known = new Set(["service", "action", "accountId", "times", "kind", "code", "message", "ms", "afterCommit"]);
  for (const key of Object.keys(r)) if (!known.has(key)) fail(`unknown field \`${key}\` (allowed: ${[...known].join(", ")})`);
  const kind = r["kind"];
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) fail(`\`kind\` must be one of ${KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  const action = r["action"];
  if (typeof action !== "string" || action === "") fail("`action` must be a Tencent action name or \"*\"");
  const match: { service?: ServiceName; action: string; accountId?: string; times?: number | "always" } = { action };
  const service = r["service"];
  if (service !== undefined) {
    if (typeof service !== "string" || !(SERVICES as readonly string[]).includes(service)) fail(`\`service\` must be "ssl" or "dnspod", got ${JSON.stringify(service)}`);
    match.service = service as ServiceName;
  }
  const accountId = r["accountId"];
  if (accountId !== undefined) {
    if (typeof accountId !== "string") fail("`accountId` must be a string");
    match.accountId = accountId;
  }
  const times = r["times"];
  if (times !== undefined) {
    const ok = times === "always" || times === Infinity || (typeof times === "number" && Number.isInteger(times) && times >= 1);
    if (!ok) fail(`\`times\` must be an integer >= 1, Infinity or "always", got ${JSON.stringify(times)}`);
    match.times = times as number | "always";
  }
  const onlyFor = (field: string, kinds: readonly FaultKind[]): void => {
    if (r[field] !== undefined && !kinds.includes(kind as FaultKind)) fail(`\`${field}\` does not apply to kind ${kind}`);
  };
  onlyFor("code", ["error", "error-after-commit"]);
  onlyFor("message", ["error", "error-after-commit"]);
  onlyFor("ms", ["latency"]);
  onlyFor("afterCommit", ["reset", "non-json", "http-500"]);
  switch (kind as FaultKind) {
    case "error":
    case "error-after-commit": {
      const code = r["code"];
      if (typeof code !== "string" || !/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(code)) fail(`\`code\` must be a Tencent error code like "FailedOperation.NetworkError", got ${JSON.stringify(code)}`);
      const message = r["message"];
      if (message !== undefined && typeof message !== "string") fail("`message` must be a string");
      return { ...match, kind: kind as "error" | "error-after-commit", code, ...(message !== undefined ? { message } : {}) };
    }
    case "latency": {
      const ms = r["ms"];
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > 600_000) fail(`\`ms\` must be a number of milliseconds in [0, 600000], got ${JSON.stringify(ms)}`);
      return { ...match, kind: "latency", ms };
    }
    default: {
      const afterCommit = r["afterCommit"];
      if (afterCommit !== undefined && typeof afterCommit !== "boolean") fail("`afterCommit` must be a boolean");
      return { ...match, kind: kind as "reset" | "non-json" | "http-500", ...(afterCommit !== undefined ? { afterCommit } : {}) };
    }
  }
}

/** Default message of an injected error. */
export function faultMessage(rule: { code: string; message?: string }): string {
  return rule.message ?? `${rule.code} (fault scripted in the emulator).`;
}

export function createFaultScript(): FaultScript {
  interface Entry {
    id: number;
    rule: FaultRule;
    remaining: number;
  }
  let entries: Entry[] = [];
  let nextId = 1;
  const view = (e: Entry): ActiveFault => ({ id: e.id, rule: e.rule, remaining: e.remaining === Infinity ? "always" : e.remaining });
  const matches = (rule: FaultRule, service: ServiceName, action: string, accountId: string): boolean =>
    (rule.service === undefined || rule.service === service) &&
    (rule.action === "*" || rule.action === action) &&
    (rule.accountId === undefined || rule.accountId === accountId);

  return {
    add(rules) {
      const list = (Array.isArray(rules) ? rules : [rules]) as readonly unknown[];
      const parsed = list.map(parseFaultRule);
      const added = parsed.map((rule) => {
        const t = rule.times ?? 1;
        const entry: Entry = { id: nextId++, rule, remaining: t === "always" ? Infinity : t };
        entries.push(entry);
        return entry;
      });
      return added.map(view);
    },
    clear() {
      entries = [];
    },
    list() {
      return entries.map(view);
    },
    plan(service, action, accountId) {
      let latencyMs = 0;
      let fault: TerminalFault | undefined;
      for (const e of entries) {
        const rule = e.rule;
        if (!matches(rule, service, action, accountId)) continue;
        if (rule.kind === "latency") {
          latencyMs += rule.ms;
          e.remaining--;
        } else if (!fault) {
          fault = rule;
          e.remaining--;
        }
      }
      entries = entries.filter((e) => e.remaining > 0);
      return fault ? { latencyMs, fault } : { latencyMs };
    },
  };
}
