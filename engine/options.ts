/**
 * The renewal's inputs (DESIGN §4), their defaults, and their validation.
 * Every front end validates through here, so Pulumi `check`, CDKTF synth and
 * the CLI reject bad input with the same message, before anything is paid.
 */
import type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "./domain";
import { InvalidInputError } from "./errors";

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"];
export const KEY_SOURCES: readonly KeySource[] = ["local", "online", "original", "csr"];
export const VALIDATION_METHODS: readonly ValidationMethod[] = ["dnspod", "DNS_AUTO", "manual-dns"];

export interface KeyOptions {
  /**
   * Where the new key comes from: `local` (we generate it, or use `privateKeyPem`),
   * `online` (Tencent generates it), `original` (reuse the old CSR), `csr` (you supply `csrPem`).
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
}

export const DEFAULTS = {
  renewBeforeDays: 30,
  keySource: "local" as KeySource,
  keyAlgorithm: "RSA_2048" as KeyAlgorithm,
  validation: "dnspod" as ValidationMethod,
  waitTimeoutMinutes: 30,
} as const;

/** One problem with one field. */
export interface InputProblem {
  readonly field: string;
  readonly message: string;
}

const CERT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DEPLOY_TYPES = ["clb", "cdn", "waf", "live", "ddos", "teo", "apigateway", "vod", "tke", "tcb", "tse", "cos", "mqtt", "scf", "tdmq", "gaap"];

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === undefined) return "nothing";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Every problem with the options, one per field. Values that are not known yet
 * (Pulumi unknowns, CDKTF tokens) are skipped by passing `isUnknown`.
 */
export function validateOptions(raw: Record<string, unknown>, isUnknown: (v: unknown) => boolean = () => false): InputProblem[] {
  const problems: InputProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);

  const id = raw["certificateId"];
  if (!isUnknown(id)) {
    if (typeof id !== "string" || !CERT_ID.test(id))
      add("certificateId", `certificateId must be a Tencent certificate id such as "a1B2c3D4"; got ${show(id)}. Find it with \`tccert scan\` or in the SSL console.`);
  }

  const days = raw["renewBeforeDays"];
  if (known(days) && (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 365))
    add("renewBeforeDays", `renewBeforeDays must be a whole number of days from 1 to 365; got ${show(days)}. The default is ${DEFAULTS.renewBeforeDays}.`);

  const wait = raw["waitTimeoutMinutes"];
  if (known(wait) && (typeof wait !== "number" || !Number.isFinite(wait) || wait < 0 || wait > 7 * 24 * 60))
    add("waitTimeoutMinutes", `waitTimeoutMinutes must be a number of minutes from 0 to 10080; got ${show(wait)}. Use 0 to start the renewal and return at once.`);

  const validation = raw["validation"];
  if (known(validation) && !VALIDATION_METHODS.includes(validation as ValidationMethod))
    add("validation", `validation must be one of ${VALIDATION_METHODS.map((v) => `"${v}"`).join(", ")}; got ${show(validation)}.`);

  const force = raw["force"];
  if (known(force) && typeof force !== "boolean") add("force", `force must be true or false; got ${show(force)}.`);

  const key = raw["key"];
  if (known(key)) {
    if (typeof key !== "object" || Array.isArray(key)) add("key", `key must be an object like { source: "local", algorithm: "RSA_2048" }; got ${show(key)}.`);
    else validateKey(key as Record<string, unknown>, add, known);
  }

  const payment = raw["payment"];
  if (known(payment)) {
    if (typeof payment !== "object" || Array.isArray(payment)) add("payment", `payment must be an object like { productPid: 1013949, packageIds: ["pkg-…"] }; got ${show(payment)}.`);
    else {
      const p = payment as Record<string, unknown>;
      const pid = p["productPid"];
      if (known(pid) && (typeof pid !== "number" || !Number.isInteger(pid) || pid < 1000000 || pid > 9999999))
        add("payment.productPid", `payment.productPid must be Tencent's 7-digit product PID such as 1013949; got ${show(pid)}. Leave it out to derive it from the certificate.`);
      const ids = p["packageIds"];
      if (known(ids) && (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => !isUnknown(x) && (typeof x !== "string" || x.trim() === ""))))
        add("payment.packageIds", `payment.packageIds must be a non-empty list of package ids from \`DescribePackages\`; got ${show(ids)}. Leave it out to choose automatically.`);
    }
  }

  const deploy = raw["deploy"];
  if (known(deploy)) {
    if (!Array.isArray(deploy)) add("deploy", `deploy must be a list like [{ resourceType: "clb", regions: ["ap-guangzhou"] }]; got ${show(deploy)}.`);
    else
      deploy.forEach((t, i) => {
        if (isUnknown(t)) return;
        const rt = (t as Record<string, unknown> | null)?.["resourceType"];
        if (typeof t !== "object" || t === null || (!isUnknown(rt) && (typeof rt !== "string" || !DEPLOY_TYPES.includes(rt))))
          add(`deploy[${i}].resourceType`, `deploy[${i}].resourceType must be one of ${DEPLOY_TYPES.join(", ")}; got ${show(rt)}.`);
        const regions = (t as Record<string, unknown> | null)?.["regions"];
        if (known(regions) && (!Array.isArray(regions) || regions.some((r) => !isUnknown(r) && typeof r !== "string")))
          add(`deploy[${i}].regions`, `deploy[${i}].regions must be a list of region names such as "ap-guangzhou"; got ${show(regions)}.`);
      });
  }
  return problems;
}

function validateKey(key: Record<string, unknown>, add: (f: string, m: string) => void, known: (v: unknown) => boolean): void {
  const source = key["source"];
  const algorithm = key["algorithm"];
  const csr = key["csrPem"];
  const pk = key["privateKeyPem"];
  if (known(source) && !KEY_SOURCES.includes(source as KeySource))
    add("key.source", `key.source must be one of ${KEY_SOURCES.map((v) => `"${v}"`).join(", ")}; got ${show(source)}.`);
  if (known(algorithm) && !KEY_ALGORITHMS.includes(algorithm as KeyAlgorithm))
    add("key.algorithm", `key.algorithm must be one of ${KEY_ALGORITHMS.join(", ")}; got ${show(algorithm)}.`);
  const src = known(source) ? source : DEFAULTS.keySource;
  if (src === "csr" && (csr === undefined || csr === null)) add("key.csrPem", `key.csrPem is required with key.source "csr": pass your PEM certificate signing request.`);
  if (known(csr)) {
    if (src !== "csr") add("key.csrPem", `key.csrPem is only used with key.source "csr", but key.source is ${show(src)}. Remove key.csrPem or set key.source to "csr".`);
    else if (typeof csr !== "string" || !csr.includes("-----BEGIN CERTIFICATE REQUEST-----"))
      add("key.csrPem", `key.csrPem must be a PEM CSR starting with "-----BEGIN CERTIFICATE REQUEST-----"; got a ${typeof csr} that is not one.`);
  }
  if (known(pk)) {
    // Never echo a private key, not even a prefix.
    if (src !== "local") add("key.privateKeyPem", `key.privateKeyPem is only used with key.source "local", but key.source is ${show(src)}.`);
    else if (typeof pk !== "string" || !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pk))
      add("key.privateKeyPem", `key.privateKeyPem must be an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1); the value given is not one (not shown: it may be secret).`);
  }
  if ((src === "online" || src === "original") && known(algorithm) && (algorithm === "RSA_3072" || algorithm === "EC_P384"))
    add("key.algorithm", `key.algorithm ${algorithm} is not offered by Tencent for key.source ${show(src)}: Tencent generates RSA_2048, RSA_4096 or EC_P256. Use one of those, or key.source "local".`);
}

/** Validate and fill in defaults; throws the first problem as an `InvalidInputError`. */
export function resolveOptions(raw: RenewalOptions): ResolvedOptions {
  const problems = validateOptions(raw as unknown as Record<string, unknown>);
  const first = problems[0];
  if (first) throw new InvalidInputError(first.field, problems.length === 1 ? first.message : `${first.message} (and ${problems.length - 1} more: ${problems.slice(1).map((p) => p.field).join(", ")})`);
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
    force: raw.force ?? false,
    deploy: raw.deploy ?? [],
  };
}
