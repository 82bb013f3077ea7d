/**
 * The contract between a synthesized CDKTF stack and the `tccert tf-*` programs Terraform runs.
 *
 * Terraform's `data "external"` protocol: the program gets ONE JSON object whose values are all
 * strings on stdin, and must print ONE JSON object whose values are all strings on stdout; a
 * non-zero exit is an error whose message is on stderr. The renewal step (`local-exec`) gets the
 * same kind of object, JSON-encoded by Terraform, in the environment variable `TCCERT_TF_QUERY`.
 *
 * This module is shared by `constructs/` (which writes the queries at synth) and `cli/` (which
 * reads them at plan and apply). It imports the engine only, never cdktf: the CLI must run
 * without cdktf installed.
 */
import type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "../engine/domain";
import { InvalidInputError } from "../engine/errors";
import { DEFAULTS, FIELDS, fieldLabel, fieldsOf, validateOptions, type FieldSpec, type RenewalOptions, type TfQueryKey } from "../engine/options";

/** The `tccert` subcommands the stack runs. */
export const TF_COMMANDS = { status: "tf-status", renew: "tf-renew", material: "tf-material" } as const;

/**
 * How Terraform starts `tccert` from the synthesized stack directory: npm's own resolution
 * (`npm exec`) finds the `tccert` bin of the project that depends on this package, walking up
 * from the working directory. No path of the build machine is written into the stack.
 */
export const DEFAULT_PROGRAM: readonly string[] = ["npx", "--no-install", "tccert"];

/** Environment variables the renewal step's `local-exec` sets. */
export const TF_ENV = {
  /** The renewal's options, a JSON object of strings (see `RENEW_KEYS`). */
  query: "TCCERT_TF_QUERY",
  /** The CSR (PEM) to renew with, for key sources `local` and `csr`. Public, but kept off the command line. */
  csr: "TCCERT_CSR_PEM",
  /** Set when `renewalTrigger` is: the certificate that was current when the trigger last changed. */
  forceFrom: "TCCERT_FORCE_FROM",
  /** Set when the stack's `stateDir` is: where tf-renew keeps its journal and locks. */
  stateDir: "TCCERT_STATE_DIR",
  /**
   * SECRET. Only with key.source "local" and `deploy`: the tls_private_key, which Tencent needs to
   * install the certificate on CLB / CDN (deploy by content). Terraform never stores or shows a
   * provisioner's environment, and suppresses the step's output because the value is sensitive.
   */
  privateKey: "TCCERT_PRIVATE_KEY_PEM",
} as const;

/**
 * Key sources Terraform offers. `online` and `original` would bring Tencent's key back through a
 * `data "external"` result, which Terraform cannot mark sensitive (`terraform show` prints it).
 */
export const TF_KEY_SOURCES = ["local", "csr"] as const satisfies readonly KeySource[];

/** Why `online` / `original` are refused by the Terraform front ends, for messages. */
export const TF_KEY_SOURCE_REASON =
  "Terraform cannot mark a data \"external\" result sensitive, so a key Tencent holds would be printed by terraform show, state show and console. " +
  "Use \"local\" (a tls_private_key in Terraform state, marked sensitive; the default) or \"csr\" (your CSR, you keep the key); for Tencent-held keys use the CLI (tccert renew --out).";

/** `keyRotation`: a new tls_private_key per renewal cycle, or one key for the life of the stack. */
export const KEY_ROTATIONS = ["always", "never"] as const;
export type KeyRotation = (typeof KEY_ROTATIONS)[number];

/** Query keys of `tccert tf-status` (all required; "" means "use the default"). */
export const STATUS_KEYS = ["certificate_id", "renew_before_days"] as const satisfies readonly TfQueryKey[];

/** Query keys of `tccert tf-renew` (all required; "" means "use the default"). */
export const RENEW_KEYS = [
  "certificate_id",
  "renew_before_days",
  "key_source",
  "key_algorithm",
  "validation",
  "product_pid",
  "package_ids",
  "wait_timeout_minutes",
  "deploy",
] as const satisfies readonly TfQueryKey[];

/**
 * Query keys of `tccert tf-material`. `after_renewal` is the gate: any string. `key_cycle` is the
 * stack's effective key cycle (`hold:<current>`: adopted, no key yet). `renew_before_days` and
 * `key_cycle` may be left out ("") by stacks of earlier versions.
 */
export const MATERIAL_KEYS = ["certificate_id", "key_source", "csr_pem", "renew_before_days", "key_cycle", "after_renewal"] as const satisfies readonly (TfQueryKey | "key_cycle" | "after_renewal")[];
export const MATERIAL_OPTIONAL_KEYS = ["renew_before_days", "key_cycle"] as const satisfies readonly (typeof MATERIAL_KEYS)[number][];

/**
 * Result keys of `tccert tf-status`. None is secret, and none changes with the passage of time
 * alone (no day counts): Terraform stores them and a plan must settle.
 */
export const STATUS_RESULT_KEYS = [
  "certificate_id",
  "original_certificate_id",
  "in_flight_certificate_id",
  "due",
  "reason",
  "message",
  "cycle",
  "forced_cycle",
  "key_cycle",
  "forced_key_cycle",
  "domain",
  "domains",
  "not_after",
  "renew_after",
  "dns_records",
] as const;

/**
 * Result keys of `tccert tf-material`. None is secret: no key ever travels through a program
 * (Terraform cannot mark a `data "external"` result sensitive). `problem` is "" when the
 * certificate is for the stack's key (or CSR), else why not and what to do: the stack's
 * postcondition fails the apply with it.
 */
export const MATERIAL_RESULT_KEYS = [
  "certificate_id",
  "original_certificate_id",
  "certificate_pem",
  "chain_pem",
  "fullchain_pem",
  "key_matches",
  "problem",
  "status",
  "due",
  "message",
  "renew_after",
  "not_before",
  "not_after",
  "domains",
  "serial_number",
  "sha256_fingerprint",
] as const;

export type StatusQuery = Record<(typeof STATUS_KEYS)[number], string>;
/** Engine fields with a query key that the renewal's query lacks (the CSR travels in `TF_ENV.csr`): none, or `RenewQuery` breaks. */
type NotInRenewQuery = Exclude<TfQueryKey, (typeof RENEW_KEYS)[number] | "csr_pem">;
export type RenewQuery = [NotInRenewQuery] extends [never] ? Record<(typeof RENEW_KEYS)[number], string> : { readonly missingFromRenewKeys: NotInRenewQuery };
export type MaterialQuery = Record<(typeof MATERIAL_KEYS)[number], string>;
export type StatusResult = Record<(typeof STATUS_RESULT_KEYS)[number], string>;
export type MaterialResult = Record<(typeof MATERIAL_RESULT_KEYS)[number], string>;

/** Which field each query key carries, in the stack author's (CDKTF config) words, for messages that name both. */
const FIELD_OF_KEY: Readonly<Record<string, string>> = Object.fromEntries(fieldsOf("tf").map(([field, spec]) => [spec.tf!, fieldLabel(field, "cdktf")]));

/** The query key of an engine field (`deploy[2].regions` travels in `deploy`). */
function keyOfField(field: string): string {
  return (FIELDS as Readonly<Record<string, FieldSpec>>)[field.replace(/\[.*$/, "")]?.tf ?? field;
}

function bad(command: string, key: string, message: string): InvalidInputError {
  return new InvalidInputError(key, `${command}: ${message}`);
}

/**
 * Parse a query: a JSON object whose values are all strings, with exactly `keys`.
 * Unknown keys are refused too: they mean the stack was synthesized by another version.
 */
export function parseQuery<K extends string>(command: string, text: string, keys: readonly K[], source = "stdin", optional: readonly K[] = []): Record<K, string> {
  if (text.trim() === "")
    throw bad(command, "query", `expected a JSON object of strings on ${source}, got nothing. Terraform's external data source sends one; to run it by hand: echo '{"certificate_id":"..."}' | tccert ${command}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw bad(command, "query", `${source} is not JSON (${(e as Error).message}); expected a JSON object of strings with keys ${keys.join(", ")}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw bad(command, "query", `${source} must be a JSON object of strings; got ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : `a ${typeof parsed}`}.`);
  const obj = parsed as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (!(keys as readonly string[]).includes(k))
      throw bad(command, k, `unknown query key ${JSON.stringify(k)}; expected exactly ${keys.join(", ")}. The stack was probably synthesized by another version of tencentcloud-cert-renewal: synthesize it again.`);
    if (typeof v !== "string")
      throw bad(command, k, `query key ${JSON.stringify(k)} must be a string (Terraform's external protocol passes strings only); got ${v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`}.`);
  }
  for (const k of optional) if (!(k in obj)) obj[k] = "";
  const missing = keys.filter((k) => !(k in obj));
  if (missing.length > 0)
    throw bad(command, missing[0]!, `missing query key${missing.length > 1 ? "s" : ""} ${missing.map((k) => JSON.stringify(k)).join(", ")}; expected exactly ${keys.join(", ")}. Synthesize the stack again with this version.`);
  return obj as Record<K, string>;
}

function optionalNumber(command: string, key: string, v: string): number | undefined {
  if (v === "") return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw bad(command, key, `query key ${JSON.stringify(key)} (${FIELD_OF_KEY[key]}) must be a number written as a string; got ${JSON.stringify(v)}.`);
  return n;
}

function optionalJson(command: string, key: string, v: string): unknown {
  if (v === "") return undefined;
  try {
    return JSON.parse(v);
  } catch {
    throw bad(command, key, `query key ${JSON.stringify(key)} (${FIELD_OF_KEY[key]}) must be a JSON-encoded list; got ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}.`);
  }
}

/** A query value as its field's value: numbers and JSON lists parsed; "" means "left out". */
function queryValue(command: string, key: string, spec: FieldSpec, v: string): unknown {
  if (spec.kind === "integer" || spec.kind === "number") return optionalNumber(command, key, v);
  if (spec.kind === "list") return optionalJson(command, key, v);
  return v === "" ? undefined : v;
}

/** The renew query's fields other than the key, as raw engine options (from the field table). */
function optionsFromQuery(command: string, q: RenewQuery): Record<string, unknown> {
  const raw: Record<string, unknown> = { certificateId: q.certificate_id };
  for (const [field, spec] of fieldsOf("tf")) {
    const key = spec.tf as (typeof RENEW_KEYS)[number];
    if (field === "certificateId" || field.startsWith("key") || !(RENEW_KEYS as readonly string[]).includes(key)) continue;
    const value = queryValue(command, key, spec, q[key]);
    if (value === undefined) continue;
    const [head, tail] = field.split(".") as [string, string | undefined];
    if (tail === undefined) raw[head] = value;
    else raw[head] = { ...(raw[head] as Record<string, unknown> | undefined), [tail]: value };
  }
  return raw;
}

/**
 * The renewal options a renew query (plus the CSR from the environment) stands for, validated by
 * the engine with the query's key names in every message. Key sources `local` and `csr` renew
 * with the given CSR: with `local` the key lives in Terraform state (`tls_private_key`), never here.
 */
export function renewOptionsFromQuery(command: string, q: RenewQuery, csrPem: string, privateKeyPem = ""): RenewalOptions {
  const source: KeySource = keySourceOf(command, q.key_source);
  const usesCsr = source === "local" || source === "csr";
  if (usesCsr && csrPem.trim() === "")
    throw bad(command, TF_ENV.csr, `key_source ${JSON.stringify(source)} renews with a CSR, but ${TF_ENV.csr} is empty. The renewal step passes tls_cert_request's CSR (local) or key.csrPem (csr): synthesize the stack again.`);
  if (!usesCsr && csrPem.trim() !== "")
    throw bad(command, TF_ENV.csr, `${TF_ENV.csr} is set, but key_source ${JSON.stringify(source)} does not use a CSR. Synthesize the stack again.`);
  const common = optionsFromQuery(command, q);
  // The key as the stack gave it (the CSR was checked above) ...
  const given = { ...common, key: { source, ...(q.key_algorithm !== "" ? { algorithm: q.key_algorithm } : {}) } };
  throwProblems(command, validateOptions(given, { vocabulary: "cdktf" }).filter((p) => p.field !== "key.csrPem"));
  if (privateKeyPem !== "" && source !== "local")
    throw bad(command, TF_ENV.privateKey, `${TF_ENV.privateKey} is set, but key_source ${JSON.stringify(source)} is not "local". Synthesize the stack again.`);
  // ... and as the engine runs it: local keys renew with the CSR of the key in Terraform state, or,
  // to deploy (Tencent installs the certificate with its key), with that key itself.
  const raw = privateKeyPem !== "" ? { ...common, key: { source: "local", privateKeyPem } } : usesCsr ? { ...common, key: { source: "csr", csrPem } } : given;
  throwProblems(command, validateOptions(raw, { vocabulary: "cdktf" }), (f) => (f === "key.csrPem" ? TF_ENV.csr : `query key ${JSON.stringify(keyOfField(f))}`));
  return raw as unknown as RenewalOptions;
}

/** Throw the engine's problems as one InvalidInputError naming the query keys. */
export function throwProblems(command: string, problems: readonly { field: string; message: string }[], where: (field: string) => string = (f) => `query key ${JSON.stringify(keyOfField(f))}`): void {
  const first = problems[0];
  if (!first) return;
  const text = problems.map((p) => `${where(p.field)}: ${p.message}`).join(" ");
  throw bad(command, keyOfField(first.field), text);
}

/** `renewBeforeDays` of a query, validated; the engine default when "". */
export function renewBeforeDaysOf(command: string, v: string): number | undefined {
  const n = optionalNumber(command, "renew_before_days", v);
  if (n !== undefined) throwProblems(command, validateOptions({ certificateId: "placeholder", renewBeforeDays: n }, { vocabulary: "cdktf" }));
  return n;
}

/** Check a certificate id from a query with the engine's rule. */
export function checkCertificateId(command: string, id: string): void {
  throwProblems(command, validateOptions({ certificateId: id }, { vocabulary: "cdktf" }));
}

/** A key source from a query: only the ones Terraform offers (`TF_KEY_SOURCES`). */
export function keySourceOf(command: string, v: string): (typeof TF_KEY_SOURCES)[number] {
  const source = v === "" ? DEFAULTS.keySource : v;
  throwProblems(command, validateOptions({ certificateId: "placeholder", key: { source } }, { vocabulary: "cdktf" }).filter((p) => p.field === "key.source"));
  if (!(TF_KEY_SOURCES as readonly string[]).includes(source))
    throw bad(command, "key_source", `query key "key_source" (key.source) ${JSON.stringify(source)} is not offered with Terraform: ${TF_KEY_SOURCE_REASON}`);
  return source as (typeof TF_KEY_SOURCES)[number];
}

/**
 * The trigger value of the renewal step: it changes exactly when there is renewal work for the
 * apply to do, and stays the same otherwise, so the next plan changes nothing.
 * - a paid renewal with work left for the tool (status 5 to submit, validation records to publish):
 *   `resume:<order>`; the apply after a human acted in the console (a letter accepted) resumes it;
 * - due, including a renewal that waits for a human (OV/EV letter, failed review): `renew:<current>`,
 *   the value of the apply that paid for it, so the plan settles while the human step waits;
 * - not due, and the current certificate is a renewal of X: `renew:<X>` (the renewal that made it);
 * - not due, never renewed: `hold:<current>`.
 */
export function renewalCycle(
  current: { certificateId: string; originCertificateId: string },
  due: boolean,
  inFlight: { certificateId: string; phase: string } | null = null,
): string {
  if (inFlight && (inFlight.phase === "awaiting-submission" || inFlight.phase === "validating")) return `resume:${inFlight.certificateId}`;
  if (due) return `renew:${current.certificateId}`;
  if (current.originCertificateId !== "") return `renew:${current.originCertificateId}`;
  return `hold:${current.certificateId}`;
}

/**
 * The cycle while a forced renewal is owed (`renewalTrigger` changed while this certificate was
 * current): `renew:<current>`, which is what `renewalCycle` gives after that renewal (the new
 * certificate's origin is this one), so the renewing apply stores the value the next plan computes.
 */
export function forcedCycle(current: { certificateId: string }, inFlight: { certificateId: string; phase: string } | null = null): string {
  return renewalCycle({ certificateId: current.certificateId, originCertificateId: "" }, true, inFlight);
}

/**
 * The key cycle (`keyRotation: "always"` replaces the tls_private_key when it changes): the
 * renewal cycle without `resume:`, so a renewal that resumes keeps the key its CSR was made from.
 */
export function keyCycle(current: { certificateId: string; originCertificateId: string }, dueOrInFlight: boolean): string {
  return renewalCycle(current, dueOrInFlight);
}

export type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod };
