/**
 * Small SSL and DNSPod wire models → domain types: packages, DNS records,
 * domain verification, deployments, and the ids/status of mutating calls.
 */
import type {
  CertificateOrderSubmitResponse,
  CheckCertificateDomainVerificationResponse,
  CreateCertificateByPackageResponse,
  DescribeHostUpdateRecordDetailResponse,
  PackageInfo,
  UpdateCertificateInstanceResponse,
  UpdateRecordDetail,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import type { CreateRecordResponse, RecordListItem } from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models";
import type {
  BenefitPackage,
  DeployRecord,
  DeployResourceResult,
  DeployStart,
  DnsRecord,
  DomainVerification,
} from "../engine/domain";
import { parseTencentTime } from "./dates";
import { offModel } from "./map-certificate";
import { bool, list, num, str, type Wire } from "./wire";

export function mapPackage(p: Wire<PackageInfo>): BenefitPackage {
  return {
    packageId: str(p?.PackageId),
    type: str(p?.Type),
    total: num(p?.Total),
    balance: num(p?.Balance),
    status: str(p?.Status),
    expireTime: parseTencentTime(p?.ExpireTime),
    // `PackageInfo` declares no pid; some answers carry one.
    pid: num(offModel(p, "Pid")),
  };
}

export function mapDnsRecord(r: Wire<RecordListItem>): DnsRecord {
  return {
    recordId: num(r?.RecordId),
    name: str(r?.Name),
    type: str(r?.Type),
    value: str(r?.Value),
    line: str(r?.Line),
    ttl: num(r?.TTL),
    status: str(r?.Status),
  };
}

export function mapDomainVerifications(r: Wire<CheckCertificateDomainVerificationResponse>): DomainVerification[] {
  return list(r?.VerificationResults).map((v) => ({
    domain: str(v?.Domain),
    verifyType: str(v?.VerifyType),
    localCheck: num(v?.LocalCheck),
    caCheck: num(v?.CaCheck),
    failReason: str(v?.LocalCheckFailReason),
    frequently: bool(v?.Frequently),
    issued: bool(v?.Issued),
  }));
}

export function mapDeployStart(r: Wire<UpdateCertificateInstanceResponse>): DeployStart {
  return { deployRecordId: num(r?.DeployRecordId), deployStatus: num(r?.DeployStatus) };
}

/** The new certificate id of a paid renewal; "" when the answer names none. */
export function newCertificateIdOf(r: Wire<CreateCertificateByPackageResponse>): string {
  return str(r?.CertificateId) || str(list(r?.CertificateIds)[0]);
}

/** The certificate status after `CertificateOrderSubmit`; -1 when the answer has none. */
export function submittedStatusOf(r: Wire<CertificateOrderSubmitResponse>): number {
  return num(r?.Status, -1);
}

export function createdRecordIdOf(r: Wire<CreateRecordResponse>): number {
  return num(r?.RecordId);
}

/**
 * `UpdateRecordDetail.Status`: 0 pending, 1 deployed, 2 failed, 3 deploying,
 * 4 rolled back, 5 rollback failed, 6 no resource (nothing to do).
 */
const DEPLOY_STATUS: ReadonlyMap<number, DeployResourceResult["status"]> = new Map<number, DeployResourceResult["status"]>([
  [0, "running"],
  [1, "success"],
  [2, "failed"],
  [3, "running"],
  [4, "failed"], // rolled back: the new certificate is not in place
  [5, "failed"],
  [6, "success"],
]);

function mapDeployResult(d: Wire<UpdateRecordDetail>, groupType: string): DeployResourceResult {
  return {
    resourceType: str(d?.ResourceType) || groupType,
    region: str(d?.Region),
    instanceId: str(d?.InstanceId),
    listenerId: str(d?.ListenerId),
    domain: list(d?.Domains).map(str).filter((x) => x !== "").join(","),
    status: DEPLOY_STATUS.get(num(d?.Status, -1)) ?? "running",
    errorMessage: str(d?.ErrorMsg),
  };
}

/** Every resource result of one page of `DescribeHostUpdateRecordDetail`. */
export function deployResultsOf(r: Wire<DescribeHostUpdateRecordDetailResponse>): DeployResourceResult[] {
  return list(r?.RecordDetailList).flatMap((g) => list(g?.List).map((d) => mapDeployResult(d, str(g?.ResourceType))));
}

/**
 * A deployment is finished when Tencent counts nothing running or pending
 * and every listed resource is in a final state.
 */
export function mapDeployRecord(
  deployRecordId: number,
  r: Wire<DescribeHostUpdateRecordDetailResponse>,
  results: readonly DeployResourceResult[] = deployResultsOf(r),
): DeployRecord {
  const open = num(r?.RunningTotalCount) + num(r?.PendingTotalCount);
  return { deployRecordId, finished: open === 0 && results.every((x) => x.status !== "running"), results };
}
