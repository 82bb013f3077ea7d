/**
 * The doctor's checks of one certificate, from its `DescribeCertificateDetail` answer and its row in
 * `DescribeCertificates`: what the renewal engine assumes about its fields.
 */
import type { Certificate } from "./domain";
import { check, type DoctorCheck } from "./doctor-types";
import { at, flag, numberAt, pemCertificateCount, privateKeyForm, shown, text } from "./doctor-raw";
import { estimatePoints, PRODUCT_PID_BY_PACKAGE_TYPE } from "./payment";
import type { RawObject } from "./probe-port";

const EXTRA_FIELDS = ["DomainNumber", "OriginCertificateId", "ReplacedBy", "ReplacedFor", "RenewOrder", "SMCert", "CompanyType", "ServiceRenewCertificateId", "ServiceOriginCertificateId"];

function statusCheck(id: string, d: RawObject): DoctorCheck {
  const status = numberAt(d, "Status");
  if (status === 1) return check("certificate.status", id, "pass", `Status 1 (issued), StatusMsg ${shown(d, "StatusMsg")}`);
  if (status === 3) return check("certificate.status", id, "unknown", "Status 3 (expired): whether Tencent renews an expired certificate is not documented", "Renew before expiry, or buy a new certificate in the console.");
  return check("certificate.status", id, "fail", `Status ${shown(d, "Status")}, not 1 (issued): only an issued certificate can be renewed`, "Point --certificate-id at an issued paid certificate (`tccert scan`).");
}

function paidCheck(id: string, d: RawObject, row: RawObject | null): DoctorCheck {
  const detail = at(d, "IsVip");
  const list = row === null ? undefined : at(row, "IsVip");
  if (!flag(d, "IsVip")) return check("certificate.paid", id, "fail", `IsVip ${JSON.stringify(detail ?? null)} in DescribeCertificateDetail: not a paid certificate`, "Only paid certificates renew with benefit packages.");
  if (row !== null && flag(row, "IsVip") !== flag(d, "IsVip"))
    return check("certificate.paid", id, "unknown", `IsVip is ${JSON.stringify(detail)} in the detail but ${JSON.stringify(list ?? null)} in DescribeCertificates: the list's IsVip does not mean "paid" here (it may mean "VIP customer")`, "Nothing to do: decide \"paid\" from the detail, as the engine does.");
  return check("certificate.paid", id, "pass", `IsVip ${JSON.stringify(detail)} in the detail${row === null ? "" : ` and ${JSON.stringify(list ?? null)} in the list`}`);
}

function renewableCheck(id: string, d: RawObject, now: Date): DoctorCheck {
  const end = Date.parse(text(d, "CertEndTime").replace(" ", "T") + "+08:00");
  const days = Number.isFinite(end) ? Math.floor((end - now.getTime()) / 86_400_000) : null;
  const evidence = `RenewAble ${shown(d, "RenewAble")}, CertEndTime ${shown(d, "CertEndTime")}${days === null ? "" : ` (${days} day(s) from now)`}`;
  if (flag(d, "RenewAble")) return check("certificate.renewable", id, "pass", `${evidence}: Tencent allows a renewal now`);
  if (days !== null && days > 30) return check("certificate.renewable", id, "pass", `${evidence}: Tencent opens the renewal window shortly before expiry`);
  return check("certificate.renewable", id, "unknown", `${evidence}: near expiry and Tencent does not allow a renewal now (a renewal may already exist)`, "Check the SSL console for a renewal order of this certificate.");
}

/** The product a renewal would buy, and the points it would cost. */
function productCheck(id: string, d: RawObject): DoctorCheck {
  const type = text(d, "PackageType");
  const known = PRODUCT_PID_BY_PACKAGE_TYPE[type];
  const names = `PackageType ${shown(d, "PackageType")}, ProductZhName ${shown(d, "ProductZhName")}, CertType ${shown(d, "CertType")}`;
  if (!known) return check("certificate.product", id, "unknown", `${names}: no ProductPid is known for this PackageType`, "Pass --product-pid with the PID Tencent lists for this product.");
  return check("certificate.product", id, "pass", `${names}: a renewal would buy product ${known.pid} (${known.name}) for about ${pointsOf(d)} point(s)`);
}

/** Estimated points, by the engine's own estimate. */
export function pointsOf(d: RawObject): number {
  const domain = text(d, "Domain");
  const sans = (at(d, "SubjectAltName") as unknown[] | undefined) ?? [];
  const domains = [domain, ...sans.filter((s): s is string => typeof s === "string" && s !== domain)];
  const c: Pick<Certificate, "isDv" | "certType" | "domainNumber" | "domain" | "domains"> = {
    isDv: flag(d, "IsDv"),
    certType: text(d, "CertType"),
    domainNumber: numberAt(d, "CertificateExtra.DomainNumber") ?? 0,
    domain,
    domains,
  };
  return estimatePoints(c as Certificate);
}

function extraCheck(id: string, d: RawObject): DoctorCheck {
  const extra = at(d, "CertificateExtra");
  if (typeof extra !== "object" || extra === null) return check("certificate.extra", id, "unknown", `CertificateExtra is ${shown(d, "CertificateExtra")}: the renewal link cannot be read from it`);
  const fields = EXTRA_FIELDS.map((f) => `${f}=${shown(extra, f)}`).join(", ");
  const unexpected = Object.keys(extra).filter((k) => !EXTRA_FIELDS.includes(k));
  return check("certificate.extra", id, "pass", `${fields}${unexpected.length ? `; fields this tool does not know: ${unexpected.join(", ")}` : ""}`);
}

function verifyTypeCheck(id: string, d: RawObject): DoctorCheck {
  const v = text(d, "VerifyType");
  if (v === "DNS" || v === "DNS_AUTO") return check("certificate.verify-type", id, "pass", `VerifyType ${JSON.stringify(v)}`);
  if (v === "FILE") return check("certificate.verify-type", id, "unknown", "VerifyType \"FILE\": this tool validates renewals by DNS only", "Renew with --validation dnspod, DNS_AUTO or manual-dns.");
  return check("certificate.verify-type", id, "unknown", `VerifyType ${shown(d, "VerifyType")}: not one this tool knows`);
}

function chainCheck(id: string, d: RawObject): DoctorCheck {
  const count = pemCertificateCount(text(d, "CertificatePublicKey"));
  const chainInfo = (at(d, "CertChainInfo") as unknown[] | null | undefined)?.length ?? 0;
  if (count >= 2) return check("certificate.chain", id, "pass", `CertificatePublicKey carries ${count} certificates (leaf and chain)`);
  if (count === 1)
    return check("certificate.chain", id, "unknown", `CertificatePublicKey carries the leaf only (1 certificate; CertChainInfo lists ${chainInfo}): the chain is not in it`, "Nothing to do if your tool fetches the chain (the nginx bundle); never install the leaf alone as a fullchain.");
  return check("certificate.chain", id, "fail", `CertificatePublicKey holds no PEM certificate (${at(d, "CertificatePublicKey") === null ? "null" : "not a PEM"})`);
}

function privateKeyCheck(id: string, d: RawObject): DoctorCheck {
  const form = privateKeyForm(at(d, "CertificatePrivateKey"));
  const said = `CertificatePrivateKey is ${form === "pem" ? "a PEM private key (not shown)" : form === "encrypted" ? "an ENCRYPTED private key (not shown)" : form === "masked" ? "masked (\"*******\")" : form === "absent" ? "absent" : "present but not a PEM (not shown)"}`;
  if (form === "pem") return check("certificate.private-key", id, "pass", `${said}: Tencent holds this certificate's key`);
  if (form === "absent") return check("certificate.private-key", id, "pass", `${said}: Tencent holds no key (renewed from an uploaded CSR); renew with --key-source local or csr, and deploy with the key you hold`);
  return check("certificate.private-key", id, "unknown", `${said}: an online or original renewal may not give a usable key back`, "Renew with --key-source local (a key made here) to be independent of it.");
}

/** Tencent-side renewal channels: auto-renew, hosting, a service renewal. Any of them may renew (and charge) on its own. */
function channelsCheck(id: string, d: RawObject, row: RawObject | null): DoctorCheck {
  const src = row ?? d;
  const autoRenew = numberAt(src, "AutoRenewFlag");
  const hosting = numberAt(src, "HostingStatus") ?? numberAt(d, "HostingStatus");
  const ids = [text(d, "CertificateExtra.ServiceRenewCertificateId"), text(src, "HostingRenewCertId"), text(src, "ServiceId")].filter((x) => x !== "");
  const evidence = `AutoRenewFlag ${shown(src, "AutoRenewFlag")}, HostingStatus ${hosting === null ? shown(src, "HostingStatus") : hosting}, ServiceId ${shown(src, "ServiceId")}, ServiceRenewCertificateId ${shown(d, "CertificateExtra.ServiceRenewCertificateId")}, HostingRenewCertId ${shown(src, "HostingRenewCertId")}`;
  const active = (autoRenew !== null && autoRenew > 0) || (hosting !== null && hosting >= 0) || ids.length > 0;
  if (!active) return check("certificate.tencent-renewal", id, "pass", `${evidence}: no Tencent-side renewal`);
  return check("certificate.tencent-renewal", id, "unknown", `${evidence}: Tencent may renew this certificate on its own; a renewal here too would be paid twice`, "Turn off auto-renewal / hosting in the SSL console, or do not renew it with this tool.");
}

/** Every check of one certificate. `row` is its `DescribeCertificates` row, when found. */
export function certificateChecks(id: string, detail: RawObject, row: RawObject | null, now: Date): DoctorCheck[] {
  return [
    statusCheck(id, detail),
    paidCheck(id, detail, row),
    renewableCheck(id, detail, now),
    productCheck(id, detail),
    extraCheck(id, detail),
    verifyTypeCheck(id, detail),
    chainCheck(id, detail),
    privateKeyCheck(id, detail),
    channelsCheck(id, detail, row),
  ];
}
