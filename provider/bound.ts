/**
 * The `boundResources` output: where the served certificate (`certificateId`) is deployed, read
 * through the engine's `listDeployments` (Tencent's bound-resource task: it starts a query, changes
 * nothing, costs nothing). Called by create, update and read only; check, diff and every preview
 * never call it.
 *
 * A renewal that succeeded is never failed by this read: when the task fails or does not finish
 * within `BINDINGS_TIMEOUT_MS`, the output keeps the previous list if it describes the same
 * certificate, else it is [] (a new certificate's old list would name resources it may not serve),
 * and a warning says why.
 */
import type { EngineDeps } from "../engine/deps";
import { listDeployments } from "../engine/drift";
import type { BoundResourceOutput, CertificateOutputs } from "./state";

/** The bounded wait for Tencent's task, shorter than the scan's 2 minutes: it runs inside `pulumi up`. @default 60000 */
export const BINDINGS_TIMEOUT_MS = 60_000;
/** Between two reads of the task's result (the task takes about a second). */
const POLL_MS = 1000;

export interface BoundRead {
  readonly deps: EngineDeps;
  /** The resource id, for log lines. */
  readonly label: string;
  /** The certificate the outputs serve. */
  readonly certificateId: string;
  /** The outputs before this run; null on create. */
  readonly previous: CertificateOutputs | null;
  /** Ask Tencent afresh (no cached answer): this run renewed or deployed. @default false */
  readonly fresh?: boolean;
}

function plain(r: BoundResourceOutput): BoundResourceOutput {
  return { resourceType: r.resourceType, region: r.region, instanceId: r.instanceId, listenerId: r.listenerId, domain: r.domain };
}

/** Where `certificateId` is deployed; never throws (see the module comment). */
export async function boundResourcesOf(a: BoundRead): Promise<BoundResourceOutput[]> {
  if (a.certificateId === "") return [];
  try {
    const list = await listDeployments(a.deps, a.certificateId, { timeoutMs: BINDINGS_TIMEOUT_MS, pollMs: POLL_MS, ...(a.fresh ? { maxCacheAgeMs: 0 } : {}) });
    const unread = list.counts.filter((c) => c.error !== "").map((c) => `${c.resourceType}${c.region ? ` ${c.region}` : ""}: ${c.error}`);
    if (unread.length > 0) console.log(`tccert ${a.label}: warning: boundResources of ${a.certificateId} may be incomplete: Tencent could not read ${unread.join("; ")}.`);
    return list.resources.map(plain);
  } catch (e) {
    const same = a.previous !== null && a.previous.certificateId === a.certificateId;
    const kept = same ? [...a.previous.boundResources] : [];
    const why = e instanceof Error ? e.message : String(e);
    console.log(
      `tccert ${a.label}: warning: could not read where ${a.certificateId} is deployed (${why}); boundResources ${same ? "keeps the previous list" : "is []"}. ` +
        `The certificate outputs are not affected; \`pulumi refresh\` or \`tccert scan --deployments --ids ${a.label}\` reads it again.`,
    );
    return kept;
  }
}
