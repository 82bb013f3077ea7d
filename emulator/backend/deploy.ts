/** Deployment records of UpdateCertificateInstance, advanced lazily against the emulator clock. */
import type { AccountState, BoundResourceRecord, DeployRecord } from "./state";

export function sameResource(a: BoundResourceRecord, b: BoundResourceRecord): boolean {
  return a.resourceType === b.resourceType && a.region === b.region && a.instanceId === b.instanceId && a.listenerId === b.listenerId && a.domain === b.domain;
}

/** Each resource runs for its slot and then succeeds; on success it is bound to the new certificate instead of the old. */
export function refreshDeploys(account: AccountState, now: Date): void {
  const t = now.getTime();
  for (const rec of Object.values(account.deployRecords)) {
    for (const d of rec.details) {
      if (d.status === 1 || d.status === 2) continue;
      if (t >= Date.parse(d.finishesAt)) {
        d.status = 1;
        if (!d.moved) {
          const oldCert = account.certificates[rec.oldCertId];
          const newCert = account.certificates[rec.certId];
          if (oldCert) oldCert.boundResources = oldCert.boundResources.filter((r) => !sameResource(r, d.resource));
          if (newCert && !newCert.boundResources.some((r) => sameResource(r, d.resource))) newCert.boundResources.push({ ...d.resource });
          d.moved = true;
        }
      } else if (t >= Date.parse(d.startsAt)) {
        d.status = 3;
      }
    }
  }
}

/** 1 done, 2 failed, 3 running, 0 pending (the detail status space, INFERRED for the record). */
export function recordStatus(rec: DeployRecord): number {
  const s = rec.details.map((d) => d.status);
  if (s.every((x) => x === 1)) return 1;
  if (s.some((x) => x === 2) && s.every((x) => x === 1 || x === 2)) return 2;
  if (s.every((x) => x === 0)) return 0;
  return 3;
}

export function recordUpdatedAt(rec: DeployRecord, now: Date): string {
  const done = rec.details.map((d) => Date.parse(d.finishesAt)).filter((x) => x <= now.getTime());
  return new Date(Math.max(Date.parse(rec.createdAt), ...done)).toISOString();
}
