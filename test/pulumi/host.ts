/**
 * Drives Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`)
 * over gRPC, the way the Pulumi engine does, without the Pulumi CLI.
 *
 * - The provider is loaded BY PACKAGE NAME from a throwaway "user project"
 *   directory whose `node_modules/tencentcloud-cert-renewal` is a symlink to
 *   this repo (so `require("tencentcloud-cert-renewal/pulumi")` resolves through
 *   package.json `exports`, exactly as in a user's project), then serialized
 *   with `pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })`,
 *   as `pulumi.dynamic.Resource` does.
 * - The host runs with that directory as its cwd: the serialized stub's
 *   `require("tencentcloud-cert-renewal/pulumi/impl")` resolves from there, as it
 *   resolves from the program's directory under `pulumi up`.
 * - The host's engine-address argument is required but never dialled by
 *   @pulumi/pulumi 3.248 (it prints its port and waits), so a dummy is passed.
 * - `Configure` must carry the whole config in `args` (the host throws inside an
 *   async handler otherwise and never answers).
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { decodeInitFailureDetail } from "../support/init-failure";
import { spawnReportingPort } from "../support/port-child";
import * as pulumi from "@pulumi/pulumi";

const REPO = path.resolve(__dirname, "../..");
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
// Generated CommonJS gRPC stubs, loaded from @pulumi/pulumi's own copy (same google-protobuf instance).
const provrpc = pulumiRequire("./proto/provider_grpc_pb") as Record<string, new (addr: string, creds: grpc.ChannelCredentials) => grpc.Client>;
const provproto = pulumiRequire("./proto/provider_pb") as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const structproto = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(v: Record<string, unknown>): unknown };
};

/** Pulumi's unknown sentinel (a preview of an unresolved Output). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const TYPE = "pulumi-nodejs:dynamic/tencentcloud-cert-renewal:RenewedCertificate";

export type Props = Record<string, unknown>;

/** A throwaway directory that looks like a user's Pulumi project with this package installed. */
export function makeProjectDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-pulumi-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(REPO, path.join(dir, "node_modules", "tencentcloud-cert-renewal"), "dir");
  // The program's own @pulumi/pulumi: the same copy as the package's (one copy, as in a user's tree).
  fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-stack", private: true }));
  return dir;
}

/** `require` as the user's program does it, from its directory. */
export function projectRequire(projectDir: string): NodeJS.Require {
  return createRequire(path.join(projectDir, "index.js"));
}

/** The serialized `__provider` of a dynamic provider object, exactly as `pulumi.dynamic.Resource` makes it. */
export async function serializeProvider(provider: object): Promise<{ text: string; containsSecrets: boolean }> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text: sf.text, containsSecrets: sf.containsSecrets };
}

export interface InitFailure {
  readonly message: string;
  readonly id: string;
  readonly properties: Props;
  readonly reasons: string[];
}

/** A gRPC error from the host; `partial` is set when it carried `ErrorResourceInitFailed` (Pulumi's partial state). */
export class HostError extends Error {
  readonly code: number;
  readonly partial: InitFailure | null;
  constructor(message: string, code: number, partial: InitFailure | null) {
    super(message);
    this.code = code;
    this.partial = partial;
  }
}

export type DiffChanges = "none" | "some" | "unknown";

export interface Host {
  readonly port: number;
  readonly projectDir: string;
  configure(config: Record<string, string>): Promise<void>;
  /** `type` overrides the resource type in the URN (for other dynamic resources served by the same host). */
  check(name: string, olds: Props, news: Props, type?: string): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(name: string, id: string, olds: Props, news: Props): Promise<{ changes: DiffChanges; replaces: string[] }>;
  create(name: string, properties: Props, type?: string): Promise<{ id: string; properties: Props }>;
  read(name: string, id: string, properties: Props): Promise<{ id: string; properties: Props }>;
  update(name: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(name: string, id: string, properties: Props): Promise<void>;
  stdout(): string;
  stderr(): string;
  /** Waits until the host's stdout matches: its lines can arrive after the gRPC answer of the call that printed them. */
  waitForStdout(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const urn = (name: string, type = TYPE) => `urn:pulumi:test::user-stack::${type}::${name}`;
const struct = (v: Props) => structproto.Struct.fromJavaScript(v);

function decodeInitFailure(err: grpc.ServiceError): InitFailure | null {
  const d = decodeInitFailureDetail(err);
  return d && { message: err.details, ...d, properties: d.properties as Props };
}

/** Starts the host in `projectDir` with exactly `env` (plus PATH), and connects to it. */
export async function startHost(projectDir: string, env: Record<string, string> = {}, type = TYPE): Promise<Host> {
  const entry = path.join(REPO, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider");
  const { child, port, stdout, stderr } = await spawnReportingPort("host", process.execPath, [entry, "127.0.0.1:1"], { cwd: projectDir, env });
  const client = new provrpc["ResourceProviderClient"]!(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<
    string,
    (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void // eslint-disable-line @typescript-eslint/no-explicit-any
  >;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (method: string, req: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      client[method]!.call(client, req, (err, res) => {
        if (err) reject(new HostError(err.details || err.message, err.code, decodeInitFailure(err)));
        else resolve(res);
      });
    });

  return {
    port,
    projectDir,
    async configure(config) {
      const req = new provproto["ConfigureRequest"]();
      req.setArgs(struct(config));
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call("configure", req);
    },
    async check(name, olds, news, t = type) {
      const req = new provproto["CheckRequest"]();
      req.setUrn(urn(name, t));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("check", req);
      return {
        inputs: res.getInputs()?.toJavaScript() ?? {},
        failures: (res.getFailuresList() as { getProperty(): string; getReason(): string }[]).map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(name, id, olds, news) {
      const req = new provproto["DiffRequest"]();
      req.setId(id);
      req.setUrn(urn(name, type));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("diff", req);
      const C = provproto["DiffResponse"].DiffChanges;
      const changes: DiffChanges = res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
      return { changes, replaces: res.getReplacesList() };
    },
    async create(name, properties, t = type) {
      const req = new provproto["CreateRequest"]();
      req.setUrn(urn(name, t));
      req.setProperties(struct(properties));
      const res = await call("create", req);
      return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async read(name, id, properties) {
      const req = new provproto["ReadRequest"]();
      req.setId(id);
      req.setUrn(urn(name, type));
      req.setProperties(struct(properties));
      const res = await call("read", req);
      return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async update(name, id, olds, news) {
      const req = new provproto["UpdateRequest"]();
      req.setId(id);
      req.setUrn(urn(name, type));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call("update", req);
      return { properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async delete(name, id, properties) {
      const req = new provproto["DeleteRequest"]();
      req.setId(id);
      req.setUrn(urn(name, type));
      req.setProperties(struct(properties));
      await call("delete", req);
    },
    stdout,
    stderr,
    async waitForStdout(pattern, timeoutMs = 5000) {
      const matches = () => (typeof pattern === "string" ? stdout().includes(pattern) : pattern.test(stdout()));
      const deadline = Date.now() + timeoutMs;
      while (!matches()) {
        if (Date.now() > deadline) throw new Error(`the host's stdout never matched ${String(pattern)}; it was:\n${stdout()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return stdout();
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
