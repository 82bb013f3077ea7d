/**
 * `TencentProbe` (engine/probe-port.ts) over the real SDK: raw answers of READ actions only, and the
 * server's `Date` header. The table below is the whole list of what it can send; an action that is
 * not in the engine's `PROBE_READ_ACTIONS` is refused before anything leaves this machine.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { Client as DnspodClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_client";
import type { DescribeDomainListRequest, DescribeRecordListRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/dnspod/v20210323/dnspod_models";
import type { Client as SslClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client";
import type {
  CheckCertificateDomainVerificationRequest,
  DescribeCertificateDetailRequest,
  DescribeCertificatesRequest,
  DescribeHostUpdateRecordDetailRequest,
  DescribePackagesRequest,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { InvalidInputError, isRenewalError } from "../engine/errors";
import { isProbeReadAction, PROBE_READ_ACTIONS, type ProbeService, type ProbeTarget, type RawAnswer, type RawObject, type ServerTime, type TencentProbe } from "../engine/probe-port";
import type { Caller } from "./call";
import { redact } from "./credentials";
import { realHost, type EndpointOverride, type Site } from "./endpoint";

type Sender = (input: RawObject) => Promise<unknown>;

/** Every request the probe can make: read actions, one line each. */
function senders(ssl: SslClient, dnspod: DnspodClient): Readonly<Record<ProbeService, Readonly<Record<string, Sender>>>> {
  return {
    ssl: {
      DescribeCertificates: (i) => ssl.DescribeCertificates(i as DescribeCertificatesRequest),
      DescribeCertificateDetail: (i) => ssl.DescribeCertificateDetail(i as unknown as DescribeCertificateDetailRequest),
      DescribePackages: (i) => ssl.DescribePackages(i as DescribePackagesRequest),
      CheckCertificateDomainVerification: (i) => ssl.CheckCertificateDomainVerification(i as unknown as CheckCertificateDomainVerificationRequest),
      DescribeHostUpdateRecordDetail: (i) => ssl.DescribeHostUpdateRecordDetail(i as unknown as DescribeHostUpdateRecordDetailRequest),
    },
    dnspod: {
      DescribeDomainList: (i) => dnspod.DescribeDomainList(i as DescribeDomainListRequest),
      DescribeRecordList: (i) => dnspod.DescribeRecordList(i as unknown as DescribeRecordListRequest),
    },
  };
}

/** A plain JSON copy of an SDK answer. */
function plain(value: unknown): RawObject {
  return typeof value === "object" && value !== null ? (JSON.parse(JSON.stringify(value)) as RawObject) : {};
}

function errorOf(e: unknown): NonNullable<RawAnswer["error"]> {
  const fields = e as { code?: unknown; requestId?: unknown };
  const code = typeof fields.code === "string" && fields.code !== "" ? fields.code : isRenewalError(e) ? e.kind : "Error";
  return { code, message: e instanceof Error ? e.message : String(e), requestId: typeof fields.requestId === "string" ? fields.requestId : "" };
}

export interface ProbeSettings {
  readonly ssl: SslClient;
  readonly dnspod: DnspodClient;
  readonly call: Readonly<Record<ProbeService, Caller>>;
  readonly endpoint: EndpointOverride | null;
  readonly site: Site;
  readonly secretId: string;
  /** @default 10 */
  readonly timeoutSeconds?: number;
}

/** GET / on `host`, for its `Date` header; the body is ignored. */
function dateHeader(s: ProbeSettings, host: string): Promise<ServerTime> {
  const sentAt = new Date();
  const o = s.endpoint;
  const request = o === null || o.protocol === "https" ? https.request : http.request;
  const options: https.RequestOptions = o === null
    ? { hostname: host, port: 443, path: "/", method: "GET" }
    : { hostname: o.host, port: o.port, path: "/", method: "GET", headers: { host: `${host}:${o.port}` }, ...(o.protocol === "https" ? { servername: host } : {}) };
  return new Promise((resolve) => {
    const done = (serverDate: Date | null, detail: string) => resolve({ serverDate, sentAt, receivedAt: new Date(), host, detail });
    const req = request({ ...options, timeout: (s.timeoutSeconds ?? 10) * 1000 }, (res) => {
      const raw = res.headers.date;
      res.resume();
      const parsed = raw === undefined ? NaN : Date.parse(raw);
      done(Number.isFinite(parsed) ? new Date(parsed) : null, Number.isFinite(parsed) ? "" : `the answer had no readable Date header (${JSON.stringify(raw ?? null)})`);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${s.timeoutSeconds ?? 10} s`)));
    req.on("error", (e) => done(null, `tencent: could not reach ${host}: ${e.message}`));
    req.end();
  });
}

export function createProbe(s: ProbeSettings): TencentProbe {
  const table = senders(s.ssl, s.dnspod);
  const target: ProbeTarget = {
    site: s.site,
    sslHost: realHost("ssl", s.site),
    dnspodHost: realHost("dnspod", s.site),
    override: s.endpoint?.origin ?? null,
    secretId: redact(s.secretId),
  };
  return {
    target,
    async read(service, action, input) {
      const send = isProbeReadAction(service, action) ? table[service][action] : undefined;
      if (send === undefined) {
        const allowed = [...PROBE_READ_ACTIONS.ssl.map((a) => `ssl.${a}`), ...PROBE_READ_ACTIONS.dnspod.map((a) => `dnspod.${a}`)].join(", ");
        throw new InvalidInputError("action", `tencent: probe: ${service}.${action} is not a read action, so it was not sent. The probe sends only ${allowed}.`);
      }
      try {
        const output = await s.call[service](action, () => send(input));
        return { service, action, input, output: plain(output), error: null };
      } catch (e) {
        return { service, action, input, output: null, error: errorOf(e) };
      }
    },
    serverTime: () => dateHeader(s, target.sslHost),
  };
}
