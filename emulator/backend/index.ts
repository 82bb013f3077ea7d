/**
 * The emulator's Tencent back: per-account state, the SSL (2019-12-05) and
 * DNSPod (2021-03-23) action handlers, the CA and the status machine.
 * See emulator/README.md, "Actions and status machine".
 */
import type { CreateBackend, CreateBackendOptions, EmulatorBackend, SeedAccount } from "../contract";
import { createAdmin, type FullBackendAdmin } from "./admin";
import { BackendCore, type DownloadEntry } from "./core";
import { dnspodHandlers } from "./dnspod/records";
import { bindTaskHandlers } from "./ssl/bind-tasks";
import { deployHandlers } from "./ssl/deploy";
import { describeHandlers } from "./ssl/describe";
import { downloadHandlers } from "./ssl/download";
import { lifecycleHandlers } from "./ssl/lifecycle";
import { renewHandlers } from "./ssl/renew";
import { submitHandlers } from "./ssl/submit";
import { verifyHandlers } from "./ssl/verify";
import { restoreState, snapshotState } from "./snapshot";

export type { BackendAdminExtensions, FullBackendAdmin } from "./admin";
export type { DownloadEntry } from "./core";
export { DEMO_ACCOUNT, DEMO_IDS, DEMO_SPEC } from "./seed";
export { PRICE_POINTS } from "./products";

/** The backend with this implementation's extras: extended admin and the download store. */
export interface TencentBackend extends EmulatorBackend {
  readonly admin: FullBackendAdmin;
  /** Zips handed out by DescribeDownloadCertificateUrl (`${baseUrl}/_emulator/download/<token>`). */
  readonly downloads: { get(token: string): DownloadEntry | undefined };
}

export function createTencentBackend(options: CreateBackendOptions): TencentBackend {
  const core = new BackendCore(options.now, options.rules);
  return {
    actions: {
      ssl: {
        ...describeHandlers(core),
        ...renewHandlers(core),
        ...submitHandlers(core),
        ...verifyHandlers(core),
        ...lifecycleHandlers(core),
        ...downloadHandlers(core),
        ...deployHandlers(core),
        ...bindTaskHandlers(core),
      },
      dnspod: dnspodHandlers(core),
    },
    findAccountBySecretId(secretId: string): SeedAccount | undefined {
      for (const id of core.state.accountOrder) {
        const a = core.state.accounts[id];
        if (a && a.secretId !== "" && a.secretId === secretId) {
          return {
            accountId: a.accountId,
            secretId: a.secretId,
            secretKey: a.secretKey,
            ...(a.sessionToken !== null ? { sessionToken: a.sessionToken } : {}),
            ...(a.sessionTokenExpiresAt !== null ? { sessionTokenExpiresAt: a.sessionTokenExpiresAt } : {}),
          };
        }
      }
      return undefined;
    },
    admin: createAdmin(core),
    downloads: { get: (token) => core.downloads.get(token) },
    snapshot: () => snapshotState(core),
    restore: (snapshot) => restoreState(core, snapshot),
  };
}

export const createBackend: CreateBackend = createTencentBackend;
