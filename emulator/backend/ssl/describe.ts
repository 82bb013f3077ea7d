/** Read-only SSL actions: DescribeCertificates, DescribeCertificateDetail, DescribeCertificate, DescribePackages. */
import type {
  DescribeCertificateDetailRequest,
  DescribeCertificateDetailResponse,
  DescribeCertificateRequest,
  DescribeCertificateResponse,
  DescribeCertificatesRequest,
  DescribeCertificatesResponse,
  DescribePackagesRequest,
  DescribePackagesResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import type { InferredRules } from "../../rules";
import { certificateOf, type BackendCore } from "../core";
import { certificatesNewestFirst } from "../factory";
import { isExpiring, isIssued, isRenewable, PRE_ISSUE_STATUSES } from "../status";
import { gmt8Date } from "../time";
import { detailOf, listItem } from "../views";
import { handler, optionalInt } from "../wire";
import type { AccountState, CertificateRecord, PackageRecord } from "../state";

/** `DescribeCertificates` caps `Limit` at 1000; the SDK documents a default of 10. */
export const MAX_LIST_LIMIT = 1000;
export const DEFAULT_LIST_LIMIT = 10;

function pageArgs(offsetRaw: unknown, limitRaw: unknown, defaultLimit: number, maxLimit: number): { offset: number; limit: number } {
  const offset = optionalInt(offsetRaw, "Offset", 0);
  const limit = optionalInt(limitRaw, "Limit", defaultLimit);
  if (offset < 0) throw new ApiError("InvalidParameter", `Offset must be >= 0, got ${offset}.`);
  if (limit < 0 || limit > maxLimit) throw new ApiError("InvalidParameter", `Limit must be between 0 and ${maxLimit}, got ${limit}.`);
  return { offset, limit };
}

function matches(account: AccountState, cert: CertificateRecord, req: Partial<DescribeCertificatesRequest>, now: Date, rules: InferredRules): boolean {
  if (req.CertificateStatus && req.CertificateStatus.length > 0 && !req.CertificateStatus.map(Number).includes(cert.status)) return false;
  if (req.CertIds && req.CertIds.length > 0 && !req.CertIds.includes(cert.id)) return false;
  if (Number(req.Renew) === 1 && !isRenewable(account, cert, now, rules.renewAbleWhileRenewing)) return false;
  if (Number(req.FilterExpiring) === 1 && !isExpiring(cert, now)) return false;
  if (req.FilterSource === "upload" && cert.source !== "upload") return false;
  if (req.FilterSource === "buy" && cert.source !== "buy") return false;
  if (Number(req.Upload) === 1 && cert.source !== "upload") return false;
  if (Number(req.Deployable) === 1 && !isIssued(cert)) return false;
  if (Number(req.IsPendingIssue) === 1 && !PRE_ISSUE_STATUSES.includes(cert.status)) return false;
  if (req.CertificateType && req.CertificateType.toUpperCase() !== "SVR") return false;
  if (req.SearchKey) {
    const k = req.SearchKey.toLowerCase();
    const hay = [cert.id, cert.alias, cert.domain, ...cert.sans].map((s) => s.toLowerCase());
    if (!hay.some((h) => h.includes(k))) return false;
  }
  return true;
}

export function describeHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    DescribeCertificates: handler<DescribeCertificatesRequest, DescribeCertificatesResponse>(core, ({ req, account, now }) => {
      const { offset, limit } = pageArgs(req.Offset, req.Limit, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      // Default order: newest first (insert time desc); ExpirationSort orders by CertEndTime, pending last.
      const rules = core.rules();
      let certs = certificatesNewestFirst(account).filter((c) => matches(account, c, req, now, rules));
      const sort = req.ExpirationSort?.toUpperCase();
      if (sort === "ASC" || sort === "DESC") {
        const dir = sort === "ASC" ? 1 : -1;
        certs = [...certs].sort((a, b) => {
          if (!a.notAfter || !b.notAfter) return (a.notAfter ? 0 : 1) - (b.notAfter ? 0 : 1);
          return dir * (Date.parse(a.notAfter) - Date.parse(b.notAfter));
        });
      }
      return {
        TotalCount: certs.length,
        Certificates: certs.slice(offset, offset + limit).map((c) => listItem(account, c, now, rules)),
      };
    }),

    DescribeCertificateDetail: handler<DescribeCertificateDetailRequest, DescribeCertificateDetailResponse>(core, ({ req, account, now }) =>
      detailOf(core, account, certificateOf(account, req.CertificateId), now),
    ),

    DescribeCertificate: handler<DescribeCertificateRequest, DescribeCertificateResponse>(core, async ({ req, account, now }) => {
      const cert = certificateOf(account, req.CertificateId);
      const d = await detailOf(core, account, cert, now);
      return {
        OwnerUin: d.OwnerUin, ProjectId: d.ProjectId, From: d.From, CertificateType: d.CertificateType, PackageType: d.PackageType,
        ProductZhName: d.ProductZhName, Domain: d.Domain, Alias: d.Alias, Status: d.Status, StatusMsg: d.StatusMsg ?? "", VerifyType: d.VerifyType,
        VulnerabilityStatus: d.VulnerabilityStatus, CertBeginTime: d.CertBeginTime, CertEndTime: d.CertEndTime, ValidityPeriod: d.ValidityPeriod,
        InsertTime: d.InsertTime, OrderId: d.OrderId, CertificateExtra: d.CertificateExtra, DvAuthDetail: d.DvAuthDetail,
        VulnerabilityReport: null, CertificateId: d.CertificateId, PackageTypeName: d.ProductZhName, StatusName: d.StatusName,
        SubjectAltName: d.SubjectAltName, IsVip: d.IsVip, IsWildcard: d.IsWildcard, IsDv: d.IsDv, IsVulnerability: false,
        // The legacy action documents RenewAble as "can be reissued".
        RenewAble: cert.status === 1, SubmittedData: d.SubmittedData, Deployable: d.Deployable, Tags: [],
        CAEncryptAlgorithms: [], CACommonNames: [], CAEndTimes: [], DvRevokeAuthDetail: [],
      };
    }),

    DescribePackages: handler<DescribePackagesRequest, DescribePackagesResponse>(core, ({ req, account, now }) => {
      const { offset, limit } = pageArgs(req.Offset, req.Limit, 20, 1000);
      let pkgs = Object.values(account.packages).map((p) => ({ p, status: packageStatus(p, now) }));
      if (req.Status) pkgs = pkgs.filter((x) => x.status === req.Status);
      if (req.PackageId) pkgs = pkgs.filter((x) => x.p.packageId === req.PackageId);
      if (req.Type) pkgs = pkgs.filter((x) => x.p.type === req.Type);
      const order = req.ExpireTime?.toLowerCase();
      if (order === "asc" || order === "desc") {
        const dir = order === "asc" ? 1 : -1;
        pkgs = [...pkgs].sort((a, b) => dir * (Date.parse(a.p.expireTime) - Date.parse(b.p.expireTime)));
      }
      return {
        TotalCount: pkgs.length,
        TotalBalance: pkgs.reduce((sum, x) => sum + (x.status === "usable" ? x.p.balance : 0), 0),
        Packages: pkgs.slice(offset, offset + limit).map(({ p, status }) => ({
          PackageId: p.packageId,
          Total: p.total,
          Balance: p.balance,
          Type: p.type,
          SourceUin: Number(account.ownerUin),
          Status: status,
          ExpireTime: gmt8Date(p.expireTime),
          UpdateTime: gmt8Date(p.updateTime),
          CreateTime: gmt8Date(p.createTime),
          SourceType: "buy",
          TransferOutInfos: [],
        })),
      };
    }),
  };
}

/** A usable package past its expiry reads as `expired`; an empty one as `used`. */
export function packageStatus(p: PackageRecord, now: Date): string {
  if (p.status === "usable" && Date.parse(p.expireTime) <= now.getTime()) return "expired";
  if (p.status === "usable" && p.balance <= 0) return "used";
  return p.status;
}
