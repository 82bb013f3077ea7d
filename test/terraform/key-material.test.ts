/**
 * Issue 14, "No private key in plain text anywhere Terraform prints": a walker over every
 * synthesized and HCL configuration (test/cdktf/support/tf-keyflow.ts) finds every place key material
 * can reach — data "external" arguments and results, terraform_data, provisioner arguments,
 * outputs — and reports any that is not sensitive. The scenarios check the same dynamically
 * (what `terraform show` would print after real applies).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformOutput } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { CertificatesStack } from "../../examples/cdktf-renewal/main";
import { REPO } from "../cdktf/support/packed-project";
import { loadJsonFile, loadModuleDir } from "../cdktf/support/tf-config";
import { keyMaterialViolations } from "../cdktf/support/tf-keyflow";
import { twoCertsCdktf, twoCertsHcl } from "./stacks";
import { hclFilesOf, stackOf } from "./world";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-keyflow-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function synth(build: (app: App, id: string) => void) {
  const outdir = path.join(dir, `cdktf-${n++}`);
  const app = new App({ outdir });
  build(app, "certs");
  app.synth();
  return loadJsonFile(path.join(outdir, "stacks", "certs", "cdk.tf.json"));
}

/** An HCL root module in a folder whose node_modules/tencentcloud-cert-renewal is this checkout. */
async function hclRoot(files: Record<string, string>) {
  const root = path.join(dir, `hcl-${n++}`);
  fs.mkdirSync(path.join(root, "node_modules"), { recursive: true });
  fs.symlinkSync(REPO, path.join(root, "node_modules", "tencentcloud-cert-renewal"));
  for (const [f, text] of Object.entries(files))
    fs.writeFileSync(path.join(root, f), text.replace(/source\s*=\s*"[^"]*terraform\/modules\/renewed-certificate"/g, 'source = "./node_modules/tencentcloud-cert-renewal/terraform/modules/renewed-certificate"'));
  return loadModuleDir(root);
}

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
const CONSTRUCT_CONFIGS: [string, RenewedCertificateConfig, boolean][] = [
  ["local (default)", { certificateId: "a1B2c3D4" }, true],
  ["local EC, trigger, deploy, stateDir", { certificateId: "a1B2c3D4", key: { source: "local", algorithm: "EC_P256" }, renewalTrigger: "r1", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }], stateDir: "/var/lib/tccert" }, true],
  ["local, keyRotation never", { certificateId: "a1B2c3D4", keyRotation: "never" }, true],
  ["csr", { certificateId: "a1B2c3D4", key: { source: "csr", csrPem: CSR } }, false],
];

describe("no configuration can put a private key into a non-sensitive attribute", () => {
  it.each(CONSTRUCT_CONFIGS)("CDKTF RenewedCertificate, %s", async (_name, config, hasKey) => {
    const root = await synth(
      stackOf((stack) => {
        const cert = new RenewedCertificate(stack, "cert", config);
        new TerraformOutput(stack, "fullchain_pem", { value: cert.fullchainPem });
        if (hasKey) new TerraformOutput(stack, "private_key_pem", { value: cert.privateKeyPem, sensitive: true });
      }),
    );
    expect(keyMaterialViolations(root)).toEqual([]);
    if (hasKey) expect(root.outputs["private_key_pem"]!.sensitive).toBe(true);
  });

  it("CDKTF: examples/cdktf-renewal and the two-certificate stack", async () => {
    expect(keyMaterialViolations(await synth((app, id) => new CertificatesStack(app, id)))).toEqual([]);
    expect(keyMaterialViolations(await synth(stackOf(twoCertsCdktf())))).toEqual([]);
  });

  it("HCL: the module itself, examples/terraform-hcl and the two-certificate root module", async () => {
    const module = await loadModuleDir(path.join(REPO, "terraform/modules/renewed-certificate"));
    expect(keyMaterialViolations(module)).toEqual([]);
    expect(module.outputs["private_key_pem"]?.sensitive, "module output private_key_pem is sensitive").toBe(true);
    expect(keyMaterialViolations(await hclRoot(hclFilesOf("examples/terraform-hcl")))).toEqual([]);
    expect(keyMaterialViolations(await hclRoot(twoCertsHcl()))).toEqual([]);
  });

  it("the walker finds each kind of leak (negative control)", async () => {
    const root = await hclRoot({
      "main.tf": `
resource "tls_private_key" "k" {
  algorithm = "RSA"
}
locals {
  key = tls_private_key.k.private_key_pem
}
data "external" "send" {
  program = ["tccert", "tf-x"]
  query   = { pem = local.key, digest = sha256(local.key) }
}
resource "tls_private_key" "many" {
  count     = 1
  algorithm = "RSA"
}
resource "terraform_data" "copy" {
  input = { key = sensitive(local.key), ok = local.key == null ? "none" : sha256(local.key) }
}
resource "terraform_data" "splat" {
  input = one(tls_private_key.many[*].private_key_pem)
}
resource "terraform_data" "indexed" {
  input = tls_private_key.many[0].private_key_pem_pkcs8
}
resource "terraform_data" "fine" {
  input = { csr_free = tls_private_key.many[0].public_key_pem, known = length(tls_private_key.many[*].private_key_pem) > 0 }
}
resource "terraform_data" "run" {
  provisioner "local-exec" {
    command     = "echo \${local.key}"
    environment = { KEY = local.key }
  }
}
output "plain" {
  value = tls_private_key.k.private_key_pem_pkcs8
}
output "private_key_pem" {
  value     = data.external.send.result.private_key_pem
  sensitive = true
}
`,
    });
    expect(keyMaterialViolations(root).map((v) => v.split(" ")[0]).sort()).toEqual([
      "data.external.send.query",
      "output.plain",
      "output.private_key_pem",
      "terraform_data.copy.input",
      "terraform_data.indexed.input",
      "terraform_data.run",
      "terraform_data.splat.input",
    ]);
  });
});
