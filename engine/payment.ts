/**
 * Choosing how a renewal is paid, before paying: the product (`ProductPid`) and
 * the benefit packages whose points are consumed. A choice that cannot be made
 * fails here, with nothing paid.
 */
import type { BenefitPackage, Certificate } from "./domain";
import { InvalidInputError, PaymentRefusedError } from "./errors";

/**
 * `PackageType` (what `DescribeCertificateDetail` reports) → `ProductPid` (what
 * `CreateCertificateByPackage` needs). Tencent documents both lists but not the
 * mapping. INFERRED by matching the product names in the SDK's field docs; pass
 * `payment.productPid` to override.
 */
export const PRODUCT_PID_BY_PACKAGE_TYPE: Readonly<Record<string, { pid: number; name: string }>> = {
  "43": { pid: 1013955, name: "DNSPod OV (C1)" },
  "44": { pid: 1013957, name: "DNSPod OV wildcard (C1)" },
  "45": { pid: 1013959, name: "DNSPod OV multi-domain (C1)" },
  "46": { pid: 1013961, name: "DNSPod EV (C1)" },
  "47": { pid: 1013963, name: "DNSPod EV multi-domain (C1)" },
  "48": { pid: 1013949, name: "DNSPod DV (C1)" },
  "49": { pid: 1013951, name: "DNSPod DV wildcard" },
  "50": { pid: 1013953, name: "DNSPod DV multi-domain (C1)" },
};

export interface ProductChoice {
  readonly productPid: number;
  readonly explanation: string;
}

export function chooseProduct(cert: Certificate, explicitPid: number | undefined): ProductChoice {
  if (explicitPid !== undefined)
    return { productPid: explicitPid, explanation: `product ${explicitPid} (payment.productPid)` };
  const known = PRODUCT_PID_BY_PACKAGE_TYPE[cert.packageType];
  if (!known)
    throw new InvalidInputError(
      "payment.productPid",
      `payment.productPid is needed: certificate ${cert.certificateId} is "${cert.productZhName || "unknown product"}" (PackageType ${JSON.stringify(cert.packageType)}), whose ProductPid this tool does not know. ` +
        `Set payment.productPid to the 7-digit PID Tencent lists for that product (see CreateCertificateByPackage's ProductPid docs). Nothing was paid.`,
    );
  return {
    productPid: known.pid,
    explanation: `product ${known.pid} ${known.name}, derived from PackageType ${cert.packageType}`,
  };
}

/**
 * Points a renewal is expected to cost. Tencent does not publish prices in the
 * API; this is an estimate used only to pick packages (Tencent has the last
 * word: a short balance is refused with `FailedOperation.PackageCountLimit`,
 * before anything is paid). INFERRED.
 */
export function estimatePoints(cert: Certificate): number {
  const perDomain = cert.isDv ? 1 : cert.certType.toUpperCase() === "EV" ? 5 : 3;
  return perDomain * domainCount(cert);
}

/**
 * `DomainCount` for the renewal: Tencent's `DomainNumber` when it gives one;
 * otherwise the domains, not counting the free `www.` twin of the common name.
 */
export function domainCount(cert: Pick<Certificate, "domainNumber" | "domain" | "domains">): number {
  if (cert.domainNumber > 0) return cert.domainNumber;
  const cn = cert.domain.toLowerCase();
  return Math.max(1, cert.domains.filter((d) => d.toLowerCase() !== `www.${cn}`).length);
}

export interface PackageChoice {
  readonly packageIds: readonly string[];
  readonly explanation: string;
}

export function choosePackages(
  all: readonly BenefitPackage[],
  needed: number,
  explicitIds: readonly string[] | undefined,
  now: Date,
): PackageChoice {
  const usable = (p: BenefitPackage) =>
    p.status === "usable" && p.balance > 0 && (p.expireTime === null || p.expireTime.getTime() > now.getTime());
  if (explicitIds) {
    const missing = explicitIds.filter((id) => !all.some((p) => p.packageId === id));
    if (missing.length > 0)
      throw new InvalidInputError(
        "payment.packageIds",
        `payment.packageIds names packages this account does not have: ${missing.join(", ")}. Known usable packages: ${all.filter(usable).map((p) => p.packageId).join(", ") || "none"}. Nothing was paid.`,
      );
    const bad = explicitIds.map((id) => all.find((p) => p.packageId === id)!).filter((p) => !usable(p));
    if (bad.length > 0)
      throw new PaymentRefusedError(
        "PackageNotUsable",
        `payment.packageIds: package ${bad.map((p) => `${p.packageId} (${p.status}, balance ${p.balance})`).join(", ")} cannot pay. Choose a usable package with points left. Nothing was paid.`,
      );
    const balance = explicitIds.reduce((s, id) => s + (all.find((p) => p.packageId === id)?.balance ?? 0), 0);
    return { packageIds: explicitIds, explanation: `packages ${explicitIds.join(", ")} (payment.packageIds; ${balance} point(s), about ${needed} needed)` };
  }
  // Soonest to expire first: use points before they lapse.
  const candidates = all.filter(usable).sort((a, b) => (a.expireTime?.getTime() ?? Infinity) - (b.expireTime?.getTime() ?? Infinity));
  const chosen: BenefitPackage[] = [];
  let sum = 0;
  for (const p of candidates) {
    if (sum >= needed) break;
    chosen.push(p);
    sum += p.balance;
  }
  if (chosen.length === 0 || sum < needed) {
    const total = candidates.reduce((s, p) => s + p.balance, 0);
    throw new PaymentRefusedError(
      "InsufficientPackages",
      `payment: the account's usable benefit packages hold ${total} point(s), and this renewal needs about ${needed}. ` +
        `Buy a benefit package in the SSL console (or name one with payment.packageIds). Nothing was paid.`,
    );
  }
  return {
    packageIds: chosen.map((p) => p.packageId),
    explanation: `package ${chosen.map((p) => `${p.packageId} (${p.balance} point(s)${p.expireTime ? `, expires ${p.expireTime.toISOString().slice(0, 10)}` : ""})`).join(" + ")}: the usable package(s) expiring soonest that cover about ${needed} point(s)`,
  };
}
