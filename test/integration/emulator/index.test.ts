/**
 * startEmulator() composed with the bundled backend (emulator/backend): the default backend loads,
 * the demo seed is reachable through the real SDK, downloads are served, a purchase that fails after
 * committing is visible, and the state file round-trips the real backend's snapshot.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT, DEMO_IDS } from "../../../emulator/backend";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { dnspodClient, sdkFailure, sslClient } from "./support/sdk";

const creds = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };

function httpGet(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("startEmulator with the bundled backend", () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-emu-index-"));
    emu = await startEmulator({ seed: "demo", throttle: false, stateFile: path.join(dir, "state.json"), log: () => {} });
  });
  afterAll(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves the demo seed to the real SDK (SSL and DNSPod)", async () => {
    const list = await sslClient(emu.port, creds).DescribeCertificates({ Limit: 100 });
    expect(list.Certificates?.map((c) => c.CertificateId)).toEqual(expect.arrayContaining([DEMO_IDS.shop, DEMO_IDS.corp, DEMO_IDS.blog]));
    const detail = await sslClient(emu.port, creds).DescribeCertificateDetail({ CertificateId: DEMO_IDS.blog });
    expect(detail.Status).toBe(1);
    const records = await dnspodClient(emu.port, creds).DescribeRecordList({ Domain: "example.com", ErrorOnEmpty: "no" });
    expect(records.RequestId).toBeTruthy();
    expect(emu.admin.calls().okCounts).toMatchObject({ "ssl.DescribeCertificates": 1, "ssl.DescribeCertificateDetail": 1, "dnspod.DescribeRecordList": 1 });
  });

  it("serves the backend's downloads under /_emulator/download/<token>", async () => {
    const res = await sslClient(emu.port, creds).DescribeDownloadCertificateUrl({ CertificateId: DEMO_IDS.blog, ServiceType: "nginx" });
    expect(res.DownloadCertificateUrl?.startsWith(`${emu.url}/_emulator/download/`)).toBe(true);
    const zip = await httpGet(res.DownloadCertificateUrl as string);
    expect(zip.status).toBe(200);
    expect(zip.body.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("error-after-commit on a renewal purchase: the caller sees the error, the order exists and the points are spent once", async () => {
    const balance = (): number => emu.admin.inspectPackages(DEMO_ACCOUNT.accountId).find((p) => p["packageId"] === DEMO_IDS.package)?.["balance"] as number;
    const before = balance();
    expect(before).toBeGreaterThan(0);
    emu.admin.addFault({ action: "CreateCertificateByPackage", kind: "error-after-commit", code: "InternalError" });
    const f = await sdkFailure(
      sslClient(emu.port, creds).CreateCertificateByPackage({
        ProductPid: 1013949,
        PackageIds: [DEMO_IDS.package],
        DomainCount: "1",
        Period: 1,
        OldCertificateId: DEMO_IDS.shop,
        RenewGenCsrMethod: "online",
        RenewAlgorithmType: "RSA",
        RenewAlgorithmParam: "2048",
      }),
    );
    expect(f.code).toBe("InternalError");
    const old = await sslClient(emu.port, creds).DescribeCertificateDetail({ CertificateId: DEMO_IDS.shop });
    expect(old.CertificateExtra?.RenewOrder).toBeTruthy();
    const spent = before - balance();
    expect(spent).toBeGreaterThan(0);
    expect(emu.admin.calls().counts["ssl.CreateCertificateByPackage"]).toBe(1);
    expect(emu.admin.calls().okCounts["ssl.CreateCertificateByPackage"]).toBeUndefined();
  });

  it("the state file holds the real backend's snapshot and restores it", async () => {
    const file = path.join(dir, "state.json");
    const renewOrder = (await sslClient(emu.port, creds).DescribeCertificateDetail({ CertificateId: DEMO_IDS.shop })).CertificateExtra?.RenewOrder;
    const second = await startEmulator({ stateFile: file, throttle: false, log: () => {} });
    try {
      const again = await sslClient(second.port, creds).DescribeCertificateDetail({ CertificateId: DEMO_IDS.shop });
      expect(again.CertificateExtra?.RenewOrder).toBe(renewOrder);
    } finally {
      await second.close();
    }
  });
});
