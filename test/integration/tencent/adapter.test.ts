/** What the adapter sends and how it reads answers, through the real SDK. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInvalidInputError, isTencentApiError } from "../../../engine/errors";
import { apisFor, rejection } from "./helpers";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

const last = (action: string) => [...server.requests].reverse().find((r) => r.action === action);

describe("SslApi requests", () => {
  it("renewByPackage sends DomainCount as a string and a lowercase RenewGenCsrMethod", async () => {
    server.setScript(() => ({ ok: { CertificateId: "new12345", CertificateIds: ["new12345"] } }));
    const id = await apisFor(server.url).ssl.renewByPackage({
      oldCertificateId: "old12345",
      productPid: 1013949,
      packageIds: ["pkg1", "pkg2"],
      domainCount: 2,
      periodYears: 1,
      csrMethod: "online",
      algorithmType: "ECC",
      algorithmParam: "prime256v1",
      verifyType: "DNS",
    });
    expect(id).toBe("new12345");
    expect(last("CreateCertificateByPackage")?.body).toEqual({
      ProductPid: 1013949,
      PackageIds: ["pkg1", "pkg2"],
      DomainCount: "2",
      Period: 1,
      OldCertificateId: "old12345",
      RenewGenCsrMethod: "online",
      RenewAlgorithmType: "ECC",
      RenewAlgorithmParam: "prime256v1",
      VerifyType: "DNS",
    });
  });

  it("renewByPackage with upload needs a CSR and sends it only then", async () => {
    const e = await rejection(apisFor(server.url).ssl.renewByPackage({ oldCertificateId: "o", productPid: 1, packageIds: ["p"], domainCount: 1, periodYears: 1, csrMethod: "upload" }));
    expect(isInvalidInputError(e)).toBe(true);
    expect(e.field).toBe("csrPem");
    server.setScript(() => ({ ok: { CertificateId: "n" } }));
    await apisFor(server.url).ssl.renewByPackage({ oldCertificateId: "o", productPid: 1, packageIds: ["p"], domainCount: 1, periodYears: 1, csrMethod: "upload", csrPem: "CSRPEM" });
    expect(last("CreateCertificateByPackage")?.body).toMatchObject({ RenewGenCsrMethod: "upload", RenewCsr: "CSRPEM" });
  });

  it("an answer without a new id is a resumable error, not a silent success", async () => {
    server.setScript(() => ({ ok: {} }));
    const e = await rejection(apisFor(server.url).ssl.renewByPackage({ oldCertificateId: "o9", productPid: 1, packageIds: ["p"], domainCount: 1, periodYears: 1, csrMethod: "original" }));
    expect(e).toMatchObject({ resumable: true, originalCertificateId: "o9" });
  });

  it("a package refusal keeps its code, is sent once and is not called ambiguous", async () => {
    server.setScript(() => ({ error: "FailedOperation.PackageCountLimit", message: "剩余权益点不足" }));
    const before = server.count("CreateCertificateByPackage");
    const e = await rejection(apisFor(server.url).ssl.renewByPackage({ oldCertificateId: "o", productPid: 1, packageIds: ["p"], domainCount: 1, periodYears: 1, csrMethod: "original" }));
    expect(isTencentApiError(e)).toBe(true);
    expect(e.code).toBe("FailedOperation.PackageCountLimit");
    expect(e.message).not.toContain("may have gone through");
    expect(server.count("CreateCertificateByPackage") - before).toBe(1);
  });

  it("listCertificates pages through everything without a limit", async () => {
    const total = 1500;
    server.setScript((r) => {
      const offset = Number(r.body.Offset);
      const limit = Number(r.body.Limit);
      const n = Math.max(0, Math.min(limit, total - offset));
      return { ok: { TotalCount: total, Certificates: Array.from({ length: n }, (_, i) => ({ CertificateId: `c${offset + i}`, Domain: "a.example.com", SubjectAltName: ["a.example.com"], Status: 1 })) } };
    });
    const before = server.count("DescribeCertificates");
    const page = await apisFor(server.url).ssl.listCertificates({ statuses: [1], renewableOnly: true, source: "buy" });
    expect(page.totalCount).toBe(total);
    expect(page.certificates).toHaveLength(total);
    expect(page.certificates[1499]?.certificateId).toBe("c1499");
    expect(server.count("DescribeCertificates") - before).toBe(2);
    expect(last("DescribeCertificates")?.body).toEqual({ CertificateStatus: [1], FilterSource: "buy", Renew: 1, Offset: 1000, Limit: 1000 });
  });

  it("listCertificates with a limit reads one page and validates the limit", async () => {
    const before = server.count("DescribeCertificates");
    const page = await apisFor(server.url).ssl.listCertificates({ ids: ["c5"], offset: 5, limit: 3 });
    expect(page.certificates.map((c) => c.certificateId)).toEqual(["c5", "c6", "c7"]);
    expect(server.count("DescribeCertificates") - before).toBe(1);
    expect(last("DescribeCertificates")?.body).toEqual({ CertIds: ["c5"], Offset: 5, Limit: 3 });
    expect(isInvalidInputError(await rejection(apisFor(server.url).ssl.listCertificates({ limit: 1001 })))).toBe(true);
  });

  it("submitOrder, completeCertificate, cancelOrder and checkDomainVerification send the documented fields", async () => {
    server.setScript((r) => {
      if (r.action === "CertificateOrderSubmit") return { ok: { OrderId: "o", Status: 4, IsAudited: false } };
      if (r.action === "CheckCertificateDomainVerification") return { ok: { VerificationResults: [{ Domain: "a.example.com", LocalCheck: 1, CaCheck: 2, Issued: false, Frequently: true }] } };
      return { ok: { CertificateId: "n1" } };
    });
    const ssl = apisFor(server.url).ssl;
    expect(await ssl.submitOrder("n1", "DNS")).toBe(4);
    expect(last("CertificateOrderSubmit")?.body).toEqual({ CertId: "n1", VerifyType: "DNS" });
    await ssl.completeCertificate("n1");
    expect(last("CompleteCertificate")?.body).toEqual({ CertificateId: "n1" });
    await ssl.cancelOrder("n1");
    expect(last("CancelCertificateOrder")?.body).toEqual({ CertificateId: "n1" });
    expect(await ssl.checkDomainVerification("n1")).toEqual([
      { domain: "a.example.com", verifyType: "", localCheck: 1, caCheck: 2, failReason: "", frequently: true, issued: false },
    ]);
  });

  it("updateCertificateInstance and getDeployRecord", async () => {
    server.setScript((r) =>
      r.action === "UpdateCertificateInstance"
        ? { ok: { DeployRecordId: 42, DeployStatus: 1 } }
        : { ok: { TotalCount: 1, RunningTotalCount: 0, PendingTotalCount: 0, RecordDetailList: [{ ResourceType: "clb", List: [{ InstanceId: "lb-1", Region: "ap-guangzhou", Status: 1 }] }] } },
    );
    const ssl = apisFor(server.url).ssl;
    const start = await ssl.updateCertificateInstance("old", "new", [
      { resourceType: "clb", regions: ["ap-guangzhou"] },
      { resourceType: "cdn", regions: [] },
    ]);
    expect(start).toEqual({ deployRecordId: 42, deployStatus: 1 });
    expect(last("UpdateCertificateInstance")?.body).toEqual({
      OldCertificateId: "old",
      CertificateId: "new",
      ResourceTypes: ["clb", "cdn"],
      ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }],
    });
    const rec = await ssl.getDeployRecord(42);
    expect(rec).toMatchObject({ deployRecordId: 42, finished: true });
    expect(rec.results[0]).toMatchObject({ instanceId: "lb-1", status: "success" });
    expect(last("DescribeHostUpdateRecordDetail")?.body).toEqual({ DeployRecordId: "42", Limit: "200", Offset: "0" });
  });
});

describe("DnsApi requests", () => {
  it("listRecords asks ErrorOnEmpty=no and reads records", async () => {
    server.setScript(() => ({ ok: { RecordCountInfo: { TotalCount: 1 }, RecordList: [{ RecordId: 5, Name: "_dnsauth", Type: "TXT", Value: "v", Line: "默认", TTL: 600, Status: "ENABLE" }] } }));
    const recs = await apisFor(server.url).dns.listRecords("example.com", "_dnsauth", "TXT");
    expect(recs).toEqual([{ recordId: 5, name: "_dnsauth", type: "TXT", value: "v", line: "默认", ttl: 600, status: "ENABLE" }]);
    expect(last("DescribeRecordList")?.body).toEqual({ Domain: "example.com", SubDomain: "_dnsauth", RecordType: "TXT", ErrorOnEmpty: "no", Offset: 0, Limit: 3000 });
  });

  it("listRecords treats ResourceNotFound.NoDataOfRecord as no records", async () => {
    server.setScript(() => ({ error: "ResourceNotFound.NoDataOfRecord" }));
    await expect(apisFor(server.url).dns.listRecords("example.com")).resolves.toEqual([]);
  });

  it("createRecord uses the default line and TTL 600", async () => {
    server.setScript(() => ({ ok: { RecordId: 9 } }));
    expect(await apisFor(server.url).dns.createRecord({ zone: "example.com", subDomain: "_x", type: "CNAME", value: "t.example.net" })).toBe(9);
    expect(last("CreateRecord")?.body).toEqual({ Domain: "example.com", SubDomain: "_x", RecordType: "CNAME", RecordLine: "默认", Value: "t.example.net", TTL: 600 });
  });

  it("deleteRecord treats a missing record as deleted and reports other errors", async () => {
    server.setScript(() => ({ error: "InvalidParameter.RecordIdInvalid" }));
    await expect(apisFor(server.url).dns.deleteRecord("example.com", 1)).resolves.toBeUndefined();
    expect(last("DeleteRecord")?.body).toEqual({ Domain: "example.com", RecordId: 1 });
    server.setScript(() => ({ error: "OperationDenied.NoPermissionToOperateDomain" }));
    expect(isTencentApiError(await rejection(apisFor(server.url).dns.deleteRecord("example.com", 1)))).toBe(true);
  });
});
