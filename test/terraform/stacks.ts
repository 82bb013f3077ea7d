/**
 * The configurations of the acceptance scenarios, in both forms, to the contract of
 * terraform/modules/renewed-certificate/README.md:
 * - the examples (examples/cdktf-renewal, examples/terraform-hcl) pointed at a seeded certificate;
 * - a stack with two certificates and a downstream consumer (a terraform_data that takes both
 *   certificates and one key, as a load balancer or secret store resource would).
 */
import { DataResource, Fn, Op, TerraformOutput, Token, conditional } from "cdktf";
import type { Construct } from "constructs";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { MODULE_IN_PACKAGE } from "./world";
import type { SeedCertificates } from "../support/seed";

export const EXAMPLE_CERT = "tfShop01";
export const API_CERT = "tfApi01";
export const WEB_CERT = "tfWeb01";

/** Both 50-60 days from expiry on day 0: not due on days 0 and 1 (renew_before_days 30), due on day 40. */
export const CERTS: SeedCertificates = [
  {
    certificateId: EXAMPLE_CERT, domain: "shop.example.com", sans: ["www.shop.example.com"], expiresInDays: 60,
    boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-tfshop", listenerId: "lbl-tfshop" }],
  },
  { certificateId: API_CERT, domain: "api.example.com", expiresInDays: 60 },
  { certificateId: WEB_CERT, domain: "web.example.com", sans: ["static.example.com"], expiresInDays: 50 },
];

/** The root outputs every certificate exposes in the scenarios (README "Outputs"; private_key_pem apart). */
const OUTPUTS: [string, keyof RenewedCertificate][] = [
  ["certificate_id", "certificateId"],
  ["fullchain_pem", "fullchainPem"],
  ["not_after", "notAfter"],
  ["renew_after", "renewAfter"],
  ["status", "status"],
  ["renewal_due", "renewalDue"],
  ["renewal_message", "renewalMessage"],
  ["dns_records", "dnsRecords"],
];

function outputsOf(stack: Construct, prefix: string, cert: RenewedCertificate): void {
  for (const [name, prop] of OUTPUTS) new TerraformOutput(stack, `${prefix}_${name}`, { value: cert[prop] as string });
  new TerraformOutput(stack, `${prefix}_private_key_pem`, { value: cert.privateKeyPem, sensitive: true });
}

/** CDKTF: two certificates and a downstream consumer of both. */
export function twoCertsCdktf(extra: Partial<RenewedCertificateConfig> = {}) {
  return (stack: Construct) => {
    const api = new RenewedCertificate(stack, "api", { certificateId: API_CERT, ...extra });
    const web = new RenewedCertificate(stack, "web", { certificateId: WEB_CERT, key: { source: "local", algorithm: "EC_P256" }, ...extra });
    new DataResource(stack, "consumer", {
      input: { api: api.certificateId, web: web.certificateId, api_fullchain_sha256: Fn.sha256(api.fullchainPem) },
    });
    // The key's digest, not the key: terraform_data's output does not keep its input's sensitive
    // marks (hashicorp/terraform#35609), so a key passed through one would be printed.
    // privateKeyPem is null while the stack holds no key for the current certificate (adopted).
    const keySha = conditional(Op.eq(web.privateKeyPem, Token.nullValue()), "", Fn.sha256(web.privateKeyPem));
    new DataResource(stack, "web_tls_bundle", { input: { certificate: web.fullchainPem, key_sha256: keySha } });
    outputsOf(stack, "api", api);
    outputsOf(stack, "web", web);
  };
}

function hclOutputs(prefix: string): string {
  const names = OUTPUTS.map(([n]) => n);
  return [
    ...names.map((n) => `output "${prefix}_${n}" {\n  value = module.${prefix}.${n}\n}\n`),
    `output "${prefix}_private_key_pem" {\n  value     = module.${prefix}.private_key_pem\n  sensitive = true\n}\n`,
  ].join("\n");
}

/** HCL: the same two certificates and consumer, with the module as users reference it from the installed package. */
export function twoCertsHcl(extra = ""): Record<string, string> {
  return {
    "main.tf": `terraform {
  required_version = ">= 1.5"
}

module "api" {
  source         = "./${MODULE_IN_PACKAGE}"
  certificate_id = "${API_CERT}"
${extra}}

module "web" {
  source         = "./${MODULE_IN_PACKAGE}"
  certificate_id = "${WEB_CERT}"
  key_algorithm  = "EC_P256"
${extra}}

resource "terraform_data" "consumer" {
  input = {
    api                  = module.api.certificate_id
    web                  = module.web.certificate_id
    api_fullchain_sha256 = sha256(module.api.fullchain_pem)
  }
}

resource "terraform_data" "web_tls_bundle" {
  input = {
    certificate = module.web.fullchain_pem
    # null while the stack holds no key for the current certificate (adopted)
    key_sha256 = module.web.private_key_pem == null ? "" : sha256(module.web.private_key_pem)
  }
}

${hclOutputs("api")}
${hclOutputs("web")}`,
  };
}

/** HCL: one certificate with a renewal trigger (for the "cannot be honoured" case). */
export function triggerHcl(certificateId: string, trigger: string | undefined): Record<string, string> {
  return {
    "main.tf": `module "cert" {
  source         = "./${MODULE_IN_PACKAGE}"
  certificate_id = "${certificateId}"
${trigger === undefined ? "" : `  renewal_trigger = "${trigger}"\n`}}

${hclOutputs("cert")}`,
  };
}
