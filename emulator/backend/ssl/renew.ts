/**
 * Paying for certificates: CreateCertificateByPackage (the renewal, with
 * OldCertificateId) and CreateCertificate (a plain purchase).
 */
import type {
  CreateCertificateByPackageRequest,
  CreateCertificateByPackageResponse,
  CreateCertificateRequest,
  CreateCertificateResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { emptyKey, insertCertificate, newCertificate, newCertificateId } from "../factory";
import { hexToken } from "../ids";
import { keyFor, parseAlgorithm, parseCsrMethod, type KeyRequest } from "../keymodes";
import { submitOrder, VERIFY_TYPES } from "../order";
import { checkPayment, consume } from "../packages";
import { DEFAULT_PRODUCT_PID, pricePoints, productOf, PRODUCTS, type Product } from "../products";
import type { InferredRules } from "../../rules";
import { inRenewalWindow, liveRenewal, STATUS } from "../status";
import { domainNumber } from "../views";
import { handler, optionalInt } from "../wire";
import type { AccountState, CertificateRecord } from "../state";

function checkRenewable(account: AccountState, old: CertificateRecord, now: Date, rules: InferredRules): void {
  if (!old.isVip || old.source !== "buy") {
    throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${old.id} is not a paid certificate and cannot be renewed with benefit points.`);
  }
  const existing = liveRenewal(account, old);
  // INFERRED (rule secondRenewal): Tencent does not document a second renewal of the same certificate;
  // "refused" answers it before paying, "accepted" buys and charges another renewal.
  if (existing && rules.secondRenewal === "refused") {
    throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${old.id} already has a renewal order: RenewOrder ${existing.id} (status ${existing.status}). Resume that certificate instead of renewing again.`);
  }
  if (!inRenewalWindow(old, now)) {
    throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `Certificate ${old.id} cannot be renewed now (status ${old.status}, ends ${old.notAfter ?? "-"}): renewal opens 30 days before expiry for issued paid certificates.`);
  }
}

export function renewHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    CreateCertificateByPackage: handler<CreateCertificateByPackageRequest, CreateCertificateByPackageResponse>(core, async ({ req, account, now }) => {
      const period = optionalInt(req.Period, "Period", 1);
      if (period !== 1) throw new ApiError("InvalidParameter.PeriodInvalid", `Period must be 1 for a renewal (years), got ${period}.`);
      const product = productOf(Number(req.ProductPid));
      if (!product) throw new ApiError("InvalidParameter.ProductPidInvalid", `Unknown ProductPid ${JSON.stringify(req.ProductPid)}.`);
      const verifyType = req.VerifyType ?? "DNS";
      if (!VERIFY_TYPES.includes(verifyType)) throw new ApiError("InvalidParameter", `VerifyType must be one of ${VERIFY_TYPES.join(", ")}, got ${JSON.stringify(verifyType)}.`);

      if (req.OldCertificateId === undefined || req.OldCertificateId === "") {
        return purchase(core, account, req, product.pid, now);
      }

      const old = certificateOf(account, req.OldCertificateId);
      checkRenewable(account, old, now, core.rules());
      if (old.productPid !== product.pid) {
        throw new ApiError("InvalidParameter.ProductPidInvalid", `ProductPid ${product.pid} does not match the product of certificate ${old.id} (${old.productPid}).`);
      }
      const count = domainNumber(old);
      const requested = typeof req.DomainCount === "string" ? req.DomainCount.trim() : String(req.DomainCount ?? "");
      if (!/^\d+$/.test(requested) || Number(requested) !== count) {
        throw new ApiError("InvalidParameter.DomainCountInvalid", `DomainCount must be "${count}" (the DomainNumber of certificate ${old.id}), got ${JSON.stringify(req.DomainCount ?? null)}.`);
      }
      const method = parseCsrMethod(req.RenewGenCsrMethod, "InvalidParameter.RenewGenCsrMethodInvalid", "original");
      const price = pricePoints(product, count, period);
      checkPayment(account, req.PackageIds, price, now); // fail fast, before the slow key work

      const keyReq: KeyRequest = {
        method,
        csrPem: req.RenewCsr,
        keyPass: req.RenewKeyPass,
        ...(method === "online" ? { algorithm: parseAlgorithm(req.RenewAlgorithmType, req.RenewAlgorithmParam, "InvalidParameter.RenewAlgorithmInvalid") } : {}),
      };
      const key = await keyFor(old, keyReq, "InvalidParameter.RenewCsrInvalid");

      // Re-check after the await: another call may have renewed or spent meanwhile. Then commit synchronously.
      checkRenewable(account, old, now, core.rules());
      const pkgs = checkPayment(account, req.PackageIds, price, now);
      consume(pkgs, price, now);
      const cert = newCertificate({
        id: newCertificateId(account),
        productPid: product.pid,
        certType: product.certType,
        domain: old.domain,
        sans: old.sans,
        status: STATUS.PENDING_SUBMIT,
        insertTime: now,
        key,
        from: old.from,
        alias: old.alias,
        verifyType,
        periodYears: period,
      });
      cert.originCertificateId = old.id;
      cert.carryFromNotAfter = old.notAfter;
      cert.companyType = old.companyType;
      cert.submitted = old.submitted ? { ...old.submitted, verifyType } : null;
      // Inferred rule `renewalKeepsInfo: false`: an OV/EV renewal does not carry the old data.
      if (!core.rules().renewalKeepsInfo && cert.certType !== "DV") {
        cert.submitted = null;
        cert.needsInfo = true;
      }
      cert.pointsPaid = price;
      cert.packageIds = pkgs.map((p) => p.packageId);
      old.renewOrder = cert.id;
      insertCertificate(account, cert);
      if (core.state.settings.renewalInitialStatus === "submitted") {
        submitOrder(core, account, cert, verifyType, now, false);
      }
      return { CertificateId: cert.id, CertificateIds: [cert.id] };
    }),

    CreateCertificate: handler<CreateCertificateRequest, CreateCertificateResponse>(core, ({ req, account, now }) => {
      const product = productForProductId(Number(req.ProductId));
      if (!product) throw new ApiError("InvalidParameter", `Unknown ProductId ${JSON.stringify(req.ProductId)}.`);
      const ids: string[] = [];
      const timeSpan = optionalInt(req.TimeSpan, "TimeSpan", 1);
      const cert = newCertificate({ id: newCertificateId(account), productPid: product.pid, certType: product.certType, domain: "", sans: [], status: STATUS.PENDING_SUBMIT, insertTime: now, key: emptyKey(), periodYears: timeSpan });
      insertCertificate(account, cert);
      ids.push(cert.id);
      return { CertificateIds: ids, DealIds: [`2020${hexToken(8)}`], ResourceIds: [] };
    }),
  };
}

/**
 * `CreateCertificate.ProductId` is in the `PackageType` code space (3..105), whose mapping to products
 * is undocumented: a known PackageType maps to its product, a 7-digit PID is taken as is, and any
 * other code in 3..105 buys a DNSPod DV certificate (INFERRED).
 */
function productForProductId(productId: number): Product | undefined {
  if (!Number.isInteger(productId)) return undefined;
  const direct = productOf(productId);
  if (direct) return direct;
  const byType = [...PRODUCTS.values()].find((p) => p.packageType === String(productId));
  if (byType) return byType;
  return productId >= 3 && productId <= 105 ? productOf(DEFAULT_PRODUCT_PID.DV) : undefined;
}

/** CreateCertificateByPackage without OldCertificateId: a new order in status 5 per certificate. */
function purchase(core: BackendCore, account: AccountState, req: Partial<CreateCertificateByPackageRequest>, pid: number, now: Date) {
  const product = productOf(pid);
  if (!product) throw new ApiError("InvalidParameter.ProductPidInvalid", `Unknown ProductPid ${pid}.`);
  const count = Number(req.DomainCount ?? "1");
  if (!Number.isInteger(count) || count < 1) throw new ApiError("InvalidParameter.DomainCountInvalid", `DomainCount must be a positive integer string, got ${JSON.stringify(req.DomainCount ?? null)}.`);
  const n = optionalInt(req.CertificateCount, "CertificateCount", 1);
  const price = pricePoints(product, count, 1) * n;
  const pkgs = checkPayment(account, req.PackageIds, price, now);
  consume(pkgs, price, now);
  const domains = (req.DomainNames ?? "").split(",").map((d) => d.trim()).filter((d) => d !== "");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const cert = newCertificate({
      id: newCertificateId(account), productPid: pid, certType: product.certType, domain: domains[0] ?? "", sans: domains.slice(1),
      status: STATUS.PENDING_SUBMIT, insertTime: now, key: emptyKey(), verifyType: req.VerifyType ?? null,
    });
    cert.pointsPaid = price / n;
    cert.packageIds = pkgs.map((p) => p.packageId);
    insertCertificate(account, cert);
    ids.push(cert.id);
  }
  void core;
  return { CertificateId: ids[0] ?? null, CertificateIds: ids };
}
