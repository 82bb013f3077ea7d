/**
 * Not due: output the current certificate (and its key when we or Tencent hold it, and it matches).
 * If this tool renewed it and a crash left validation records or an unfinished deployment, finish
 * those now.
 */
import { runDeployment } from "./deploy";
import { removeRecords, type Ctx } from "./finish";
import type { Lineage } from "./lineage";
import { currentMaterial } from "./material";
import { phase } from "./order";
import { renewAfterOf, type PolicyDecision } from "./policy";
import type { RenewalResult } from "./result";

export async function adopt(ctx: Ctx, lineage: Lineage, decision: PolicyDecision): Promise<RenewalResult> {
  const c = lineage.current;
  const { certificate: _c, keyOrigin: _o, keyMatches: _m, ...material } = await currentMaterial(ctx.deps, lineage);
  const journal = await ctx.deps.journal.load(ctx.rootId);
  let ours = journal && journal.newCertificateId === c.certificateId ? journal : null;
  let deployment: RenewalResult["deployment"] = null;
  if (ours && (ours.createdRecords.length > 0 || (ours.plannedRecords ?? []).length > 0)) ours = await removeRecords(ctx, ours, c.certificateId);
  if (ours && ours.oldCertificateId && ctx.opts.deploy.length > 0 && !ours.deployed) {
    // Our key (`local`) is not Tencent's: deployed by content, as the run that renewed it would have.
    const content = ours.keySource === "local" && material.privateKeyPem ? { content: { fullchainPem: material.fullchainPem, privateKeyPem: material.privateKeyPem } } : {};
    deployment = await runDeployment(ctx.deps, ours.oldCertificateId, c.certificateId, ctx.opts.deploy, ctx.progress, ctx.signal, content);
    await ctx.deps.journal.save({ ...ours, deployed: true, updatedAt: ctx.deps.clock.now().toISOString() });
  }
  phase(ctx, "done", c.certificateId, `not renewing: ${decision.message}`);
  return {
    outcome: "adopted",
    paidThisRun: false,
    decision,
    originalCertificateId: lineage.rootId,
    certificateId: c.certificateId,
    // The certificate the current one replaced (a run that resumes after a crash adopts the renewal it finished).
    previousCertificateId: lineage.certificates[lineage.certificates.findIndex((x) => x.certificateId === c.certificateId) - 1]?.certificateId ?? "",
    status: c.phase,
    ...material,
    renewAfter: renewAfterOf(material.notAfter, ctx.opts.renewBeforeDays),
    dnsRecords: [],
    deployment,
  };
}
