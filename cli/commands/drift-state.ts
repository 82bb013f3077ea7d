/**
 * `drift-deploys.json` in the state dir: when `tccert deploy --drifted` last moved resources off
 * and onto each certificate. Tencent caches bound-resource answers for half an hour, so a scan
 * right after a deployment would still see the old bindings; the scan asks again, without the
 * cache, for every certificate deployed after its cached answer. Ids and times only.
 */
import * as path from "node:path";
import { InvalidInputError } from "../../engine/errors";
import { ensureDirectorySync, readFileNoFollowSync, writeFileAtomicSync } from "../../runtime";

export const DRIFT_DEPLOYS_FILE = "drift-deploys.json";

function fileOf(stateDir: string): string {
  return path.join(stateDir, DRIFT_DEPLOYS_FILE);
}

/** Certificate id → when this tool last deployed off or onto it. Missing or unreadable: none. */
export function readDriftDeploys(stateDir: string): Map<string, Date> {
  let text: string | undefined;
  try {
    text = readFileNoFollowSync(fileOf(stateDir));
  } catch {
    return new Map();
  }
  if (text === undefined) return new Map();
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    return new Map(Object.entries(raw).flatMap(([id, at]) => (typeof at === "string" && !Number.isNaN(Date.parse(at)) ? [[id, new Date(at)] as [string, Date]] : [])));
  } catch {
    return new Map();
  }
}

/** Records `at` for `ids`, keeping the other entries. */
export function recordDriftDeploys(stateDir: string, ids: readonly string[], at: Date): void {
  if (ids.length === 0) return;
  const all = readDriftDeploys(stateDir);
  for (const id of ids) all.set(id, at);
  try {
    ensureDirectorySync(stateDir);
    writeFileAtomicSync(fileOf(stateDir), `${JSON.stringify(Object.fromEntries([...all].map(([id, d]) => [id, d.toISOString()])), null, 2)}\n`);
  } catch (e) {
    throw new InvalidInputError("--state-dir", `could not record the deployment in ${fileOf(stateDir)} (${(e as Error).message}); the next scan may show Tencent's cached bindings for up to 30 minutes. Check --state-dir.`);
  }
}
