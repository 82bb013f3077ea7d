/**
 * Drives the REAL plugin the way the Pulumi engine does: spawns the package's executable
 * `bin/pulumi-resource-tencentcloud-cert-renewal` (built dist/ behind it), reads its port from
 * the first line of stdout, and talks gRPC with Pulumi's own generated stubs from @pulumi/pulumi
 * and @grpc/grpc-js. Values cross the wire as protobuf Structs, secrets and unknowns in Pulumi's
 * own encodings.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { decodeInitFailureDetail } from "../support/init-failure";
import { spawnReportingPort } from "../support/port-child";

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf stubs are untyped */
export const REPO = path.resolve(__dirname, "../..");
export const BIN = path.join(REPO, "bin", "pulumi-resource-tencentcloud-cert-renewal");
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const provrpc = pulumiRequire("./proto/provider_grpc_pb") as Record<string, new (addr: string, creds: grpc.ChannelCredentials) => grpc.Client>;
export const pb = pulumiRequire("./proto/provider_pb") as Record<string, any>;
const emptyproto = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as Record<string, any>;
const structproto = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };

export const TOKEN = "tencentcloud-cert-renewal:index:RenewedCertificate";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export type Props = Record<string, unknown>;

export const secret = (value: unknown): Props => ({ [SIG]: SECRET_SIG, value });
export const isSecret = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && (v as Props)[SIG] === SECRET_SIG;
/** The plain value of a possibly secret-wrapped value. */
export const reveal = (v: unknown): unknown => (isSecret(v) ? v.value : v);

const urn = (name: string, type = TOKEN) => `urn:pulumi:test::user-stack::${type}::${name}`;
const struct = (v: Props) => structproto.Struct.fromJavaScript(v);

export interface InitFailure {
  readonly id: string;
  readonly properties: Props;
  readonly reasons: string[];
}

export class PluginError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly partial: InitFailure | null,
  ) {
    super(message);
  }
}

function decodeInitFailure(err: grpc.ServiceError): InitFailure | null {
  const d = decodeInitFailureDetail(err);
  return d && { ...d, properties: d.properties as Props };
}

export type DiffChanges = "none" | "some" | "unknown";
export interface DiffAnswer {
  readonly changes: DiffChanges;
  readonly replaces: string[];
  readonly diffs: string[];
  readonly detailedDiff: Record<string, { kind: number; inputDiff: boolean }>;
  readonly hasDetailedDiff: boolean;
}

export interface Plugin {
  readonly port: number;
  getPluginInfo(): Promise<{ version: string }>;
  getSchema(): Promise<string>;
  checkConfig(news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diffConfig(olds: Props, news: Props): Promise<{ changes: DiffChanges; diffs: string[] }>;
  configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }>;
  check(name: string, olds: Props, news: Props, type?: string): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(name: string, id: string, olds: Props, news: Props): Promise<DiffAnswer>;
  create(name: string, properties: Props, preview?: boolean): Promise<{ id: string; properties: Props }>;
  read(name: string, id: string, properties: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs: Props }>;
  update(name: string, id: string, olds: Props, news: Props, preview?: boolean): Promise<{ properties: Props }>;
  delete(name: string, id: string, properties: Props): Promise<void>;
  cancel(): Promise<void>;
  stdout(): string;
  stderr(): string;
  /** Waits until stderr (where the plugin logs) matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGKILL: a crash, nothing flushed or cleaned up. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the executable as Pulumi does (engine address as its argument) with exactly `env` (plus
 * PATH). The default engine address refuses connections: the plugin then logs to stderr.
 */
export async function startPlugin(env: Record<string, string> = {}, engineAddress = "127.0.0.1:1"): Promise<Plugin> {
  const { child, port, stdout, stderr } = await spawnReportingPort("plugin", BIN, [engineAddress], { cwd: REPO, env });
  const client = new provrpc["ResourceProviderClient"]!(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<string, (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void>;
  const call = (method: string, req: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      client[method]!.call(client, req, (err, res) => (err ? reject(new PluginError(err.details || err.message, err.code, decodeInitFailure(err))) : resolve(res)));
    });
  const changesOf = (c: number): DiffChanges => (c === pb["DiffResponse"].DiffChanges.DIFF_SOME ? "some" : c === pb["DiffResponse"].DiffChanges.DIFF_NONE ? "none" : "unknown");
  const failuresOf = (res: any) => (res.getFailuresList() as { getProperty(): string; getReason(): string }[]).map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
  return {
    port,
    async getPluginInfo() {
      const res = await call("getPluginInfo", new emptyproto["Empty"]());
      return { version: res.getVersion() };
    },
    async getSchema() {
      const res = await call("getSchema", new pb["GetSchemaRequest"]());
      return res.getSchema();
    },
    async checkConfig(news) {
      const req = new pb["CheckRequest"]();
      req.setUrn(urn("default", "pulumi:providers:tencentcloud-cert-renewal"));
      req.setOlds(struct({}));
      req.setNews(struct(news));
      const res = await call("checkConfig", req);
      return { inputs: res.getInputs()?.toJavaScript() ?? {}, failures: failuresOf(res) };
    },
    async diffConfig(olds, news) {
      const req = new pb["DiffRequest"]();
      req.setUrn(urn("default", "pulumi:providers:tencentcloud-cert-renewal"));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("diffConfig", req);
      return { changes: changesOf(res.getChanges()), diffs: res.getDiffsList() };
    },
    async configure(args) {
      const req = new pb["ConfigureRequest"]();
      req.setArgs(struct(args));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      const res = await call("configure", req);
      return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
    },
    async check(name, olds, news, type = TOKEN) {
      const req = new pb["CheckRequest"]();
      req.setUrn(urn(name, type));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("check", req);
      return { inputs: res.getInputs()?.toJavaScript() ?? {}, failures: failuresOf(res) };
    },
    async diff(name, id, olds, news) {
      const req = new pb["DiffRequest"]();
      req.setId(id);
      req.setUrn(urn(name));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("diff", req);
      const detailedDiff: Record<string, { kind: number; inputDiff: boolean }> = {};
      for (const [k, v] of res.getDetaileddiffMap().entries() as Iterable<[string, any]>) detailedDiff[k] = { kind: v.getKind(), inputDiff: v.getInputdiff() };
      return { changes: changesOf(res.getChanges()), replaces: res.getReplacesList(), diffs: res.getDiffsList(), detailedDiff, hasDetailedDiff: res.getHasdetaileddiff() };
    },
    async create(name, properties, preview = false) {
      const req = new pb["CreateRequest"]();
      req.setUrn(urn(name));
      req.setProperties(struct(properties));
      req.setPreview(preview);
      const res = await call("create", req);
      return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async read(name, id, properties, inputs) {
      const req = new pb["ReadRequest"]();
      req.setId(id);
      req.setUrn(urn(name));
      req.setProperties(struct(properties));
      if (inputs) req.setInputs(struct(inputs));
      const res = await call("read", req);
      return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {}, inputs: res.getInputs()?.toJavaScript() ?? {} };
    },
    async update(name, id, olds, news, preview = false) {
      const req = new pb["UpdateRequest"]();
      req.setId(id);
      req.setUrn(urn(name));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      req.setPreview(preview);
      const res = await call("update", req);
      return { properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async delete(name, id, properties) {
      const req = new pb["DeleteRequest"]();
      req.setId(id);
      req.setUrn(urn(name));
      req.setProperties(struct(properties));
      await call("delete", req);
    },
    async cancel() {
      await call("cancel", new emptyproto["Empty"]());
    },
    stdout,
    stderr,
    async waitForStderr(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr())) {
        if (Date.now() > deadline) throw new Error(`the plugin's stderr never matched ${String(pattern)}; it was:\n${stderr()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async crash() {
      (client as unknown as grpc.Client).close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
    },
    async close() {
      (client as unknown as grpc.Client).close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
