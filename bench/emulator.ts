/**
 * Emulator throughput and latency, as ratios against a baseline measured in the same run: a bare
 * `node:http` server answering a fixed JSON body. Three runs, all over keep-alive loopback agents with
 * the same concurrency, client and server in this process:
 *   1. baseline: unsigned POSTs to the bare server;
 *   2. emulator, requests signed here with node:crypto (TC3), full pipeline: routing, auth,
 *      validation against the SDK model, handler, call log;
 *   3. emulator through the real Tencent SDK client (SDK overhead included);
 *   4. signed requests against the bundled backend seeded with `demo` (DescribeCertificateDetail of
 *      an issued certificate, the backend's own cost included).
 * Runs 1-3 use a fixed-answer backend, so their figures are the HTTP front's. Throttle is off.
 * Goal: >= 1,000 signed req/s and p99 < 20 ms.
 *
 * Run: `npm run build && node dist/bench/emulator.js [--requests N] [--concurrency N]`.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { startEmulator } from "../emulator";
import { DEMO_ACCOUNT, DEMO_IDS } from "../emulator/backend";
import { ApiError, type CreateBackend, type SeedAccount } from "../emulator/contract";
import { loopbackAgent, sdkHttpProfile } from "../emulator/sdk-profile";
import { signRequest } from "../emulator/tc3";

export interface LoadFigures {
  readonly requests: number;
  readonly failures: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface EmulatorBenchResult {
  readonly name: "emulator";
  readonly concurrency: number;
  readonly baseline: LoadFigures;
  readonly signed: LoadFigures;
  readonly sdk: LoadFigures;
  /** Signed DescribeCertificateDetail against the bundled backend seeded with `demo` (the backend's cost included). */
  readonly bundled: LoadFigures;
  /** Requests per second of each emulator run divided by the baseline's. */
  readonly ratios: { readonly signedRps: number; readonly sdkRps: number; readonly bundledRps: number; readonly signedP99: number; readonly sdkP99: number; readonly bundledP99: number };
  readonly goal: { readonly minSignedRps: number; readonly maxP99Ms: number; readonly met: boolean };
}

export interface EmulatorBenchOptions {
  /** Measured requests per run (the SDK run does half). @default 4000 */
  readonly requests?: number;
  /** @default 16 */
  readonly concurrency?: number;
  /** Unmeasured requests before each run. @default 300 */
  readonly warmup?: number;
}

const ACCOUNT: SeedAccount = { accountId: "bench", secretId: "AKIDbenchbenchbench01", secretKey: "bench-secret-key" };

/** What a realistic DescribeCertificateDetail answer weighs (about 1 KB). */
const DETAIL: Record<string, unknown> = {
  OwnerUin: "100000000001",
  ProjectId: "0",
  From: "trustasia",
  CertificateType: "SVR",
  PackageType: "2",
  ProductZhName: "TrustAsia TLS RSA CA",
  Domain: "bench.example.com",
  Alias: "",
  Status: 1,
  StatusMsg: "",
  VerifyType: "DNS",
  VulnerabilityStatus: "INACTIVE",
  CertBeginTime: "2025-01-01 08:00:00",
  CertEndTime: "2026-01-01 07:59:59",
  ValidityPeriod: "12",
  InsertTime: "2025-01-01 07:50:00",
  OrderId: "bench-order-0001",
  CertificateExtra: { DomainNumber: "1", OriginCertificateId: "", ReplacedBy: "", ReplacedFor: "", RenewOrder: "", SMCert: 0, CompanyType: 0 },
  DvAuthDetail: { DvAuthKey: "", DvAuthValue: "", DvAuthDomain: "", DvAuthPath: "", DvAuthKeySubDomain: "", DvAuths: [] },
  SubjectAltName: ["bench.example.com", "www.bench.example.com"],
  IsVip: true,
  IsWildcard: false,
  IsDv: true,
  IsVulnerability: false,
  RenewAble: false,
  Tags: [],
  RootCert: null,
  EncryptCert: "",
  EncryptPrivateKey: "",
  CertFingerprint: "4B:6C:3A:FA:9D:0C:22:65:A7:93:55:08:8E:A4:34:23:10:1A:3E:9E",
  EncryptCertFingerprint: "",
  EncryptAlgorithm: "RSA",
  DvRevokeAuthDetail: [],
  CertChainInfo: [],
};

const benchBackend: CreateBackend = () => ({
  actions: {
    ssl: {
      DescribeCertificateDetail: ({ params }) => {
        if (params["CertificateId"] !== "benchcert") throw new ApiError("FailedOperation.CertificateNotFound", "证书不存在。");
        return { ...DETAIL, CertificateId: "benchcert" };
      },
    },
    dnspod: {},
  },
  findAccountBySecretId: (id) => (id === ACCOUNT.secretId ? ACCOUNT : undefined),
  admin: {
    seed: () => ({ certificateIds: [], packageIds: [] }),
    seedPreset: () => ({ certificateIds: [], packageIds: [] }),
    acceptLetter: () => undefined,
    failReview: () => undefined,
    setIssuanceDelay: () => undefined,
    inspectCertificate: () => undefined,
    inspectZone: () => [],
    inspectPackages: () => [],
  },
  snapshot: () => ({}),
  restore: () => undefined,
});

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs `send` `total` times with `concurrency` workers; `send` resolves true on success. */
async function load(send: () => Promise<boolean>, total: number, concurrency: number): Promise<LoadFigures> {
  const latencies: number[] = [];
  let started = 0;
  let failures = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      const t = performance.now();
      let ok = false;
      try {
        ok = await send();
      } catch {
        ok = false;
      }
      latencies.push(performance.now() - t);
      if (!ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, failures, seconds, rps: total / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function post(agent: http.Agent, port: number, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/", agent, headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function startBaseline(): Promise<{ port: number; close: () => Promise<void> }> {
  const payload = JSON.stringify({ Response: { ...DETAIL, CertificateId: "benchcert", RequestId: "00000000-0000-4000-8000-000000000000" } });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function run(options: EmulatorBenchOptions = {}): Promise<EmulatorBenchResult> {
  const total = options.requests ?? 4000;
  const concurrency = options.concurrency ?? 16;
  const warmup = options.warmup ?? 300;
  const body = JSON.stringify({ CertificateId: "benchcert" });
  const isOk = (text: string): boolean => text.includes('"CertificateId":"benchcert"');

  const baselineServer = await startBaseline();
  const baselineAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const baselineSend = async (): Promise<boolean> => isOk(await post(baselineAgent, baselineServer.port, { "Content-Type": "application/json" }, body));
  await load(baselineSend, warmup, concurrency);
  const baseline = await load(baselineSend, total, concurrency);
  baselineAgent.destroy();
  await baselineServer.close();

  const emu = await startEmulator({ backend: benchBackend, throttle: false, log: () => {} });
  try {
    const agent = loopbackAgent({ keepAlive: true, maxSockets: concurrency });
    const host = emu.endpoint("ssl");
    const signedSend = async (): Promise<boolean> => {
      const headers = signRequest({ secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, service: "ssl", host, action: "DescribeCertificateDetail", version: "2019-12-05", body });
      return isOk(await post(agent, emu.port, headers, body));
    };
    await load(signedSend, warmup, concurrency);
    emu.admin.resetCalls();
    const signed = await load(signedSend, total, concurrency);
    const okCalls = emu.admin.calls().okCounts["ssl.DescribeCertificateDetail"] ?? 0;
    if (okCalls !== total - signed.failures) throw new Error(`bench: the call log counted ${okCalls} ok calls, expected ${total - signed.failures}`);

    const client = new tencentcloud.ssl.v20191205.Client({
      credential: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey },
      profile: { httpProfile: sdkHttpProfile(emu.port, "ssl", loopbackAgent({ keepAlive: true, maxSockets: concurrency })) },
    });
    const sdkSend = async (): Promise<boolean> => (await client.DescribeCertificateDetail({ CertificateId: "benchcert" })).CertificateId === "benchcert";
    await load(sdkSend, warmup, concurrency);
    const sdk = await load(sdkSend, Math.max(1, Math.floor(total / 2)), concurrency);
    agent.destroy();

    const bundled = await runBundled(total, concurrency, warmup);
    const goal = { minSignedRps: 1000, maxP99Ms: 20, met: signed.rps >= 1000 && signed.p99Ms < 20 && signed.failures === 0 };
    return {
      name: "emulator",
      concurrency,
      baseline,
      signed,
      sdk,
      bundled,
      ratios: {
        signedRps: signed.rps / baseline.rps,
        sdkRps: sdk.rps / baseline.rps,
        bundledRps: bundled.rps / baseline.rps,
        signedP99: signed.p99Ms / baseline.p99Ms,
        sdkP99: sdk.p99Ms / baseline.p99Ms,
        bundledP99: bundled.p99Ms / baseline.p99Ms,
      },
      goal,
    };
  } finally {
    await emu.close();
  }
}

async function runBundled(total: number, concurrency: number, warmup: number): Promise<LoadFigures> {
  const emu = await startEmulator({ seed: "demo", throttle: false, log: () => {} });
  try {
    const agent = loopbackAgent({ keepAlive: true, maxSockets: concurrency });
    const host = emu.endpoint("ssl");
    const body = JSON.stringify({ CertificateId: DEMO_IDS.blog });
    const send = async (): Promise<boolean> => {
      const headers = signRequest({ secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey, service: "ssl", host, action: "DescribeCertificateDetail", version: "2019-12-05", body });
      return (await post(agent, emu.port, headers, body)).includes(`"CertificateId":"${DEMO_IDS.blog}"`);
    };
    await load(send, warmup, concurrency);
    const figures = await load(send, total, concurrency);
    agent.destroy();
    return figures;
  } finally {
    await emu.close();
  }
}

export function format(r: EmulatorBenchResult): string {
  const line = (label: string, f: LoadFigures, extra = ""): string =>
    `${label.padEnd(34)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50Ms.toFixed(2).padStart(6)} ms   p99 ${f.p99Ms.toFixed(2).padStart(6)} ms   failures ${f.failures}${extra}`;
  return [
    `emulator bench: node ${process.version}, ${os.cpus().length} CPUs, concurrency ${r.concurrency}, client and server in one process`,
    line("baseline: bare node:http JSON", r.baseline),
    line("emulator: TC3-signed (node:crypto)", r.signed, `   = ${r.ratios.signedRps.toFixed(2)}x baseline req/s, ${r.ratios.signedP99.toFixed(2)}x baseline p99`),
    line("emulator: via tencentcloud SDK", r.sdk, `   = ${r.ratios.sdkRps.toFixed(2)}x baseline req/s, ${r.ratios.sdkP99.toFixed(2)}x baseline p99`),
    line("emulator + bundled backend, signed", r.bundled, `   = ${r.ratios.bundledRps.toFixed(2)}x baseline req/s, ${r.ratios.bundledP99.toFixed(2)}x baseline p99`),
    `goal: signed >= ${r.goal.minSignedRps} req/s and p99 < ${r.goal.maxP99Ms} ms: ${r.goal.met ? "met" : "NOT met"} (${r.signed.rps.toFixed(0)} req/s, p99 ${r.signed.p99Ms.toFixed(2)} ms)`,
  ].join("\n");
}

function argNumber(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

if (require.main === module) {
  const requests = argNumber("requests");
  const concurrency = argNumber("concurrency");
  run({ ...(requests !== undefined ? { requests } : {}), ...(concurrency !== undefined ? { concurrency } : {}) })
    .then((r) => console.log(format(r)))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
