/** JSON snapshot and restore of the whole backend state (for `--state-file`). */
import type { BackendCore } from "./core";
import { DEFAULT_SETTINGS, type BackendState } from "./state";

export function snapshotState(core: BackendCore): BackendState {
  return JSON.parse(JSON.stringify(core.state)) as BackendState;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function restoreState(core: BackendCore, snapshot: unknown): void {
  if (!isRecord(snapshot) || snapshot["version"] !== 1 || !isRecord(snapshot["accounts"]) || !Array.isArray(snapshot["accountOrder"]) || !isRecord(snapshot["counters"])) {
    throw new Error("emulator: not a backend snapshot (expected { version: 1, accounts, accountOrder, counters, ... })");
  }
  const state = JSON.parse(JSON.stringify(snapshot)) as BackendState;
  state.settings = { ...DEFAULT_SETTINGS, ...state.settings };
  core.state = state;
  core.downloads.clear();
}
