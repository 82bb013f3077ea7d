/** Calls backend handlers directly, the way the HTTP front does, with a controllable clock. */
import { ApiError, type ServiceName } from "../../../../emulator/contract";
import { createTencentBackend, DEMO_ACCOUNT, type TencentBackend } from "../../../../emulator/backend";

export const START = new Date("2026-03-01T00:00:00Z");

export interface Harness {
  readonly backend: TencentBackend;
  now(): Date;
  advance(seconds: number): void;
  call(service: ServiceName, action: string, params?: Record<string, unknown>, accountId?: string): Promise<Record<string, unknown>>;
  ssl(action: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  dns(action: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The ApiError code a call fails with (fails the test if it succeeds). */
  code(service: ServiceName, action: string, params?: Record<string, unknown>): Promise<{ code: string; message: string }>;
}

export function harness(options: { preset?: string } = { preset: "demo" }): Harness {
  let t = START.getTime();
  const backend = createTencentBackend({ now: () => new Date(t) });
  if (options.preset) backend.admin.seedPreset(options.preset);
  const call = async (service: ServiceName, action: string, params: Record<string, unknown> = {}, accountId: string = DEMO_ACCOUNT.accountId) => {
    const h = backend.actions[service][action];
    if (!h) throw new Error(`no handler ${service}.${action}`);
    return await h({ service, action, accountId, params, now: () => new Date(t), baseUrl: "http://127.0.0.1:9999" });
  };
  return {
    backend,
    now: () => new Date(t),
    advance: (seconds) => {
      t += seconds * 1000;
    },
    call,
    ssl: (action, params) => call("ssl", action, params),
    dns: (action, params) => call("dnspod", action, params),
    code: async (service, action, params) => {
      try {
        await call(service, action, params);
      } catch (e) {
        if (e instanceof ApiError) return { code: e.code, message: e.message };
        throw e;
      }
      throw new Error(`${service}.${action} succeeded; an ApiError was expected`);
    },
  };
}

export const RENEW_SHOP = {
  OldCertificateId: "DemoShop",
  ProductPid: 1013949,
  PackageIds: ["DemoPack0001"],
  DomainCount: "1",
  Period: 1,
  RenewGenCsrMethod: "online",
  RenewAlgorithmType: "ECC",
  RenewAlgorithmParam: "prime256v1",
} as const;

export function str(v: unknown): string {
  if (typeof v !== "string") throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}

export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v)}`);
  return v;
}
