/**
 * The one place where adapters are wired into the engine for the front ends
 * (CLI, Pulumi provider, CDKTF external programs). Front ends import this and
 * the engine, never `tencent/` or `crypto/` directly.
 */
import * as path from "node:path";
import { createCertificateInspector, createKeyFactory } from "../crypto";
import { createFileLineageLock, createKeyJournal } from "../state";
import type { EngineDeps, PollingOptions } from "../engine/deps";
import { realSleep } from "../engine/deps";
import { InvalidInputError } from "../engine/errors";
import type { ProgressSink } from "../engine/progress";
import type { DoctorDeps } from "../engine/doctor-types";
import { createTencentApis, resolveCredentials } from "../tencent";
import { afterReady, emulatorAwareClock } from "./emulator-clock";
import { withRunCaches } from "./run-caches";

export { toolNow, probeEmulatorOffset, EMULATOR_CLOCK_PATH } from "./emulator-clock";

export interface RuntimeOptions {
  /** Endpoint override, e.g. the emulator's URL. @default env TCCERT_ENDPOINT, else the real Tencent endpoints */
  readonly endpoint?: string;
  /** Explicit credentials. @default the TENCENTCLOUD_* environment */
  readonly credentials?: { readonly secretId?: string; readonly secretKey?: string; readonly sessionToken?: string };
  /** @default env TENCENTCLOUD_REGION, else none (SSL and DNSPod need none) */
  readonly region?: string;
  /**
   * `intl` for Tencent Cloud International (`*.intl.tencentcloudapi.com`), `cn` for `*.tencentcloudapi.com`.
   * @default env TENCENTCLOUD_SITE, else "cn"
   */
  readonly site?: string;
  /**
   * Where renewal journals (`journal/`: keys generated before paying, mode 0600) and lineage locks
   * (`locks/`: one renewal per lineage across the CLI, the Pulumi provider and tf-renew) live.
   * @default env TCCERT_STATE_DIR, else ./.tccert-state
   */
  readonly stateDir?: string;
  /**
   * How long a renewal waits for another run holding the same lineage's lock before failing with a
   * `LockHeldError` that names the holder. @default 10000 (10 seconds)
   */
  readonly lockWaitMs?: number;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Which front end runs: a missing-credentials message names only what it reads (env vars, Pulumi config). @default "any" */
  readonly frontEnd?: "any" | "cli" | "pulumi" | "terraform";
  /** @default no output */
  readonly progress?: ProgressSink;
  /** @default engine defaults */
  readonly polling?: PollingOptions;
  /** Per-request timeout in seconds. @default 60 */
  readonly timeoutSeconds?: number;
  /** Retry tuning for reads and idempotent calls. @default adapter defaults */
  readonly retry?: { readonly retries?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
}

export function defaultStateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(env["TCCERT_STATE_DIR"] ?? ".tccert-state");
}

function checkLockWaitMs(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 3_600_000)
    throw new InvalidInputError("lockWaitMs", `lockWaitMs must be a whole number of milliseconds from 0 to 3600000; got ${JSON.stringify(value)}. The default is 10000.`);
  return value;
}

/**
 * Build the engine's dependencies. Validates credentials and the endpoint before any network call.
 *
 * With an endpoint override that is the emulator, the engine's clock is the emulator's clock
 * (learned by one `GET /_emulator/clock` before the first API call; see emulator-clock.ts), so
 * advancing the emulator's clock makes certificates due for every front end. Against the real
 * Tencent endpoints the clock is the wall clock and nothing is asked.
 */
export function createEngineDeps(options: RuntimeOptions = {}): EngineDeps {
  const { apis, time, env } = adapters(options);
  const stateDir = options.stateDir ?? defaultStateDir(env);
  const deps: EngineDeps = {
    ssl: afterReady(apis.ssl, time.sync),
    bindings: afterReady(apis.bindings, time.sync),
    dns: afterReady(apis.dns, time.sync),
    keys: createKeyFactory(),
    inspector: createCertificateInspector(),
    journal: createKeyJournal(path.join(stateDir, "journal")),
    lock: createFileLineageLock(path.join(stateDir, "locks"), options.lockWaitMs !== undefined ? { waitMs: checkLockWaitMs(options.lockWaitMs) } : {}),
    clock: time.clock,
    sleep: realSleep,
    ...(options.progress !== undefined ? { progress: options.progress } : {}),
    ...(options.polling !== undefined ? { polling: options.polling } : {}),
  };
  return withRunCaches(deps, options.endpoint, env);
}

/**
 * The read-only probe (`tccert doctor`, the canary's observations, the live suite): raw answers of
 * read actions only, and the same clock as `createEngineDeps`. Validates credentials, the endpoint
 * and the site before any network call.
 */
export function createDoctorDeps(options: RuntimeOptions = {}): DoctorDeps {
  const { apis, time } = adapters(options);
  return { probe: afterReady(apis.probe, time.sync), clock: time.clock };
}

function adapters(options: RuntimeOptions) {
  const env = options.env ?? process.env;
  const c = options.credentials ?? {};
  const credentials = resolveCredentials(
    {
      ...(c.secretId !== undefined ? { secretId: c.secretId } : {}),
      ...(c.secretKey !== undefined ? { secretKey: c.secretKey } : {}),
      ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    },
    env,
    options.frontEnd ?? "any",
  );
  const apis = createTencentApis({
    credentials,
    env,
    ...(options.site !== undefined ? { site: options.site } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
  });
  const time = emulatorAwareClock(options.endpoint, env);
  return { apis, time, env };
}

/** Where a certificate is deployed (read-only): for a `boundResources` output or a data source. */
export { listDeployments, scanDeployments, type CertificateDeploymentList, type DeploymentScan } from "../engine/drift";

/** PKCS#12 from the crypto adapter, for front ends that offer it. */
export function pkcs12(certificatePem: string, chainPem: string, privateKeyPem: string, password: string): string {
  return createCertificateInspector().pkcs12(certificatePem, chainPem, privateKeyPem, password);
}

/**
 * Local files for front ends (the CLI's `--out` files and its state files): one atomic writer that
 * never follows a symbolic link, and directories created 0700. See state/safe-write.ts.
 */
export { ensureDirectorySync, readFileNoFollowSync, writeFileAtomic, writeFileAtomicSync, type DirectoryOptions, type SafeWriteOptions } from "../state";
export { createFileLineageLock, createKeyJournal, type FileLineageLockOptions } from "../state";
