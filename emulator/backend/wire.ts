/**
 * Handler typing: requests and responses use the SDK's own models
 * (`import type` only), widened to allow the `null`s Tencent really sends.
 */
import { ApiError, type ActionContext, type ActionHandler } from "../contract";
import type { BackendCore } from "./core";
import type { AccountState } from "./state";
import { refreshAccount } from "./status";

type WireValue<V> = V extends ReadonlyArray<infer E> ? Array<WireValue<E>> | null : V extends object ? Wire<V> | null : V | null;

/** An SDK response model, every field present and nullable like the wire (`Response` minus `RequestId`). */
export type Wire<T> = { [K in keyof T]-?: WireValue<Exclude<T[K], undefined>> };

export type WireResponse<T> = Wire<Omit<T, "RequestId">>;

export interface HandlerEnv<Req> {
  readonly req: Partial<Req>;
  readonly ctx: ActionContext;
  readonly core: BackendCore;
  readonly account: AccountState;
  readonly now: Date;
}

/**
 * Wraps a typed handler. The front has already validated `ctx.params` against
 * the SDK request model, so the cast to `Partial<Req>` is the documented seam;
 * handlers still check the fields they rely on.
 */
export function handler<Req, Res>(core: BackendCore, fn: (env: HandlerEnv<Req>) => WireResponse<Res> | Promise<WireResponse<Res>>): ActionHandler {
  return (ctx) => {
    const account = core.account(ctx.accountId);
    const now = ctx.now();
    refreshAccount(core, account, now);
    return fn({ req: ctx.params as Partial<Req>, ctx, core, account, now });
  };
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new ApiError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
  }
  return value;
}

export function optionalInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new ApiError("InvalidParameter", `The value of \`${name}\` is not an integer: ${JSON.stringify(value)}.`);
  }
  return n;
}
