/**
 * The resource's inputs as the provider receives them (plain JSON from the
 * engine, with Pulumi's unknown sentinel during preview), their validation for
 * `check`, and their normalised form (defaults applied, secrets reduced to a
 * digest) that is stored in state so `diff` can compare without any API call.
 */
import * as crypto from "node:crypto";
import { DEFAULTS, namesIn, validateOptions, type InputProblem, type RenewalOptions } from "../engine/options";
import type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "../engine/domain";
import { DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS } from "../engine/pending";

/** The value Pulumi's engine sends for a value not known yet (a preview of an unresolved Output). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** A Pulumi-only input's schema type. */
export type PulumiInputType = "string" | "integer" | "boolean" | "string[]" | "string|number";

/** One input of the resource that is not an engine field. */
export interface PulumiInputSpec {
  readonly type: PulumiInputType;
  readonly doc: string;
  /** @default none (the doc says what leaving it out means) */
  readonly default?: string | number | boolean;
  /** @default false */
  readonly secret?: boolean;
}

/** Inputs of the resource that are not engine fields (the Pulumi resource's own): their one definition (the plugin schema reads it). */
export const PULUMI_INPUTS = {
  renewalTrigger: { type: "string|number", doc: "Any value; changing it forces a renewal on the next update (when Tencent allows it). Its first value does not.", default: "" },
  cancelPendingOrderOnDelete: { type: "boolean", doc: "On delete, cancel a renewal still in flight. Delete never revokes.", default: false },
  pkcs12Password: { type: "string", doc: "When set, the `pkcs12` output holds a PKCS#12 (RSA keys only) with this password (4–128 characters). Leave it out for no PKCS#12.", secret: true },
  failWhenPendingWithinDays: {
    type: "integer",
    doc: "A renewal waiting for a human does not fail the update while the current certificate stays valid for more than this many days (0–365): the outputs keep the current pair and `status` is \"pending-human-action\".",
    default: DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS,
  },
  keyJournalDirs: { type: "string[]", doc: "Other state dirs whose renewal journals may hold the key of a certificate renewed outside this stack. Read only; none when left out." },
} as const satisfies Record<string, PulumiInputSpec>;

const PULUMI_ONLY_INPUTS = Object.keys(PULUMI_INPUTS) as (keyof typeof PULUMI_INPUTS)[];

/** The engine's fields the resource takes, by their Pulumi names (from the engine's field table). */
const ENGINE_INPUTS = namesIn("pulumi");

/** Every input the resource accepts (DESIGN §4). */
export const INPUT_NAMES: readonly string[] = [...ENGINE_INPUTS, ...PULUMI_ONLY_INPUTS];

const KEY_FIELDS = namesIn("pulumi", "key");
const PAYMENT_FIELDS = namesIn("pulumi", "payment");
/** The reserved property the dynamic-provider host adds. */
const PROVIDER_KEY = "__provider";

function closest(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  return candidates.find((c) => c.toLowerCase() === lower || c.toLowerCase().startsWith(lower.slice(0, 5))) ?? "";
}

function unknownFields(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): InputProblem[] {
  return Object.keys(obj)
    .filter((k) => k !== PROVIDER_KEY && !allowed.includes(k))
    .map((k) => {
      const hint = closest(k, allowed);
      return {
        field: `${prefix}${k}`,
        message: `${prefix}${k} is not an input of RenewedCertificate${hint ? `; did you mean ${prefix}${hint}?` : ""} The inputs are ${allowed.join(", ")}.`,
      };
    });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const known = (v: unknown): boolean => v !== undefined && v !== null && !isUnknown(v);

/**
 * Every problem with the inputs, one per property (Pulumi `CheckFailure`).
 * Values not known yet are skipped: they are checked again once known.
 */
export function checkInputs(news: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [...unknownFields(news, INPUT_NAMES, "")];
  if (isObject(news["key"])) problems.push(...unknownFields(news["key"], KEY_FIELDS, "key."));
  if (isObject(news["payment"])) problems.push(...unknownFields(news["payment"], PAYMENT_FIELDS, "payment."));

  // The engine's own validation: the same messages as the CLI and the CDKTF construct.
  const engineView: Record<string, unknown> = {};
  for (const name of ENGINE_INPUTS) {
    if (name in news) engineView[name] = news[name];
  }
  problems.push(...validateOptions(engineView, { vocabulary: "pulumi", isUnknown }));

  const trigger = news["renewalTrigger"];
  if (known(trigger) && !(typeof trigger === "string" || (typeof trigger === "number" && Number.isFinite(trigger))))
    problems.push({
      field: "renewalTrigger",
      message: `renewalTrigger must be a string or a number (any value; changing it forces a renewal); got ${typeof trigger === "object" ? JSON.stringify(trigger) : String(trigger)}.`,
    });

  const cancel = news["cancelPendingOrderOnDelete"];
  if (known(cancel) && typeof cancel !== "boolean")
    problems.push({ field: "cancelPendingOrderOnDelete", message: `cancelPendingOrderOnDelete must be true or false; got ${JSON.stringify(cancel)}.` });

  problems.push(...checkPendingInputs(news));
  const password = news["pkcs12Password"];
  if (known(password)) {
    // Never echo a password.
    if (typeof password !== "string" || password.length < 4 || password.length > 128)
      problems.push({
        field: "pkcs12Password",
        message: `pkcs12Password must be a string of 4 to 128 characters (the value given is not shown). Leave it out to skip the PKCS#12 output.`,
      });
    else {
      const key = isObject(news["key"]) ? news["key"] : {};
      const source = key["source"];
      const algorithm = key["algorithm"];
      if (source === "csr")
        problems.push({
          field: "pkcs12Password",
          message: `pkcs12Password needs the private key, but with key.source "csr" you hold the key: build the PKCS#12 yourself, or use key.source "local".`,
        });
      else if (typeof algorithm === "string" && algorithm.startsWith("EC_"))
        problems.push({
          field: "pkcs12Password",
          message: `pkcs12Password: the PKCS#12 output supports RSA keys only, but key.algorithm is ${algorithm}. Use an RSA algorithm or leave pkcs12Password out.`,
        });
      else if (typeof key["privateKeyPem"] === "string" && privateKeyType(key["privateKeyPem"]) === "ec")
        problems.push({
          field: "pkcs12Password",
          message: `pkcs12Password: the PKCS#12 output supports RSA keys only, but key.privateKeyPem is an EC key (not shown). Supply an RSA key or leave pkcs12Password out.`,
        });
    }
  }
  return problems;
}

/** `failWhenPendingWithinDays` and `keyJournalDirs`. */
function checkPendingInputs(news: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [];
  const days = news["failWhenPendingWithinDays"];
  if (known(days) && !(typeof days === "number" && Number.isFinite(days) && days >= 0 && days <= 365))
    problems.push({
      field: "failWhenPendingWithinDays",
      message: `failWhenPendingWithinDays must be a number of days from 0 to 365 (a renewal waiting for a human fails the update once the current certificate expires within it); got ${JSON.stringify(days)}. The default is ${DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS}.`,
    });
  const dirs = news["keyJournalDirs"];
  if (known(dirs) && !(Array.isArray(dirs) && dirs.every((d) => isUnknown(d) || (typeof d === "string" && d.trim() !== ""))))
    problems.push({
      field: "keyJournalDirs",
      message: `keyJournalDirs must be a list of state directories (paths, e.g. the TCCERT_STATE_DIR of a \`tccert renew\` run); got ${JSON.stringify(dirs)}. The default is [].`,
    });
  return problems;
}

/** The inputs as stored in state: defaults applied, key material reduced to a digest. No `undefined` anywhere. */
export interface StoredInputs {
  readonly renewBeforeDays: number;
  readonly key: { readonly source: KeySource; readonly algorithm: KeyAlgorithm; readonly csrPem: string; readonly privateKeyPemSha256: string };
  readonly validation: ValidationMethod;
  readonly payment: { readonly productPid: number; readonly packageIds: readonly string[] };
  readonly waitTimeoutMinutes: number;
  readonly renewalTrigger: string;
  readonly deploy: readonly DeployTarget[];
  readonly cancelPendingOrderOnDelete: boolean;
  /** SECRET (in `additionalSecretOutputs`); "" when no PKCS#12 is wanted. */
  readonly pkcs12Password: string;
  readonly failWhenPendingWithinDays: number;
  readonly keyJournalDirs: readonly string[];
}

const sha256 = (s: string): string => crypto.createHash("sha256").update(s).digest("hex");

export function storedInputs(news: Record<string, unknown>): StoredInputs {
  const key = isObject(news["key"]) ? news["key"] : {};
  const payment = isObject(news["payment"]) ? news["payment"] : {};
  const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d);
  const num = (v: unknown, d: number): number => (typeof v === "number" ? v : d);
  const trigger = news["renewalTrigger"];
  const deploy = Array.isArray(news["deploy"]) ? (news["deploy"] as unknown[]) : [];
  return {
    renewBeforeDays: num(news["renewBeforeDays"], DEFAULTS.renewBeforeDays),
    key: {
      source: str(key["source"], DEFAULTS.keySource) as KeySource,
      algorithm: str(key["algorithm"], DEFAULTS.keyAlgorithm) as KeyAlgorithm,
      csrPem: str(key["csrPem"], ""),
      privateKeyPemSha256: typeof key["privateKeyPem"] === "string" ? sha256(key["privateKeyPem"]) : "",
    },
    validation: str(news["validation"], DEFAULTS.validation) as ValidationMethod,
    payment: {
      productPid: num(payment["productPid"], 0),
      packageIds: Array.isArray(payment["packageIds"]) ? (payment["packageIds"] as unknown[]).map(String) : [],
    },
    waitTimeoutMinutes: num(news["waitTimeoutMinutes"], DEFAULTS.waitTimeoutMinutes),
    renewalTrigger: trigger === undefined || trigger === null ? "" : String(trigger),
    deploy: deploy.filter(isObject).map((t) => ({
      resourceType: str(t["resourceType"], ""),
      regions: Array.isArray(t["regions"]) ? (t["regions"] as unknown[]).map(String) : [],
    })),
    cancelPendingOrderOnDelete: news["cancelPendingOrderOnDelete"] === true,
    pkcs12Password: str(news["pkcs12Password"], ""),
    failWhenPendingWithinDays: num(news["failWhenPendingWithinDays"], DEFAULT_FAIL_WHEN_PENDING_WITHIN_DAYS),
    keyJournalDirs: Array.isArray(news["keyJournalDirs"]) ? (news["keyJournalDirs"] as unknown[]).map(String) : [],
  };
}

/** The engine's options for a run. `news` has passed `check`. */
export function renewalOptions(news: Record<string, unknown>, force: boolean): RenewalOptions {
  const key = isObject(news["key"]) ? news["key"] : undefined;
  const payment = isObject(news["payment"]) ? news["payment"] : undefined;
  const pick = <T>(v: unknown): T | undefined => (v === undefined || v === null ? undefined : (v as T));
  const opts: Record<string, unknown> = {
    certificateId: news["certificateId"],
    renewBeforeDays: pick<number>(news["renewBeforeDays"]),
    key: key && {
      source: pick<string>(key["source"]),
      algorithm: pick<string>(key["algorithm"]),
      csrPem: pick<string>(key["csrPem"]),
      privateKeyPem: pick<string>(key["privateKeyPem"]),
    },
    validation: pick<string>(news["validation"]),
    payment: payment && { productPid: pick<number>(payment["productPid"]), packageIds: pick<string[]>(payment["packageIds"]) },
    waitTimeoutMinutes: pick<number>(news["waitTimeoutMinutes"]),
    // `regions` is optional (@default []): the engine and the adapter take a list.
    deploy: Array.isArray(news["deploy"]) ? news["deploy"].filter(isObject).map((t) => ({ ...t, regions: Array.isArray(t["regions"]) ? t["regions"].map(String) : [] })) : undefined,
    allowTencentAutoRenew: pick<boolean>(news["allowTencentAutoRenew"]),
    force,
  };
  return dropUndefined(opts) as unknown as RenewalOptions;
}

/** A copy without `undefined` values, at any depth (the engine's options use exactOptionalPropertyTypes; the gRPC Struct rejects them). */
export function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : dropUndefined(v))) as T;
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
    return out as T;
  }
  return value;
}

/** Names of stored inputs that differ between the state and the new inputs. Unknown new values count as changed. */
export function changedInputs(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const changed: string[] = [];
  const oldRoot = olds["originalCertificateId"];
  const newRoot = news["certificateId"];
  if (isUnknown(newRoot) || newRoot !== oldRoot) changed.push("certificateId");
  const next = storedInputs(news) as unknown as Record<string, unknown>;
  for (const name of Object.keys(next)) {
    if (containsUnknown(news[name])) {
      changed.push(name);
      continue;
    }
    const before = olds[name];
    if (canonical(normaliseStored(name, before)) !== canonical(next[name])) changed.push(name);
  }
  return changed;
}

/**
 * `changedInputs`, one level deeper for the object inputs (`key.algorithm`, `payment.packageIds`),
 * for Pulumi's detailed diff. A whole object that is unknown, added or removed stays one name.
 */
export function changedPaths(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const next = storedInputs(news) as unknown as Record<string, unknown>;
  return changedInputs(olds, news).flatMap((name) => {
    const before = normaliseStored(name, olds[name]);
    const after = next[name];
    const raw = news[name];
    if (!isObject(before) || !isObject(after) || isUnknown(raw)) return [name];
    const given = isObject(raw) ? raw : {};
    const inputName = (k: string): string => (k === "privateKeyPemSha256" ? "privateKeyPem" : k);
    const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => canonical(before[k]) !== canonical(after[k]) || containsUnknown(given[inputName(k)]))
      .map((k) => `${name}.${inputName(k)}`);
    return paths.length > 0 ? paths : [name];
  });
}

/** JSON with object keys sorted: state comes back from the gRPC Struct with its keys reordered. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

function normaliseStored(name: string, stored: unknown): unknown {
  // State written by this provider holds the normalised form already; fill in defaults for anything missing.
  const defaults = storedInputs({}) as unknown as Record<string, unknown>;
  return stored === undefined ? defaults[name] : stored;
}

export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** Inputs whose change means a new certificate must be made (a new key, or a new CSR). */
export const SHAPING_INPUTS = ["key"];

/** The type of a PEM private key ("rsa", "ec", …), or "" when it does not parse. Never echoes it. */
function privateKeyType(pem: string): string {
  try {
    return crypto.createPrivateKey(pem).asymmetricKeyType ?? "";
  } catch {
    return "";
  }
}
