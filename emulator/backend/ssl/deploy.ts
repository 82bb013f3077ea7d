/**
 * Pushing a renewed certificate to cloud resources: UpdateCertificateInstance,
 * DescribeHostUpdateRecord(Detail). The bound-resource sync task is in bind-tasks.ts.
 */
import type {
  DescribeHostUpdateRecordDetailRequest,
  DescribeHostUpdateRecordDetailResponse,
  DescribeHostUpdateRecordRequest,
  DescribeHostUpdateRecordResponse,
  UpdateCertificateInstanceRequest,
  UpdateCertificateInstanceResponse,
  UpdateRecordDetail,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { certificateMatchesKey } from "../../../crypto/ca";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { recordStatus, recordUpdatedAt, refreshDeploys } from "../deploy";
import { STATUS } from "../status";
import { gmt8, SECOND_MS } from "../time";
import { encryptAlgorithmOf } from "../views";
import { handler, optionalInt, requireString, type Wire } from "../wire";
import type { AccountState, BoundResourceRecord, CertificateRecord, DeployDetailRecord, DeployRecord } from "../state";

/** Resource types that are not regional. */
const GLOBAL_TYPES: readonly string[] = ["cdn", "teo", "ddos", "vod", "live", "gaap"];

function progress(types: readonly string[], resources: readonly BoundResourceRecord[]) {
  return types.map((type) => {
    const regions = [...new Set(resources.filter((r) => r.resourceType === type).map((r) => r.region))];
    return {
      ResourceType: type,
      UpdateSyncProgressRegions: regions.map((region) => ({ Region: region, TotalCount: resources.filter((r) => r.resourceType === type && r.region === region).length, OffsetCount: 0, Status: 0 })),
      Status: 0,
    };
  });
}

function detailView(rec: DeployRecord, d: DeployDetailRecord, oldAlgorithm: string, newAlgorithm: string): Wire<UpdateRecordDetail> {
  const r = d.resource;
  return {
    Id: d.id, CertId: rec.certId, OldCertId: rec.oldCertId, Domains: r.domain ? [r.domain] : [], ResourceType: r.resourceType, Region: r.region,
    Status: d.status, ErrorMsg: d.errorMsg, CreateTime: gmt8(rec.createdAt), UpdateTime: gmt8(d.status === 1 || d.status === 2 ? d.finishesAt : rec.createdAt),
    InstanceId: r.instanceId, InstanceName: r.instanceId, ListenerId: r.listenerId || null, ListenerName: r.listenerId ? `listener-${r.listenerId}` : null,
    Protocol: r.resourceType === "clb" ? "HTTPS" : null, SniSwitch: r.resourceType === "clb" ? 0 : null, Bucket: null, Port: r.resourceType === "clb" ? 443 : null,
    Namespace: null, SecretName: null, EnvId: null, TCBType: null, Url: null, Algorithm: newAlgorithm, OldAlgorithm: oldAlgorithm,
    InstanceStatus: null, ListenerStatus: null,
  };
}

/** Inferred rule `regionsRequired`: every regional resource type needs its regions ("支持地域的云资源类型必传"). */
function requireRegions(types: readonly string[], regionsFor: (type: string) => readonly string[] | undefined): void {
  const missing = types.filter((t) => !GLOBAL_TYPES.includes(t) && regionsFor(t) === undefined);
  if (missing.length > 0) {
    throw new ApiError(
      "InvalidParameter",
      `ResourceTypesRegions must name the regions of the regional resource type(s) ${missing.join(", ")}, e.g. [{"ResourceType":"${missing[0] ?? "clb"}","Regions":["ap-guangzhou"]}] (emulator rule regionsRequired).`,
    );
  }
}

/** The first PEM block, whitespace-free, to compare certificates by content. */
function leafOf(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  return (m ? m[0] : pem).replace(/\s+/g, "");
}

/**
 * The certificate UpdateCertificateInstance deploys: `CertificateId`, or (documented: "不传该参数，
 * 则公钥证书和私钥证书必传") the content `CertificatePublicKey` + `CertificatePrivateKey`. With
 * content, the emulator deploys the account's certificate with that leaf and keeps the key with it
 * (INFERRED; with `Repeatable` Tencent may store a copy instead). Under the inferred rule
 * `deployNeedsHeldKey`, a by-id deployment of a certificate whose key Tencent does not hold is refused.
 */
function deployedCertificate(core: BackendCore, account: AccountState, req: Partial<UpdateCertificateInstanceRequest>): CertificateRecord {
  if (req.CertificateId) {
    const next = certificateOf(account, req.CertificateId);
    if (core.rules().deployNeedsHeldKey && next.key.privateKeyPem === null && next.key.mode !== "seeded")
      throw new ApiError(
        "FailedOperation.CertificateNotHavePrivateKey",
        `Certificate ${next.id} was issued for an uploaded CSR and Tencent does not hold its private key; pass CertificatePublicKey and CertificatePrivateKey instead (emulator rule deployNeedsHeldKey).`,
      );
    return next;
  }
  const publicKey = req.CertificatePublicKey ?? "";
  const privateKey = req.CertificatePrivateKey ?? "";
  if (publicKey === "" || privateKey === "") throw new ApiError("MissingParameter", "Pass CertificateId, or both CertificatePublicKey and CertificatePrivateKey.");
  const leaf = leafOf(publicKey);
  const next = Object.values(account.certificates).find((c) => c.material !== null && leafOf(c.material.certificatePem) === leaf);
  if (!next) throw new ApiError("FailedOperation.CertificateNotFound", "The emulator deploys certificate content only for a certificate already in the account (the renewal it issued).");
  if (!certificateMatchesKey(publicKey, privateKey)) throw new ApiError("FailedOperation.CertificateMatchError", "The private key does not match the certificate.");
  if (next.key.privateKeyPem === null) next.key = { ...next.key, privateKeyPem: privateKey };
  return next;
}

export function deployHandlers(core: BackendCore): Record<string, ActionHandler> {
  const withDeploys = (account: AccountState, now: Date) => refreshDeploys(account, now);
  return {
    UpdateCertificateInstance: handler<UpdateCertificateInstanceRequest, UpdateCertificateInstanceResponse>(core, ({ req, account, now }) => {
      withDeploys(account, now);
      const old = certificateOf(account, requireString(req.OldCertificateId, "OldCertificateId"));
      const next = deployedCertificate(core, account, req);
      if (next.status !== STATUS.ISSUED) {
        throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${next.id} is in status ${next.status}; only an issued certificate can be deployed.`);
      }
      const types = (req.ResourceTypes ?? []).map((t) => t.toLowerCase());
      if (types.length === 0) throw new ApiError("MissingParameter", "ResourceTypes must name at least one resource type.");
      const regionsFor = (type: string): readonly string[] | undefined => {
        const e = req.ResourceTypesRegions?.find((x) => x.ResourceType?.toLowerCase() === type);
        if (e?.Regions && e.Regions.length > 0) return e.Regions;
        return req.Regions && req.Regions.length > 0 ? req.Regions : undefined; // INFERRED: no regions = all regions
      };
      if (core.rules().regionsRequired) requireRegions(types, regionsFor);
      const targets = old.boundResources.filter((r) => {
        if (!types.includes(r.resourceType)) return false;
        if (GLOBAL_TYPES.includes(r.resourceType)) return true;
        const regions = regionsFor(r.resourceType);
        return regions === undefined || regions.includes(r.region);
      });
      const key = `${old.id}/${next.id}`;
      const running = Object.values(account.deployRecords).find((d) => d.oldCertId === old.id && d.certId === next.id && recordStatus(d) !== 1 && recordStatus(d) !== 2);
      if (running) return { DeployRecordId: running.id, DeployStatus: 0, UpdateSyncProgress: progress(types, running.details.map((d) => d.resource)) };
      if (targets.length === 0) {
        throw new ApiError("FailedOperation.CertificateDeployInstanceEmpty", `Certificate ${old.id} has no bound ${types.join("/")} resources in the requested regions.`);
      }
      const calls = (account.updateCalls[key] ?? 0) + 1;
      account.updateCalls[key] = calls;
      if (calls <= core.state.settings.deployRecordPendingCalls) {
        // Documented: DeployRecordId 0 means the task is still being created; call again.
        return { DeployRecordId: 0, DeployStatus: 1, UpdateSyncProgress: progress(types, targets) };
      }
      const slot = core.state.settings.deploySecondsPerResource * SECOND_MS;
      const rec: DeployRecord = {
        id: core.nextDeployId(),
        certId: next.id,
        oldCertId: old.id,
        resourceTypes: types,
        regions: [...new Set(targets.map((t) => t.region).filter((r) => r !== ""))],
        createdAt: now.toISOString(),
        details: targets.map((resource, i) => ({
          id: core.nextDetailId(),
          resource: { ...resource },
          status: 0,
          startsAt: new Date(now.getTime() + i * slot).toISOString(),
          finishesAt: new Date(now.getTime() + (i + 1) * slot).toISOString(),
          errorMsg: "",
          moved: false,
        })),
      };
      account.deployRecords[String(rec.id)] = rec;
      withDeploys(account, now);
      return { DeployRecordId: rec.id, DeployStatus: 1, UpdateSyncProgress: progress(types, targets) };
    }),

    DescribeHostUpdateRecord: handler<DescribeHostUpdateRecordRequest, DescribeHostUpdateRecordResponse>(core, ({ req, account, now }) => {
      withDeploys(account, now);
      const offset = optionalInt(req.Offset, "Offset", 0);
      const limit = optionalInt(req.Limit, "Limit", 10);
      const recs = Object.values(account.deployRecords)
        .filter((r) => (!req.CertificateId || r.certId === req.CertificateId) && (!req.OldCertificateId || r.oldCertId === req.OldCertificateId))
        .reverse();
      return {
        TotalCount: recs.length,
        DeployRecordList: recs.slice(offset, offset + limit).map((r) => ({
          Id: r.id, CertId: r.certId, OldCertId: r.oldCertId, ResourceTypes: r.resourceTypes, Regions: r.regions, Status: recordStatus(r),
          CreateTime: gmt8(r.createdAt), UpdateTime: gmt8(recordUpdatedAt(r, now)),
        })),
      };
    }),

    DescribeHostUpdateRecordDetail: handler<DescribeHostUpdateRecordDetailRequest, DescribeHostUpdateRecordDetailResponse>(core, ({ req, account, now }) => {
      withDeploys(account, now);
      const id = requireString(String(req.DeployRecordId ?? ""), "DeployRecordId");
      const rec = account.deployRecords[id];
      if (!rec) throw new ApiError("FailedOperation.InvalidParam", `No deployment record ${JSON.stringify(id)}.`);
      const offset = optionalInt(req.Offset, "Offset", 0);
      const limit = optionalInt(req.Limit, "Limit", 10);
      const oldAlg = account.certificates[rec.oldCertId];
      const newAlg = account.certificates[rec.certId];
      const algOld = oldAlg ? encryptAlgorithmOf(oldAlg) : "";
      const algNew = newAlg ? encryptAlgorithmOf(newAlg) : "";
      const count = (s: number) => rec.details.filter((d) => d.status === s).length;
      const page = rec.details.slice(offset, offset + limit);
      return {
        TotalCount: rec.details.length,
        RecordDetailList: rec.resourceTypes.map((type) => {
          const list = page.filter((d) => d.resource.resourceType === type);
          return { ResourceType: type, List: list.map((d) => detailView(rec, d, algOld, algNew)), TotalCount: rec.details.filter((d) => d.resource.resourceType === type).length };
        }),
        SuccessTotalCount: count(1),
        FailedTotalCount: count(2),
        RunningTotalCount: count(3),
        PendingTotalCount: count(0),
      };
    }),

  };
}
