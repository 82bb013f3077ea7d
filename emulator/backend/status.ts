/**
 * The certificate status machine (reference §3.1, §10). Transitions that
 * depend on time or on the DNSPod store are evaluated lazily whenever state is
 * read (`refreshAccount`), against the emulator clock: there are no timers.
 *
 *   5 --CertificateOrderSubmit--> 4 (DV, DvAuths issued)            INFERRED (example shows 8 for OV)
 *   5 --CertificateOrderSubmit--> 8 (OV/EV) | 0 (WoTrus, DNSPod SM2 OV/EV: no letter)
 *   8 --admin acceptLetter / UploadConfirmLetter (when allowed)--> 0   INFERRED
 *   0|4 --every DvAuths record present in DNSPod--> (WAIT-ISSUE) --issuance delay--> 1
 *   0|4|8 --admin failReview--> 2
 *   0|4|8 --CancelAuditCertificate--> 7
 *   pre-issue --CancelCertificateOrder--> 6 --cancelSeconds--> 7       INFERRED
 *   2|7 --ModifyCertificateResubmit--> 5                               INFERRED
 *   1 --now > notAfter--> 3
 */
import { MAX_LEAF_VALIDITY_DAYS } from "../../crypto/ca";
import { checkDvAuth, removeAutoRecords } from "./dvauth";
import { DAY_MS, SECOND_MS } from "./time";
import type { BackendCore } from "./core";
import type { AccountState, CertificateRecord } from "./state";

export const STATUS = {
  PENDING: 0,
  ISSUED: 1,
  REJECTED: 2,
  EXPIRED: 3,
  DNS_ADDED: 4,
  PENDING_SUBMIT: 5,
  CANCELLING: 6,
  CANCELLED: 7,
  PENDING_LETTER: 8,
  REFUNDED: 14,
} as const;

/** `StatusName` labels (Tencent localises these; never parse them). */
export const STATUS_NAMES: Readonly<Record<number, string>> = {
  0: "审核中",
  1: "证书已颁发",
  2: "审核失败",
  3: "已过期",
  4: "待验证",
  5: "待提交资料",
  6: "订单取消中",
  7: "已取消",
  8: "已提交资料，待上传确认函",
  9: "证书吊销中",
  10: "已吊销",
  11: "重颁发中",
  12: "待上传吊销确认函",
  13: "免费证书待提交资料",
  14: "证书已退款",
  15: "证书迁移中",
};

export const PRE_ISSUE_STATUSES: readonly number[] = [0, 2, 4, 5, 8];

/** Renewal-window rule of the current docs: quick renewal opens 30 days before expiry. */
export const RENEWAL_WINDOW_DAYS = 30;
/** `IsExpiring`: "证书即将到期的30天内为即将过期". */
export const EXPIRING_WINDOW_DAYS = 30;

/**
 * Validity of a newly issued certificate, in ms from `issueAt`: the period
 * (365 days a year) plus what was left of the certificate it renews, capped at
 * 398 days (documented cap; the 365-day year and measuring the carry at
 * issuance are INFERRED). Reissues keep the replaced certificate's end.
 */
export function notAfterFor(cert: CertificateRecord, issueAt: Date): Date {
  if (cert.fixedNotAfter) return new Date(cert.fixedNotAfter);
  const base = cert.periodYears * 365 * DAY_MS;
  const carry = cert.carryFromNotAfter ? Math.max(0, Date.parse(cert.carryFromNotAfter) - issueAt.getTime()) : 0;
  return new Date(issueAt.getTime() + Math.min(MAX_LEAF_VALIDITY_DAYS * DAY_MS, base + carry));
}

function issue(account: AccountState, cert: CertificateRecord, issueAt: Date): void {
  cert.status = STATUS.ISSUED;
  cert.statusMsg = null;
  cert.notBefore = issueAt.toISOString();
  cert.notAfter = notAfterFor(cert, issueAt).toISOString();
  cert.material = null;
  if (cert.deleteDnsAutoRecord) removeAutoRecords(account, cert); // INFERRED: DeleteDnsAutoRecord acts at issuance
}

export function refreshCertificate(core: BackendCore, account: AccountState, cert: CertificateRecord, now: Date): void {
  const t = now.getTime();
  if (cert.status === STATUS.CANCELLING && cert.cancelDoneAt && t >= Date.parse(cert.cancelDoneAt)) {
    cert.status = STATUS.CANCELLED; // INFERRED: 6 -> 7 after settings.cancelSeconds
    cert.statusMsg = null;
  }
  if (cert.status === STATUS.PENDING || cert.status === STATUS.DNS_ADDED) {
    if (!cert.dcvPassedAt) {
      const started = Date.parse(cert.dcvStartedAt ?? cert.insertTime);
      if (cert.dvAuths.length === 0) {
        cert.dcvPassedAt = new Date(started).toISOString();
      } else {
        const checks = cert.dvAuths.map((a) => checkDvAuth(account, a, now));
        if (checks.every((c) => c.localCheck === 1)) {
          const latest = Math.max(started, ...checks.map((c) => Date.parse(c.foundAt ?? "")).filter((n) => !Number.isNaN(n)));
          cert.dcvPassedAt = new Date(Math.min(latest, t)).toISOString();
        }
      }
      if (cert.dcvPassedAt) cert.statusMsg = "WAIT-ISSUE";
    }
    if (cert.dcvPassedAt) {
      const issueAt = Date.parse(cert.dcvPassedAt) + core.state.settings.issuanceDelaySeconds * SECOND_MS;
      if (t >= issueAt) issue(account, cert, new Date(issueAt));
    }
  }
  if (cert.status === STATUS.ISSUED && cert.notAfter && t > Date.parse(cert.notAfter)) {
    cert.status = STATUS.EXPIRED;
  }
}

export function refreshAccount(core: BackendCore, account: AccountState, now: Date): void {
  for (const cert of Object.values(account.certificates)) refreshCertificate(core, account, cert, now);
}

/** The renewal linked to `cert` that still blocks another one (a cancelled or refunded renewal does not: INFERRED). */
export function liveRenewal(account: AccountState, cert: CertificateRecord): CertificateRecord | undefined {
  if (!cert.renewOrder) return undefined;
  const next = account.certificates[cert.renewOrder];
  if (!next || next.status === STATUS.CANCELLED || next.status === STATUS.REFUNDED) return undefined;
  return next;
}

export function isExpiring(cert: CertificateRecord, now: Date): boolean {
  if (cert.status !== STATUS.ISSUED || !cert.notAfter) return false;
  const left = Date.parse(cert.notAfter) - now.getTime();
  return left > 0 && left <= EXPIRING_WINDOW_DAYS * DAY_MS;
}

/** Paid, bought, issued, and inside the 30-day window (current docs' rule). */
export function inRenewalWindow(cert: CertificateRecord, now: Date): boolean {
  if (!cert.isVip || cert.source !== "buy" || cert.status !== STATUS.ISSUED || !cert.notAfter) return false;
  const left = Date.parse(cert.notAfter) - now.getTime();
  return left > 0 && left <= RENEWAL_WINDOW_DAYS * DAY_MS;
}

/**
 * `RenewAble`: in the renewal window and not already renewed. With `whileRenewing` (the inferred rule
 * `renewAbleWhileRenewing`), a live renewal does not make it false.
 */
export function isRenewable(account: AccountState, cert: CertificateRecord, now: Date, whileRenewing = false): boolean {
  if (!inRenewalWindow(cert, now)) return false;
  return whileRenewing || !liveRenewal(account, cert);
}

export function isIssued(cert: CertificateRecord): boolean {
  return cert.status === STATUS.ISSUED || cert.status === STATUS.EXPIRED;
}
