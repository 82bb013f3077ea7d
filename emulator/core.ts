/**
 * What the HTTP front's two pipelines (the API chain in `api-chain.ts`, the admin routes in
 * `admin-http.ts`) share: the running emulator's parts. Kept apart from `server.ts` so that neither
 * pipeline imports the server (no import cycle).
 */
import type { EmulatorAdmin } from "./admin";
import type { CallLog } from "./call-log";
import type { ControllableClock } from "./clock";
import type { EmulatorBackend } from "./contract";
import type { FaultScript } from "./faults";
import type { RuleStore } from "./rules";
import type { Throttle } from "./throttle";

export interface EmulatorCore {
  readonly backend: EmulatorBackend;
  readonly clock: ControllableClock;
  readonly callLog: CallLog;
  readonly faults: FaultScript;
  readonly throttle: Throttle;
  /** The inferred-behaviour switches (profile `default` or `pessimistic`, then overrides). */
  readonly rules: RuleStore;
  readonly admin: EmulatorAdmin;
  /** `http://127.0.0.1:PORT`. */
  baseUrl(): string;
  /** Persists state (state file) after a handler or admin operation ran. */
  afterMutation(): void;
  /** Diagnostics (unexpected handler exceptions). */
  log(message: string): void;
}

/** Every admin endpoint lives under this prefix, on the API port. */
export const ADMIN_PREFIX = "/_emulator/";
