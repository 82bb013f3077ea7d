import { describe, expect, it } from "vitest";
import { arr, harness, obj, RENEW_SHOP, str } from "./harness";

const ids = (res: Record<string, unknown>) => arr(res.Certificates).map((c) => obj(c).CertificateId);

describe("DescribeCertificates", () => {
  it("lists newest first with Tencent's list-item fields", async () => {
    const h = harness();
    const res = await h.ssl("DescribeCertificates", {});
    // The demo seed also holds the renewed lineage DemoApiOld → DemoApi (issue 17's deployment drift).
    expect(res.TotalCount).toBe(5);
    expect(ids(res)).toEqual(["DemoApi", "DemoApiOld", "DemoBlog", "DemoCorp", "DemoShop"]);
    const shop = obj(arr((await h.ssl("DescribeCertificates", { CertIds: ["DemoShop"] })).Certificates)[0]);
    expect(shop).toMatchObject({
      Domain: "shop.example.com",
      SubjectAltName: ["shop.example.com", "www.shop.example.com"], // includes the primary domain in the list
      HasRenewOrder: "",
      RenewAble: true,
      IsExpiring: true,
      IsVip: true,
      IsDv: true,
      PackageType: "48",
      Status: 1,
      BoundResource: ["clb", "cdn"],
    });
    expect(obj(shop.CertificateExtra).DomainNumber).toBe("1");
    expect(str(shop.CertEndTime)).toBe("2026-03-21 08:00:00"); // GMT+8, no zone suffix
  });

  it("filters by status, Renew, FilterExpiring, FilterSource, SearchKey and CertIds", async () => {
    const h = harness();
    expect(ids(await h.ssl("DescribeCertificates", { Renew: 1 }))).toEqual(["DemoCorp", "DemoShop"]);
    expect(ids(await h.ssl("DescribeCertificates", { FilterExpiring: 1 }))).toEqual(["DemoCorp", "DemoShop"]);
    expect(ids(await h.ssl("DescribeCertificates", { FilterSource: "upload" }))).toEqual([]);
    expect(ids(await h.ssl("DescribeCertificates", { FilterSource: "buy" })).length).toBe(5);
    expect(ids(await h.ssl("DescribeCertificates", { SearchKey: "corp" }))).toEqual(["DemoCorp"]);
    expect(ids(await h.ssl("DescribeCertificates", { SearchKey: "DemoBl" }))).toEqual(["DemoBlog"]);
    expect(ids(await h.ssl("DescribeCertificates", { CertIds: ["DemoBlog", "DemoShop"] }))).toEqual(["DemoBlog", "DemoShop"]);
    const renewal = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect(ids(await h.ssl("DescribeCertificates", { CertificateStatus: [5] }))).toEqual([renewal]);
    // Once renewed, the old certificate no longer counts as renewable.
    expect(ids(await h.ssl("DescribeCertificates", { Renew: 1 }))).toEqual(["DemoCorp"]);
  });

  it("sorts by expiry and pages with Offset/Limit (numeric strings accepted)", async () => {
    const h = harness();
    expect(ids(await h.ssl("DescribeCertificates", { ExpirationSort: "ASC" }))).toEqual(["DemoShop", "DemoCorp", "DemoApiOld", "DemoBlog", "DemoApi"]);
    expect(ids(await h.ssl("DescribeCertificates", { ExpirationSort: "DESC" }))).toEqual(["DemoApi", "DemoBlog", "DemoApiOld", "DemoCorp", "DemoShop"]);
    const page = await h.ssl("DescribeCertificates", { ExpirationSort: "ASC", Offset: "1", Limit: "1" });
    expect(page.TotalCount).toBe(5);
    expect(ids(page)).toEqual(["DemoCorp"]);
    expect((await h.code("ssl", "DescribeCertificates", { Limit: 1001 })).code).toBe("InvalidParameter");
  });

  it("defaults Limit to 10", async () => {
    const h = harness({});
    h.backend.admin.seed({ accounts: [{ accountId: "demo", secretId: "AKIDX", secretKey: "k" }], certificates: Array.from({ length: 12 }, (_, i) => ({ domain: `d${i}.example.com` })) });
    const res = await h.ssl("DescribeCertificates", {});
    expect(res.TotalCount).toBe(12);
    expect(arr(res.Certificates)).toHaveLength(10);
  });
});

describe("DescribeCertificateDetail", () => {
  it("answers the detail shape with SubjectAltName excluding the primary domain", async () => {
    const h = harness();
    const d = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    expect(d).toMatchObject({ CertificateId: "DemoShop", Status: 1, IsVip: true, RenewAble: true, SubjectAltName: ["www.shop.example.com"], SubmittedData: null, CertType: "DV" });
    expect(str(d.CertificatePublicKey)).toContain("BEGIN CERTIFICATE");
    expect(str(obj(d.RootCert).Standard)).toContain("BEGIN CERTIFICATE");
    expect(obj(d.CertificateExtra)).toMatchObject({ RenewOrder: null, OriginCertificateId: null, DomainNumber: "1" });
  });

  it("RenewAble is false outside the 30-day window and true inside it", async () => {
    const h = harness();
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoBlog" })).RenewAble).toBe(false);
    h.advance((200 - 30) * 86_400 + 60);
    expect((await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoBlog" })).RenewAble).toBe(true);
  });

  it("unknown id -> FailedOperation.CertificateNotFound", async () => {
    const h = harness();
    expect((await h.code("ssl", "DescribeCertificateDetail", { CertificateId: "NoSuchId" })).code).toBe("FailedOperation.CertificateNotFound");
  });

  it("state is per account: another account does not see the demo certificates", async () => {
    const h = harness();
    h.backend.admin.seed({ accounts: [{ accountId: "other", secretId: "AKIDOTHER", secretKey: "k" }] });
    await expect(h.call("ssl", "DescribeCertificateDetail", { CertificateId: "DemoShop" }, "other")).rejects.toMatchObject({ code: "FailedOperation.CertificateNotFound" });
    expect((await h.call("ssl", "DescribeCertificates", {}, "other")).TotalCount).toBe(0);
    expect(h.backend.findAccountBySecretId("AKIDOTHER")?.accountId).toBe("other");
    expect(h.backend.findAccountBySecretId("AKIDEMULATORDEMO000000000000000000000")?.secretKey).toBe("emulator-demo-secret-key-000000000000");
  });
});

describe("DescribePackages", () => {
  it("lists packages with balances and filters by status", async () => {
    const h = harness();
    const res = await h.ssl("DescribePackages", {});
    expect(res).toMatchObject({ TotalCount: 1, TotalBalance: 100 });
    expect(obj(arr(res.Packages)[0])).toMatchObject({ PackageId: "DemoPack0001", Total: 100, Balance: 100, Status: "usable", Type: "ssl_100" });
    expect(str(obj(arr(res.Packages)[0]).ExpireTime)).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect((await h.ssl("DescribePackages", { Status: "used" })).TotalCount).toBe(0);
    h.advance(366 * 86_400);
    expect((await h.ssl("DescribePackages", { Status: "expired" })).TotalCount).toBe(1);
  });
});
