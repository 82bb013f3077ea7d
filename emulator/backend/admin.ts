/** Tencent-side admin operations: stand-ins for the console and the CA, plus emulator knobs. */
import type { BackendAdmin, SeedBoundResource, SeedSpec } from "../contract";
import { boundResourceOf, PRESETS, seed, type SeedResult } from "./seed";
import { acceptLetterNow } from "./order";
import { refreshAccount, STATUS } from "./status";
import type { BackendCore } from "./core";
import type { Settings } from "./state";

/** Admin operations beyond the contract's `BackendAdmin` (reported to the front engineer). */
export interface BackendAdminExtensions {
  /** 5 (default): renewals wait for CertificateOrderSubmit. "submitted": they start in 4 (DV) / 8 (OV, EV). */
  setRenewalInitialStatus(mode: 5 | "submitted"): void;
  /** Seconds a new DNSPod record stays invisible to DescribeRecordList. @default 0 */
  setDnsIndexDelay(seconds: number): void;
  /** Let UploadConfirmLetter succeed (8 -> 0) instead of answering UploadConfirmCertificateNotSupport. @default false */
  setUploadConfirmLetterAllowed(allowed: boolean): void;
  /** The first `calls` UpdateCertificateInstance calls per old/new pair answer DeployRecordId 0 ("call again"). @default 0 */
  setDeployRecordPendingCalls(calls: number): void;
  /** Seconds each bound resource takes to deploy. @default 5 */
  setDeploySecondsPerResource(seconds: number): void;
  /** Binds a cloud resource to a certificate (target of UpdateCertificateInstance). */
  bindResource(certificateId: string, resource: SeedBoundResource): void;
  /** Seconds a bound-resource sync task answers Status 0 (running) before 1 (done). @default 1 */
  setBindSyncSeconds(seconds: number): void;
  /**
   * Tasks created from now on report `message` as the `Error` of `region` (TotalCount 0, no instances) for
   * `resourceType`, or every type when omitted. An empty message clears it. @default no region errors
   */
  setBindResourceRegionError(region: string, message: string, resourceType?: string): void;
  /** Current knobs. */
  settings(): Settings;
}

export type FullBackendAdmin = BackendAdmin & BackendAdminExtensions;

function nonNegative(name: string, n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new Error(`emulator admin: ${name} must be a number >= 0, got ${n}`);
  return n;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The bound-resource task's knobs: how long a task runs, and scripted region errors. */
function bindAdmin(core: BackendCore): Pick<BackendAdminExtensions, "setBindSyncSeconds" | "setBindResourceRegionError"> {
  return {
    setBindSyncSeconds(seconds: number): void {
      core.state.settings.bindSyncSeconds = nonNegative("bind sync seconds", seconds);
    },
    setBindResourceRegionError(region: string, message: string, resourceType?: string): void {
      if (typeof region !== "string" || typeof message !== "string") throw new Error(`emulator admin: setBindResourceRegionError takes (region, message, resourceType?) strings, e.g. ("ap-shanghai", "InternalError: clb timed out")`);
      const key = `${resourceType?.toLowerCase() ?? "*"}|${region}`;
      const errors = { ...(core.state.settings.bindRegionErrors ?? {}) };
      if (message === "") delete errors[key];
      else errors[key] = message;
      core.state.settings.bindRegionErrors = errors;
    },
  };
}

export function createAdmin(core: BackendCore): FullBackendAdmin {
  const find = (certificateId: string) => {
    const hit = core.findCertificate(certificateId);
    if (!hit) throw new Error(`emulator admin: no certificate ${JSON.stringify(certificateId)}`);
    refreshAccount(core, hit.account, core.clock());
    return hit;
  };
  return {
    seed(spec: SeedSpec): SeedResult {
      return seed(core, spec, core.clock());
    },
    seedPreset(name: string): SeedResult {
      const spec = PRESETS[name];
      if (!spec) throw new Error(`emulator admin: unknown seed preset ${JSON.stringify(name)}; known: ${Object.keys(PRESETS).join(", ")}`);
      return seed(core, spec, core.clock());
    },
    acceptLetter(certificateId: string): void {
      const { cert } = find(certificateId);
      if (cert.status !== STATUS.PENDING_LETTER) {
        throw new Error(`emulator admin: certificate ${certificateId} is in status ${cert.status}; acceptLetter needs status 8`);
      }
      acceptLetterNow(cert, core.clock());
    },
    failReview(certificateId: string, reason?: string): void {
      const { cert } = find(certificateId);
      if (![STATUS.PENDING, STATUS.DNS_ADDED, STATUS.PENDING_LETTER, STATUS.PENDING_SUBMIT].includes(cert.status as 0 | 4 | 8 | 5)) {
        throw new Error(`emulator admin: certificate ${certificateId} is in status ${cert.status}; failReview needs a certificate under review (0, 4, 5 or 8)`);
      }
      cert.status = STATUS.REJECTED;
      cert.failReason = reason ?? "订单审核失败";
      cert.statusMsg = cert.failReason;
    },
    setIssuanceDelay(seconds: number): void {
      core.state.settings.issuanceDelaySeconds = nonNegative("issuance delay", seconds);
    },
    inspectCertificate(certificateId: string): Record<string, unknown> | undefined {
      const hit = core.findCertificate(certificateId);
      if (!hit) return undefined;
      refreshAccount(core, hit.account, core.clock());
      return clone(hit.cert) as unknown as Record<string, unknown>;
    },
    inspectZone(zone: string, accountId?: string): Record<string, unknown>[] {
      const account = core.state.accounts[accountId ?? core.defaultAccountId()];
      const z = account?.zones[zone.toLowerCase()];
      return z ? (clone(z.records) as unknown as Record<string, unknown>[]) : [];
    },
    inspectPackages(accountId?: string): Record<string, unknown>[] {
      const account = core.state.accounts[accountId ?? core.defaultAccountId()];
      return account ? (clone(Object.values(account.packages)) as unknown as Record<string, unknown>[]) : [];
    },
    setRenewalInitialStatus(mode: 5 | "submitted"): void {
      if (mode !== 5 && mode !== "submitted") throw new Error(`emulator admin: renewal initial status must be 5 or "submitted", got ${JSON.stringify(mode)}`);
      core.state.settings.renewalInitialStatus = mode;
    },
    setDnsIndexDelay(seconds: number): void {
      core.state.settings.dnsIndexDelaySeconds = nonNegative("DNS index delay", seconds);
    },
    setUploadConfirmLetterAllowed(allowed: boolean): void {
      core.state.settings.allowUploadConfirmLetter = allowed;
    },
    setDeployRecordPendingCalls(calls: number): void {
      core.state.settings.deployRecordPendingCalls = Math.floor(nonNegative("deploy pending calls", calls));
    },
    setDeploySecondsPerResource(seconds: number): void {
      core.state.settings.deploySecondsPerResource = nonNegative("deploy seconds per resource", seconds);
    },
    bindResource(certificateId: string, resource: SeedBoundResource): void {
      find(certificateId).cert.boundResources.push(boundResourceOf(resource));
    },
    ...bindAdmin(core),
    settings(): Settings {
      return { ...core.state.settings };
    },
  };
}
