/**
 * Emulator time is the tool's time when the endpoint is the emulator.
 *
 * The emulator's clock can be moved (`POST /_emulator/clock/advance`), so that certificates become
 * due and orders issue without waiting days. For that to test a renewal pipeline end to end, every
 * front end must decide "due" by the same clock the emulator answers with. So, when an endpoint
 * override is set (`--endpoint`, `TCCERT_ENDPOINT`, the Pulumi `tencentcloud:endpoint`), the runtime
 * asks `GET <endpoint>/_emulator/clock` once and shifts its clock by the emulator's offset. Against
 * the real Tencent endpoints (no override) it never asks: nothing changes.
 *
 * The question is a local admin read of the emulator, not a Tencent API call, so Pulumi's `diff`
 * (which calls no API) may ask it too. An endpoint that does not answer it as the emulator does
 * (any failure, any other answer) is not the emulator: the wall clock is kept.
 */
import type { Clock } from "../engine/ports";
import { resolveEndpoint } from "../tencent";

/** The emulator's admin clock endpoint (emulator/README.md). */
export const EMULATOR_CLOCK_PATH = "/_emulator/clock";

/** How long the probe waits for an answer before keeping the wall clock. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Milliseconds to add to this machine's time to get the emulator's, or null when `origin` does not
 * answer as the emulator. Never throws.
 */
export async function probeEmulatorOffset(origin: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<number | null> {
  const sentAt = Date.now();
  try {
    const res = await fetch(`${origin}${EMULATOR_CLOCK_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return null;
    const body = (await res.json()) as { now?: unknown; offsetMs?: unknown };
    const receivedAt = Date.now();
    if (typeof body.now !== "string" || typeof body.offsetMs !== "number") return null;
    const emulatorNow = Date.parse(body.now);
    if (!Number.isFinite(emulatorNow)) return null;
    // Measured, not taken from offsetMs: the emulator may run on another machine.
    return emulatorNow - Math.round((sentAt + receivedAt) / 2);
  } catch {
    return null;
  }
}

/** The override's origin, or null against the real endpoints. Invalid overrides are reported by the adapter, not here. */
function overrideOrigin(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): string | null {
  try {
    return resolveEndpoint(endpoint, env)?.origin ?? null;
  } catch {
    return null;
  }
}

/**
 * "Now" as the tool sees it, for callers that need no engine (Pulumi's `diff`): the emulator's time
 * when `endpoint` (else `TCCERT_ENDPOINT`) is the emulator, else the wall clock.
 */
export async function toolNow(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Date> {
  const origin = overrideOrigin(endpoint, env);
  const offset = origin === null ? null : await probeEmulatorOffset(origin);
  return new Date(Date.now() + (offset ?? 0));
}

/** A clock shifted by an offset learned once, before the first API call. */
export interface EmulatorAwareClock {
  readonly clock: Clock;
  /** Learns the offset (once; later calls share the answer). Resolves, never rejects. */
  sync(): Promise<void>;
}

export function emulatorAwareClock(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): EmulatorAwareClock {
  const origin = overrideOrigin(endpoint, env);
  let offset = 0;
  let synced: Promise<void> | null = origin === null ? Promise.resolve() : null;
  return {
    clock: { now: () => new Date(Date.now() + offset) },
    sync() {
      synced ??= probeEmulatorOffset(origin ?? "").then((o) => {
        offset = o ?? 0;
      });
      return synced;
    },
  };
}

/**
 * `port` with every method waiting for `ready` first. The engine reads Tencent before it decides
 * anything by the clock, so the first read learns the emulator's time without changing the engine's
 * synchronous `Clock` port.
 */
export function afterReady<T extends object>(port: T, ready: () => Promise<void>): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await ready();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
