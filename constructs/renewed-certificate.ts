/**
 * `RenewedCertificate`: a paid Tencent Cloud SSL certificate, renewed by `cdktf deploy`.
 *
 * Terraform cannot run TypeScript during apply and get values back, and a plan must never spend
 * money, so the construct synthesizes the gate pattern (DESIGN §4, "CDKTF: the gate pattern"):
 *
 *   data "external" status        plan time, read-only: the lineage's current certificate, due or not,
 *        │                        and `cycle`, a value that changes exactly when a renewal is due
 *        ├── tls_private_key ── tls_cert_request      (key.source "local" only; the key stays in state)
 *        ├── terraform_data renewal_trigger           (only with renewalTrigger)
 *        ▼
 *   resource "terraform_data" renewal   triggers_replace = { cycle, renewal_trigger }; its local-exec
 *        │                              runs `tccert tf-renew` during apply: renew, or resume, or nothing
 *        ▼
 *   data "external" material      query references renewal.output, unknown while the renewal step is
 *                                 being replaced, so Terraform reads it during apply, after the renewal
 *
 * Everything it decides is decided by the engine inside the `tccert tf-*` programs.
 */
import { DataExternal } from "@cdktf/provider-external/lib/data-external";
import { ExternalProvider } from "@cdktf/provider-external/lib/provider";
import { CertRequest } from "@cdktf/provider-tls/lib/cert-request";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { DataResource, Fn, Op, TerraformProvider, TerraformStack, Token, conditional } from "cdktf";
import { Construct } from "constructs";
import type { KeyAlgorithm, KeySource } from "../engine/domain";
import { DEFAULTS } from "../engine/options";
import { assertValidConfig, type RenewedCertificateConfig } from "./config";
import { DEFAULT_PROGRAM, TF_COMMANDS, TF_ENV, type MaterialQuery, type RenewQuery, type StatusQuery } from "./protocol";

const TLS_KEY: Readonly<Record<KeyAlgorithm, { algorithm: string; rsaBits?: number; ecdsaCurve?: string }>> = {
  RSA_2048: { algorithm: "RSA", rsaBits: 2048 },
  RSA_3072: { algorithm: "RSA", rsaBits: 3072 },
  RSA_4096: { algorithm: "RSA", rsaBits: 4096 },
  EC_P256: { algorithm: "ECDSA", ecdsaCurve: "P256" },
  EC_P384: { algorithm: "ECDSA", ecdsaCurve: "P384" },
};

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
  /**
   * SENSITIVE. The certificate's private key, PEM: the `tls_private_key` (local), or Tencent's
   * (online, original). "" when the stack does not hold the certificate's key: key.source "csr",
   * or a certificate adopted before its first renewal by this stack.
   */
  readonly privateKeyPem: string;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** Comma-separated, the common name first. */
  readonly domains: string;
  /** Uppercase hex with colons. */
  readonly sha256Fingerprint: string;
  /** Known at plan: "true" when this plan's apply renews (or resumes a renewal). */
  readonly renewalDue: string;
  /** Known at plan: why (or why not), in words. */
  readonly renewalMessage: string;
  /** Known at plan: `notAfter − renewBeforeDays` of the current certificate, ISO 8601. */
  readonly renewAfter: string;

  /** The plan-time status read. */
  readonly statusRead: DataExternal;
  /** The renewal step. */
  readonly renewalStep: DataResource;
  /** The apply-time material read. */
  readonly materialRead: DataExternal;
  /** With key.source "local": the key (in Terraform state, sensitive) and its CSR. */
  readonly privateKey?: PrivateKey;
  readonly certRequest?: CertRequest;

  constructor(scope: Construct, id: string, config: RenewedCertificateConfig) {
    super(scope, id);
    assertValidConfig(id, config);
    const program = [...(config.program ?? DEFAULT_PROGRAM)];
    const source: KeySource = config.key?.source ?? DEFAULTS.keySource;
    const algorithm: KeyAlgorithm = config.key?.algorithm ?? DEFAULTS.keyAlgorithm;
    const external = ensureProvider(this, "external", (s, pid) => new ExternalProvider(s, pid));

    this.statusRead = statusRead(this, external, program, config);
    const status = lookup(this.statusRead);
    const local = source === "local" ? localKey(this, algorithm, status) : undefined;
    if (local) {
      this.privateKey = local.key;
      this.certRequest = local.csr;
    }
    const csrPem = local ? local.csr.certRequestPem : source === "csr" ? (config.key?.csrPem ?? "") : "";
    this.renewalStep = renewalStep(this, program, config, renewalEnvironment(this, config, { source, algorithm, csrPem }, status), status);
    this.materialRead = materialRead(this, external, program, { certificateId: config.certificateId, source, csrPem, renewalStep: this.renewalStep });

    const material = lookup(this.materialRead);
    this.certificateId = material("certificate_id");
    this.originalCertificateId = material("original_certificate_id");
    this.certificatePem = material("certificate_pem");
    this.chainPem = material("chain_pem");
    this.fullchainPem = material("fullchain_pem");
    this.notBefore = material("not_before");
    this.notAfter = material("not_after");
    this.domains = material("domains");
    this.sha256Fingerprint = material("sha256_fingerprint");
    this.renewalDue = status("due");
    this.renewalMessage = status("message");
    this.renewAfter = status("renew_after");
    this.privateKeyPem = privateKeyOutput(source, this.privateKey, material);
  }
}

type Lookup = (key: string) => string;

const lookup =
  (read: DataExternal): Lookup =>
  (key) =>
    read.result.lookup(key);

/** The plan-time status read: read-only, known at plan. */
function statusRead(scope: Construct, provider: TerraformProvider, program: readonly string[], config: RenewedCertificateConfig): DataExternal {
  const query: StatusQuery = { certificate_id: config.certificateId, renew_before_days: text(config.renewBeforeDays) };
  return new DataExternal(scope, "status", { provider, program: [...program, TF_COMMANDS.status], query });
}

/** key.source "local": the key, in Terraform state (sensitive), and a CSR for the certificate's domains. */
function localKey(scope: Construct, algorithm: KeyAlgorithm, status: Lookup): { key: PrivateKey; csr: CertRequest } {
  const tls = ensureProvider(scope, "tls", (s, pid) => new TlsProvider(s, pid));
  const k = TLS_KEY[algorithm];
  const key = new PrivateKey(scope, "key", {
    provider: tls,
    algorithm: k.algorithm,
    ...(k.rsaBits !== undefined ? { rsaBits: k.rsaBits } : {}),
    ...(k.ecdsaCurve !== undefined ? { ecdsaCurve: k.ecdsaCurve } : {}),
  });
  const csr = new CertRequest(scope, "csr", {
    provider: tls,
    privateKeyPem: key.privateKeyPem,
    subject: [{ commonName: status("domain") }],
    dnsNames: Fn.split(",", status("domains")),
  });
  return { key, csr };
}

interface KeyChoice {
  readonly source: KeySource;
  readonly algorithm: KeyAlgorithm;
  /** The CSR the renewal uses (key sources local and csr); "" otherwise. */
  readonly csrPem: string;
}

/** The renewal step's environment: its query, the CSR, and (with renewalTrigger) the certificate current when the trigger changed. */
function renewalEnvironment(scope: Construct, config: RenewedCertificateConfig, key: KeyChoice, status: Lookup): Record<string, string> {
  // Written by Terraform's jsonencode when any option is a token, else as JSON text at synth.
  const dynamic = hasToken([config.certificateId, config.renewBeforeDays, config.key?.algorithm, config.validation, config.payment, config.waitTimeoutMinutes, config.deploy]);
  const jsonText = (v: unknown): string => (dynamic ? Fn.jsonencode(v) : JSON.stringify(v));
  const tencentKey = key.source === "online" || key.source === "original";
  const query: RenewQuery = {
    certificate_id: config.certificateId,
    renew_before_days: text(config.renewBeforeDays),
    key_source: key.source,
    key_algorithm: tencentKey ? key.algorithm : "",
    validation: config.validation ?? "",
    product_pid: text(config.payment?.productPid),
    package_ids: config.payment?.packageIds !== undefined ? jsonText(config.payment.packageIds) : "",
    wait_timeout_minutes: text(config.waitTimeoutMinutes),
    deploy: config.deploy !== undefined ? jsonText(config.deploy) : "",
  };
  const environment: Record<string, string> = { [TF_ENV.query]: jsonText(query) };
  if (key.csrPem !== "") environment[TF_ENV.csr] = key.csrPem;
  // renewalTrigger: remember which certificate was current when it last changed. `input` is
  // fixed at creation (ignore_changes), and the resource is replaced when the trigger changes.
  if (config.renewalTrigger !== undefined) {
    const trigger = new DataResource(scope, "renewal_trigger", {
      triggersReplace: { renewal_trigger: config.renewalTrigger },
      input: { certificate_id: status("certificate_id") },
      lifecycle: { ignoreChanges: ["input"] },
    });
    environment[TF_ENV.forceFrom] = Token.asString(trigger.output.lookup("certificate_id"));
  }
  return environment;
}

/** The renewal step: replaced when `cycle` (or the trigger) changes; its local-exec renews during apply. */
function renewalStep(scope: Construct, program: readonly string[], config: RenewedCertificateConfig, environment: Record<string, string>, status: Lookup): DataResource {
  const cycle = status("cycle");
  return new DataResource(scope, "renewal", {
    triggersReplace: { cycle, renewal_trigger: config.renewalTrigger ?? "" },
    input: { cycle },
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
/** The apply-time material read, gated on the renewal step: its query is unknown until the step is done. */
function materialRead(
  scope: Construct,
  provider: TerraformProvider,
  program: readonly string[],
  gate: { readonly certificateId: string; readonly source: KeySource; readonly csrPem: string; readonly renewalStep: DataResource },
): DataExternal {
  const query: MaterialQuery = {
    certificate_id: gate.certificateId,
    key_source: gate.source,
    csr_pem: gate.csrPem,
    after_renewal: Token.asString(gate.renewalStep.output.lookup("cycle")),
  };
  return new DataExternal(scope, "material", { provider, program: [...program, TF_COMMANDS.material], query });
}

/** The certificate's key: the stack's own when the certificate was issued for it, Tencent's (online, original), else "". */
function privateKeyOutput(source: KeySource, privateKey: PrivateKey | undefined, material: Lookup): string {
  if (privateKey) return Token.asString(Fn.sensitive(conditional(Op.eq(material("key_matches"), "true"), privateKey.privateKeyPem, "")));
  if (source === "online" || source === "original") return Token.asString(Fn.sensitive(material("private_key_pem")));
  return "";
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

/** The stack's provider of this type, created once per stack when the user has none. */
function ensureProvider(scope: Construct, type: string, make: (stack: TerraformStack, id: string) => TerraformProvider): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node
    .findAll()
    .filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type);
  const unaliased = existing.find((p) => p.alias === undefined);
  return unaliased ?? existing[0] ?? make(stack, `tccert_${type}_provider`);
}
