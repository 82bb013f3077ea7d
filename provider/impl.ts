/**
 * The `RenewedCertificate` provider's implementation: ONE implementation, two packagings.
 * - the dynamic resource: it runs inside Pulumi's dynamic-provider host, loaded by the tiny
 *   serialized stub in `index.ts` with `require("tencentcloud-cert-renewal/pulumi/impl")`, so
 *   nothing of it (no credentials, no SDK client) is ever stored in state;
 * - the provider plugin `pulumi-resource-tencentcloud-cert-renewal` (every Pulumi language):
 *   `plugin.ts` calls these same functions from its gRPC handlers.
 *
 * Money: `check`, `diff` and `read` never call a mutating API; `check` and
 * `diff` call no API at all. Only `create` and `update` can pay, and the engine
 * pays at most once per renewal (it resumes an order in flight). `create`, `update`
 * and `read` also ask Tencent where the served certificate is deployed (the
 * `boundResources` output, bound.ts: a read-only query task, never in a preview).
 */
import type { EngineDeps } from "../engine/deps";
import type { Certificate } from "../engine/domain";
import { isPendingHumanActionError, isRenewalError } from "../engine/errors";
import { resolveOptions } from "../engine/options";
import { currentMaterial, findKey } from "../engine/material";
import { cancelPendingRenewal, readOrder } from "../engine/plan";
import { evaluatePolicy, renewAfterOf } from "../engine/policy";
import type { ProgressEvent, ProgressSink } from "../engine/progress";
import { ensureRenewedUnblocked } from "../engine/pending";
import { inspectLineage } from "../engine/renewal";
import type { RenewalResult } from "../engine/result";
import { createEngineDeps, pkcs12 as buildPkcs12, toolNow, type RuntimeOptions } from "../runtime";
import { describeChanges, needsRenewal, pendingChanges } from "./changes";
import { changedInputs, changedPaths, checkInputs, dropUndefined, renewalOptions, SHAPING_INPUTS, storedInputs, type StoredInputs } from "./inputs";
import { boundResourcesOf } from "./bound";
import { keepPrevious, keyCandidates, missingKeyError, noKeyHeldMessage, searched } from "./pair";
import { dnsRecordOutputs, EMPTY_OUTPUTS, iso, outputsOf, type CertificateOutputs, type PendingAction, type ResourceState } from "./state";

/** Provider configuration, read once per host process in `configure`. Lives on the provider object, never in state. */
export interface ProviderSettings {
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly sessionToken?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly stateDir?: string;
}

/** The stack config keys the provider reads (`pulumi config set …`). */
export const CONFIG_KEYS = {
  secretId: "tencentcloud:secretId",
  secretKey: "tencentcloud:secretKey",
  sessionToken: "tencentcloud:securityToken",
  region: "tencentcloud:region",
  endpoint: "tencentcloud:endpoint",
  stateDir: "tccert:stateDir",
} as const;

/**
 * The provider settings from the stack config. Anything absent falls back, at
 * call time, to the environment: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SESSION_TOKEN`, `TENCENTCLOUD_REGION`, `TCCERT_ENDPOINT`, `TCCERT_STATE_DIR`.
 */
export function readSettings(config: { get(key: string): string | undefined } | undefined): ProviderSettings {
  const settings: Record<string, string> = {};
  for (const [name, key] of Object.entries(CONFIG_KEYS)) {
    const v = config?.get(key);
    if (typeof v === "string" && v.trim() !== "") settings[name] = v;
  }
  return settings;
}

type Props = Record<string, unknown>;

/** The serialized provider the host stores with every resource. */
const PROVIDER_KEY = "__provider";

/** Progress as `console.log` lines (the host forwards stdout; `pulumi.log` is not connected). "Still waiting" lines at most every 30 s. */
function consoleProgress(label: string, everyMs = 30_000): ProgressSink {
  let lastWaiting = -Infinity;
  return (e: ProgressEvent) => {
    if (e.type === "waiting") {
      const now = Date.now();
      if (now - lastWaiting < everyMs) return;
      lastWaiting = now;
    }
    console.log(`tccert ${label}: ${e.type === "warning" ? "warning: " : ""}${e.message}`);
  };
}

function engineDeps(settings: ProviderSettings | undefined, label: string): EngineDeps {
  const s = settings ?? {};
  const credentials =
    s.secretId !== undefined || s.secretKey !== undefined
      ? {
          ...(s.secretId !== undefined ? { secretId: s.secretId } : {}),
          ...(s.secretKey !== undefined ? { secretKey: s.secretKey } : {}),
          ...(s.sessionToken !== undefined ? { sessionToken: s.sessionToken } : {}),
        }
      : undefined;
  const options: RuntimeOptions = {
    ...(credentials ? { credentials } : {}),
    ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
    ...(s.region !== undefined ? { region: s.region } : {}),
    ...(s.stateDir !== undefined ? { stateDir: s.stateDir } : {}),
    progress: consoleProgress(label),
    // A missing credential's hint names the Pulumi config keys first.
    frontEnd: "pulumi",
  };
  return createEngineDeps(options);
}

// ---------------------------------------------------------------- check

export async function check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const failures = checkInputs(news).map((p) => ({ property: p.field, reason: p.message }));
  return { inputs: news, failures };
}

// ---------------------------------------------------------------- diff

/**
 * Pure: compares the stored state with the new inputs and asks the engine's
 * policy whether renewal is due from the STORED `notAfter`. No Tencent API call.
 * "Now" is the wall clock, or, when the endpoint is the emulator, the emulator's
 * clock (one local `GET /_emulator/clock`, never sent to Tencent; see
 * runtime/emulator-clock.ts), so advancing the emulator makes the renewal show.
 * Changing `certificateId` (another lineage) replaces the resource; everything
 * else, renewal included, is an in-place update. Requested changes not yet
 * served (`pendingChanges` with a `key.*` input) keep the diff reporting.
 */
export async function diff(id: string, olds: Props, news: Props, settings?: ProviderSettings): Promise<DiffResult> {
  const changed = changedInputs(olds, news);
  const out = outputsOf(olds);
  const days = typeof news["renewBeforeDays"] === "number" ? news["renewBeforeDays"] : storedInputs(news).renewBeforeDays;
  const notAfter = out.notAfter ? new Date(out.notAfter) : null;
  const unapplied = out.pendingChanges.filter((c) => c.input.startsWith("key."));
  const decision = evaluatePolicy({
    now: await toolNow(settings?.endpoint),
    certificate: {
      certificateId: out.certificateId || id,
      notAfter,
      renewOrderId: out.pendingCertificateId,
      issued: out.certificatePem !== "" || out.pendingCertificateId !== "",
    },
    renewBeforeDays: days,
    forced: changed.includes("renewalTrigger"),
    changedInputs: [...changed.filter((n) => SHAPING_INPUTS.includes(n)), ...(unapplied.length > 0 ? ["key"] : [])],
  });
  const pending = out.pendingAction !== "" || out.pendingCertificateId !== "" || (out.status !== "issued" && out.status !== "expired");
  // A renewal pays when it is due and no paid order is in flight (a pending order resumes without paying).
  const pays = decision.due && out.pendingCertificateId === "";
  const reasons = [
    ...(changed.length > 0 ? [`inputs changed: ${changed.join(", ")}`] : []),
    ...(decision.due ? [`renewal due (${decision.reason}): ${decision.message}${pays ? " (a paid renewal: pays once)" : " (resumes the paid order, pays nothing)"}`] : []),
    ...(pending && !decision.due ? [`an order is pending (status ${out.status || "unknown"}${out.pendingAction ? `, waiting for ${out.pendingAction}` : ""})`] : []),
    ...(unapplied.length > 0 ? [`requested changes not yet served: ${describeChanges(unapplied)} (applied by the next renewal Tencent allows; changing renewalTrigger renews now, which pays)`] : []),
  ];
  const replaces = changed.includes("certificateId") ? ["certificateId"] : [];
  if (reasons.length > 0) console.log(`tccert ${id}: ${replaces.length > 0 ? "replace" : "update"} planned: ${reasons.join("; ")}`);
  const detailedDiff = detailedDiffOf(changedPaths(olds, news), { renews: decision.due, pending: pending && !decision.due, unapplied: unapplied.length > 0 });
  return { changes: reasons.length > 0, replaces, deleteBeforeReplace: false, detailedDiff, pays, reasons };
}

/** What Pulumi shows per property: the changed inputs, and the outputs a renewal or a pending order changes. */
export type PropertyDiffs = Record<string, { readonly kind: "update" | "replace"; readonly inputDiff: boolean }>;

export interface DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  readonly detailedDiff: PropertyDiffs;
  /** A due renewal with no paid order in flight: applying it buys a certificate (once). */
  readonly pays: boolean;
  readonly reasons: string[];
}

function detailedDiffOf(paths: string[], why: { renews: boolean; pending: boolean; unapplied: boolean }): PropertyDiffs {
  const diffs: Record<string, { kind: "update" | "replace"; inputDiff: boolean }> = {};
  for (const p of paths) diffs[p] = { kind: p === "certificateId" ? "replace" : "update", inputDiff: true };
  // Outputs: a renewal makes a new certificate; a pending order or unserved changes change the status.
  if (why.renews && !diffs["certificateId"]) diffs["certificateId"] = { kind: "update", inputDiff: false };
  if (why.pending) diffs["status"] = { kind: "update", inputDiff: false };
  if (why.unapplied) diffs["pendingChanges"] = { kind: "update", inputDiff: false };
  return diffs;
}

// ---------------------------------------------------------------- create / update

export async function create(settings: ProviderSettings | undefined, inputs: Props): Promise<{ id: string; outs: ResourceState }> {
  const stored = storedInputs(inputs);
  const opts = resolveOptions(renewalOptions(inputs, false));
  const deps = engineDeps(settings, opts.certificateId);
  let result: RenewalResult;
  try {
    result = await ensureRenewedUnblocked(deps, opts, {
      owner: `pulumi RenewedCertificate ${opts.certificateId}`,
      failWhenPendingWithinDays: stored.failWhenPendingWithinDays,
      keys: keyCandidates(stored, inputs, null),
    });
  } catch (e) {
    throw await partialProgress(e, deps, opts.certificateId, { ...EMPTY_OUTPUTS, originalCertificateId: opts.certificateId }, stored, inputs);
  }
  const outs = await outputsAfter({ r: result, stored, inputs, deps, settings, previous: null, before: null });
  return { id: result.originalCertificateId, outs: state(outs, stored) };
}

export async function update(settings: ProviderSettings | undefined, id: string, olds: Props, news: Props): Promise<{ outs: ResourceState }> {
  const changed = changedInputs(olds, news);
  const stored = storedInputs(news);
  const opts = resolveOptions(renewalOptions({ ...news, certificateId: id }, changed.includes("renewalTrigger")));
  const deps = engineDeps(settings, id);
  const previous = outputsOf(olds);
  const shaping = changed.filter((n) => SHAPING_INPUTS.includes(n));
  // A key change requested earlier and not served yet is asked for again, until a renewal applies it.
  const engineChanged = needsRenewal(previous.pendingChanges) && !shaping.includes("key") ? [...shaping, "key"] : shaping;
  let result: RenewalResult;
  try {
    result = await ensureRenewedUnblocked(deps, opts, {
      changedInputs: engineChanged,
      owner: `pulumi RenewedCertificate ${id}`,
      failWhenPendingWithinDays: stored.failWhenPendingWithinDays,
      keys: keyCandidates(stored, news, previous),
    });
  } catch (e) {
    throw await partialProgress(e, deps, id, previous, stored, news);
  }
  const outs = await outputsAfter({ r: result, stored, inputs: news, deps, settings, previous, before: storedState(olds) });
  return { outs: state(outs, stored) };
}

function state(outputs: CertificateOutputs, stored: StoredInputs): ResourceState {
  return dropUndefined({ ...stored, ...outputs });
}

/** The stored inputs of a state, as stored (the key's digest kept; `storedInputs` would recompute it from a key state never holds). */
function storedState(olds: Props): StoredInputs {
  const s = storedInputs(olds);
  const key = typeof olds["key"] === "object" && olds["key"] !== null ? (olds["key"] as Record<string, unknown>) : {};
  const digest = typeof key["privateKeyPemSha256"] === "string" ? key["privateKeyPemSha256"] : "";
  return { ...s, key: { ...s.key, privateKeyPemSha256: digest } };
}

interface AfterRun {
  readonly r: RenewalResult;
  readonly stored: StoredInputs;
  readonly inputs: Props;
  readonly deps: EngineDeps;
  readonly settings: ProviderSettings | undefined;
  readonly previous: CertificateOutputs | null;
  readonly before: StoredInputs | null;
}

/**
 * The outputs after a successful run: always a matching pair (pair.ts). A key the run did not
 * return is looked for in the other journals, the inputs and the previous outputs; when none
 * matches, an update keeps the previous pair (`keyStatus` says why) and a create fails.
 */
async function outputsAfter(a: AfterRun): Promise<CertificateOutputs> {
  const { r, stored, deps, previous } = a;
  const root = r.originalCertificateId;
  let privateKeyPem = r.privateKeyPem;
  if (!privateKeyPem && stored.key.source !== "csr")
    privateKeyPem = (await findKey(deps, root, r.certificateId, r.certificatePem, keyCandidates(stored, a.inputs, previous)))?.key ?? "";
  const base = privateKeyPem || stored.key.source === "csr" ? fromResult(r, stored, previous, privateKeyPem) : keptPair(a);
  const out = { ...base, ...pendingOutputs(r, base) };
  const changes = pendingChanges({ certificatePem: out.certificatePem, stored, before: a.before, carried: previous?.pendingChanges ?? [], renewed: r.outcome === "renewed" });
  if (changes.length > 0) console.log(`tccert ${root}: requested changes not yet served: ${describeChanges(changes)}; the next renewal applies them.`);
  // After a renewal or a deployment, a cached answer would describe the resources before it.
  const fresh = r.outcome === "renewed" || r.deployment !== null;
  const boundResources = await boundResourcesOf({ deps, label: root, certificateId: out.certificateId, previous, fresh });
  return { ...out, pendingChanges: changes, boundResources };
}

/** No key for the newest certificate: keep the previous pair and say why, or fail when there is none to keep. */
function keptPair(a: AfterRun): CertificateOutputs {
  const { r, previous } = a;
  const where = searched(a.stored, a.settings?.stateDir);
  const usable = previous !== null && previous.certificatePem !== "" && previous.privateKeyPem !== "" && previous.certificateId !== r.certificateId;
  if (!usable) throw missingKeyError(r.originalCertificateId, r.certificateId, where);
  const message = noKeyHeldMessage(r.certificateId, previous.certificateId, where);
  console.log(`tccert ${r.originalCertificateId}: warning: ${message}`);
  return { ...keepPrevious(previous, message), originalCertificateId: r.originalCertificateId, renewalReason: r.decision.message, status: "issued" };
}

/** With outcome `pending`: the human step, beside the current (still valid) certificate. */
function pendingOutputs(r: RenewalResult, base: CertificateOutputs): Partial<CertificateOutputs> {
  if (r.outcome !== "pending" || !r.pending) return {};
  const p = r.pending;
  console.log(`tccert ${r.originalCertificateId}: pending-human-action: ${p.message} What to do: ${p.instructions} The outputs keep ${base.certificateId}, valid until ${base.notAfter}.`);
  return {
    status: "pending-human-action",
    pendingAction: p.action,
    pendingInstructions: p.instructions,
    pendingCertificateId: p.newCertificateId,
    renewalReason: p.message,
    dnsRecords: r.dnsRecords.length > 0 ? dnsRecordOutputs(r.dnsRecords) : [...base.dnsRecords],
  };
}

function fromResult(r: RenewalResult, stored: StoredInputs, previous: CertificateOutputs | null, privateKeyPem: string): CertificateOutputs {
  const sameCertificate = previous !== null && previous.certificateId === r.certificateId;
  return {
    certificateId: r.certificateId,
    originalCertificateId: r.originalCertificateId,
    previousCertificateId:
      r.previousCertificateId ||
      (previous && previous.certificateId !== "" && previous.certificateId !== r.certificateId ? previous.certificateId : (previous?.previousCertificateId ?? "")),
    status: r.status,
    pendingAction: "",
    pendingInstructions: "",
    pendingCertificateId: "",
    renewalReason: r.decision.message,
    certificatePem: r.certificatePem,
    chainPem: r.chainPem,
    fullchainPem: r.fullchainPem,
    privateKeyPem,
    pkcs12: makePkcs12(r.originalCertificateId, r.certificatePem, r.chainPem, privateKeyPem, stored.pkcs12Password),
    notBefore: iso(r.notBefore),
    notAfter: iso(r.notAfter),
    renewAfter: iso(r.renewAfter),
    domains: [...r.domains],
    serialNumber: r.serialNumber,
    sha256Fingerprint: r.sha256Fingerprint,
    dnsRecords: r.outcome === "renewed" || !sameCertificate ? dnsRecordOutputs(r.dnsRecords) : [...(previous?.dnsRecords ?? [])],
    deployRecordId: r.deployment?.deployRecordId ?? (sameCertificate ? previous.deployRecordId : 0),
    pendingChanges: [],
    keyStatus: "",
    // Read after the run (outputsAfter); kept only while it describes the same certificate.
    boundResources: sameCertificate ? [...previous.boundResources] : [],
  };
}

function makePkcs12(label: string, certificatePem: string, chainPem: string, privateKeyPem: string, password: string): string {
  if (!password || !certificatePem) return "";
  if (!privateKeyPem) {
    console.log(`tccert ${label}: warning: pkcs12 is empty: the private key is not known here.`);
    return "";
  }
  try {
    return buildPkcs12(certificatePem, chainPem, privateKeyPem, password);
  } catch (e) {
    console.log(`tccert ${label}: warning: pkcs12 is empty: ${e instanceof Error ? e.message : String(e)}`);
    return "";
  }
}

/** An error Pulumi's host turns into `ErrorResourceInitFailed`: the resource is recorded with these properties. */
export interface PartialProgressError extends Error {
  readonly id: string;
  readonly properties: ResourceState;
  readonly reasons: string[];
}

/**
 * After the paid order exists, a failure (timeout, human step, review failed…)
 * must not lose it: throw with `id` and `properties` so Pulumi records partial
 * state, and the next `pulumi up` (diff sees the pending order) resumes it.
 * Failures before any order exists are rethrown unchanged: nothing to record.
 */
async function partialProgress(e: unknown, deps: EngineDeps, rootId: string, base: CertificateOutputs, stored: StoredInputs, inputs: Props): Promise<unknown> {
  if (!isRenewalError(e) || e.newCertificateId === "") return e;
  const orderId = e.newCertificateId;
  // null: the status stays unknown; the next run reads it again.
  const order = await readOrder(deps, orderId);
  const human = isPendingHumanActionError(e);
  const properties = state(
    {
      ...base,
      // The newest issued certificate is still the one this order renews.
      certificateId: base.certificateId || (order?.link.originCertificateId ?? ""),
      originalCertificateId: rootId,
      status: order?.phase ?? "unknown",
      pendingAction: human ? e.action : "",
      pendingInstructions: human ? e.instructions : "",
      pendingCertificateId: orderId,
      renewalReason: e.message,
      dnsRecords: order && order.dvAuths.length > 0 ? dnsRecordOutputs(order.dvAuths) : [...base.dnsRecords],
    },
    stored,
  );
  const message =
    `RenewedCertificate ${rootId}: ${e.message}` +
    (human ? ` ${e.instructions}` : "") +
    ` Pulumi recorded the order ${orderId} with the resource; the next \`pulumi up\` resumes it without paying again.`;
  const error = new Error(message) as Error & { id: string; properties: ResourceState; reasons: string[] };
  error.id = rootId;
  // The host adds `__provider` to successful results only. Without it in the partial state, the
  // host could not load the provider for the later Read or Delete of this resource.
  error.properties = { ...properties, ...(typeof inputs[PROVIDER_KEY] === "string" ? { [PROVIDER_KEY]: inputs[PROVIDER_KEY] } : {}) };
  error.reasons = [e.message];
  return error;
}

// ---------------------------------------------------------------- read

function pendingActionOf(order: Certificate | null, stored: StoredInputs): PendingAction {
  if (order === null) return "";
  if (order.phase === "pending-letter") return "confirmation-letter";
  if (order.phase === "validating" && stored.validation === "manual-dns" && order.dvAuths.length > 0) return "manual-dns";
  if (order.phase === "review-failed") return "review-failed";
  return "";
}

/**
 * Refresh: re-reads the lineage (read-only calls only, so `pulumi refresh`
 * and its preview never mutate anything). It picks up console-side progress:
 * an order's status (letter accepted, validating, review failed) and, once the
 * order has issued, the new certificate itself, with its key from the local
 * renewal journal (key.source "local") or from Tencent ("online"). It does not
 * submit, validate or complete an order: that is `update`'s job, which the
 * next `pulumi up` runs because diff sees the order pending.
 */
export async function read(settings: ProviderSettings | undefined, id: string, props: Props): Promise<{ id: string; props: ResourceState }> {
  const stored = storedInputs(props as Props);
  const previous = outputsOf(props);
  const deps = engineDeps(settings, id);
  const { lineage, decision } = await inspectLineage(deps, { certificateId: id, renewBeforeDays: stored.renewBeforeDays, force: false });
  const current = lineage.current;
  let out: CertificateOutputs = { ...previous, originalCertificateId: lineage.rootId, renewalReason: decision.message };

  if ((current.certificateId !== previous.certificateId || previous.certificatePem === "") && current.certificatePem) {
    const m = await currentMaterial(deps, lineage, keyCandidates(stored, props, previous));
    const index = lineage.certificates.findIndex((c) => c.certificateId === current.certificateId);
    if (!m.keyMatches && stored.key.source !== "csr" && previous.certificatePem !== "") {
      // Never a certificate beside an empty or foreign key: keep the previous pair and say why.
      const message = noKeyHeldMessage(current.certificateId, previous.certificateId, searched(stored, settings?.stateDir));
      console.log(`tccert ${id}: warning: ${message}`);
      out = keepPrevious(out, message);
    } else
      out = {
        ...out,
        certificateId: current.certificateId,
        previousCertificateId: index > 0 ? (lineage.certificates[index - 1]?.certificateId ?? "") : previous.previousCertificateId,
        certificatePem: m.certificatePem,
        chainPem: m.chainPem,
        fullchainPem: m.fullchainPem,
        privateKeyPem: m.privateKeyPem,
        pkcs12: makePkcs12(id, m.certificatePem, m.chainPem, m.privateKeyPem, stored.pkcs12Password),
        notBefore: iso(m.notBefore),
        notAfter: iso(m.notAfter),
        domains: [...m.domains],
        serialNumber: m.serialNumber,
        sha256Fingerprint: m.sha256Fingerprint,
        keyStatus: "",
      };
  }
  const order = lineage.inFlight;
  const action = pendingActionOf(order, stored);
  out = {
    ...out,
    status: action !== "" ? "pending-human-action" : order ? order.phase : current.phase,
    pendingCertificateId: order ? order.certificateId : "",
    pendingAction: action,
    pendingInstructions: action === previous.pendingAction ? previous.pendingInstructions : action === "" ? "" : `renewal ${order?.certificateId ?? ""} waits for ${action}; see the SSL console.`,
    renewAfter: out.notAfter ? iso(renewAfterOf(new Date(out.notAfter), stored.renewBeforeDays)) : "",
    pendingChanges: pendingChanges({ certificatePem: out.certificatePem, stored, before: storedState(props), carried: previous.pendingChanges, renewed: out.certificateId !== previous.certificateId }),
  };
  if (order) console.log(`tccert ${id}: renewal ${order.certificateId} is ${order.phase} (status ${order.status}${order.statusMsg ? ` ${order.statusMsg}` : ""})`);
  const boundResources = await boundResourcesOf({ deps, label: id, certificateId: out.certificateId, previous });
  return { id: lineage.rootId, props: state({ ...out, boundResources }, stored) };
}

// ---------------------------------------------------------------- delete

/**
 * Forgets the resource: the certificates keep serving and nothing is revoked,
 * ever. With `cancelPendingOrderOnDelete: true`, a renewal still in flight
 * (not issued) is cancelled (`CancelCertificateOrder`).
 */
export async function remove(settings: ProviderSettings | undefined, id: string, props: Props): Promise<void> {
  const stored = storedInputs(props);
  if (stored.cancelPendingOrderOnDelete) {
    const cancelled = await cancelPendingRenewal(engineDeps(settings, id), id, stored.renewBeforeDays);
    if (cancelled) console.log(`tccert ${id}: cancelled the pending renewal ${cancelled} (cancelPendingOrderOnDelete).`);
  }
  const current = outputsOf(props).certificateId || id;
  console.log(`tccert ${id}: forgotten; certificate ${current} keeps serving until it expires and nothing was revoked.`);
}
