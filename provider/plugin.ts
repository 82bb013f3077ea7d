/**
 * The `tencentcloud-cert-renewal` Pulumi resource provider plugin: the gRPC `ResourceProvider`
 * service behind `pulumi-resource-tencentcloud-cert-renewal`. Its CRUD is impl.ts, the very
 * functions the dynamic provider's stub calls (one implementation, two packagings); this file only
 * speaks the protocol: config, secrets, previews, detailed diffs, partial-progress errors.
 *
 * Why not `@pulumi/pulumi`'s `provider.main`: in 3.248 its server answers `Configure` without
 * passing the configuration on (so credentials and the endpoint could not be configured),
 * leaves `CheckConfig`/`DiffConfig` unimplemented, drops `detailedDiff`, and runs `Create` even
 * for a preview. This server uses the same generated stubs and gRPC runtime as `provider.main`.
 *
 * Money: `CheckConfig`, `DiffConfig`, `Configure`, `Check`, `Diff` and the preview of `Create`
 * and `Update` call no Tencent API at all (so no bound-resource task for `boundResources` either). After `Cancel`, no new `Create`/`Update` starts.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf stubs are untyped */
import type { ProviderSettings } from "./impl";
import * as impl from "./impl";
import { checkConfig, CONFIG_NAMES, PACKAGE, settingsOf } from "./config";
import { dropUndefined, PULUMI_INPUTS, storedInputs } from "./inputs";
import { empty, fromStruct, grpc, grpcError, initFailedError, pluginProto, provider as pb, toStruct, UNKNOWN, unwrapSecrets, wrapSecrets, type Props } from "./plugin-rpc";
import { RESOURCE_TOKEN, schemaJson, packageVersion } from "./schema";
import { OUTPUT_NAMES, SECRET_OUTPUT_NAMES } from "./state";
import { currentUrn } from "./plugin-log";
import type { ServiceError } from "@grpc/grpc-js";

/** Names that are secret in state whatever the inputs say: the secret outputs and the secret inputs as stored. */
const ALWAYS_SECRET = [...SECRET_OUTPUT_NAMES, ...Object.entries(PULUMI_INPUTS).filter(([, s]) => "secret" in s && s.secret).map(([n]) => n)];

const isUnknown = (v: unknown): boolean => v === UNKNOWN;

interface PluginState {
  settings: ProviderSettings | undefined;
  cancelled: boolean;
}

/** The resource type of a URN (`urn:pulumi:stack::project::type::name`). */
function typeOf(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

function requireOurType(urn: string): void {
  const type = typeOf(urn);
  if (type !== RESOURCE_TOKEN) throw grpcError(`${PACKAGE} has no resource type ${JSON.stringify(type)}; its only resource is ${RESOURCE_TOKEN}.`, grpc.status.INVALID_ARGUMENT);
}

/** State as returned to the engine: secret outputs and whatever arrived secret stay secret. */
function secretState(state: Props, secretInputs: Iterable<string>): Props {
  return wrapSecrets(state, [...ALWAYS_SECRET, ...secretInputs]);
}

/** A preview's state: the inputs as they would be stored, and every output unknown. No call. */
function previewState(inputs: Props, keep: Props = {}): Props {
  const outputs = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, n in keep ? keep[n] : UNKNOWN]));
  return { ...(dropUndefined(storedInputs(inputs)) as unknown as Props), ...outputs };
}

/** Diff paths after which an update may renew or change the served pair: every certificate output is unknown in its preview. */
const RENEWING = /^(certificateId|status|pendingChanges|key(\..*)?|renewalTrigger|keyJournalDirs|validation)$/;
/** Outputs an update that does not renew can still change, by the input that changes them. */
const RECOMPUTED: Readonly<Record<string, string>> = { renewBeforeDays: "renewAfter", pkcs12Password: "pkcs12" };

/**
 * The outputs an update's preview can promise (no Tencent call: the diff's rule). When the update
 * may renew, only the lineage root is known; otherwise the served pair stays, and only the outputs
 * recomputed from a changed input (and the run's `renewalReason`) are unknown.
 */
async function keptInPreview(state: PluginState, id: string, olds: Props, news: Props): Promise<Props> {
  const root = { originalCertificateId: olds["originalCertificateId"] ?? id };
  const paths = Object.keys((await impl.diff(id, olds, news, state.settings)).detailedDiff);
  if (paths.some((p) => RENEWING.test(p))) return root;
  // `boundResources` is read again by the update itself (never by a preview): unknown until then.
  const unknown = new Set(["renewalReason", "boundResources", ...paths.map((p) => RECOMPUTED[p]).filter((n): n is string => n !== undefined)]);
  return { ...Object.fromEntries(OUTPUT_NAMES.filter((n) => !unknown.has(n) && n in olds).map((n) => [n, olds[n]])), ...root };
}

/** Errors as the engine expects them: a partial renewal becomes `ErrorResourceInitFailed`. */
function toGrpc(e: unknown, secretInputs: Iterable<string>): ServiceError {
  if (typeof e === "object" && e !== null && "code" in e && "metadata" in e) return e as ServiceError;
  const partial = e as Partial<impl.PartialProgressError>;
  if (e instanceof Error && typeof partial.id === "string" && partial.id !== "" && typeof partial.properties === "object")
    return initFailedError(e.message, partial.id, secretState(partial.properties as unknown as Props, secretInputs), partial.reasons ?? [e.message]);
  return grpcError(e);
}

function safely(f: () => Iterable<string>): Iterable<string> {
  try {
    return f();
  } catch {
    return [];
  }
}

type Handler = (request: any) => Promise<unknown>;

function unary(handler: Handler, secretsOf: (request: any) => Iterable<string> = () => []) {
  return (call: { request: any }, callback: (err: ServiceError | null, value?: unknown, trailer?: unknown) => void): void => {
    const urn = typeof call.request?.getUrn === "function" ? String(call.request.getUrn()) : "";
    currentUrn.run(urn, () => handler(call.request)).then(
      (res) => callback(null, res),
      (e: unknown) => {
        const err = toGrpc(e, safely(() => secretsOf(call.request)));
        callback(err, null, err.metadata);
      },
    );
  };
}

function configFrom(request: any): Props {
  const args = request.hasArgs?.() ? fromStruct(request.getArgs()) : {};
  if (Object.keys(args).length > 0) return unwrapSecrets(args).plain;
  // Older engines: `<package>:config:<name>` variables, strings.
  const out: Props = {};
  for (const [k, v] of request.getVariablesMap().entries() as Iterable<[string, string]>) {
    const name = k.startsWith(`${PACKAGE}:config:`) ? k.slice(`${PACKAGE}:config:`.length) : k.startsWith(`${PACKAGE}:`) ? k.slice(PACKAGE.length + 1) : "";
    if (name !== "") out[name] = v;
  }
  return out;
}

function configHandlers(state: PluginState) {
  return {
    async checkConfig(request: any) {
      const news = fromStruct(request.getNews());
      const failures = checkConfig(unwrapSecrets(news).plain, isUnknown);
      const res = new pb["CheckResponse"]();
      res.setInputs(toStruct(news));
      res.setFailuresList(failures.map((f) => checkFailure(f.property, f.reason)));
      return res;
    },
    async diffConfig(request: any) {
      const olds = unwrapSecrets(fromStruct(request.getOlds())).plain;
      const news = unwrapSecrets(fromStruct(request.getNews())).plain;
      const changed = CONFIG_NAMES.filter((n) => JSON.stringify(olds[n] ?? null) !== JSON.stringify(news[n] ?? null));
      const res = new pb["DiffResponse"]();
      res.setChanges(changed.length > 0 ? pb["DiffResponse"].DiffChanges.DIFF_SOME : pb["DiffResponse"].DiffChanges.DIFF_NONE);
      res.setDiffsList(changed);
      return res;
    },
    async configure(request: any) {
      const config = configFrom(request);
      const failures = checkConfig(config, isUnknown);
      if (failures.length > 0) throw grpcError(`${PACKAGE} provider configuration: ${failures.map((f) => f.reason).join(" ")}`, grpc.status.INVALID_ARGUMENT);
      state.settings = settingsOf(config, isUnknown);
      const res = new pb["ConfigureResponse"]();
      res.setAcceptsecrets(true);
      res.setSupportspreview(true);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    },
  };
}

function checkFailure(property: string, reason: string): unknown {
  const f = new pb["CheckFailure"]();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

const DIFF_KIND = { update: 4, replace: 5 } as const; // pulumirpc.PropertyDiff.Kind UPDATE, UPDATE_REPLACE

function resourceReadHandlers(state: PluginState) {
  return {
    async check(request: any) {
      requireOurType(request.getUrn());
      const news = fromStruct(request.getNews());
      const { failures } = await impl.check({}, unwrapSecrets(news).plain);
      const res = new pb["CheckResponse"]();
      res.setInputs(toStruct(news));
      res.setFailuresList(failures.map((f) => checkFailure(f.property, f.reason)));
      return res;
    },
    async diff(request: any) {
      requireOurType(request.getUrn());
      const olds = unwrapSecrets(fromStruct(request.getOlds())).plain;
      const news = unwrapSecrets(fromStruct(request.getNews())).plain;
      const d = await impl.diff(request.getId(), olds, news, state.settings);
      const res = new pb["DiffResponse"]();
      res.setChanges(d.changes ? pb["DiffResponse"].DiffChanges.DIFF_SOME : pb["DiffResponse"].DiffChanges.DIFF_NONE);
      res.setReplacesList(d.replaces);
      res.setDeletebeforereplace(d.deleteBeforeReplace);
      res.setDiffsList([...new Set(Object.keys(d.detailedDiff).map((p) => p.split(".")[0]!))]);
      const map = res.getDetaileddiffMap();
      for (const [path, v] of Object.entries(d.detailedDiff)) {
        const pd = new pb["PropertyDiff"]();
        pd.setKind(DIFF_KIND[v.kind]);
        pd.setInputdiff(v.inputDiff);
        map.set(path, pd);
      }
      res.setHasdetaileddiff(true);
      return res;
    },
    async read(request: any) {
      requireOurType(request.getUrn());
      const { plain, secretNames } = unwrapSecrets(fromStruct(request.getProperties()));
      const r = await impl.read(state.settings, request.getId(), plain);
      const res = new pb["ReadResponse"]();
      res.setId(r.id);
      res.setProperties(toStruct(secretState(r.props as unknown as Props, secretNames)));
      // An import (no state yet) learns its inputs; a refresh keeps the program's.
      res.setInputs(request.hasInputs?.() && Object.keys(fromStruct(request.getInputs())).length > 0 ? request.getInputs() : toStruct({ certificateId: r.id }));
      return res;
    },
    async delete(request: any) {
      requireOurType(request.getUrn());
      await impl.remove(state.settings, request.getId(), unwrapSecrets(fromStruct(request.getProperties())).plain);
      return empty();
    },
  };
}

function refuseWhenCancelled(state: PluginState): void {
  if (state.cancelled) throw grpcError(`${PACKAGE}: the operation was cancelled; nothing was started or paid. Run \`pulumi up\` again.`, grpc.status.CANCELLED);
}

function resourceWriteHandlers(state: PluginState) {
  return {
    async create(request: any) {
      requireOurType(request.getUrn());
      const { plain, secretNames } = unwrapSecrets(fromStruct(request.getProperties()));
      const res = new pb["CreateResponse"]();
      if (request.getPreview()) {
        res.setId("");
        res.setProperties(toStruct(secretState(previewState(plain), secretNames)));
        return res;
      }
      refuseWhenCancelled(state);
      const r = await impl.create(state.settings, plain);
      res.setId(r.id);
      res.setProperties(toStruct(secretState(r.outs as unknown as Props, secretNames)));
      return res;
    },
    async update(request: any) {
      requireOurType(request.getUrn());
      const olds = unwrapSecrets(fromStruct(request.getOlds()));
      const news = unwrapSecrets(fromStruct(request.getNews()));
      const secretNames = [...olds.secretNames, ...news.secretNames];
      const res = new pb["UpdateResponse"]();
      if (request.getPreview()) {
        const kept = await keptInPreview(state, request.getId(), olds.plain, news.plain);
        res.setProperties(toStruct(secretState(previewState(news.plain, kept), secretNames)));
        return res;
      }
      refuseWhenCancelled(state);
      const r = await impl.update(state.settings, request.getId(), olds.plain, news.plain);
      res.setProperties(toStruct(secretState(r.outs as unknown as Props, secretNames)));
      return res;
    },
  };
}

/** The request's secret input names, for a partial-progress error's properties. */
function createSecrets(request: any): Iterable<string> {
  const props = request.getProperties?.() ?? request.getNews?.();
  return unwrapSecrets(fromStruct(props)).secretNames;
}

/** The service implementation for `grpc.Server.addService(providerService, …)`. */
export function pluginService(): Record<string, unknown> {
  const state: PluginState = { settings: undefined, cancelled: false };
  const version = packageVersion();
  const config = configHandlers(state);
  const reads = resourceReadHandlers(state);
  const writes = resourceWriteHandlers(state);
  return {
    getPluginInfo: unary(async () => pluginInfo(version)),
    getSchema: unary(async (request: any) => {
      if (request.getVersion() !== 0) throw grpcError(`unsupported schema version ${request.getVersion()}`, grpc.status.INVALID_ARGUMENT);
      const res = new pb["GetSchemaResponse"]();
      res.setSchema(schemaJson(version));
      return res;
    }),
    checkConfig: unary(config.checkConfig),
    diffConfig: unary(config.diffConfig),
    configure: unary(config.configure),
    check: unary(reads.check),
    diff: unary(reads.diff),
    read: unary(reads.read),
    delete: unary(reads.delete),
    create: unary(writes.create, createSecrets),
    update: unary(writes.update, createSecrets),
    cancel: unary(async () => {
      state.cancelled = true;
      return empty();
    }),
    attach: unary(async () => empty()),
  };
}

function pluginInfo(version: string): unknown {
  const info = new pluginProto["PluginInfo"]();
  info.setVersion(version);
  return info;
}
