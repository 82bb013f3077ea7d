/**
 * The embedded emulator of Tencent Cloud SSL (2019-12-05) and DNSPod (2021-03-23): start it, point
 * the SDK at it (`sdkHttpProfile`), and drive it through `admin`. See README.md.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulatorAdmin, type EmulatorAdmin } from "./admin";
import type { BackendAdminExtensions } from "./backend/admin";
import { createCallLog } from "./call-log";
import { createClock } from "./clock";
import type { CreateBackend, EmulatorBackend, SeedSpec, ServiceName } from "./contract";
import { createFaultScript } from "./faults";
import type { EmulatorCore } from "./core";
import { createRuleStore, type InferredRules, type ProfileName } from "./rules";
import { createRequestListener } from "./server";
import { emulatorEndpoint } from "./sdk-profile";
import { loadStateFile, saveStateFile } from "./state-file";
import { createThrottle, type ThrottleConfig } from "./throttle";

export type { EmulatorAdmin } from "./admin";
export type { BackendAdminExtensions } from "./backend/admin";
export type { CallLogSnapshot, CallRecord } from "./call-log";
export type { ActiveFault, FaultKind, FaultRule } from "./faults";
export type { ThrottleConfig } from "./throttle";
export { PROFILE_NAMES, PROFILES, RULE_NAMES, type InferredRules, type ProfileName, type RulesView } from "./rules";
export * from "./contract";
export { emulatorEndpoint, loopbackAgent, loopbackLookup, sdkHttpProfile, type SdkHttpProfile } from "./sdk-profile";
export { signRequest, type SignRequestInput } from "./tc3";

export interface StartEmulatorOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** A preset name (`demo`) or a SeedSpec, applied at start unless a state file was loaded. @default nothing */
  readonly seed?: string | SeedSpec;
  /**
   * JSON file holding the state: loaded at start when it exists (then `seed` is skipped), saved
   * atomically after every call that reached a handler, every mutating admin operation, and on close.
   * @default no persistence
   */
  readonly stateFile?: string;
  /** `true`: Tencent's limits; `false`: off; or overrides by `service.Action`. @default true */
  readonly throttle?: ThrottleConfig;
  /** The emulator clock's start. @default real now (or the offset saved in the state file) */
  readonly startTime?: Date;
  /** @default the bundled backend, `require("./backend").createBackend` */
  readonly backend?: CreateBackend;
  /**
   * How the emulator answers Tencent behaviours nobody documents (README "Inferred rules"):
   * `default`, the kindest form (what the emulator always did), or `pessimistic`, the least
   * convenient plausible form. @default "default"
   */
  readonly profile?: ProfileName;
  /** Single switches on top of `profile`, e.g. `{ secondRenewal: "accepted" }`. @default none */
  readonly rules?: Partial<InferredRules>;
  /** Diagnostics sink (handler exceptions). @default console.error */
  readonly log?: (message: string) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: the admin surface lives under `/_emulator/`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** What the SDK's `httpProfile.endpoint` should be: `ssl.tencentcloudapi.com:PORT`. */
  endpoint(service: ServiceName): string;
  /**
   * Clock, faults, call log, throttle, and the backend's admin operations. The bundled backend's
   * extras (`setDeploySecondsPerResource`, `setRenewalInitialStatus`, ...) are typed here; a custom
   * `backend` that lacks them makes those calls fail.
   */
  readonly admin: EmulatorAdmin & BackendAdminExtensions;
  /** Saves the state file (if any) and stops the server, closing open connections. */
  close(): Promise<void>;
}

/** The bundled backend, loaded lazily so that callers passing their own never load it (nor its CA). */
async function loadDefaultBackend(): Promise<CreateBackend> {
  const mod = await import("./backend");
  return mod.createBackend;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.error(m));
  const stateFile = options.stateFile;
  const saved = stateFile !== undefined ? loadStateFile(stateFile) : undefined;

  const clock = createClock(options.startTime ? { startTime: options.startTime } : saved ? { offsetMs: saved.clockOffsetMs } : {});
  const createBackend = options.backend ?? (await loadDefaultBackend());
  const rules = createRuleStore(options.profile ?? "default", options.rules ?? {});
  const backend: EmulatorBackend = createBackend({ now: () => clock.now(), rules: () => rules.current() });
  const callLog = createCallLog();
  const faults = createFaultScript();
  const throttle = createThrottle(options.throttle ?? true);

  const persist = (): void => {
    if (stateFile === undefined) return;
    try {
      saveStateFile(stateFile, { clockOffsetMs: clock.offsetMs(), backend: backend.snapshot() });
    } catch (e) {
      log(`emulator: could not save the state file ${stateFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  if (saved) backend.restore(saved.backend);
  else if (typeof options.seed === "string") backend.admin.seedPreset(options.seed);
  else if (options.seed) backend.admin.seed(options.seed);

  let baseUrl = "";
  const admin = createEmulatorAdmin({ backendAdmin: backend.admin, clock, faults, callLog, throttle, rules, afterMutation: persist });
  const core: EmulatorCore = { backend, clock, callLog, faults, throttle, rules, admin, baseUrl: () => baseUrl, afterMutation: persist, log };

  const server = http.createServer(createRequestListener(core));
  server.keepAliveTimeout = 30_000;
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  persist();

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    host,
    endpoint: (service) => emulatorEndpoint(service, port),
    // The admin delegates every method the backend offers (see admin.ts).
    admin: admin as EmulatorAdmin & BackendAdminExtensions,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        persist();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
