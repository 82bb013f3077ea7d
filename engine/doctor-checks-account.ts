/**
 * The doctor's account-wide checks: benefit packages, and the renewal link as past renewals show it
 * (free evidence of how Tencent records a renewal: symmetric or one-sided, kept or cleared after
 * issuance), read from `DescribeCertificates` and `DescribeCertificateDetail`.
 */
import { check, type DoctorCheck } from "./doctor-types";
import { numberAt, objects, shown, text } from "./doctor-raw";
import type { RawObject } from "./probe-port";

/** `2023-12-18` or `2023-12-18 10:00:00`, Tencent's documented forms. */
const TENCENT_TIME = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;

function expiresAt(value: string): number {
  return Date.parse(`${value.length === 10 ? `${value} 23:59:59` : value}`.replace(" ", "T") + "+08:00");
}

/** Package balances against the points the checked certificates would need, and the `ExpireTime` format. */
export function packageChecks(packages: readonly RawObject[] | null, pointsNeeded: number, now: Date): DoctorCheck[] {
  if (packages === null)
    return [check("packages.balance", "account", "unknown", "DescribePackages could not be read (see the CAM checks)", "Grant ssl:DescribePackages.")];
  const usable = packages.filter((p) => text(p, "Status") === "usable" && (numberAt(p, "Balance") ?? 0) > 0 && !(expiresAt(text(p, "ExpireTime")) <= now.getTime()));
  const total = usable.reduce((s, p) => s + (numberAt(p, "Balance") ?? 0), 0);
  const list = packages.map((p) => `${text(p, "PackageId") || "?"} (${text(p, "Status") || "?"}, Balance ${shown(p, "Balance")}, ExpireTime ${shown(p, "ExpireTime")})`).join("; ") || "none";
  const balance =
    usable.length === 0
      ? check("packages.balance", "account", "fail", `no usable benefit package with points left; packages: ${list}`, "Buy a benefit package (points) in the SSL console before renewing.")
      : total < pointsNeeded
        ? check("packages.balance", "account", "fail", `usable packages hold ${total} point(s); renewing the checked certificate(s) needs about ${pointsNeeded}; packages: ${list}`, "Buy more points in the SSL console.")
        : check("packages.balance", "account", "pass", `usable packages hold ${total} point(s)${pointsNeeded > 0 ? `, about ${pointsNeeded} needed` : ""}; packages: ${list}`);
  const forms = packages.map((p) => text(p, "ExpireTime"));
  const odd = forms.filter((f) => !TENCENT_TIME.test(f));
  const format =
    packages.length === 0
      ? check("packages.expire-time", "account", "unknown", "no package to read ExpireTime from")
      : odd.length > 0
        ? check("packages.expire-time", "account", "unknown", `ExpireTime in a form this tool does not parse: ${odd.map((f) => JSON.stringify(f)).join(", ")}`, "Send the --record output to the maintainers.")
        : check("packages.expire-time", "account", "pass", `ExpireTime as documented (${[...new Set(forms.map((f) => (f.length === 10 ? "YYYY-MM-DD" : "YYYY-MM-DD hh:mm:ss")))].join(", ")}), e.g. ${JSON.stringify(forms[0])}`);
  return [balance, format];
}

/** A past renewal: `renewal` names `origin` as its `OriginCertificateId`. */
export interface PastRenewal {
  readonly origin: string;
  readonly renewal: string;
  readonly renewalIssued: boolean;
  /** What the origin shows of the link: `CertificateExtra.RenewOrder` (detail, else list) and the list's `HasRenewOrder`. */
  readonly renewOrder: string;
  readonly hasRenewOrder: string;
}

/** Renewals found in the list: rows whose `CertificateExtra.OriginCertificateId` is set. */
export function pastRenewals(rows: readonly RawObject[], details: ReadonlyMap<string, RawObject>): PastRenewal[] {
  const byId = new Map(rows.map((r) => [text(r, "CertificateId"), r]));
  return rows
    .filter((r) => text(r, "CertificateExtra.OriginCertificateId") !== "")
    .map((r) => {
      const origin = text(r, "CertificateExtra.OriginCertificateId");
      const o = byId.get(origin);
      const detail = details.get(origin);
      return {
        origin,
        renewal: text(r, "CertificateId"),
        renewalIssued: numberAt(r, "Status") === 1,
        renewOrder: (detail ? text(detail, "CertificateExtra.RenewOrder") : "") || (o ? text(o, "CertificateExtra.RenewOrder") : ""),
        hasRenewOrder: o ? text(o, "HasRenewOrder") : "",
      };
    });
}

function shows(p: PastRenewal): boolean {
  return p.renewOrder === p.renewal || p.hasRenewOrder === p.renewal || p.hasRenewOrder !== "";
}

function describe(p: PastRenewal): string {
  return `${p.renewal} (${p.renewalIssued ? "issued" : "in flight"}) names ${p.origin} as OriginCertificateId; ${p.origin} shows RenewOrder ${JSON.stringify(p.renewOrder)}, HasRenewOrder ${JSON.stringify(p.hasRenewOrder)}`;
}

/** Is the link symmetric, and is it kept after issuance? From past renewals only (free). */
export function linkChecks(past: readonly PastRenewal[]): DoctorCheck[] {
  if (past.length === 0) {
    const why = "no past renewal in this account (no certificate has CertificateExtra.OriginCertificateId), so how Tencent records the link cannot be seen for free";
    return [
      check("link.symmetric", "account", "unknown", why, "Nothing to do: the engine relies on its own journal and on evidence from both sides. Run `tccert renew <id> --canary` once to observe it."),
      check("link.kept-after-issuance", "account", "unknown", why),
    ];
  }
  const sample = past.slice(0, 5).map(describe).join("; ");
  const inFlight = past.filter((p) => !p.renewalIssued);
  const issued = past.filter((p) => p.renewalIssued);
  const flagForm = past.filter((p) => p.hasRenewOrder !== "" && p.hasRenewOrder !== p.renewal);
  const checks: DoctorCheck[] = [];
  const symmetricSeen = past.some(shows);
  if (symmetricSeen && past.every((p) => shows(p) || p.renewalIssued))
    checks.push(check("link.symmetric", "account", "pass", `the old certificate shows the link too: ${sample}`));
  else
    checks.push(
      check(
        "link.symmetric",
        "account",
        "unknown",
        `the link shows only on the new side${symmetricSeen ? " for some renewals" : ""}: ${sample}`,
        "Nothing to do: the engine also finds renewals by OriginCertificateId and by its journal; never rely on RenewOrder / HasRenewOrder alone.",
      ),
    );
  const keptIssued = issued.filter(shows);
  if (issued.length === 0) checks.push(check("link.kept-after-issuance", "account", "unknown", `no past renewal is issued yet: ${sample}`));
  else if (keptIssued.length === issued.length) checks.push(check("link.kept-after-issuance", "account", "pass", `issued renewals are still linked from the old certificate: ${sample}`));
  else if (inFlight.some(shows))
    checks.push(check("link.kept-after-issuance", "account", "unknown", `the link is cleared after issuance: renewals in flight are linked from the old certificate, issued ones are not: ${sample}`, "Nothing to do: the engine does not need the old side after issuance."));
  else checks.push(check("link.kept-after-issuance", "account", "unknown", `cannot tell: the old certificate shows no link for issued renewals, and no renewal in flight shows whether it ever did: ${sample}`));
  if (flagForm.length > 0)
    checks.push(check("link.has-renew-order", "account", "unknown", `HasRenewOrder is not a certificate id: ${flagForm.map((p) => `${p.origin}: ${JSON.stringify(p.hasRenewOrder)}`).join(", ")}`, "Nothing to do: the engine finds the renewal's id by OriginCertificateId."));
  return checks;
}

/** Rows of a `DescribeCertificates` answer. */
export function certificateRows(output: RawObject | null): RawObject[] {
  return output === null ? [] : objects(output, "Certificates");
}

/**
 * Renewals waiting in status 5 (awaiting their application data): Tencent did not carry the old
 * certificate's submitted data over, and nothing moves until someone submits it.
 */
export function waitingRenewalChecks(rows: readonly RawObject[]): DoctorCheck[] {
  const waiting = rows.filter((r) => text(r, "CertificateExtra.OriginCertificateId") !== "" && numberAt(r, "Status") === 5);
  return waiting.map((r) =>
    check(
      "renewal.awaiting-submission",
      text(r, "CertificateId"),
      "unknown",
      `renewal ${text(r, "CertificateId")} of ${text(r, "CertificateExtra.OriginCertificateId")} waits in Status 5 (StatusMsg ${shown(r, "StatusMsg")}): its application data was not carried over from the old certificate`,
      "Submit its information in the SSL console (or rerun `tccert renew`, which reports it as a pending human action).",
    ),
  );
}
