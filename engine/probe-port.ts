/**
 * A READ-ONLY port onto Tencent's raw answers, for `tccert doctor`, the canary's observations and
 * the live contract suite. It sends only the read actions listed in `PROBE_READ_ACTIONS`; any other
 * action is refused before anything is sent (`InvalidInputError`), so nothing that uses this port can
 * pay or change anything at Tencent. Answers come back as Tencent sent them (the `Response` object,
 * PascalCase, nothing mapped), because checking Tencent's own shape is the point.
 */

export type ProbeService = "ssl" | "dnspod";

/** The only actions a probe sends: reads. `ssl` is ssl/v20191205, `dnspod` is dnspod/v20210323. */
export const PROBE_READ_ACTIONS = {
  ssl: ["DescribeCertificates", "DescribeCertificateDetail", "DescribePackages", "CheckCertificateDomainVerification", "DescribeHostUpdateRecordDetail"],
  dnspod: ["DescribeDomainList", "DescribeRecordList"],
} as const satisfies Readonly<Record<ProbeService, readonly string[]>>;

export type ProbeAction<S extends ProbeService = ProbeService> = (typeof PROBE_READ_ACTIONS)[S][number];

/** Whether `action` of `service` is one the probe may send. */
export function isProbeReadAction(service: string, action: string): boolean {
  const list = (PROBE_READ_ACTIONS as Readonly<Record<string, readonly string[]>>)[service];
  return list !== undefined && list.includes(action);
}

/** A JSON object as Tencent sent it. */
export type RawObject = Readonly<Record<string, unknown>>;

/** One raw answer. Exactly one of `output` and `error` is set. */
export interface RawAnswer {
  readonly service: ProbeService;
  readonly action: string;
  /** The request as sent. */
  readonly input: RawObject;
  /** `Response` without `Error` (with its `RequestId`); null when the call failed. */
  readonly output: RawObject | null;
  /** Why the call failed: Tencent's code (`AuthFailure.UnauthorizedOperation`...), or `Transport` for the network. */
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string } | null;
}

/** The server's `Date` header and when this machine (its wall clock) sent and received the request. */
export interface ServerTime {
  /** null when the header was missing or unreadable (then `detail` says why). */
  readonly serverDate: Date | null;
  readonly sentAt: Date;
  readonly receivedAt: Date;
  /** The host asked. */
  readonly host: string;
  /** "" when all went well; otherwise what went wrong, e.g. the network error. */
  readonly detail: string;
}

/** Where the probe's requests go. */
export interface ProbeTarget {
  readonly site: "cn" | "intl";
  readonly sslHost: string;
  readonly dnspodHost: string;
  /** The endpoint override's origin (the emulator), or null for Tencent's own endpoints. */
  readonly override: string | null;
  /** The SecretId in use, redacted (`AKID…abcd`); never the key. */
  readonly secretId: string;
}

export interface TencentProbe {
  readonly target: ProbeTarget;
  /**
   * Read. Sends `action` with `input` and returns the raw answer; a Tencent error or a network
   * failure is returned in `error`, never thrown.
   * @throws InvalidInputError before sending anything, when `action` is not in `PROBE_READ_ACTIONS`.
   */
  read(service: ProbeService, action: string, input: RawObject): Promise<RawAnswer>;
  /** Read. The server's `Date` header (for clock skew); no Tencent action is called. Never throws. */
  serverTime(): Promise<ServerTime>;
}
