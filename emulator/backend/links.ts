/**
 * The renewal link as callers see it (inferred rule #1): `CertificateExtra.RenewOrder` on the old
 * certificate, `OriginCertificateId` on the new one, `HasRenewOrder` in the list. The records always
 * hold the truth (`renewOrder`, `originCertificateId`); these views apply the switches
 * `linkDelaySeconds`, `linkSides` and `linkClearedAfterIssue`, so DescribeCertificates and
 * DescribeCertificateDetail agree at any instant.
 */
import type { InferredRules } from "../rules";
import { isIssued, liveRenewal } from "./status";
import { SECOND_MS } from "./time";
import type { AccountState, CertificateRecord } from "./state";

/** The link appears `linkDelaySeconds` after the renewal was bought (its insert time). */
function linkShown(renewal: CertificateRecord, rules: InferredRules, now: Date): boolean {
  return now.getTime() >= Date.parse(renewal.insertTime) + rules.linkDelaySeconds * SECOND_MS;
}

/** `OriginCertificateId` of a renewal. */
export function visibleOrigin(cert: CertificateRecord, rules: InferredRules, now: Date): string | null {
  if (cert.originCertificateId === null) return null;
  return linkShown(cert, rules, now) ? cert.originCertificateId : null;
}

/** `RenewOrder` of a renewed certificate. */
export function visibleRenewOrder(account: AccountState, cert: CertificateRecord, rules: InferredRules, now: Date): string | null {
  if (cert.renewOrder === null || rules.linkSides === "new-only") return null;
  const renewal = account.certificates[cert.renewOrder];
  if (!renewal) return cert.renewOrder; // deleted renewal: the id stays, as before
  if (!linkShown(renewal, rules, now)) return null;
  if (rules.linkClearedAfterIssue && isIssued(renewal)) return null;
  return cert.renewOrder;
}

/** `HasRenewOrder`: the live renewal's id when its link is visible, else `""`. */
export function visibleHasRenewOrder(account: AccountState, cert: CertificateRecord, rules: InferredRules, now: Date): string {
  const live = liveRenewal(account, cert);
  if (!live) return "";
  return visibleRenewOrder(account, cert, rules, now) === live.id ? live.id : "";
}
