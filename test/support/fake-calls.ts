/**
 * The in-memory fake's call log and scripted faults (test/support/fake-tencent.ts).
 * Faults are scripted per method, never random: "throw this error for the next N
 * calls", optionally AFTER the call committed (the state change happened, the
 * answer was lost).
 */
import type { DnsApi, SslApi } from "../../engine/ports";
import { TencentApiError, TransportError } from "../../engine/errors";

export type FakeMethod = keyof SslApi | keyof DnsApi;

/** Methods that spend money or change Tencent state. */
export const FAKE_MUTATING: readonly FakeMethod[] = [
  "renewByPackage",
  "submitOrder",
  "completeCertificate",
  "cancelOrder",
  "updateCertificateInstance",
  "createRecord",
  "deleteRecord",
];

/** Tencent's action name for each method, for the errors the fake raises. */
export const ACTION: Readonly<Record<FakeMethod, string>> = {
  listCertificates: "DescribeCertificates",
  getCertificate: "DescribeCertificateDetail",
  listPackages: "DescribePackages",
  renewByPackage: "CreateCertificateByPackage",
  submitOrder: "CertificateOrderSubmit",
  completeCertificate: "CompleteCertificate",
  checkDomainVerification: "CheckCertificateDomainVerification",
  cancelOrder: "CancelCertificateOrder",
  updateCertificateInstance: "UpdateCertificateInstance",
  getDeployRecord: "DescribeHostUpdateRecordDetail",
  downloadChain: "DownloadCertificate",
  listZones: "DescribeDomainList",
  listRecords: "DescribeRecordList",
  createRecord: "CreateRecord",
  deleteRecord: "DeleteRecord",
};

export interface CallRecord {
  readonly method: FakeMethod;
  readonly args: readonly unknown[];
  /** True when the call returned normally. */
  readonly ok: boolean;
  /** True when the state change happened (also when an after-commit fault then threw). */
  readonly committed: boolean;
  readonly error?: unknown;
}

export interface FaultOptions {
  /** How many calls fail. @default 1 */
  readonly times?: number;
  /** Let this many calls through first. @default 0 */
  readonly skip?: number;
  /** Throw AFTER the call did its work (committed, answer lost). @default false (throw before, nothing done) */
  readonly afterCommit?: boolean;
}

interface Fault {
  readonly error: unknown;
  skip: number;
  times: number;
  readonly afterCommit: boolean;
}

export class FakeCalls {
  readonly log: CallRecord[] = [];
  private readonly faults = new Map<FakeMethod, Fault[]>();

  /** Script a fault: the next `times` calls of `method` (after `skip`) throw `error`. */
  fail(method: FakeMethod, error: unknown, options: FaultOptions = {}): void {
    const list = this.faults.get(method) ?? [];
    list.push({ error, skip: options.skip ?? 0, times: options.times ?? 1, afterCommit: options.afterCommit ?? false });
    this.faults.set(method, list);
  }

  /** Calls of `method` (every call by default; `okOnly` counts only those that returned). */
  count(method: FakeMethod, okOnly = false): number {
    return this.log.filter((c) => c.method === method && (!okOnly || c.ok)).length;
  }

  /** Calls of the methods that spend money or change state. */
  mutating(): number {
    return this.log.filter((c) => FAKE_MUTATING.includes(c.method)).length;
  }

  /** Arguments of each call of `method`, in order. */
  argsOf(method: FakeMethod): (readonly unknown[])[] {
    return this.log.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Runs one call: logs it, and applies the first scripted fault for the method, if any. */
  async run<T>(method: FakeMethod, args: readonly unknown[], work: () => Promise<T> | T): Promise<T> {
    const fault = this.take(method);
    if (fault && !fault.afterCommit) {
      this.log.push({ method, args, ok: false, committed: false, error: fault.error });
      throw fault.error;
    }
    let result: T;
    try {
      result = await work();
    } catch (e) {
      this.log.push({ method, args, ok: false, committed: false, error: e });
      throw e;
    }
    if (fault) {
      this.log.push({ method, args, ok: false, committed: true, error: fault.error });
      throw fault.error;
    }
    this.log.push({ method, args, ok: true, committed: true });
    return result;
  }

  private take(method: FakeMethod): Fault | undefined {
    const list = this.faults.get(method) ?? [];
    const fault = list[0];
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip--;
      return undefined;
    }
    if (--fault.times <= 0) list.shift();
    return fault;
  }
}

/** A Tencent error answer (`Response.Error`). `httpStatus` ≥ 500 makes it transient. */
export function tencentError(method: FakeMethod, code: string, httpStatus = 200): TencentApiError {
  return new TencentApiError(ACTION[method], code, `tencent: ${ACTION[method]} failed: ${code} (fake)`, { requestId: "fake-request", httpStatus });
}

/** HTTP 500 InternalError: transient, outcome unknown. */
export function serverError(method: FakeMethod): TencentApiError {
  return tencentError(method, "InternalError", 500);
}

/** Timeout or reset: the request may still be running at Tencent. */
export function noAnswer(method: FakeMethod): TransportError {
  return new TransportError(ACTION[method], `tencent: ${ACTION[method]}: socket hang up (fake)`, { reach: "no-answer" });
}

/** Connection refused: the request never reached Tencent. */
export function notSent(method: FakeMethod): TransportError {
  return new TransportError(ACTION[method], `tencent: ${ACTION[method]}: connect ECONNREFUSED (fake)`, { reach: "not-sent" });
}
