/** JSON snapshot and restore of the whole backend state (for `--state-file`). */
import type { BackendCore } from "./core";
import { DEFAULT_SETTINGS, type AccountState, type BackendState } from "./state";

export function snapshotState(core: BackendCore): BackendState {
  return JSON.parse(JSON.stringify(core.state)) as BackendState;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Snapshots written before certificates carried `seq`: number them in the map's order (the old list order). */
function numberCertificates(account: AccountState): void {
  let last = typeof account.certificateSeq === "number" ? account.certificateSeq : 0;
  for (const cert of Object.values(account.certificates)) {
    if (typeof cert.seq !== "number") cert.seq = ++last;
    else last = Math.max(last, cert.seq);
  }
  account.certificateSeq = last;
}

export function restoreState(core: BackendCore, snapshot: unknown): void {
  if (!isRecord(snapshot) || snapshot["version"] !== 1 || !isRecord(snapshot["accounts"]) || !Array.isArray(snapshot["accountOrder"]) || !isRecord(snapshot["counters"])) {
    throw new Error("emulator: not a backend snapshot (expected { version: 1, accounts, accountOrder, counters, ... })");
  }
  const state = JSON.parse(JSON.stringify(snapshot)) as BackendState;
  state.settings = { ...DEFAULT_SETTINGS, ...state.settings };
  for (const account of Object.values(state.accounts)) numberCertificates(account);
  core.state = state;
  core.downloads.clear();
}
