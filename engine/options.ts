/**
 * The renewal's inputs (DESIGN §4). `FIELDS` is the one table of them: each field's kind, choices,
 * default and meaning, and its name in every front end's vocabulary (CLI flag, Pulumi input, CDKTF
 * config, Terraform external-program query key). Front ends derive their options from it and
 * validate through `validateOptions`, which names fields in the caller's vocabulary; so Pulumi
 * `check`, CDKTF synth and the CLI reject bad input with the same message, in their own words,
 * before anything is paid.
 */
import {
  DEPLOY_RESOURCE_TYPES,
  KEY_ALGORITHMS,
  KEY_SOURCES,
  VALIDATION_METHODS,
  type DeployTarget,
  type KeyAlgorithm,
  type KeySource,
  type ValidationMethod,
} from "./domain";
import { InvalidInputError } from "./errors";

/** The enumerations live with the domain types; they are re-exported here for the front ends. */
export { DEPLOY_RESOURCE_TYPES, KEY_ALGORITHMS, KEY_SOURCES, VALIDATION_METHODS };

/** Resource types Tencent deploys per region: `UpdateCertificateInstance` needs their regions ("支持地域的云资源类型必传"). */
export const REGIONAL_RESOURCE_TYPES = ["clb", "tke", "apigateway", "waf", "tcb", "tse", "cos", "mqtt", "scf", "tdmq"] as const;

export interface KeyOptions {
  /**
   * Where the new key comes from:
   * - `local`: we generate it (or use `privateKeyPem`) and send Tencent only a CSR; the key never
   *   leaves this machine except to deploy (`deploy` sends it with the certificate, as CLB/CDN need it).
   * - `online`: Tencent generates it and returns it in `CertificatePrivateKey`; a renewal whose key
   *   comes back empty or encrypted stops resumably (never "renewed" without a key).
   * - `original`: Tencent reuses the OLD certificate's CSR, so the new certificate has the OLD key:
   *   the key output is Tencent's copy when it returns one, else the old key this tool's journal
   *   holds; otherwise the renewal stops resumably. The key is not rotated.
   * - `csr`: you supply `csrPem` and keep the key; nothing is output as the key, and `deploy` is refused.
   * @default "local"
   */
  readonly source?: KeySource;
  /** @default "RSA_2048" */
  readonly algorithm?: KeyAlgorithm;
  /** Your CSR, PEM. Required with `source: "csr"`, not allowed otherwise. */
  readonly csrPem?: string;
  /** Your private key, PEM, with `source: "local"`. @default a new key is generated */
  readonly privateKeyPem?: string;
}

export interface PaymentOptions {
  /** The product to renew as (`ProductPid`). @default derived from the certificate's `PackageType` */
  readonly productPid?: number;
  /** Benefit packages to pay with. @default chosen from `DescribePackages`: usable, soonest to expire first */
  readonly packageIds?: readonly string[];
}

export interface RenewalOptions {
  /** The paid certificate whose lineage is managed (the lineage root, or any certificate in it). */
  readonly certificateId: string;
  /** Renew this many days before expiry. @default 30 */
  readonly renewBeforeDays?: number;
  /** @default { source: "local", algorithm: "RSA_2048" } */
  readonly key?: KeyOptions;
  /** @default "dnspod" */
  readonly validation?: ValidationMethod;
  /** @default chosen from DescribePackages */
  readonly payment?: PaymentOptions;
  /** How long one run waits for issuance before stopping with a resumable error. @default 30 */
  readonly waitTimeoutMinutes?: number;
  /** Renew even when not due. @default false */
  readonly force?: boolean;
  /** Resources to move to the new certificate after issuance. @default [] (no deployment) */
  readonly deploy?: readonly DeployTarget[];
  /**
   * Renew even though Tencent's own auto-renewal, hosting or a subscription is on for the certificate
   * (`AutoRenewFlag`, `HostingStatus`, `ServiceId`): both could renew, and pay, for the same certificate.
   * @default false (refused before paying)
   */
  readonly allowTencentAutoRenew?: boolean;
}

export interface ResolvedOptions {
  readonly certificateId: string;
  readonly renewBeforeDays: number;
  readonly key: { readonly source: KeySource; readonly algorithm: KeyAlgorithm; readonly csrPem?: string; readonly privateKeyPem?: string };
  readonly validation: ValidationMethod;
  readonly payment: { readonly productPid?: number; readonly packageIds?: readonly string[] };
  readonly waitTimeoutMinutes: number;
  readonly force: boolean;
  readonly deploy: readonly DeployTarget[];
  readonly allowTencentAutoRenew: boolean;
}


/** Whose words a message uses for field names. */
export type Vocabulary = "engine" | "cli" | "pulumi" | "cdktf";

export type FieldKind = "id" | "integer" | "number" | "boolean" | "choice" | "pem" | "list" | "object";

/** A field's CLI flag. Without `help` it is a name used in messages only (not an option of `renew`). */
export interface CliFlag {
  /** `--key-algorithm`, or how the CLI names a positional argument. */
  readonly flag: string;
  /** Commander's argument placeholder, e.g. `<alg>`, `<id...>`; none for a switch. @default none */
  readonly arg?: string;
  readonly help?: string;
  /** The flag names a file whose text is the value. @default false */
  readonly file?: boolean;
  /** The value is a comma-separated list (its choices are checked after splitting). @default false */
  readonly commaList?: boolean;
}

export interface FieldSpec {
  readonly kind: FieldKind;
  /** The allowed values of a `choice`. @default none */
  readonly choices?: readonly string[];
  /** The value used when the field is left out. @default none (no default, or derived at run time) */
  readonly default?: string | number | boolean;
  readonly doc: string;
  /** @default not a CLI flag */
  readonly cli?: CliFlag;
  /** The Pulumi input path. @default not a Pulumi input */
  readonly pulumi?: string;
  /** The CDKTF construct's config path. @default not a CDKTF option */
  readonly cdktf?: string;
  /** The query key of the `tccert tf-*` external programs. @default not in any query */
  readonly tf?: string;
  /** The value is a secret (Pulumi schema `secret: true`; never echoed). @default false */
  readonly secret?: boolean;
}

/**
 * Every field of `RenewalOptions`, by engine path (`[]` stands for a list index). Adding a field
 * or a choice here is what makes it exist in every front end.
 */
export const FIELDS = {
  certificateId: {
    kind: "id",
    doc: "The paid certificate whose lineage is managed (the lineage root, or any certificate in it).",
    cli: { flag: "certificate id" },
    pulumi: "certificateId",
    cdktf: "certificateId",
    tf: "certificate_id",
  },
  renewBeforeDays: {
    kind: "integer",
    default: 30,
    doc: "Renew this many days before expiry (1–365).",
    cli: { flag: "--renew-before-days", arg: "<n>", help: "renew this many days before expiry" },
    pulumi: "renewBeforeDays",
    cdktf: "renewBeforeDays",
    tf: "renew_before_days",
  },
  key: { kind: "object", doc: "The new certificate's key.", pulumi: "key", cdktf: "key" },
  "key.source": {
    kind: "choice",
    choices: KEY_SOURCES,
    default: "local",
    doc: "Where the new key comes from: local (generated here, or privateKeyPem), online (Tencent generates it), original (the old CSR), csr (yours).",
    cli: { flag: "--key-source", arg: "<source>", help: "where the new key comes from" },
    pulumi: "key.source",
    cdktf: "key.source",
    tf: "key_source",
  },
  "key.algorithm": {
    kind: "choice",
    choices: KEY_ALGORITHMS,
    default: "RSA_2048",
    doc: "The key algorithm.",
    cli: { flag: "--key-algorithm", arg: "<alg>", help: "key algorithm" },
    pulumi: "key.algorithm",
    cdktf: "key.algorithm",
    tf: "key_algorithm",
  },
  "key.csrPem": {
    kind: "pem",
    doc: "Your CSR, PEM. Required with key source csr, not allowed otherwise.",
    cli: { flag: "--csr", arg: "<file>", help: "your CSR (PEM); implies --key-source csr", file: true },
    pulumi: "key.csrPem",
    cdktf: "key.csrPem",
    tf: "csr_pem",
  },
  "key.privateKeyPem": {
    kind: "pem",
    doc: "Your private key, PEM, with key source local. SECRET.",
    cli: { flag: "--key", arg: "<file>", help: "your private key (PEM) for --key-source local", file: true },
    pulumi: "key.privateKeyPem",
    secret: true,
  },
  validation: {
    kind: "choice",
    choices: VALIDATION_METHODS,
    default: "dnspod",
    doc: "Domain validation: dnspod (records made and removed for you), DNS_AUTO (Tencent does it), manual-dns (you publish the records).",
    cli: { flag: "--validation", arg: "<method>", help: "domain validation" },
    pulumi: "validation",
    cdktf: "validation",
    tf: "validation",
  },
  payment: { kind: "object", doc: "How the renewal is paid.", pulumi: "payment", cdktf: "payment" },
  "payment.productPid": {
    kind: "integer",
    doc: "The product to renew as (ProductPid); derived from the certificate's PackageType when left out.",
    cli: { flag: "--product-pid", arg: "<pid>", help: "ProductPid to renew as (default: derived)" },
    pulumi: "payment.productPid",
    cdktf: "payment.productPid",
    tf: "product_pid",
  },
  "payment.packageIds": {
    kind: "list",
    doc: "Benefit packages to pay with; chosen from DescribePackages when left out.",
    cli: { flag: "--package-id", arg: "<id...>", help: "benefit package(s) to pay with (default: chosen)" },
    pulumi: "payment.packageIds",
    cdktf: "payment.packageIds",
    tf: "package_ids",
  },
  waitTimeoutMinutes: {
    kind: "number",
    default: 30,
    doc: "How long one run waits for issuance before stopping with a resumable error (0–10080).",
    cli: { flag: "--wait-timeout-minutes", arg: "<n>", help: "stop waiting for issuance after n minutes (resumable)" },
    pulumi: "waitTimeoutMinutes",
    cdktf: "waitTimeoutMinutes",
    tf: "wait_timeout_minutes",
  },
  force: {
    kind: "boolean",
    default: false,
    doc: "Renew even when not due (Pulumi and CDKTF use renewalTrigger instead).",
    cli: { flag: "--force", help: "renew even when not due (pays)" },
  },
  allowTencentAutoRenew: {
    kind: "boolean",
    default: false,
    doc: "Renew even though Tencent's own auto-renewal, hosting or subscription is on for the certificate (both could pay); refused before paying otherwise.",
    cli: { flag: "--allow-tencent-auto-renew", help: "renew even when Tencent's own auto-renewal/hosting is on (both could pay)" },
    pulumi: "allowTencentAutoRenew",
    // No cdktf/tf name yet: the construct forwards only the tf-renew query keys (constructs/protocol.ts RENEW_KEYS).
  },
  deploy: {
    kind: "list",
    doc: "Resources to move to the new certificate after issuance; none when left out.",
    cli: { flag: "--deploy" },
    pulumi: "deploy",
    cdktf: "deploy",
    tf: "deploy",
  },
  "deploy[].resourceType": {
    kind: "choice",
    choices: DEPLOY_RESOURCE_TYPES,
    doc: "The type of the resources to deploy to.",
    cli: { flag: "--deploy", arg: "<types>", help: "after issuance, deploy to the resources of these types bound to the old certificate, e.g. clb,cdn", commaList: true },
    pulumi: "deploy[].resourceType",
    cdktf: "deploy[].resourceType",
  },
  "deploy[].regions": {
    kind: "list",
    doc: `Regions of the resources; required for the regional types (${REGIONAL_RESOURCE_TYPES.join(", ")}), which Tencent refuses without them.`,
    cli: { flag: "--region", arg: "<region...>", help: "regions for --deploy" },
    pulumi: "deploy[].regions",
    cdktf: "deploy[].regions",
  },
} as const satisfies Readonly<Record<string, FieldSpec>>;

export type FieldName = keyof typeof FIELDS;

/** Every query key of the `tccert tf-*` external programs that carries an engine field. */
export type TfQueryKey = { [F in FieldName]: (typeof FIELDS)[F] extends { readonly tf: infer K extends string } ? K : never }[FieldName];

/** The fields a front end knows, as `[engine path, spec]`, in table order. */
export function fieldsOf(vocabulary: Exclude<Vocabulary, "engine"> | "tf"): [FieldName, FieldSpec][] {
  return (Object.entries(FIELDS) as [FieldName, FieldSpec][]).filter(([, spec]) => spec[vocabulary] !== undefined);
}

/**
 * The names a front end accepts directly under `parent` ("" for the top level), in table order:
 * `namesIn("pulumi", "key")` is `["source", "algorithm", "csrPem", "privateKeyPem"]`.
 */
export function namesIn(vocabulary: "pulumi" | "cdktf" | "tf", parent = ""): string[] {
  const prefix = parent === "" ? "" : `${parent}.`;
  return fieldsOf(vocabulary)
    .map(([, spec]) => spec[vocabulary]!)
    .filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes(".") && !name.includes("[]"))
    .map((name) => name.slice(prefix.length));
}

/**
 * A field's name in a vocabulary. `field` is an engine path, possibly with list indexes
 * (`deploy[2].regions`); a name the table does not know is returned as it is.
 */
export function fieldLabel(field: string, vocabulary: Vocabulary = "engine"): string {
  if (vocabulary === "engine") return field;
  const indexes = [...field.matchAll(/\[(\d+)\]/g)].map((m) => m[1]);
  const spec = (FIELDS as Readonly<Record<string, FieldSpec>>)[field.replace(/\[\d+\]/g, "[]")];
  const name = vocabulary === "cli" ? spec?.cli?.flag : spec?.[vocabulary];
  if (name === undefined) return field;
  let i = 0;
  return name.replace(/\[\]/g, () => `[${indexes[i++] ?? ""}]`);
}

/** The documented defaults, from `FIELDS`. */
export const DEFAULTS = {
  renewBeforeDays: FIELDS.renewBeforeDays.default,
  keySource: FIELDS["key.source"].default as KeySource,
  keyAlgorithm: FIELDS["key.algorithm"].default as KeyAlgorithm,
  validation: FIELDS.validation.default as ValidationMethod,
  waitTimeoutMinutes: FIELDS.waitTimeoutMinutes.default,
} as const;

/** Which algorithms Tencent generates keys for (key sources `online` and `original`). */
export const TENCENT_GENERATES: Readonly<Record<KeyAlgorithm, boolean>> = {
  RSA_2048: true,
  RSA_3072: false,
  RSA_4096: true,
  EC_P256: true,
  EC_P384: false,
};

/** One problem with one field. `field` is the engine path; render it with `fieldLabel`. */
export interface InputProblem {
  readonly field: string;
  readonly message: string;
}

export interface ValidateSettings {
  /** Whose words the messages use for field names. @default "engine" */
  readonly vocabulary?: Vocabulary;
  /** Values not known yet (Pulumi unknowns, CDKTF tokens): skipped. @default none is unknown */
  readonly isUnknown?: (v: unknown) => boolean;
}

const CERT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The engine's rule for a Tencent certificate id. */
export function isCertificateId(v: unknown): v is string {
  return typeof v === "string" && CERT_ID.test(v);
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === undefined) return "nothing";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(", ");
const orList = (values: readonly string[]): string => (values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`);

/** What every check needs: the raw value, how to name fields, and where to put problems. */
interface Checker {
  readonly L: (field: string) => string;
  readonly add: (field: string, message: string) => void;
  readonly known: (v: unknown) => boolean;
  readonly isUnknown: (v: unknown) => boolean;
}

function checkScalars(raw: Record<string, unknown>, c: Checker): void {
  const { L, add, known } = c;
  const id = raw["certificateId"];
  if (!c.isUnknown(id) && !isCertificateId(id))
    add("certificateId", `${L("certificateId")} must be a Tencent certificate id such as "a1B2c3D4"; got ${show(id)}. Find it with \`tccert scan\` or in the SSL console.`);

  const days = raw["renewBeforeDays"];
  if (known(days) && (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 365))
    add("renewBeforeDays", `${L("renewBeforeDays")} must be a whole number of days from 1 to 365; got ${show(days)}. The default is ${DEFAULTS.renewBeforeDays}.`);

  const wait = raw["waitTimeoutMinutes"];
  if (known(wait) && (typeof wait !== "number" || !Number.isFinite(wait) || wait < 0 || wait > 7 * 24 * 60))
    add("waitTimeoutMinutes", `${L("waitTimeoutMinutes")} must be a number of minutes from 0 to 10080; got ${show(wait)}. Use 0 to start the renewal and return at once.`);

  const validation = raw["validation"];
  if (known(validation) && !(VALIDATION_METHODS as readonly unknown[]).includes(validation))
    add("validation", `${L("validation")} must be one of ${quoted(VALIDATION_METHODS)}; got ${show(validation)}.`);

  const force = raw["force"];
  if (known(force) && typeof force !== "boolean") add("force", `${L("force")} must be true or false; got ${show(force)}.`);
  const allow = raw["allowTencentAutoRenew"];
  if (known(allow) && typeof allow !== "boolean") add("allowTencentAutoRenew", `${L("allowTencentAutoRenew")} must be true or false; got ${show(allow)}.`);
}

function checkPayment(payment: Record<string, unknown>, c: Checker): void {
  const { L, add, known } = c;
  const pid = payment["productPid"];
  if (known(pid) && (typeof pid !== "number" || !Number.isInteger(pid) || pid < 1000000 || pid > 9999999))
    add("payment.productPid", `${L("payment.productPid")} must be Tencent's 7-digit product PID such as 1013949; got ${show(pid)}. Leave it out to derive it from the certificate.`);
  const ids = payment["packageIds"];
  if (known(ids) && (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => !c.isUnknown(x) && (typeof x !== "string" || x.trim() === ""))))
    add("payment.packageIds", `${L("payment.packageIds")} must be a non-empty list of package ids from \`DescribePackages\`; got ${show(ids)}. Leave it out to choose automatically.`);
}

function checkDeployTarget(t: unknown, i: number, c: Checker): void {
  const { L, add, known } = c;
  if (c.isUnknown(t)) return;
  const rt = (t as Record<string, unknown> | null)?.["resourceType"];
  if (typeof t !== "object" || t === null || (!c.isUnknown(rt) && (typeof rt !== "string" || !(DEPLOY_RESOURCE_TYPES as readonly string[]).includes(rt))))
    add(`deploy[${i}].resourceType`, `${L(`deploy[${i}].resourceType`)} must be one of ${DEPLOY_RESOURCE_TYPES.join(", ")}; got ${show(rt)}.`);
  const regions = (t as Record<string, unknown> | null)?.["regions"];
  if (known(regions) && (!Array.isArray(regions) || regions.some((r) => !c.isUnknown(r) && typeof r !== "string")))
    add(`deploy[${i}].regions`, `${L(`deploy[${i}].regions`)} must be a list of region names such as "ap-guangzhou"; got ${show(regions)}.`);
  else if (typeof rt === "string" && (REGIONAL_RESOURCE_TYPES as readonly string[]).includes(rt) && !c.isUnknown(regions) && (!Array.isArray(regions) || regions.length === 0))
    add(
      `deploy[${i}].regions`,
      `${L(`deploy[${i}].regions`)} is required for resource type "${rt}": Tencent refuses a regional type (${REGIONAL_RESOURCE_TYPES.join(", ")}) without its regions. Name them, e.g. ["ap-guangzhou"].`,
    );
}

/** Key source `csr`: the key is only the user's, and CLB / CDN need it, so nothing can be deployed. */
function checkDeployKey(raw: Record<string, unknown>, c: Checker): void {
  const deploy = raw["deploy"];
  const key = raw["key"];
  const source = typeof key === "object" && key !== null ? (key as Record<string, unknown>)["source"] : undefined;
  if (source === "csr" && Array.isArray(deploy) && deploy.length > 0)
    c.add(
      "deploy",
      `${c.L("deploy")} cannot be used with ${c.L("key.source")} "csr": the private key is only yours, and Tencent needs it to install the certificate on CLB / CDN. ` +
        `Install the certificate with your key yourself, or use ${c.L("key.source")} "local".`,
    );
}

function checkObjects(raw: Record<string, unknown>, c: Checker): void {
  const { L, add, known } = c;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const key = raw["key"];
  if (known(key)) {
    if (!isObject(key)) add("key", `${L("key")} must be an object like { source: "local", algorithm: "RSA_2048" }; got ${show(key)}.`);
    else checkKey(key, c);
  }
  const payment = raw["payment"];
  if (known(payment)) {
    if (!isObject(payment)) add("payment", `${L("payment")} must be an object like { productPid: 1013949, packageIds: ["pkg-…"] }; got ${show(payment)}.`);
    else checkPayment(payment, c);
  }
  const deploy = raw["deploy"];
  if (known(deploy)) {
    if (!Array.isArray(deploy)) add("deploy", `${L("deploy")} must be a list like [{ resourceType: "clb", regions: ["ap-guangzhou"] }]; got ${show(deploy)}.`);
    else deploy.forEach((t, i) => checkDeployTarget(t, i, c));
  }
}

function checkKeyMaterial(key: Record<string, unknown>, src: unknown, c: Checker): void {
  const { L, add, known } = c;
  const csr = key["csrPem"];
  const pk = key["privateKeyPem"];
  const [csrPem, source] = [L("key.csrPem"), L("key.source")];
  if (src === "csr" && (csr === undefined || csr === null)) add("key.csrPem", `${csrPem} is required with ${source} "csr": pass your PEM certificate signing request.`);
  if (known(csr)) {
    if (src !== "csr") add("key.csrPem", `${csrPem} is only used with ${source} "csr", but ${source} is ${show(src)}. Remove ${csrPem} or set ${source} to "csr".`);
    else if (typeof csr !== "string" || !csr.includes("-----BEGIN CERTIFICATE REQUEST-----"))
      add("key.csrPem", `${csrPem} must be a PEM CSR starting with "-----BEGIN CERTIFICATE REQUEST-----"; got a ${typeof csr} that is not one.`);
  }
  if (known(pk)) {
    const privateKeyPem = L("key.privateKeyPem");
    // Never echo a private key, not even a prefix.
    if (src !== "local") add("key.privateKeyPem", `${privateKeyPem} is only used with ${source} "local", but ${source} is ${show(src)}.`);
    else if (typeof pk !== "string" || !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pk))
      add("key.privateKeyPem", `${privateKeyPem} must be an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1); the value given is not one (not shown: it may be secret).`);
  }
}

function checkKey(key: Record<string, unknown>, c: Checker): void {
  const { L, add, known } = c;
  const source = key["source"];
  const algorithm = key["algorithm"];
  if (known(source) && !(KEY_SOURCES as readonly unknown[]).includes(source))
    add("key.source", `${L("key.source")} must be one of ${quoted(KEY_SOURCES)}; got ${show(source)}.`);
  const knownAlgorithm = (KEY_ALGORITHMS as readonly unknown[]).includes(algorithm);
  if (known(algorithm) && !knownAlgorithm) add("key.algorithm", `${L("key.algorithm")} must be one of ${KEY_ALGORITHMS.join(", ")}; got ${show(algorithm)}.`);
  const src = known(source) ? source : DEFAULTS.keySource;
  checkKeyMaterial(key, src, c);
  if ((src === "online" || src === "original") && knownAlgorithm && !TENCENT_GENERATES[algorithm as KeyAlgorithm]) {
    const offered = KEY_ALGORITHMS.filter((a) => TENCENT_GENERATES[a]);
    add("key.algorithm", `${L("key.algorithm")} ${String(algorithm)} is not offered by Tencent for ${L("key.source")} ${show(src)}: Tencent generates ${orList(offered)}. Use one of those, or ${L("key.source")} "local".`);
  }
}

/**
 * Every problem with the options, one per field, naming fields in `settings.vocabulary`. Values
 * that are not known yet (Pulumi unknowns, CDKTF tokens) are skipped with `settings.isUnknown`
 * (a bare function is taken as `isUnknown`, as before).
 */
export function validateOptions(raw: Record<string, unknown>, settings: ValidateSettings | ((v: unknown) => boolean) = {}): InputProblem[] {
  const s: ValidateSettings = typeof settings === "function" ? { isUnknown: settings } : settings;
  const isUnknown = s.isUnknown ?? (() => false);
  const problems: InputProblem[] = [];
  const checker: Checker = {
    L: (field) => fieldLabel(field, s.vocabulary),
    add: (field, message) => problems.push({ field, message }),
    known: (v) => v !== undefined && v !== null && !isUnknown(v),
    isUnknown,
  };
  checkScalars(raw, checker);
  checkObjects(raw, checker);
  checkDeployKey(raw, checker);
  return problems;
}

/** The first problem as an `InvalidInputError` naming the field in `vocabulary`, and counting the rest; null when none. */
export function problemsError(problems: readonly InputProblem[], vocabulary: Vocabulary = "engine"): InvalidInputError | null {
  const first = problems[0];
  if (!first) return null;
  const rest = problems.slice(1).map((p) => fieldLabel(p.field, vocabulary));
  return new InvalidInputError(fieldLabel(first.field, vocabulary), rest.length === 0 ? first.message : `${first.message} (and ${rest.length} more: ${rest.join(", ")})`);
}

/** Validate and fill in defaults; throws the first problem as an `InvalidInputError`, in `vocabulary`. */
export function resolveOptions(raw: RenewalOptions, vocabulary: Vocabulary = "engine"): ResolvedOptions {
  const error = problemsError(validateOptions(raw as unknown as Record<string, unknown>, { vocabulary }), vocabulary);
  if (error) throw error;
  const key = raw.key ?? {};
  return {
    certificateId: raw.certificateId,
    renewBeforeDays: raw.renewBeforeDays ?? DEFAULTS.renewBeforeDays,
    key: {
      source: key.source ?? DEFAULTS.keySource,
      algorithm: key.algorithm ?? DEFAULTS.keyAlgorithm,
      ...(key.csrPem !== undefined ? { csrPem: key.csrPem } : {}),
      ...(key.privateKeyPem !== undefined ? { privateKeyPem: key.privateKeyPem } : {}),
    },
    validation: raw.validation ?? DEFAULTS.validation,
    payment: {
      ...(raw.payment?.productPid !== undefined ? { productPid: raw.payment.productPid } : {}),
      ...(raw.payment?.packageIds !== undefined ? { packageIds: raw.payment.packageIds } : {}),
    },
    waitTimeoutMinutes: raw.waitTimeoutMinutes ?? DEFAULTS.waitTimeoutMinutes,
    force: raw.force ?? FIELDS.force.default,
    // `regions` is optional for a global type (cdn, …): every front end gets a list.
    deploy: (raw.deploy ?? []).map((t) => ({ ...t, regions: t.regions ?? [] })),
    allowTencentAutoRenew: raw.allowTencentAutoRenew ?? FIELDS.allowTencentAutoRenew.default,
  };
}
