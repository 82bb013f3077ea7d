/**
 * Deployment: move the resources bound to the old certificate (CLB listeners,
 * CDN domains…) to the new one with `UpdateCertificateInstance`, and follow the
 * task to completion with per-resource results.
 *
 * `runDeployment` is the one entry point (renew --deploy, deploy, deploy --drifted). A certificate
 * renewed from a CSR we uploaded (key source `local`) has no private key at Tencent, and CLB / CDN
 * need one: pass `options.content` (fullchain + key) and it is deployed by content, as the SDK
 * documents ("不传该参数，则公钥证书和私钥证书必传"). Key source `csr` (the key is only the user's)
 * cannot be deployed: refused at input time (options.ts).
 */
import type { DeployRecord, DeployTarget } from "./domain";
import type { EngineDeps } from "./deps";
import { TimedOutError, isTencentApiError, isTransientError } from "./errors";
import type { DeployContent } from "./ports";
import type { ProgressSink } from "./progress";

export interface DeployOptions {
  /** The certificate's content, for a key Tencent does not hold (key source `local`). SECRET key. @default deploy by id */
  readonly content?: DeployContent;
  /** @default 10 minutes */
  readonly timeoutMs?: number;
  /** @default 2000 */
  readonly pollMs?: number;
}

export async function runDeployment(
  deps: Pick<EngineDeps, "ssl" | "clock" | "sleep" | "polling">,
  oldCertificateId: string,
  newCertificateId: string,
  targets: readonly DeployTarget[],
  progress: ProgressSink,
  signal?: AbortSignal,
  options: DeployOptions = {},
): Promise<DeployRecord> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pollMs = options.pollMs ?? (deps.polling?.fastMs !== undefined ? deps.polling.fastMs * 2 : 2000);
  const started = deps.clock.now().getTime();
  progress({ type: "phase", phase: "deploy", certificateId: newCertificateId, message: `deploying ${newCertificateId} to the ${targets.map((t) => t.resourceType).join(", ")} resources bound to ${oldCertificateId}` });
  let recordId = 0;
  // DeployRecordId 0 means Tencent is still creating the task: call again (documented).
  for (let i = 0; recordId === 0; i++) {
    try {
      const start = await deps.ssl.updateCertificateInstance(oldCertificateId, newCertificateId, targets, options.content);
      recordId = start.deployRecordId;
    } catch (e) {
      if (isTencentApiError(e) && e.code === "FailedOperation.CertificateDeployInstanceEmpty") {
        // Nothing of these types is bound to the old certificate (any more): an earlier run already moved it, or nothing was there.
        progress({ type: "deploy", message: `no ${targets.map((t) => t.resourceType).join("/")} resources are bound to ${oldCertificateId} (any more): nothing to deploy` });
        return { deployRecordId: 0, finished: true, results: [] };
      }
      // Calling again is what Tencent documents for a task still being created; a repeat finds the same task.
      if (!isTransientError(e) || i >= 8) throw e;
      progress({ type: "warning", message: `UpdateCertificateInstance: ${(e as Error).message}; calling again` });
    }
    if (recordId !== 0) break;
    if (deps.clock.now().getTime() - started > timeoutMs)
      throw new TimedOutError(`deploy of ${newCertificateId}: Tencent did not create the update task in time. Rerun \`tccert deploy\`.`, timeoutMs, { newCertificateId });
    await deps.sleep(Math.min(pollMs * (i + 1), 10_000), signal);
  }
  for (;;) {
    const record = await deps.ssl.getDeployRecord(recordId);
    if (record.finished) {
      for (const r of record.results)
        progress({ type: "deploy", message: `${r.resourceType} ${r.instanceId}${r.listenerId ? `/${r.listenerId}` : ""}${r.domain ? ` ${r.domain}` : ""}${r.region ? ` (${r.region})` : ""}: ${r.status}${r.errorMessage ? ` — ${r.errorMessage}` : ""}` });
      return record;
    }
    if (deps.clock.now().getTime() - started > timeoutMs)
      throw new TimedOutError(`deploy of ${newCertificateId}: task ${recordId} still running; check it with \`tccert deploy\` later.`, timeoutMs, { newCertificateId });
    await deps.sleep(pollMs, signal);
  }
}
