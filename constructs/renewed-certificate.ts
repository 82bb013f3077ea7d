/**
 * `RenewedCertificate`: a paid Tencent Cloud SSL certificate, renewed by `cdktf deploy`.
 *
 * Terraform cannot run TypeScript during apply and get values back, and a plan must never spend
 * money, so the construct synthesizes the gate pattern. The contract (inputs, outputs, programs,
 * cycles) is terraform/modules/renewed-certificate/README.md, shared with the plain HCL module:
 *
 *   data "external" status        plan time, read-only: the current certificate and its cycles
 *        ├── terraform_data renewal_trigger   (only with renewalTrigger: the certificate current when it changed)
 *        ├── terraform_data key_cycle ── tls_private_key ── tls_cert_request   (key.source "local")
 *        ▼
 *   terraform_data renewal        triggers_replace = the effective cycle; local-exec: tccert tf-renew
 *        ▼
 *   data "external" material      gated on renewal.output (read during apply when the step is
 *                                 replaced); postcondition: the certificate is for the stack's key
 *
 * Every value Terraform stores or outputs stays the same until a renewal is actually due, so a
 * plan after an apply is empty; a due or forced renewal converges in one apply. No key ever goes
 * through a program: Terraform cannot mark a `data "external"` result sensitive.
 */
import { DataExternal } from "@cdktf/provider-external/lib/data-external";
import { CertRequest } from "@cdktf/provider-tls/lib/cert-request";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { DataResource, Fn, Op, Token, conditional, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { InvalidInputError } from "../engine/errors";
import type { KeyAlgorithm } from "../engine/domain";
import { DEFAULTS } from "../engine/options";
import { assertValidConfig, type RenewedCertificateConfig } from "./config";
import { DEFAULT_PROGRAM, TF_COMMANDS, TF_ENV, type MaterialQuery, type RenewQuery, type StatusQuery } from "./protocol";
import { externalProvider, tlsProvider } from "./providers";

const TLS_KEY: Readonly<Record<KeyAlgorithm, { algorithm: string; rsaBits?: number; ecdsaCurve?: string }>> = {
  RSA_2048: { algorithm: "RSA", rsaBits: 2048 },
  RSA_3072: { algorithm: "RSA", rsaBits: 3072 },
  RSA_4096: { algorithm: "RSA", rsaBits: 4096 },
  EC_P256: { algorithm: "ECDSA", ecdsaCurve: "P256" },
  EC_P384: { algorithm: "ECDSA", ecdsaCurve: "P384" },
};

type Lookup = (key: string) => string;
const lookup =
  (read: DataExternal): Lookup =>
  (key) =>
    read.result.lookup(key);

export class RenewedCertificate extends Construct {
  /** The newest issued certificate of the lineage, after any renewal of this apply. */
  readonly certificateId: string;
  /** The lineage root (the configured certificate): the stable identity. */
  readonly originalCertificateId: string;
  /** The leaf certificate, PEM. */
  readonly certificatePem: string;
  /** Intermediates then root, PEM. */
  readonly chainPem: string;
  /** Leaf then chain, PEM. */
  readonly fullchainPem: string;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** ISO 8601: `notAfter − renewBeforeDays`. */
  readonly renewAfter: string;
  /** Comma-separated, the common name first. */
  readonly domains: string;
  /** Uppercase hex. */
  readonly serialNumber: string;
  /** Uppercase hex with colons. */
  readonly sha256Fingerprint: string;
  /** `current`, `renewal-in-flight`, or `pending-human-action`, after this apply. */
  readonly status: string;
  /** "true" only while a renewal is still owed after this apply (unknown at a plan that renews). */
  readonly renewalDue: string;
  /** Why (or why not), in words that do not change from day to day. */
  readonly renewalMessage: string;
  /** manual-dns: JSON list of `{domain, name, type, value}` the CA expects for the renewal in flight; "[]" otherwise. Known at plan. */
  readonly dnsRecords: string;

  /** The plan-time status read. */
  readonly statusRead: DataExternal;
  /** The renewal step. */
  readonly renewalStep: DataResource;
  /** The apply-time material read. */
  readonly materialRead: DataExternal;
  /** With key.source "local": the key (in Terraform state, sensitive) and its CSR. */
  readonly privateKey?: PrivateKey;
  readonly certRequest?: CertRequest;
  readonly #id: string;

  constructor(scope: Construct, id: string, config: RenewedCertificateConfig) {
    super(scope, id);
    assertValidConfig(id, config);
    this.#id = id;
    const program = [...(config.program ?? DEFAULT_PROGRAM)];
    const external = externalProvider(this);

    this.statusRead = statusRead(this, external, program, config);
    const status = lookup(this.statusRead);
    const forcedFrom = config.renewalTrigger !== undefined ? renewalTrigger(this, config.renewalTrigger, status) : undefined;
    const cycles = effectiveCycles(status, forcedFrom);
    if ((config.key?.source ?? DEFAULTS.keySource) === "local") {
      const local = localKey(this, config, status, cycles.key);
      this.privateKey = local.key;
      this.certRequest = local.csr;
    }
    const csrPem = this.certRequest ? this.certRequest.certRequestPem : (config.key?.csrPem ?? "");
    // To deploy, Tencent installs the certificate with its key: the renewal step gets the key (sensitive).
    const deployKey = this.privateKey && config.deploy !== undefined && (Token.isUnresolved(config.deploy) || config.deploy.length > 0) ? this.privateKey.privateKeyPem : undefined;
    this.renewalStep = renewalStep(this, program, config, { csrPem, cycle: cycles.renewal, forcedFrom, deployKey });
    this.materialRead = materialRead(this, external, program, config, { csrPem, keyCycle: cycles.key, renewalStep: this.renewalStep });

    const material = lookup(this.materialRead);
    this.certificateId = material("certificate_id");
    this.originalCertificateId = material("original_certificate_id");
    this.certificatePem = material("certificate_pem");
    this.chainPem = material("chain_pem");
    this.fullchainPem = material("fullchain_pem");
    this.notBefore = material("not_before");
    this.notAfter = material("not_after");
    this.renewAfter = material("renew_after");
    this.domains = material("domains");
    this.serialNumber = material("serial_number");
    this.sha256Fingerprint = material("sha256_fingerprint");
    this.status = material("status");
    this.renewalDue = material("due");
    this.renewalMessage = material("message");
    this.dnsRecords = status("dns_records");
  }

  /**
   * SENSITIVE. The certificate's private key, PEM: the `tls_private_key` (key.source "local"), when
   * the certificate was issued for it. Never a key of another certificate and never "": stale or
   * mismatched material fails the apply (the material read's postcondition), and a certificate the
   * stack adopted and has not renewed yet has no key here (null; `renewalMessage` says until when).
   * With key.source "csr" the stack holds no key, and reading it throws.
   */
  get privateKeyPem(): string {
    if (!this.privateKey)
      throw new InvalidInputError(
        "privateKeyPem",
        `RenewedCertificate "${this.#id}": privateKeyPem is not available with key.source "csr": you keep the key of your CSR. Use key.source "local" for a key in Terraform state.`,
      );
    const matches = Op.eq(this.materialRead.result.lookup("key_matches"), "true");
    return Token.asString(Fn.sensitive(conditional(matches, this.privateKey.privateKeyPem, Token.nullValue())));
  }
}

/** The plan-time status read: read-only, known at plan. */
function statusRead(scope: Construct, provider: TerraformProvider, program: readonly string[], config: RenewedCertificateConfig): DataExternal {
  const query: StatusQuery = { certificate_id: config.certificateId, renew_before_days: text(config.renewBeforeDays) };
  return new DataExternal(scope, "status", { provider, program: [...program, TF_COMMANDS.status], query });
}

/**
 * renewalTrigger: a terraform_data replaced when the trigger changes, remembering the certificate
 * current then (`input` is fixed at creation: ignore_changes). Returns that certificate's id.
 */
function renewalTrigger(scope: Construct, trigger: string, status: Lookup): string {
  const remembered = new DataResource(scope, "renewal_trigger", {
    triggersReplace: { renewal_trigger: trigger },
    input: { certificate_id: status("certificate_id") },
    lifecycle: { ignoreChanges: ["input"] },
  });
  return Token.asString(remembered.output.lookup("certificate_id"));
}

/**
 * The renewal step's and the key's cycles. While a forced renewal is owed (the certificate
 * remembered by the trigger is still current) they are `renew:<current>`, which is what the status
 * read gives after that renewal: the renewing apply stores the value the next plan computes.
 */
function effectiveCycles(status: Lookup, forcedFrom: string | undefined): { renewal: string; key: string } {
  if (forcedFrom === undefined) return { renewal: status("cycle"), key: status("key_cycle") };
  const owed = Op.eq(forcedFrom, status("certificate_id"));
  return {
    renewal: Token.asString(conditional(owed, status("forced_cycle"), status("cycle"))),
    key: Token.asString(conditional(owed, status("forced_key_cycle"), status("key_cycle"))),
  };
}

/** key.source "local": the key (in Terraform state, sensitive), rotated per key cycle unless keyRotation "never", and its CSR. */
function localKey(scope: Construct, config: RenewedCertificateConfig, status: Lookup, keyCycle: string): { key: PrivateKey; csr: CertRequest } {
  const tls = tlsProvider(scope);
  const k = TLS_KEY[config.key?.algorithm ?? DEFAULTS.keyAlgorithm];
  const rotate = (config.keyRotation ?? "always") === "always" ? new DataResource(scope, "key_cycle", { input: { key_cycle: keyCycle } }) : undefined;
  const key = new PrivateKey(scope, "key", {
    provider: tls,
    algorithm: k.algorithm,
    ...(k.rsaBits !== undefined ? { rsaBits: k.rsaBits } : {}),
    ...(k.ecdsaCurve !== undefined ? { ecdsaCurve: k.ecdsaCurve } : {}),
    // A bare address: cdktf writes a resource given here as "${...}", which Terraform rejects
    // (hashicorp/terraform-cdk#3196).
    ...(rotate ? { lifecycle: { replaceTriggeredBy: [`${rotate.terraformResourceType}.${rotate.friendlyUniqueId}`] } } : {}),
  });
  const csr = new CertRequest(scope, "csr", {
    provider: tls,
    privateKeyPem: key.privateKeyPem,
    subject: [{ commonName: status("domain") }],
    dnsNames: Fn.split(",", status("domains")),
  });
  return { key, csr };
}

/** The renewal step's query: the engine options, as Terraform's external protocol wants them. */
function renewQuery(config: RenewedCertificateConfig): string {
  // Written by Terraform's jsonencode when any option is a token, else as JSON text at synth.
  const dynamic = hasToken([config.certificateId, config.renewBeforeDays, config.validation, config.payment, config.waitTimeoutMinutes, config.deploy]);
  const jsonText = (v: unknown): string => (dynamic ? Fn.jsonencode(v) : JSON.stringify(v));
  const query: RenewQuery = {
    certificate_id: config.certificateId,
    renew_before_days: text(config.renewBeforeDays),
    key_source: config.key?.source ?? DEFAULTS.keySource,
    key_algorithm: "",
    validation: config.validation ?? "",
    product_pid: text(config.payment?.productPid),
    package_ids: config.payment?.packageIds !== undefined ? jsonText(config.payment.packageIds) : "",
    wait_timeout_minutes: text(config.waitTimeoutMinutes),
    deploy: config.deploy !== undefined ? jsonText(config.deploy) : "",
  };
  return jsonText(query);
}

/** The renewal step: replaced when the effective cycle changes; its local-exec renews during apply. */
function renewalStep(
  scope: Construct,
  program: readonly string[],
  config: RenewedCertificateConfig,
  step: { readonly csrPem: string; readonly cycle: string; readonly forcedFrom: string | undefined; readonly deployKey: string | undefined },
): DataResource {
  const environment: Record<string, string> = { [TF_ENV.query]: renewQuery(config), [TF_ENV.csr]: step.csrPem };
  if (step.deployKey !== undefined) environment[TF_ENV.privateKey] = step.deployKey;
  if (step.forcedFrom !== undefined) environment[TF_ENV.forceFrom] = step.forcedFrom;
  if (config.stateDir !== undefined) environment[TF_ENV.stateDir] = config.stateDir;
  return new DataResource(scope, "renewal", {
    triggersReplace: { cycle: step.cycle },
    input: { cycle: step.cycle },
    provisioners: [
      {
        type: "local-exec",
        // Terraform runs `interpreter... command`: tccert tf-renew --certificate-id <id>.
        interpreter: [...program, TF_COMMANDS.renew, "--certificate-id"],
        command: config.certificateId,
        environment,
      },
    ],
  });
}

/** The apply-time material read, gated on the renewal step; its postcondition fails the apply on missing, mismatched or stale material. */
function materialRead(
  scope: Construct,
  provider: TerraformProvider,
  program: readonly string[],
  config: RenewedCertificateConfig,
  gate: { readonly csrPem: string; readonly keyCycle: string; readonly renewalStep: DataResource },
): DataExternal {
  const query: MaterialQuery = {
    certificate_id: config.certificateId,
    key_source: config.key?.source ?? DEFAULTS.keySource,
    csr_pem: gate.csrPem,
    renew_before_days: text(config.renewBeforeDays),
    key_cycle: gate.keyCycle,
    after_renewal: Token.asString(gate.renewalStep.output.lookup("cycle")),
  };
  return new DataExternal(scope, "material", {
    provider,
    program: [...program, TF_COMMANDS.material],
    query,
    lifecycle: {
      postcondition: [
        { condition: '${self.result.problem == ""}', errorMessage: "tccert: ${self.result.problem}" },
        { condition: '${self.result.certificate_pem != ""}', errorMessage: "tccert: the material read returned no certificate PEM; apply again." },
      ],
    },
  });
}

/** A number or string option as a query string; "" means "the default". Tokens stay tokens. */
function text(v: number | string | undefined): string {
  if (v === undefined) return "";
  return Token.isUnresolved(v) ? Token.asString(v) : String(v);
}

/**
 * cdktf does not escape quotes in literal strings inside an expression, so a value that is itself
 * JSON text must never be embedded as a literal in a jsonencode(...) call: with tokens, every JSON
 * value is made by jsonencode.
 */
function hasToken(v: unknown): boolean {
  if (Token.isUnresolved(v)) return true;
  if (Array.isArray(v)) return v.some(hasToken);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasToken);
  return false;
}
