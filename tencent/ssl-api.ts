/** `SslApi` (engine/ports.ts) over the SDK client `ssl/v20191205`. */
import type { Client as SslClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client";
import type { DescribeCertificatesRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import type {
  BenefitPackage,
  Certificate,
  CertificateSummary,
  DeployRecord,
  DeployResourceResult,
  DeployStart,
  DeployTarget,
  DomainVerification,
  RenewByPackageRequest,
} from "../engine/domain";
import {
  InvalidInputError,
  TencentApiError,
  TransportError,
  isTencentApiError,
  isTransportError,
} from "../engine/errors";
import type { CertificatePage, DeployContent, ListCertificatesQuery, SslApi } from "../engine/ports";
import type { Caller } from "./call";
import { isServerErrorCode } from "./errors";
import { mapCertificateDetail, mapCertificateSummary } from "./map-certificate";
import {
  deployResultsOf,
  mapDeployRecord,
  mapDeployStart,
  mapDomainVerifications,
  mapPackage,
  newCertificateIdOf,
  submittedStatusOf,
} from "./map-misc";
import { chainFromBundleZip } from "./bundle-zip";
import { list, num, str } from "./wire";

const MAX_CERT_PAGE = 1000;
const PACKAGE_PAGE = 100;
const DEPLOY_PAGE = 200;
/** Guard against a server whose TotalCount never adds up. */
const MAX_PAGES = 1000;

export class TencentSslApi implements SslApi {
  constructor(
    private readonly client: SslClient,
    private readonly call: Caller,
  ) {}

  /**
   * With `limit`: one page at `offset`. Without: every certificate from
   * `offset` on, paging by 1000.
   */
  async listCertificates(query: ListCertificatesQuery): Promise<CertificatePage> {
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_CERT_PAGE)) {
      throw new InvalidInputError("limit", `tencent: DescribeCertificates: limit must be an integer from 1 to ${MAX_CERT_PAGE}, got ${query.limit}.`);
    }
    const base: DescribeCertificatesRequest = {
      ...(query.ids !== undefined && query.ids.length > 0 ? { CertIds: [...query.ids] } : {}),
      ...(query.searchKey !== undefined && query.searchKey !== "" ? { SearchKey: query.searchKey } : {}),
      ...(query.statuses !== undefined && query.statuses.length > 0 ? { CertificateStatus: [...query.statuses] } : {}),
      ...(query.source !== undefined ? { FilterSource: query.source } : {}),
      ...(query.renewableOnly === true ? { Renew: 1 } : {}),
      ...(query.expiringOnly === true ? { FilterExpiring: 1 } : {}),
    };
    const start = query.offset ?? 0;
    const limit = query.limit;
    if (limit !== undefined) {
      const r = await this.call("DescribeCertificates", () => this.client.DescribeCertificates({ ...base, Offset: start, Limit: limit }));
      return { totalCount: num(r.TotalCount), certificates: list(r.Certificates).map(mapCertificateSummary) };
    }
    const certificates: CertificateSummary[] = [];
    let totalCount = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const offset = start + certificates.length;
      const r = await this.call("DescribeCertificates", () => this.client.DescribeCertificates({ ...base, Offset: offset, Limit: MAX_CERT_PAGE }));
      const items = list(r.Certificates);
      totalCount = num(r.TotalCount, items.length);
      certificates.push(...items.map(mapCertificateSummary));
      if (items.length === 0 || items.length < MAX_CERT_PAGE || start + certificates.length >= totalCount) break;
    }
    return { totalCount, certificates };
  }

  async getCertificate(certificateId: string): Promise<Certificate> {
    const r = await this.call("DescribeCertificateDetail", () => this.client.DescribeCertificateDetail({ CertificateId: certificateId }));
    const cert = mapCertificateDetail(r);
    return cert.certificateId === "" ? { ...cert, certificateId } : cert;
  }

  /** Usable packages only (`Status: "usable"`, checked again on our side), all pages. */
  async listPackages(): Promise<readonly BenefitPackage[]> {
    const packages: BenefitPackage[] = [];
    let seen = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const offset = seen;
      const r = await this.call("DescribePackages", () => this.client.DescribePackages({ Status: "usable", Offset: offset, Limit: PACKAGE_PAGE }));
      const items = list(r.Packages);
      seen += items.length;
      packages.push(...items.map(mapPackage).filter((p) => p.status === "" || p.status === "usable"));
      if (items.length < PACKAGE_PAGE || seen >= num(r.TotalCount, seen)) break;
    }
    return packages;
  }

  /**
   * PAID. Sent exactly once: never retried here, whatever happens. When the
   * outcome is unknown (network, timeout, Tencent-side error, an answer without
   * an id) the error is resumable and says to re-read the old certificate's
   * renewal link before anything else.
   */
  async renewByPackage(request: RenewByPackageRequest): Promise<string> {
    const old = request.oldCertificateId;
    if (request.csrMethod === "upload" && (request.csrPem === undefined || request.csrPem.trim() === "")) {
      throw new InvalidInputError("csrPem", "tencent: CreateCertificateByPackage: csrMethod \"upload\" needs csrPem (a PEM CSR); use \"online\" or \"original\" to renew without one.");
    }
    const req = {
      ProductPid: request.productPid,
      PackageIds: [...request.packageIds],
      DomainCount: String(request.domainCount),
      Period: request.periodYears,
      OldCertificateId: old,
      RenewGenCsrMethod: request.csrMethod.toLowerCase(),
      ...(request.csrMethod === "upload" && request.csrPem !== undefined ? { RenewCsr: request.csrPem } : {}),
      ...(request.csrMethod === "online" && request.algorithmType !== undefined ? { RenewAlgorithmType: request.algorithmType } : {}),
      ...(request.csrMethod === "online" && request.algorithmParam !== undefined ? { RenewAlgorithmParam: request.algorithmParam } : {}),
      ...(request.verifyType !== undefined ? { VerifyType: request.verifyType } : {}),
    };
    const ambiguity =
      `The payment may have gone through: before trying again, read certificate ${old} and resume its renewal ` +
      "(CertificateExtra.RenewOrder / HasRenewOrder) if one exists.";
    let response;
    try {
      response = await this.call("CreateCertificateByPackage", () => this.client.CreateCertificateByPackage(req));
    } catch (e) {
      const lineage = { originalCertificateId: old, resumable: true, cause: e };
      if (isTransportError(e)) throw new TransportError(e.action, `${e.message}. ${ambiguity}`, { ...lineage, reach: e.reach });
      if (isTencentApiError(e) && (isServerErrorCode(e.code) || e.httpStatus >= 500)) {
        throw new TencentApiError(e.action, e.code, `${e.message}. ${ambiguity}`, { ...lineage, requestId: e.requestId, httpStatus: e.httpStatus });
      }
      throw e;
    }
    const id = newCertificateIdOf(response);
    if (id === "") {
      throw new TransportError("CreateCertificateByPackage", `tencent: CreateCertificateByPackage: the answer named no new CertificateId (RequestId ${response.RequestId ?? ""}). ${ambiguity}`, {
        originalCertificateId: old,
        resumable: true,
        reach: "answered",
      });
    }
    return id;
  }

  async submitOrder(certificateId: string, verifyType: "DNS_AUTO" | "DNS" | "FILE"): Promise<number> {
    const r = await this.call("CertificateOrderSubmit", () => this.client.CertificateOrderSubmit({ CertId: certificateId, VerifyType: verifyType }));
    return submittedStatusOf(r);
  }

  async completeCertificate(certificateId: string): Promise<void> {
    await this.call("CompleteCertificate", () => this.client.CompleteCertificate({ CertificateId: certificateId }));
  }

  async checkDomainVerification(certificateId: string): Promise<readonly DomainVerification[]> {
    const r = await this.call("CheckCertificateDomainVerification", () => this.client.CheckCertificateDomainVerification({ CertificateId: certificateId }));
    return mapDomainVerifications(r);
  }

  async cancelOrder(certificateId: string): Promise<void> {
    await this.call("CancelCertificateOrder", () => this.client.CancelCertificateOrder({ CertificateId: certificateId }));
  }

  async updateCertificateInstance(oldCertificateId: string, newCertificateId: string, targets: readonly DeployTarget[], content?: DeployContent): Promise<DeployStart> {
    const types = [...new Set(targets.map((t) => t.resourceType))];
    if (types.length === 0) {
      throw new InvalidInputError("deploy", "tencent: UpdateCertificateInstance: name at least one resource type to deploy to, e.g. { resourceType: \"clb\", regions: [\"ap-guangzhou\"] }.");
    }
    const regional = targets.filter((t) => t.regions.length > 0).map((t) => ({ ResourceType: t.resourceType, Regions: [...t.regions] }));
    const r = await this.call("UpdateCertificateInstance", () =>
      this.client.UpdateCertificateInstance({
        OldCertificateId: oldCertificateId,
        // By content for a key Tencent does not hold ("不传该参数，则公钥证书和私钥证书必传");
        // Repeatable: the certificate itself is already in the account ("若存在相同重复证书，则更新任务会失败").
        ...(content
          ? { CertificatePublicKey: content.fullchainPem, CertificatePrivateKey: content.privateKeyPem, Repeatable: true }
          : { CertificateId: newCertificateId }),
        ResourceTypes: types,
        ...(regional.length > 0 ? { ResourceTypesRegions: regional } : {}),
      }),
    );
    return mapDeployStart(r);
  }

  /** The intermediates of the nginx bundle in `DownloadCertificate`'s zip (the leaf and any key are dropped). */
  async downloadChain(certificateId: string): Promise<string> {
    const r = await this.call("DownloadCertificate", () => this.client.DownloadCertificate({ CertificateId: certificateId }));
    return chainFromBundleZip(str(r.Content));
  }

  async getDeployRecord(deployRecordId: number): Promise<DeployRecord> {
    const results: DeployResourceResult[] = [];
    let last;
    for (let page = 0; page < MAX_PAGES; page++) {
      const offset = page * DEPLOY_PAGE;
      last = await this.call("DescribeHostUpdateRecordDetail", () =>
        this.client.DescribeHostUpdateRecordDetail({ DeployRecordId: String(deployRecordId), Limit: String(DEPLOY_PAGE), Offset: String(offset) }),
      );
      const pageResults = deployResultsOf(last);
      results.push(...pageResults);
      if (pageResults.length < DEPLOY_PAGE || results.length >= num(last.TotalCount, results.length)) break;
    }
    return mapDeployRecord(deployRecordId, last, results);
  }
}
