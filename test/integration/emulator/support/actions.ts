/**
 * An emulator with the bundled backend and a per-file seed, driven through the real
 * tencentcloud-sdk-nodejs clients (SSL 2019-12-05, DNSPod 2021-03-23) over HTTP.
 */
import * as http from "node:http";
import { X509Certificate } from "node:crypto";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { expect } from "vitest";
import { loopbackAgent, sdkHttpProfile, startEmulator, type EmulatorAdmin, type RunningEmulator, type SeedSpec, type StartEmulatorOptions } from "../../../../emulator";
import type { BackendAdminExtensions } from "../../../../emulator/backend";
import { sdkFailure, UUID_RE, type SdkFailure } from "./sdk";

export const ACTS_ACCOUNT = {
  accountId: "acts",
  secretId: "AKIDACTIONSTEST00000000000000000000001",
  secretKey: "actions-test-secret-key-0000000000000",
} as const;

export type SslClient = InstanceType<typeof tencentcloud.ssl.v20191205.Client>;
export type DnspodClient = InstanceType<typeof tencentcloud.dnspod.v20210323.Client>;

export interface ActionsEnv {
  readonly emu: RunningEmulator;
  readonly admin: EmulatorAdmin & BackendAdminExtensions;
  readonly ssl: SslClient;
  readonly dnspod: DnspodClient;
  close(): Promise<void>;
}

/**
 * Starts the emulator (throttle off: these tests call faster than 10/s) seeded with the account plus
 * `spec`; `options` adds e.g. `profile` or `rules`.
 */
export async function startActionsEmulator(spec: Omit<SeedSpec, "accounts">, options: Pick<StartEmulatorOptions, "profile" | "rules"> = {}): Promise<ActionsEnv> {
  const emu = await startEmulator({ port: 0, throttle: false, log: () => undefined, seed: { accounts: [ACTS_ACCOUNT], ...spec }, ...options });
  const agent = loopbackAgent({ keepAlive: true });
  const credential = { secretId: ACTS_ACCOUNT.secretId, secretKey: ACTS_ACCOUNT.secretKey };
  const ssl = new tencentcloud.ssl.v20191205.Client({ credential, profile: { httpProfile: sdkHttpProfile(emu.port, "ssl", agent) } });
  const dnspod = new tencentcloud.dnspod.v20210323.Client({ credential, profile: { httpProfile: sdkHttpProfile(emu.port, "dnspod", agent) } });
  return {
    emu,
    admin: emu.admin,
    ssl,
    dnspod,
    async close() {
      await emu.close();
      agent.destroy();
    },
  };
}

/** The SDK call fails with exactly `code`, and the exception carries Tencent's RequestId. */
export async function expectTencentError(p: Promise<unknown>, code: string): Promise<SdkFailure> {
  const f = await sdkFailure(p);
  expect(f.code, f.message).toBe(code);
  expect(f.requestId).toMatch(UUID_RE);
  expect(f.name).toBe("TencentCloudSDKHttpException");
  return f;
}

/** `YYYY-MM-DD HH:mm:ss` as Tencent formats times. */
export const TENCENT_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function httpGet(url: string): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/** Every PEM certificate block in `pem`, parsed. */
export function parseCertificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((b) => new X509Certificate(b));
}

export function ids(list: ReadonlyArray<{ CertificateId?: string }> | undefined): string[] {
  return (list ?? []).map((c) => c.CertificateId ?? "");
}
