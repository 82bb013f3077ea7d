import { describe, expect, it } from "vitest";
import { arr, harness, obj, RENEW_SHOP, str } from "./harness";

async function issuedRenewal(h: ReturnType<typeof harness>): Promise<string> {
  const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
  await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" });
  h.advance(60);
  expect((await h.ssl("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(1);
  return id;
}

describe("UpdateCertificateInstance", () => {
  it("creates a deploy record; resources finish over clock time and move to the new certificate", async () => {
    const h = harness();
    const id = await issuedRenewal(h);
    const res = await h.ssl("UpdateCertificateInstance", {
      OldCertificateId: "DemoShop", CertificateId: id, ResourceTypes: ["clb", "cdn"],
      ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }],
    });
    expect(res.DeployStatus).toBe(1);
    const recordId = res.DeployRecordId;
    expect(typeof recordId).toBe("number");
    expect(Number(recordId)).toBeGreaterThan(0);
    expect(arr(res.UpdateSyncProgress).map((p) => obj(p).ResourceType)).toEqual(["clb", "cdn"]);

    const again = await h.ssl("UpdateCertificateInstance", { OldCertificateId: "DemoShop", CertificateId: id, ResourceTypes: ["clb", "cdn"] });
    expect(again).toMatchObject({ DeployRecordId: recordId, DeployStatus: 0 }); // a task already exists

    const d0 = await h.ssl("DescribeHostUpdateRecordDetail", { DeployRecordId: String(recordId) });
    expect(d0).toMatchObject({ TotalCount: 2, RunningTotalCount: 1, PendingTotalCount: 1, SuccessTotalCount: 0 });
    h.advance(5);
    expect(await h.ssl("DescribeHostUpdateRecordDetail", { DeployRecordId: String(recordId) })).toMatchObject({ SuccessTotalCount: 1, RunningTotalCount: 1 });
    h.advance(5);
    const done = await h.ssl("DescribeHostUpdateRecordDetail", { DeployRecordId: String(recordId) });
    expect(done).toMatchObject({ SuccessTotalCount: 2, FailedTotalCount: 0, RunningTotalCount: 0, PendingTotalCount: 0 });
    const clb = obj(arr(obj(arr(done.RecordDetailList)[0]).List)[0]);
    expect(clb).toMatchObject({ ResourceType: "clb", InstanceId: "lb-demoshop", ListenerId: "lbl-demoshop", Region: "ap-guangzhou", Status: 1, CertId: id, OldCertId: "DemoShop" });

    const list = await h.ssl("DescribeHostUpdateRecord", { OldCertificateId: "DemoShop" });
    expect(list.TotalCount).toBe(1);
    expect(obj(arr(list.DeployRecordList)[0])).toMatchObject({ Id: recordId, Status: 1, CertId: id });

    const newItem = obj(arr((await h.ssl("DescribeCertificates", { CertIds: [id] })).Certificates)[0]);
    expect(newItem.BoundResource).toEqual(["clb", "cdn"]);
    const oldItem = obj(arr((await h.ssl("DescribeCertificates", { CertIds: ["DemoShop"] })).Certificates)[0]);
    expect(oldItem.BoundResource).toEqual([]);
  });

  it("DeployRecordId 0 means 'call again' when the admin sets pending calls", async () => {
    const h = harness();
    const id = await issuedRenewal(h);
    h.backend.admin.setDeployRecordPendingCalls(1);
    const args = { OldCertificateId: "DemoShop", CertificateId: id, ResourceTypes: ["cdn"] };
    expect((await h.ssl("UpdateCertificateInstance", args)).DeployRecordId).toBe(0);
    expect(Number((await h.ssl("UpdateCertificateInstance", args)).DeployRecordId)).toBeGreaterThan(0);
  });

  it("errors: not issued, nothing bound, unknown record", async () => {
    const h = harness();
    const pending = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "UpdateCertificateInstance", { OldCertificateId: "DemoShop", CertificateId: pending, ResourceTypes: ["clb"] })).code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect((await h.code("ssl", "UpdateCertificateInstance", { OldCertificateId: "DemoCorp", CertificateId: "DemoBlog", ResourceTypes: ["clb"] })).code).toBe("FailedOperation.CertificateDeployInstanceEmpty");
    expect((await h.code("ssl", "UpdateCertificateInstance", { OldCertificateId: "Missing1", CertificateId: "DemoBlog", ResourceTypes: ["clb"] })).code).toBe("FailedOperation.CertificateNotFound");
    expect((await h.code("ssl", "DescribeHostUpdateRecordDetail", { DeployRecordId: "42" })).code).toBe("FailedOperation.InvalidParam");
  });
});

describe("bound-resource sync tasks", () => {
  it("CreateCertificateBindResourceSyncTask then DescribeCertificateBindResourceTaskResult lists the bound resources", async () => {
    const h = harness();
    const created = await h.ssl("CreateCertificateBindResourceSyncTask", { CertificateIds: ["DemoShop", "Missing1"], IsCache: 0 });
    const tasks = arr(created.CertTaskIds).map(obj);
    expect(tasks.map((t) => t.CertId)).toEqual(["DemoShop", "Missing1"]);
    const taskIds = tasks.map((t) => str(t.TaskId));
    expect(obj(arr((await h.ssl("DescribeCertificateBindResourceTaskResult", { TaskIds: taskIds })).SyncTaskBindResourceResult)[0]).Status).toBe(0);
    h.advance(1);
    const results = arr((await h.ssl("DescribeCertificateBindResourceTaskResult", { TaskIds: taskIds })).SyncTaskBindResourceResult).map(obj);
    expect(results[0]).toMatchObject({ Status: 1, Error: null });
    expect(results[0]!.BindResourceResult).toEqual([
      { ResourceType: "clb", BindResourceRegionResult: [{ Region: "ap-guangzhou", TotalCount: 1, Error: "" }] },
      { ResourceType: "cdn", BindResourceRegionResult: [{ Region: "", TotalCount: 1, Error: "" }] },
    ]);
    expect(results[1]).toMatchObject({ Status: 2, Error: { Code: "FailedOperation.CertificateNotFound" } });
  });
});
