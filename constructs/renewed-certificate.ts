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

    const statusQuery: StatusQuery = {
      certificate_id: config.certificateId,
      renew_before_days: text(config.renewBeforeDays),
    };
    this.statusRead = new DataExternal(this, "status", { provider: external, program: [...program, TF_COMMANDS.status], query: statusQuery });
    const status = (k: string) => this.statusRead.result.lookup(k);

    let csrPem = "";
    if (source === "local") {
      const tls = ensureProvider(this, "tls", (s, pid) => new TlsProvider(s, pid));
      const k = TLS_KEY[algorithm];
      const key = new PrivateKey(this, "key", {
        provider: tls,
        algorithm: k.algorithm,
        ...(k.rsaBits !== undefined ? { rsaBits: k.rsaBits } : {}),
        ...(k.ecdsaCurve !== undefined ? { ecdsaCurve: k.ecdsaCurve } : {}),
      });
      const csr = new CertRequest(this, "csr", {
        provider: tls,
        privateKeyPem: key.privateKeyPem,
        subject: [{ commonName: status("domain") }],
        dnsNames: Fn.split(",", status("domains")),
      });
      this.privateKey = key;
      this.certRequest = csr;
      csrPem = csr.certRequestPem;
    } else if (source === "csr") {
      csrPem = config.key?.csrPem ?? "";
    }

    // Written by Terraform's jsonencode when any option is a token, else as JSON text at synth.
    const dynamic = hasToken([config.certificateId, config.renewBeforeDays, config.key?.algorithm, config.validation, config.payment, config.waitTimeoutMinutes, config.deploy]);
    const jsonText = (v: unknown): string => (dynamic ? Fn.jsonencode(v) : JSON.stringify(v));
    const renewQuery: RenewQuery = {
      certificate_id: config.certificateId,
      renew_before_days: text(config.renewBeforeDays),
      key_source: source,
      key_algorithm: source === "online" || source === "original" ? algorithm : "",
      validation: config.validation ?? "",
      product_pid: text(config.payment?.productPid),
      package_ids: config.payment?.packageIds !== undefined ? jsonText(config.payment.packageIds) : "",
      wait_timeout_minutes: text(config.waitTimeoutMinutes),
      deploy: config.deploy !== undefined ? jsonText(config.deploy) : "",
    };
    const environment: Record<string, string> = { [TF_ENV.query]: jsonText(renewQuery) };
    if (csrPem !== "") environment[TF_ENV.csr] = csrPem;

    // renewalTrigger: remember which certificate was current when it last changed. `input` is
    // fixed at creation (ignore_changes), and the resource is replaced when the trigger changes.
    if (config.renewalTrigger !== undefined) {
      const trigger = new DataResource(this, "renewal_trigger", {
        triggersReplace: { renewal_trigger: config.renewalTrigger },
        input: { certificate_id: status("certificate_id") },
        lifecycle: { ignoreChanges: ["input"] },
      });
      environment[TF_ENV.forceFrom] = Token.asString(trigger.output.lookup("certificate_id"));
    }

    this.renewalStep = new DataResource(this, "renewal", {
      triggersReplace: { cycle: status("cycle"), renewal_trigger: config.renewalTrigger ?? "" },
      input: { cycle: status("cycle") },
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

    const materialQuery: MaterialQuery = {
      certificate_id: config.certificateId,
      key_source: source,
      csr_pem: csrPem,
      after_renewal: Token.asString(this.renewalStep.output.lookup("cycle")),
    };
    this.materialRead = new DataExternal(this, "material", { provider: external, program: [...program, TF_COMMANDS.material], query: materialQuery });
    const material = (k: string) => this.materialRead.result.lookup(k);

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
    if (this.privateKey)
      this.privateKeyPem = Token.asString(Fn.sensitive(conditional(Op.eq(material("key_matches"), "true"), this.privateKey.privateKeyPem, "")));
    else if (source === "online" || source === "original") this.privateKeyPem = Token.asString(Fn.sensitive(material("private_key_pem")));
    else this.privateKeyPem = "";
  }
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
