/**
 * The paid products a renewal may name as `ProductPid`, and the points each
 * costs. The PID list and names are the 61 values documented on
 * `CreateCertificateByPackageRequest.ProductPid` in the SDK; brand, type and
 * domain kind are read from those names.
 *
 * INFERRED: the `PackageType` codes ("48" DNSPod DV and "43" DNSPod OV come
 * from real examples; the others are made up) and the whole price table.
 */

export type CertType = "DV" | "OV" | "EV";
export type DomainKind = "single" | "multi" | "wildcard" | "multi-wildcard";
export type Brand = "CFCA" | "DNSPod" | "TrustAsia" | "SecureSite" | "GlobalSign" | "GeoTrust" | "WoTrus";

export interface Product {
  readonly pid: number;
  readonly name: string;
  readonly brand: Brand;
  readonly certType: CertType;
  readonly kind: DomainKind;
  /** SM2 (国密) product. */
  readonly sm: boolean;
  readonly packageType: string;
}

const NAMES: ReadonlyArray<readonly [number, string]> = [
  [1022451, "CFCA-增强型(EV)SSL证书"], [1022449, "CFCA-企业型(OV) SSL证书(通配符)"], [1022447, "CFCA-企业型(OV)SSL证书"],
  [1014028, "DNSPod亚信国密-企业型(OV)通配符证书"], [1014030, "DNSPod亚信国密-企业型(OV)多域名证书"], [1014026, "DNSPod亚信国密-企业型(OV)证书"],
  [1014022, "DNSPod亚信国密-域名型(DV)通配符证书"], [1014024, "DNSPod亚信国密-域名型(DV)多域名证书"], [1014020, "DNSPod亚信国密-域名型(DV)证书"],
  [1013949, "DNSPod SSL 域名型SSL证书(C1)"], [1013953, "DNSPod SSL域名型多域名SSL证书(C1)"], [1013951, "DNSPod-SSL域名型DV（泛域名）"],
  [1013955, "DNSPod 企业型SSL证书(C1)"], [1013959, "DNSPod 企业型多域名SSL证书(C1)"], [1013957, "DNSPod 企业型通配符SSL证书(C1)"],
  [1013961, "DNSPod 增强型 SSL 证书(C1)"], [1013963, "DNSPod 增强型多域名SSL证书(C1)"], [1005919, "TrustAsia-域名型DV（通配符多域名）"],
  [1013882, "SecureSite-增强型专业版EVPro（多域名）"], [1018559, "SecureSite-增强型专业版EVPro（单域名）"], [1013910, "GlobalSign-增强型EV（多域名）"],
  [1013904, "GlobalSign-增强型EV（单域名）"], [1013898, "TrustAsia-增强型EV（多域名）"], [1013888, "TrustAsia-增强型EV（单域名）"],
  [1013886, "GeoTrust-增强型EV（多域名）"], [1018529, "GeoTrust-增强型EV（单域名）"], [1013880, "SecureSite-增强型EV（多域名）"],
  [1018557, "SecureSite-增强型EV（单域名）"], [1018586, "TrustAsia-域名型DV（泛域名）"], [1018584, "TrustAsia-域名型DV（多域名）"],
  [1013878, "SecureSite-企业型专业版OV Pro（多域名）"], [1018582, "SecureSite-企业型专业版OV Pro（单域名）"], [1013908, "GlobalSign-企业型OV（通配符多域名）"],
  [1013902, "GlobalSign-企业型OV（泛域名）"], [1013906, "GlobalSign-企业型OV（多域名）"], [1013900, "GlobalSign-企业型OV（单域名）"],
  [1013896, "TrustAsia-企业型OV（通配符多域名）"], [1013892, "TrustAsia-企业型OV（泛域名）"], [1013894, "TrustAsia-企业型OV（多域名）"],
  [1013890, "TrustAsia-企业型OV（单域名）"], [1004360, "GeoTrust-企业型OV（泛域名）"], [1013884, "GeoTrust-企业型OV（单域名）"],
  [1013874, "SecureSite-企业型OV（泛域名）"], [1013876, "SecureSite-企业型OV（多域名）"], [1018580, "SecureSite-企业型OV（单域名）"],
  [1004460, "DNSPod-国密增强型证书（多域名）"], [1004458, "DNSPod-国密增强型证书"], [1004370, "DNSPod-国密企业型证书（通配符）"],
  [1004368, "DNSPod-国密企业型证书（多域名）"], [1004366, "DNSPod-国密企业型证书"], [1004362, "DNSPod-国密域名型证书（通配符）"],
  [1004364, "DNSPod-国密域名型证书（多域名）"], [1004358, "DNSPod-国密域名型证书"], [1004456, "WoTrus-增强型证书（多域名）"],
  [1004454, "WoTrus-增强型证书"], [1004168, "WoTrus-企业型证书（通配符）"], [1004166, "WoTrus-企业型证书（多域名）"],
  [1004164, "WoTrus-企业型证书"], [1004159, "WoTrus-域名型证书（通配符）"], [1004161, "WoTrus-域名型证书（多域名）"],
  [1004157, "WoTrus-域名型证书"],
];

/** Real `PackageType` values seen in Tencent's examples; the rest are stand-ins (INFERRED). */
const KNOWN_PACKAGE_TYPES: Readonly<Record<number, string>> = { 1013949: "48", 1013955: "43" };

function brandOf(name: string): Brand {
  for (const b of ["CFCA", "DNSPod", "TrustAsia", "SecureSite", "GlobalSign", "GeoTrust", "WoTrus"] as const) {
    if (name.startsWith(b)) return b;
  }
  throw new Error(`products: no brand in ${name}`);
}

function certTypeOf(name: string): CertType {
  if (/增强型|EV/.test(name)) return "EV";
  if (/企业型|OV/.test(name)) return "OV";
  return "DV";
}

function kindOf(name: string): DomainKind {
  const wildcard = /通配符|泛域名/.test(name);
  const multi = /多域名/.test(name);
  return wildcard && multi ? "multi-wildcard" : wildcard ? "wildcard" : multi ? "multi" : "single";
}

export const PRODUCTS: ReadonlyMap<number, Product> = new Map(
  NAMES.map(([pid, name]) => [
    pid,
    {
      pid,
      name,
      brand: brandOf(name),
      certType: certTypeOf(name),
      kind: kindOf(name),
      sm: name.includes("国密"),
      packageType: KNOWN_PACKAGE_TYPES[pid] ?? String(100 + (pid % 97)),
    },
  ]),
);

export const DEFAULT_PRODUCT_PID: Readonly<Record<CertType, number>> = { DV: 1013949, OV: 1013955, EV: 1013961 };

export function productOf(pid: number): Product | undefined {
  return PRODUCTS.get(pid);
}

/** `CompleteCertificate` is documented as unsupported for these brands. */
export function completeCertificateUnsupported(p: Product): boolean {
  return p.brand === "DNSPod" || p.brand === "WoTrus";
}

/**
 * The renewal doc: WoTrus OV/EV and DNSPod SM2 OV/EV "directly enter the
 * domain identity verification process without uploading the confirmation
 * letter again".
 */
export function skipsConfirmationLetter(p: Product): boolean {
  return p.certType !== "DV" && (p.brand === "WoTrus" || (p.brand === "DNSPod" && p.sm));
}

/**
 * INFERRED price table, in benefit points per domain (`DomainNumber`) per year
 * of `Period`. Tencent does not document how points are priced.
 */
export const PRICE_POINTS: Readonly<Record<CertType, { readonly perDomain: number; readonly wildcardPerDomain: number }>> = {
  DV: { perDomain: 1, wildcardPerDomain: 4 },
  OV: { perDomain: 3, wildcardPerDomain: 8 },
  EV: { perDomain: 5, wildcardPerDomain: 5 },
};

export function pricePoints(p: Product, domainCount: number, periodYears: number): number {
  const row = PRICE_POINTS[p.certType];
  const unit = p.kind === "wildcard" || p.kind === "multi-wildcard" ? row.wildcardPerDomain : row.perDomain;
  return unit * domainCount * periodYears;
}
