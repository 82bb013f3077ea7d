/**
 * The seam between the emulator's HTTP front (server, TC3 auth, parameter
 * validation, faults, admin surface) and its Tencent back (per-account state,
 * the SSL and DNSPod action handlers, the CA, the status machine).
 *
 * One handler per action, named exactly as Tencent names it. A handler receives
 * already-authenticated, already-validated parameters (numeric strings are
 * already coerced where the request model says integer), and returns the
 * `Response` fields without `RequestId` (the server adds it), or throws
 * `ApiError` with a Tencent error code.
 */

import type { InferredRules } from "./rules";

export type ServiceName = "ssl" | "dnspod";

export const SERVICE_VERSIONS: Readonly<Record<ServiceName, string>> = {
  ssl: "2019-12-05",
  dnspod: "2021-03-23",
};

/** A Tencent error code and message, answered with HTTP 200 in `Response.Error`. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

export interface ActionContext {
  readonly service: ServiceName;
  readonly action: string;
  /** The account the SecretId belongs to. */
  readonly accountId: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The emulator's controllable clock. */
  now(): Date;
  /** Base URL of this emulator (for URLs it serves, e.g. certificate downloads). */
  readonly baseUrl: string;
}

export type ActionHandler = (ctx: ActionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type ActionTable = Readonly<Record<string, ActionHandler>>;

/** An account and its API key. State is kept per account. */
export interface SeedAccount {
  readonly accountId: string;
  readonly secretId: string;
  readonly secretKey: string;
  /** When set, requests must carry this `X-TC-Token` (temporary credentials). */
  readonly sessionToken?: string;
  /** ISO time after which the session token is expired (`AuthFailure.TokenFailure`). @default never */
  readonly sessionTokenExpiresAt?: string;
}

/** A resource bound to a certificate, the target of `UpdateCertificateInstance`. */
export interface SeedBoundResource {
  /** `clb`, `cdn`, ... */
  readonly resourceType: string;
  /** @default "ap-guangzhou" for regional types, "" for cdn */
  readonly region?: string;
  readonly instanceId: string;
  /** CLB listener id. @default "" */
  readonly listenerId?: string;
  /** CDN domain. @default "" */
  readonly domain?: string;
}

export interface SeedCertificate {
  /** @default a random 8-character id */
  readonly certificateId?: string;
  /** @default the first seeded account */
  readonly accountId?: string;
  /** Common name. */
  readonly domain: string;
  /** Extra SANs besides the common name. @default [] */
  readonly sans?: readonly string[];
  /** @default "DV" */
  readonly certType?: "DV" | "OV" | "EV";
  /** `IsVip`. @default true */
  readonly paid?: boolean;
  /** @default 1 (issued) */
  readonly status?: number;
  /** Days from the emulator's now until `CertEndTime`; negative for expired. @default 200 */
  readonly expiresInDays?: number;
  /** The product this certificate was bought as; a renewal must name it as `ProductPid`. @default 1013949 (DV), 1013955 (OV), 1013961 (EV) */
  readonly productPid?: number;
  /** `From`. @default "trustasia" */
  readonly from?: string;
  /** @default "" */
  readonly alias?: string;
  /** @default [] */
  readonly boundResources?: readonly SeedBoundResource[];
  /** Key of the seeded certificate's material. @default "RSA_2048" */
  readonly keyAlgorithm?: "RSA_2048" | "EC_P256";
  /** The id of an earlier seeded certificate this one renews: links both sides (`RenewOrder` / `OriginCertificateId`). @default none */
  readonly renewalOf?: string;
}

export interface SeedPackage {
  /** @default a random id */
  readonly packageId?: string;
  /** @default the first seeded account */
  readonly accountId?: string;
  /** @default "ssl_100" */
  readonly type?: string;
  readonly total: number;
  readonly balance: number;
  /** `usable` | `used` | `expired` | `refund`. @default "usable" */
  readonly status?: string;
  /** Days from now until the package expires. @default 365 */
  readonly expiresInDays?: number;
}

export interface SeedZone {
  /** @default the first seeded account */
  readonly accountId?: string;
  /** e.g. `example.com` */
  readonly zone: string;
}

export interface SeedSpec {
  readonly accounts?: readonly SeedAccount[];
  readonly certificates?: readonly SeedCertificate[];
  readonly packages?: readonly SeedPackage[];
  readonly zones?: readonly SeedZone[];
}

/** Tencent-side admin operations (stand-ins for the console and the CA). */
export interface BackendAdmin {
  seed(spec: SeedSpec): { certificateIds: string[]; packageIds: string[] };
  /** A documented preset, e.g. `demo`. */
  seedPreset(name: string): { certificateIds: string[]; packageIds: string[] };
  /** Stand-in for the console letter upload being accepted: status 8 -> 0 (inferred). */
  acceptLetter(certificateId: string): void;
  /** The CA rejects a certificate under review: -> status 2. */
  failReview(certificateId: string, reason?: string): void;
  /** Seconds between validation passing and issuance. @default 60 */
  setIssuanceDelay(seconds: number): void;
  /** Raw state of one certificate, for tests (no secrets are hidden: test use only). */
  inspectCertificate(certificateId: string): Record<string, unknown> | undefined;
  /** Raw DNSPod records of a zone. */
  inspectZone(zone: string, accountId?: string): Record<string, unknown>[];
  /** Raw packages of an account (balances). */
  inspectPackages(accountId?: string): Record<string, unknown>[];
}

export interface EmulatorBackend {
  readonly actions: Readonly<Record<ServiceName, ActionTable>>;
  findAccountBySecretId(secretId: string): SeedAccount | undefined;
  readonly admin: BackendAdmin;
  /** JSON-serializable state, for `--state-file`. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /**
   * Blobs the server serves without auth at `GET <baseUrl>/_emulator/download/<token>` (added by the
   * HTTP front, e.g. for `DescribeDownloadCertificateUrl`). `undefined` answers 404.
   * @default no downloads
   */
  readonly downloads?: EmulatorDownloads;
}

/** Downloadable blobs the backend registers; the token is the last path segment of the URL. */
export interface EmulatorDownloads {
  get(token: string): { contentType: string; body: Buffer } | undefined;
}

/** What `emulator/backend` exports for the server to compose. */
export type CreateBackend = (options: CreateBackendOptions) => EmulatorBackend;

export interface CreateBackendOptions {
  /** The emulator clock. */
  readonly now: () => Date;
  /**
   * The inferred-behaviour switches in force (read on every call: they change at runtime). A backend
   * that ignores them plays its own forms. @default the `default` profile's switches
   */
  readonly rules?: () => InferredRules;
}
