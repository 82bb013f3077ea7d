/**
 * The backend's actions driven through the real tencentcloud-sdk-nodejs client over HTTP: a full
 * paid DV renewal of the demo seed, DNSPod validation, download URL served by the emulator, deploy
 * to bound resources, and Tencent error codes surfacing as SDK exceptions.
 */
import * as http from "node:http";
import { unzipSync } from "fflate";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, sdkHttpProfile, loopbackAgent, type RunningEmulator, type EmulatorAdmin } from "../../../emulator";
import { DEMO_ACCOUNT, DEMO_IDS, type BackendAdminExtensions } from "../../../emulator/backend";

const credential = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
const agent = loopbackAgent({ keepAlive: false });

let emu: RunningEmulator;
let admin: EmulatorAdmin & BackendAdminExtensions;
let ssl: InstanceType<typeof tencentcloud.ssl.v20191205.Client>;
let dnspod: InstanceType<typeof tencentcloud.dnspod.v20210323.Client>;

function get(url: string): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

async function sdkCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  throw new Error("expected the SDK call to fail");
}

beforeAll(async () => {
  // Real time: the emulator clock also checks TC3 timestamps (5-minute window).
  emu = await startEmulator({ seed: "demo", throttle: false, log: () => undefined });
  admin = emu.admin as EmulatorAdmin & BackendAdminExtensions;
  ssl = new tencentcloud.ssl.v20191205.Client({ credential, profile: { httpProfile: sdkHttpProfile(emu.port, "ssl", agent) } });
  dnspod = new tencentcloud.dnspod.v20210323.Client({ credential, profile: { httpProfile: sdkHttpProfile(emu.port, "dnspod", agent) } });
});

afterAll(async () => {
  await emu?.close();
  agent.destroy();
});

describe("backend over HTTP with the Tencent SDK", () => {
  it("renews the demo DV certificate end to end", async () => {
    const due = await ssl.DescribeCertificates({ Renew: 1, FilterSource: "buy", Limit: 1000 });
    expect(due.Certificates?.map((c) => c.CertificateId)).toEqual([DEMO_IDS.corp, DEMO_IDS.shop]);
    const shop = due.Certificates?.find((c) => c.CertificateId === DEMO_IDS.shop);
    expect(shop?.HasRenewOrder).toBe("");
    expect(shop?.IsExpiring).toBe(true);

    const pkgs = await ssl.DescribePackages({ Status: "usable" });
    expect(pkgs.TotalBalance).toBe(100);

    const renewed = await ssl.CreateCertificateByPackage({
      OldCertificateId: DEMO_IDS.shop, ProductPid: 1013949, PackageIds: [DEMO_IDS.package], DomainCount: shop?.CertificateExtra?.DomainNumber ?? "1",
      Period: 1, RenewGenCsrMethod: "online", RenewAlgorithmType: "RSA", RenewAlgorithmParam: "2048",
    });
    const id = renewed.CertificateId ?? "";
    expect(id).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(renewed.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ssl.DescribePackages({})).TotalBalance).toBe(99);

    // A second renewal is refused the way the engine expects: a Tencent error code, nothing paid.
    expect(await sdkCode(ssl.CreateCertificateByPackage({ OldCertificateId: DEMO_IDS.shop, ProductPid: 1013949, PackageIds: [DEMO_IDS.package], DomainCount: "1", Period: 1, RenewGenCsrMethod: "online" })))
      .toBe("FailedOperation.InvalidCertificateStatusCode");

    const order = await ssl.CertificateOrderSubmit({ CertId: id, VerifyType: "DNS" });
    expect(order.Status).toBe(4);
    const pending = await ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(pending.CertificateExtra?.OriginCertificateId).toBe(DEMO_IDS.shop);
    for (const a of pending.DvAuthDetail?.DvAuths ?? []) {
      const rec = await dnspod.CreateRecord({ Domain: a.DvAuthDomain ?? "", SubDomain: a.DvAuthSubDomain ?? "", RecordType: a.DvAuthVerifyType ?? "", RecordLine: "默认", Value: a.DvAuthValue ?? "" });
      expect(typeof rec.RecordId).toBe("number");
    }
    const check = await ssl.CheckCertificateDomainVerification({ CertificateId: id });
    expect(check.VerificationResults?.every((r) => r.LocalCheck === 1)).toBe(true);

    admin.advanceClock(60);
    const issued = await ssl.DescribeCertificateDetail({ CertificateId: id });
    expect(issued.Status).toBe(1);
    expect(issued.CertificatePublicKey).toContain("BEGIN CERTIFICATE");
    expect(issued.CertificatePrivateKey).toContain("BEGIN RSA PRIVATE KEY");

    const url = await ssl.DescribeDownloadCertificateUrl({ CertificateId: id, ServiceType: "nginx" });
    expect(url.DownloadFilename).toBe("shop.example.com_nginx.zip");
    const zip = await get(url.DownloadCertificateUrl ?? "");
    expect(zip.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(zip.body)))).toContain("shop.example.com_nginx/shop.example.com_bundle.crt");

    const deploy = await ssl.UpdateCertificateInstance({ OldCertificateId: DEMO_IDS.shop, CertificateId: id, ResourceTypes: ["clb", "cdn"], ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }] });
    expect(deploy.DeployRecordId).toBeGreaterThan(0);
    admin.advanceClock(10);
    const detail = await ssl.DescribeHostUpdateRecordDetail({ DeployRecordId: String(deploy.DeployRecordId) });
    expect(detail.SuccessTotalCount).toBe(2);
    expect(detail.RecordDetailList?.flatMap((g) => g.List ?? []).map((d) => d.InstanceId).sort()).toEqual(["lb-demoshop", "shop.example.com"]);
  });

  it("DNSPod errors and ErrorOnEmpty come back as SDK exceptions with Tencent codes", async () => {
    expect(await sdkCode(dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "nothing-here" }))).toBe("ResourceNotFound.NoDataOfRecord");
    const empty = await dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "nothing-here", ErrorOnEmpty: "no" });
    expect(empty.RecordList).toEqual([]);
    expect(await sdkCode(dnspod.CreateRecord({ Domain: "not-mine.com", RecordType: "TXT", RecordLine: "默认", Value: "x" }))).toBe("InvalidParameterValue.DomainNotExists");
  });

  it("the OV letter is a human step: UploadConfirmLetter is refused, acceptLetter (admin) moves it on", async () => {
    admin.setRenewalInitialStatus("submitted");
    try {
      const res = await ssl.CreateCertificateByPackage({ OldCertificateId: DEMO_IDS.corp, ProductPid: 1013955, PackageIds: [DEMO_IDS.package], DomainCount: "1", Period: 1, RenewGenCsrMethod: "original" });
      const id = res.CertificateId ?? "";
      expect((await ssl.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(8);
      expect(await sdkCode(ssl.UploadConfirmLetter({ CertificateId: id, ConfirmLetter: "JVBERi0xLjQ=" }))).toBe("FailedOperation.UploadConfirmCertificateNotSupport");
      admin.acceptLetter(id);
      expect((await ssl.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(0);
    } finally {
      admin.setRenewalInitialStatus(5);
    }
  });
});
