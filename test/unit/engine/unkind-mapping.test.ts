/**
 * Issue 12, part 3: how Tencent's less kind answers are read (tencent/ mappers) before the engine
 * sees them: the list's IsVip, HasRenewOrder as a flag, Tencent-side renewal channels, and the
 * chain taken from the download bundle without ever touching the key in it.
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { tencentChannelsOn } from "../../../engine/domain";
import { zoneFor } from "../../../engine/dns-records";
import { chainFromBundleZip } from "../../../tencent/bundle-zip";
import { mapCertificateSummary } from "../../../tencent/map-certificate";

const PEM = (n: string) => `-----BEGIN CERTIFICATE-----\n${n}\n-----END CERTIFICATE-----`;
const KEY = "-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----";

describe("the list's IsVip is not 'paid'", () => {
  it("paid comes from the documented PackageType / IsPackage, whatever IsVip says", () => {
    expect(mapCertificateSummary({ CertificateId: "a", PackageType: "48", IsVip: false }).paid).toBe(true);
    expect(mapCertificateSummary({ CertificateId: "b", PackageType: "83", IsVip: true }).paid).toBe(false);
    expect(mapCertificateSummary({ CertificateId: "c", PackageType: "2", IsVip: true }).paid).toBe(false);
    expect(mapCertificateSummary({ CertificateId: "d", PackageType: null, From: "upload", IsVip: true }).paid).toBe(false);
    expect(mapCertificateSummary({ CertificateId: "e", IsPackage: true }).paid).toBe(true);
  });
});

describe("HasRenewOrder", () => {
  it("an id is the renewal link; a flag such as \"yes\" says a renewal exists but is never taken for an id", () => {
    const id = mapCertificateSummary({ CertificateId: "a", HasRenewOrder: "Xy12ab34" });
    expect(id.link.renewOrderId).toBe("Xy12ab34");
    expect(id.renewalPending).toBe(true);
    const flag = mapCertificateSummary({ CertificateId: "a", HasRenewOrder: "yes" });
    expect(flag.link.renewOrderId).toBe("");
    expect(flag.hasRenewOrder).toBe("");
    expect(flag.renewalPending).toBe(true);
    expect(mapCertificateSummary({ CertificateId: "a", HasRenewOrder: "" }).renewalPending).toBe(false);
  });
});

describe("Tencent-side renewal channels", () => {
  it("AutoRenewFlag, hosting, a subscription and Tencent's own renewal ids are read and named", () => {
    const row = mapCertificateSummary({ CertificateId: "a", AutoRenewFlag: 1, HostingStatus: 0, ServiceId: "svc-1", HostingRenewCertId: "Hr12ab34", CertificateExtra: { ServiceRenewCertificateId: "yes" } });
    expect(row.tencentRenewal).toEqual({ autoRenew: true, hostingStatus: 0, serviceId: "svc-1", renewalIds: ["Hr12ab34"] });
    expect(tencentChannelsOn(row.tencentRenewal)).toBe("AutoRenewFlag 1 (Tencent auto-renewal), HostingStatus 0 (hosting), ServiceId svc-1 (subscription), renewed by Tencent into Hr12ab34");
    expect(tencentChannelsOn(mapCertificateSummary({ CertificateId: "a", AutoRenewFlag: 0, HostingStatus: -1 }).tencentRenewal)).toBe("");
  });
});

describe("the chain from DownloadCertificate's zip", () => {
  it("is what follows the leaf in the nginx bundle; the key in the zip is never read", () => {
    const zip = Buffer.from(
      zipSync({ "a.example.com.key": strToU8(KEY), "Nginx/2_a.example.com.key": strToU8(KEY), "Nginx/1_a.example.com_bundle.crt": strToU8(`${PEM("LEAF")}\n${PEM("MID")}\n`) }),
    ).toString("base64");
    const chain = chainFromBundleZip(zip);
    expect(chain).toBe(`${PEM("MID")}\n`);
    expect(chain).not.toMatch(/PRIVATE KEY|SECRET/);
  });

  it("a bundle with the leaf only gives no chain", () => {
    expect(chainFromBundleZip(Buffer.from(zipSync({ "Nginx/1_a_bundle.crt": strToU8(PEM("LEAF")) })).toString("base64"))).toBe("");
    expect(chainFromBundleZip("")).toBe("");
  });
});

describe("the zone of a validation record", () => {
  it("is the account's zone with the longest suffix, not the registrable domain", () => {
    expect(zoneFor(["example.com", "shop.example.com"], "_dnsauth.shop.example.com")).toBe("shop.example.com");
    expect(zoneFor(["example.com"], "_x.a.b.example.com.")).toBe("example.com");
    expect(zoneFor(["example.com"], "_x.example.org")).toBe("");
    expect(zoneFor(["ample.com"], "_x.example.com")).toBe("");
  });
});
