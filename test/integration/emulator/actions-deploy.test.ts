/**
 * Deploy and housekeeping actions through the real SDK: UpdateCertificateInstance followed to
 * completion with DescribeHostUpdateRecord(Detail) by advancing the emulator clock, the bound-resource
 * sync task pair, UploadCertificate, DeleteCertificate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTencentError, parseCertificates, startActionsEmulator, TENCENT_TIME, type ActionsEnv } from "./support/actions";

const C = { old: "DepOld01", next: "DepNew01", pending: "DepPend1", old2: "DepOld02", next2: "DepNew02", del: "DepDel01", ec: "DepEcc01" } as const;
const PACK = "DepPack00001";

let env: ActionsEnv;

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }],
    packages: [{ packageId: PACK, total: 10, balance: 10 }],
    certificates: [
      {
        certificateId: C.old, domain: "deploy.example.com", expiresInDays: 20, boundResources: [
          { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-gz", listenerId: "lbl-gz" },
          { resourceType: "clb", region: "ap-shanghai", instanceId: "lb-sh", listenerId: "lbl-sh" },
          { resourceType: "cdn", instanceId: "deploy.example.com", domain: "deploy.example.com" },
        ],
      },
      { certificateId: C.next, domain: "deploy.example.com", expiresInDays: 300 },
      { certificateId: C.pending, domain: "deploy.example.com", status: 4 },
      { certificateId: C.old2, domain: "two.example.com", expiresInDays: 20, boundResources: [{ resourceType: "cdn", instanceId: "two.example.com", domain: "two.example.com" }] },
      { certificateId: C.next2, domain: "two.example.com", expiresInDays: 300 },
      { certificateId: C.del, domain: "del.example.com", expiresInDays: 10 },
      { certificateId: C.ec, domain: "ec.example.com", keyAlgorithm: "EC_P256", expiresInDays: 100 },
    ],
  });
});

afterAll(async () => {
  await env?.close();
});

describe("UpdateCertificateInstance + DescribeHostUpdateRecord(Detail)", () => {
  let recordId = 0;

  it("refusals: a new certificate not issued, no resource of the type, unknown certificates", async () => {
    await expectTencentError(env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old, CertificateId: C.pending, ResourceTypes: ["clb"] }), "FailedOperation.InvalidCertificateStatusCode");
    await expectTencentError(env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old, CertificateId: C.next, ResourceTypes: ["waf"] }), "FailedOperation.CertificateDeployInstanceEmpty");
    await expectTencentError(
      env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old, CertificateId: C.next, ResourceTypes: ["clb"], ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-beijing"] }] }),
      "FailedOperation.CertificateDeployInstanceEmpty",
    );
    await expectTencentError(env.ssl.UpdateCertificateInstance({ OldCertificateId: "Nope0000", CertificateId: C.next, ResourceTypes: ["clb"] }), "FailedOperation.CertificateNotFound");
    await expectTencentError(env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old, CertificateId: "Nope0000", ResourceTypes: ["clb"] }), "FailedOperation.CertificateNotFound");
    await expectTencentError(env.ssl.DescribeHostUpdateRecordDetail({ DeployRecordId: "999" }), "FailedOperation.InvalidParam");
    expect((await env.ssl.DescribeHostUpdateRecord({ OldCertificateId: C.old })).TotalCount).toBe(0);
  });

  it("creates a record for the requested types and regions; a second call answers the running one", async () => {
    const r = await env.ssl.UpdateCertificateInstance({
      OldCertificateId: C.old, CertificateId: C.next, ResourceTypes: ["clb", "cdn"], ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }],
    });
    recordId = r.DeployRecordId ?? 0;
    expect(recordId).toBeGreaterThan(0);
    expect(r.DeployStatus).toBe(1);
    expect(r.UpdateSyncProgress?.map((p) => [p.ResourceType, p.UpdateSyncProgressRegions?.map((x) => [x.Region, x.TotalCount])])).toEqual([
      ["clb", [["ap-guangzhou", 1]]],
      ["cdn", [["", 1]]],
    ]);
    const again = await env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old, CertificateId: C.next, ResourceTypes: ["clb", "cdn"], ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }] });
    expect(again).toMatchObject({ DeployRecordId: recordId, DeployStatus: 0 });
  });

  it("runs one resource per 5 s and completes; resources move to the new certificate", async () => {
    const detail = async () => env.ssl.DescribeHostUpdateRecordDetail({ DeployRecordId: String(recordId) });
    const first = await detail();
    expect([first.SuccessTotalCount, first.RunningTotalCount, first.PendingTotalCount, first.FailedTotalCount]).toEqual([0, 1, 1, 0]);
    expect(first.TotalCount).toBe(2);
    const list = await env.ssl.DescribeHostUpdateRecord({ OldCertificateId: C.old });
    expect(list.TotalCount).toBe(1);
    expect(list.DeployRecordList?.[0]).toMatchObject({ Id: recordId, CertId: C.next, OldCertId: C.old, ResourceTypes: ["clb", "cdn"], Regions: ["ap-guangzhou"], Status: 3 });

    env.admin.advanceClock(5);
    const half = await detail();
    expect([half.SuccessTotalCount, half.RunningTotalCount, half.PendingTotalCount]).toEqual([1, 1, 0]);
    env.admin.advanceClock(5);
    const done = await detail();
    expect([done.SuccessTotalCount, done.RunningTotalCount, done.PendingTotalCount, done.FailedTotalCount]).toEqual([2, 0, 0, 0]);
    const rows = done.RecordDetailList?.flatMap((g) => g.List ?? []) ?? [];
    expect(rows.map((d) => [d.ResourceType, d.InstanceId, d.Status, d.Region]).sort()).toEqual([
      ["cdn", "deploy.example.com", 1, ""],
      ["clb", "lb-gz", 1, "ap-guangzhou"],
    ]);
    expect(rows.every((d) => d.CertId === C.next && d.OldCertId === C.old && TENCENT_TIME.test(d.UpdateTime ?? ""))).toBe(true);
    expect(rows.find((d) => d.ResourceType === "clb")).toMatchObject({ ListenerId: "lbl-gz", Port: 443, Protocol: "HTTPS", Algorithm: "RSA 2048" });
    expect((await env.ssl.DescribeHostUpdateRecord({ CertificateId: C.next })).DeployRecordList?.[0]?.Status).toBe(1);

    const certs = await env.ssl.DescribeCertificates({ CertIds: [C.old, C.next] });
    const bound = Object.fromEntries((certs.Certificates ?? []).map((c) => [c.CertificateId, c.BoundResource]));
    expect(bound[C.next]?.slice().sort()).toEqual(["cdn", "clb"]);
    expect(bound[C.old]).toEqual(["clb"]); // the Shanghai listener was not asked for
  });

  it("CreateCertificateBindResourceSyncTask + DescribeCertificateBindResourceTaskResult count resources per type and region", async () => {
    // IsCache is required by the SDK's model (the emulator validates against it).
    await expectTencentError(env.ssl.CreateCertificateBindResourceSyncTask({ CertificateIds: [C.next] } as unknown as Parameters<typeof env.ssl.CreateCertificateBindResourceSyncTask>[0]), "MissingParameter");
    const t = await env.ssl.CreateCertificateBindResourceSyncTask({ CertificateIds: [C.next, C.old, "Nope0000"], IsCache: 0 });
    const tasks = t.CertTaskIds ?? [];
    expect(tasks.map((x) => x.CertId)).toEqual([C.next, C.old, "Nope0000"]);
    const taskIds = tasks.map((x) => x.TaskId ?? "");
    const running = await env.ssl.DescribeCertificateBindResourceTaskResult({ TaskIds: taskIds });
    expect(running.SyncTaskBindResourceResult?.map((r) => r.Status)).toEqual([0, 0, 0]);
    env.admin.advanceClock(1);
    const res = await env.ssl.DescribeCertificateBindResourceTaskResult({ TaskIds: taskIds });
    const [next, old, missing] = res.SyncTaskBindResourceResult ?? [];
    expect(next?.Status).toBe(1);
    expect(next?.BindResourceResult?.map((b) => [b.ResourceType, b.BindResourceRegionResult?.map((x) => [x.Region, x.TotalCount])]).sort()).toEqual([
      ["cdn", [["", 1]]],
      ["clb", [["ap-guangzhou", 1]]],
    ]);
    expect(old?.BindResourceResult?.map((b) => [b.ResourceType, b.BindResourceRegionResult?.map((x) => [x.Region, x.TotalCount])])).toEqual([["clb", [["ap-shanghai", 1]]]]);
    expect(missing).toMatchObject({ Status: 2, Error: { Code: "FailedOperation.CertificateNotFound" } });
  });

  it("with setDeployRecordPendingCalls(1) the first call answers DeployRecordId 0 (call again)", async () => {
    env.admin.setDeployRecordPendingCalls(1);
    try {
      const first = await env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old2, CertificateId: C.next2, ResourceTypes: ["cdn"] });
      expect(first.DeployRecordId).toBe(0);
      expect((await env.ssl.DescribeHostUpdateRecord({ OldCertificateId: C.old2 })).TotalCount).toBe(0);
      const second = await env.ssl.UpdateCertificateInstance({ OldCertificateId: C.old2, CertificateId: C.next2, ResourceTypes: ["cdn"] });
      expect(second.DeployRecordId).toBeGreaterThan(0);
    } finally {
      env.admin.setDeployRecordPendingCalls(0);
    }
  });
});

describe("UploadCertificate", () => {
  let leafPem = "";
  let keyPem = "";
  let uploadedId = "";

  beforeAll(async () => {
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: C.next });
    leafPem = parseCertificates(d.CertificatePublicKey ?? "")[0]?.toString() ?? "";
    keyPem = d.CertificatePrivateKey ?? "";
  });

  it("stores an uploaded certificate, issued, From upload, not paid", async () => {
    const r = await env.ssl.UploadCertificate({ CertificatePublicKey: leafPem, CertificatePrivateKey: keyPem, Alias: "mine" });
    uploadedId = r.CertificateId ?? "";
    expect(uploadedId).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(r.RepeatCertId).toBe("");
    const d = await env.ssl.DescribeCertificateDetail({ CertificateId: uploadedId });
    expect(d).toMatchObject({ Status: 1, From: "upload", IsVip: false, Alias: "mine", Domain: "deploy.example.com", CertificatePrivateKey: keyPem });
    expect(parseCertificates(d.CertificatePublicKey ?? "")[0]?.toString()).toBe(leafPem);
    expect(d.RenewAble).toBe(false);
  });

  it("Repeatable: false answers the existing upload", async () => {
    const r = await env.ssl.UploadCertificate({ CertificatePublicKey: leafPem, CertificatePrivateKey: keyPem, Repeatable: false });
    expect(r).toMatchObject({ CertificateId: uploadedId, RepeatCertId: uploadedId });
    expect((await env.ssl.DescribeCertificates({ FilterSource: "upload" })).TotalCount).toBe(1);
  });

  it("garbage -> CertificateParseError; a key of another certificate -> CertificateMatchError", async () => {
    await expectTencentError(env.ssl.UploadCertificate({ CertificatePublicKey: "hello", CertificatePrivateKey: keyPem }), "FailedOperation.CertificateParseError");
    const ec = await env.ssl.DescribeCertificateDetail({ CertificateId: C.ec });
    await expectTencentError(env.ssl.UploadCertificate({ CertificatePublicKey: leafPem, CertificatePrivateKey: ec.CertificatePrivateKey ?? "" }), "FailedOperation.CertificateMatchError");
  });
});

describe("DeleteCertificate", () => {
  it("is refused with RenewNotIssued while the renewal is alive, allowed once it is cancelled", async () => {
    const r = await env.ssl.CreateCertificateByPackage({ OldCertificateId: C.del, ProductPid: 1013949, PackageIds: [PACK], DomainCount: "1", Period: 1 });
    const renewal = r.CertificateId ?? "";
    await expectTencentError(env.ssl.DeleteCertificate({ CertificateId: C.del }), "FailedOperation.RenewNotIssued");
    expect((await env.ssl.DescribeCertificateDetail({ CertificateId: C.del })).Status).toBe(1);
    await env.ssl.CancelCertificateOrder({ CertificateId: renewal });
    await expectTencentError(env.ssl.DeleteCertificate({ CertificateId: C.del }), "FailedOperation.RenewNotIssued"); // 6: cancelling
    env.admin.advanceClock(5);
    const ok = await env.ssl.DeleteCertificate({ CertificateId: C.del });
    expect(ok.DeleteResult).toBe(true);
    await expectTencentError(env.ssl.DescribeCertificateDetail({ CertificateId: C.del }), "FailedOperation.CertificateNotFound");
    expect((await env.ssl.DescribeCertificates({ CertIds: [C.del] })).TotalCount).toBe(0);
  });

  it("deletes an uploaded certificate; an unknown id is CertificateNotFound", async () => {
    const up = await env.ssl.DescribeCertificates({ FilterSource: "upload" });
    const id = up.Certificates?.[0]?.CertificateId ?? "";
    expect((await env.ssl.DeleteCertificate({ CertificateId: id })).DeleteResult).toBe(true);
    expect((await env.ssl.DescribeCertificates({ FilterSource: "upload" })).TotalCount).toBe(0);
    await expectTencentError(env.ssl.DeleteCertificate({ CertificateId: "Nope0000" }), "FailedOperation.CertificateNotFound");
  });

  it("IsCheckResource refuses a certificate still bound to resources", async () => {
    await expectTencentError(env.ssl.DeleteCertificate({ CertificateId: C.old, IsCheckResource: true }), "FailedOperation.CertificateHasBoundResources");
    expect((await env.ssl.DescribeCertificateDetail({ CertificateId: C.old })).CertificateId).toBe(C.old);
  });
});
