/**
 * `RenewedCertificateConfig`: the resource's contract (DESIGN §4), as the CDKTF construct takes
 * it, and its synth-time validation. Validation goes through the engine's `validateOptions`, so
 * the construct, the Pulumi resource and the CLI reject bad input with the same messages; values
 * that are still tokens are skipped (Terraform knows them only at plan).
 */
import { Token } from "cdktf";
import type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "../engine/domain";
import { InvalidInputError } from "../engine/errors";
import { namesIn, validateOptions, type InputProblem } from "../engine/options";
import { KEY_ROTATIONS, TF_KEY_SOURCES, TF_KEY_SOURCE_REASON, type KeyRotation } from "./protocol";

export interface RenewedCertificateKey {
  /**
   * Where the new certificate's key comes from:
   * - `local`: a `tls_private_key` in Terraform state (sensitive) and a `tls_cert_request` made
   *   from it; the CSR goes to the renewal, the key never leaves Terraform;
   * - `csr`: your own CSR (`csrPem`); you keep the key, and the construct has no `privateKeyPem`.
   * `online` and `original` (Tencent holds the key) are refused: the key would come back through a
   * `data "external"` result, which Terraform cannot mark sensitive (`terraform show` prints it).
   * @default "local"
   */
  readonly source?: KeySource;
  /**
   * The `tls_private_key` algorithm (key.source "local").
   * @default "RSA_2048"
   */
  readonly algorithm?: KeyAlgorithm;
  /** Your CSR (PEM). Required with `source: "csr"`, not allowed otherwise. @default none */
  readonly csrPem?: string;
}

export interface RenewedCertificatePayment {
  /** The product to renew as (`ProductPid`). @default derived from the certificate's `PackageType` */
  readonly productPid?: number;
  /** Benefit packages to pay with. @default chosen from `DescribePackages`, soonest to expire first */
  readonly packageIds?: string[];
}

export interface RenewedCertificateConfig {
  /** The paid certificate whose lineage is managed: the lineage root, the stable identity. */
  readonly certificateId: string;
  /** Renew this many days before expiry. @default 30 */
  readonly renewBeforeDays?: number;
  /** @default { source: "local", algorithm: "RSA_2048" } */
  readonly key?: RenewedCertificateKey;
  /**
   * Domain validation for DV certificates: `dnspod` (records are created and cleaned up for you),
   * `DNS_AUTO` (Tencent does it), or `manual-dns` (the apply stops and says which records to add).
   * @default "dnspod"
   */
  readonly validation?: ValidationMethod;
  /** @default chosen from `DescribePackages`, explained in the apply's log; fails before paying when impossible */
  readonly payment?: RenewedCertificatePayment;
  /**
   * How long one apply waits for issuance. Past it, the apply fails with a resumable message and
   * the next apply continues the same (already paid) renewal.
   * @default 30
   */
  readonly waitTimeoutMinutes?: number;
  /**
   * Change it to renew at the next apply, even when not due (Tencent must allow renewing: its
   * `RenewAble`). It is satisfied once a certificate newer than the one current at the change
   * exists, so a rerun never renews twice. Setting it for the first time counts as a change.
   * @default none (renew only when due)
   */
  readonly renewalTrigger?: string;
  /** Resources to move to the new certificate after issuance (`UpdateCertificateInstance`). @default [] */
  readonly deploy?: DeployTarget[];
  /**
   * `always`: a new `tls_private_key` for every renewal cycle (replaced in the apply that renews;
   * a renewal that resumes keeps its key). `never`: one key for the life of the stack. With
   * `always`, `privateKeyPem` changes together with the certificate, and anything pinned to the
   * public key must follow.
   * @default "always"
   */
  readonly keyRotation?: KeyRotation;
  /**
   * The command that starts `tccert`, without the subcommand: an argv prefix you choose at synth.
   * Terraform runs it from the synthesized stack directory. The default finds the `tccert` bin of
   * your project through npm; use `["tccert"]` when it is on PATH, or
   * `["node", "/abs/path/node_modules/tencentcloud-cert-renewal/dist/cli/main.js"]` for a relocated
   * output folder or a runner with the package in a fixed place.
   * @default ["npx", "--no-install", "tccert"]
   */
  readonly program?: string[];
  /**
   * Where `tccert tf-renew` keeps its key journal and lineage locks (TCCERT_STATE_DIR of the
   * renewal step), relative to the stack directory or absolute. Keep it between runs.
   * @default env TCCERT_STATE_DIR, else `.tccert-state` in the project (the nearest directory with a package.json above the stack directory)
   */
  readonly stateDir?: string;
}

/** Options of the construct that are not engine fields (the construct's own). */
const CDKTF_ONLY_FIELDS = ["renewalTrigger", "program", "keyRotation", "stateDir"];
/** The engine's fields, by their CDKTF names (from the engine's field table), and the construct's own. */
const KNOWN_FIELDS = [...namesIn("cdktf"), ...CDKTF_ONLY_FIELDS];
const KNOWN_KEY_FIELDS = namesIn("cdktf", "key");
const KNOWN_PAYMENT_FIELDS = namesIn("cdktf", "payment");

const unresolved = (v: unknown): boolean => v !== undefined && v !== null && Token.isUnresolved(v);

/** Every problem with a config, one per field. Token values are skipped. */
export function configProblems(config: RenewedCertificateConfig): InputProblem[] {
  const raw = config as unknown as Record<string, unknown>;
  const problems: InputProblem[] = [];
  if (typeof raw !== "object" || raw === null) return [{ field: "config", message: "the config must be an object like { certificateId: \"a1B2c3D4\" }." }];
  for (const k of Object.keys(raw))
    if (!KNOWN_FIELDS.includes(k)) problems.push({ field: k, message: `${k} is not an option of RenewedCertificate; the options are ${KNOWN_FIELDS.join(", ")}.` });
  const key = raw["key"];
  if (key !== undefined && !unresolved(key) && typeof key === "object" && key !== null && !Array.isArray(key)) {
    const k = key as Record<string, unknown>;
    if (k["privateKeyPem"] !== undefined)
      problems.push({
        field: "key.privateKeyPem",
        message: `key.privateKeyPem is not accepted by the CDKTF construct: it would be written, unencrypted, into the synthesized JSON. Use key.source "local" (a tls_private_key in Terraform state), or make a CSR for your key and use key.source "csr".`,
      });
    for (const f of Object.keys(k))
      if (!KNOWN_KEY_FIELDS.includes(f) && f !== "privateKeyPem") problems.push({ field: `key.${f}`, message: `key.${f} is not an option; key takes ${KNOWN_KEY_FIELDS.join(", ")}.` });
    if (unresolved(k["source"]))
      problems.push({ field: "key.source", message: `key.source must be known at synth (it decides which resources are synthesized); got a token.` });
    else if (k["source"] === "online" || k["source"] === "original")
      problems.push({ field: "key.source", message: `key.source ${JSON.stringify(k["source"])} is not offered by the CDKTF construct (it takes ${TF_KEY_SOURCES.join(", ")}): ${TF_KEY_SOURCE_REASON}` });
  } else if (unresolved(key)) {
    problems.push({ field: "key", message: `key must be known at synth (it decides which resources are synthesized); got a token. Tokens are fine inside it, except key.source.` });
  }
  const payment = raw["payment"];
  if (payment !== undefined && !unresolved(payment) && typeof payment === "object" && payment !== null && !Array.isArray(payment))
    for (const f of Object.keys(payment))
      if (!KNOWN_PAYMENT_FIELDS.includes(f)) problems.push({ field: `payment.${f}`, message: `payment.${f} is not an option; payment takes ${KNOWN_PAYMENT_FIELDS.join(", ")}.` });

  const engineRaw: Record<string, unknown> = { ...raw };
  for (const own of CDKTF_ONLY_FIELDS) delete engineRaw[own];
  if (key !== undefined && !unresolved(key) && typeof key === "object" && key !== null) {
    const { privateKeyPem: _secret, ...rest } = key as Record<string, unknown>;
    // The engine counts a token csrPem as missing; a token is a CSR known at plan, so stand in for it.
    if (unresolved(rest["csrPem"])) rest["csrPem"] = "-----BEGIN CERTIFICATE REQUEST----- (known at plan)";
    engineRaw["key"] = rest;
  }
  problems.push(...validateOptions(engineRaw, { vocabulary: "cdktf", isUnknown: unresolved }));

  const trigger = raw["renewalTrigger"];
  if (trigger !== undefined && !unresolved(trigger) && typeof trigger !== "string")
    problems.push({ field: "renewalTrigger", message: `renewalTrigger must be a string, e.g. "2025-06-rotate"; got ${JSON.stringify(trigger)}. Change it to force a renewal.` });
  else if (trigger === "")
    problems.push({ field: "renewalTrigger", message: `renewalTrigger must not be empty: leave it out to renew only when due, or set a value such as "2025-06-rotate".` });

  const rotation = raw["keyRotation"];
  if (rotation !== undefined && !(KEY_ROTATIONS as readonly unknown[]).includes(rotation))
    problems.push({ field: "keyRotation", message: `keyRotation must be one of ${KEY_ROTATIONS.map((r) => JSON.stringify(r)).join(", ")} (known at synth); got ${describe(rotation)}. "always" (the default) makes a new key for every renewal.` });
  const stateDir = raw["stateDir"];
  if (stateDir !== undefined && (typeof stateDir !== "string" || stateDir.trim() === "" || unresolved(stateDir)))
    problems.push({ field: "stateDir", message: `stateDir must be a non-empty literal path, e.g. "../../../.tccert-state" or "/var/lib/tccert"; got ${describe(stateDir)}. Leave it out for .tccert-state in your project.` });

  const program = raw["program"];
  if (program !== undefined) {
    if (unresolved(program) || !Array.isArray(program) || program.length === 0 || program.some((p) => typeof p !== "string" || p.trim() === "" || unresolved(p)))
      problems.push({ field: "program", message: `program must be a non-empty list of literal strings that starts tccert, e.g. ["npx", "--no-install", "tccert"] or ["tccert"]; got ${describe(program)}.` });
  }
  return problems;
}

function describe(v: unknown): string {
  if (unresolved(v)) return "a token";
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Throw every problem as one `InvalidInputError` naming the first field (and the others). */
export function assertValidConfig(id: string, config: RenewedCertificateConfig): void {
  const problems = configProblems(config);
  const first = problems[0];
  if (!first) return;
  const text = problems.length === 1 ? first.message : problems.map((p, i) => `(${i + 1}) ${p.message}`).join(" ");
  throw new InvalidInputError(first.field, `RenewedCertificate "${id}": ${text}`);
}
