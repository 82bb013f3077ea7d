/** Synth: what each key mode synthesizes, with cdktf's own matchers. */
import { DataExternal } from "@cdktf/provider-external/lib/data-external";
import { ExternalProvider } from "@cdktf/provider-external/lib/provider";
import { CertRequest } from "@cdktf/provider-tls/lib/cert-request";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { DataResource, Testing, TerraformStack, TerraformVariable, testingMatchers } from "cdktf";
import { describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";

type Matcher = (received: string, type: { tfResourceType: string }, props?: Record<string, unknown>) => testingMatchers.AssertionReturn;
const wrap = (m: Matcher) =>
  function (this: unknown, received: string, type: { tfResourceType: string }, props?: Record<string, unknown>) {
    const r = m(received, type, props);
    return { pass: r.pass, message: () => r.message };
  };
expect.extend({
  toHaveResource: wrap(testingMatchers.getToHaveResourceWithProperties((items: unknown[]) => items.length > 0)),
  toHaveResourceWithProperties: wrap(testingMatchers.getToHaveResourceWithProperties()),
  toHaveDataSource: wrap(testingMatchers.getToHaveDataSourceWithProperties((items: unknown[]) => items.length > 0)),
  toHaveDataSourceWithProperties: wrap(testingMatchers.getToHaveDataSourceWithProperties()),
  toHaveProvider: wrap(testingMatchers.getToHaveProviderWithProperties((items: unknown[]) => items.length > 0)),
});
interface CdktfMatchers<R = unknown> {
  toHaveResource(type: { tfResourceType: string }): R;
  toHaveResourceWithProperties(type: { tfResourceType: string }, props: Record<string, unknown>): R;
  toHaveDataSource(type: { tfResourceType: string }): R;
  toHaveDataSourceWithProperties(type: { tfResourceType: string }, props: Record<string, unknown>): R;
  toHaveProvider(type: { tfResourceType: string }): R;
}
declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends CdktfMatchers<T> {}
}

function synth(config: RenewedCertificateConfig): string {
  return Testing.synthScope((scope) => {
    new RenewedCertificate(scope, "cert", config);
  });
}

function parsed(s: string) {
  return JSON.parse(s) as {
    data: { external: Record<string, { program: string[]; query: Record<string, string> }> };
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
}

const statusOf = (s: string) => Object.entries(parsed(s).data.external).find(([k]) => k.includes("status"))![1];
const materialOf = (s: string) => Object.entries(parsed(s).data.external).find(([k]) => k.includes("material"))![1];
const renewalOf = (s: string) => Object.entries(parsed(s).resource["terraform_data"]!).find(([k]) => k.startsWith("cert_renewal_") && !k.includes("trigger"))![1] as {
  triggers_replace: Record<string, string>;
  input: Record<string, string>;
  provisioner: { "local-exec": { interpreter: string[]; command: string; environment: Record<string, string> } }[];
};

describe("RenewedCertificate synth", () => {
  it("local key (the default): status read, tls key and CSR from the status, renewal step, gated material read", () => {
    const s = synth({ certificateId: "a1B2c3D4" });
    expect(s).toHaveDataSourceWithProperties(DataExternal, { program: ["npx", "--no-install", "tccert", "tf-status"], query: { certificate_id: "a1B2c3D4", renew_before_days: "" } });
    expect(s).toHaveResourceWithProperties(PrivateKey, { algorithm: "RSA", rsa_bits: 2048 });
    expect(s).toHaveResource(CertRequest);
    expect(s).toHaveResource(DataResource);
    expect(s).toHaveProvider(TlsProvider);
    expect(s).toHaveProvider(ExternalProvider);
    const csr = Object.values(parsed(s).resource["tls_cert_request"]!)[0] as Record<string, unknown>;
    expect(csr["private_key_pem"]).toMatch(/^\$\{tls_private_key\.cert_key_\w+\.private_key_pem\}$/);
    expect(JSON.stringify(csr["subject"])).toMatch(/data\.external\.cert_status_\w+\.result\[\\"domain\\"\]/);
    expect(csr["dns_names"]).toMatch(/^\$\{split\(",", data\.external\.cert_status_\w+\.result\["domains"\]\)\}$/);

    const renewal = renewalOf(s);
    expect(renewal.triggers_replace).toEqual({ cycle: expect.stringMatching(/^\$\{data\.external\.cert_status_\w+\.result\["cycle"\]\}$/) });
    expect(renewal.input).toEqual(renewal.triggers_replace);
    const exec = renewal.provisioner[0]!["local-exec"];
    expect(exec.interpreter).toEqual(["npx", "--no-install", "tccert", "tf-renew", "--certificate-id"]);
    expect(exec.command).toBe("a1B2c3D4");
    expect(exec.environment["TCCERT_CSR_PEM"]).toMatch(/^\$\{tls_cert_request\.cert_csr_\w+\.cert_request_pem\}$/);
    expect(JSON.parse(exec.environment["TCCERT_TF_QUERY"]!)).toEqual({
      certificate_id: "a1B2c3D4",
      renew_before_days: "",
      key_source: "local",
      key_algorithm: "",
      validation: "",
      product_pid: "",
      package_ids: "",
      wait_timeout_minutes: "",
      deploy: "",
    });
    expect(materialOf(s).query).toEqual({
      certificate_id: "a1B2c3D4",
      key_source: "local",
      csr_pem: expect.stringMatching(/^\$\{tls_cert_request\.cert_csr_\w+\.cert_request_pem\}$/),
      renew_before_days: "",
      key_cycle: expect.stringMatching(/^\$\{data\.external\.cert_status_\w+\.result\["key_cycle"\]\}$/),
      after_renewal: expect.stringMatching(/^\$\{terraform_data\.cert_renewal_\w+\.output\["cycle"\]\}$/),
    });
    // Missing, mismatched or stale material fails the apply, with the program's words.
    expect((materialOf(s) as unknown as { lifecycle: { postcondition: unknown[] } }).lifecycle.postcondition).toEqual([
      { condition: '${self.result.problem == ""}', error_message: "tccert: ${self.result.problem}" },
      { condition: '${self.result.certificate_pem != ""}', error_message: expect.stringContaining("no certificate PEM") },
    ]);
  });

  it('keyRotation "always" (the default): the key is replaced when the key cycle changes, named by a bare address Terraform accepts', () => {
    const s = synth({ certificateId: "a1B2c3D4" });
    const cycles = Object.entries(parsed(s).resource["terraform_data"]!).filter(([k]) => k.startsWith("cert_key_cycle_"));
    expect(cycles).toHaveLength(1);
    const [cycleName, cycle] = cycles[0]!;
    expect(cycle["input"]).toEqual({ key_cycle: expect.stringMatching(/^\$\{data\.external\.cert_status_\w+\.result\["key_cycle"\]\}$/) });
    const key = Object.values(parsed(s).resource["tls_private_key"]!)[0] as { lifecycle: { replace_triggered_by: string[] } };
    expect(key.lifecycle.replace_triggered_by).toEqual([`terraform_data.${cycleName}`]);
  });

  it('keyRotation "never": one key for the life of the stack (no key cycle, no replace_triggered_by)', () => {
    const s = synth({ certificateId: "a1B2c3D4", keyRotation: "never" });
    expect(Object.keys(parsed(s).resource["terraform_data"]!).filter((k) => k.includes("key_cycle"))).toEqual([]);
    expect(Object.values(parsed(s).resource["tls_private_key"]!)[0]).not.toHaveProperty("lifecycle");
  });

  it("stateDir goes to the renewal step as TCCERT_STATE_DIR; without it, none is written (tf-renew uses the project's)", () => {
    expect(renewalOf(synth({ certificateId: "a1B2c3D4", stateDir: "/var/lib/tccert" })).provisioner[0]!["local-exec"].environment["TCCERT_STATE_DIR"]).toBe("/var/lib/tccert");
    expect(renewalOf(synth({ certificateId: "a1B2c3D4" })).provisioner[0]!["local-exec"].environment).not.toHaveProperty("TCCERT_STATE_DIR");
  });

  it("deploy with a local key: the renewal step gets the tls_private_key (sensitive) to install the certificate; without deploy it never does", () => {
    const env = renewalOf(synth({ certificateId: "a1B2c3D4", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }] })).provisioner[0]!["local-exec"].environment;
    expect(env["TCCERT_PRIVATE_KEY_PEM"]).toMatch(/^\$\{tls_private_key\.cert_key_\w+\.private_key_pem\}$/);
    expect(renewalOf(synth({ certificateId: "a1B2c3D4" })).provisioner[0]!["local-exec"].environment).not.toHaveProperty("TCCERT_PRIVATE_KEY_PEM");
  });

  it("program: an argv prefix chosen at synth replaces npx in all three programs", () => {
    const program = ["node", "/opt/tools/node_modules/tencentcloud-cert-renewal/dist/cli/main.js"];
    const s = synth({ certificateId: "a1B2c3D4", program });
    expect(statusOf(s).program).toEqual([...program, "tf-status"]);
    expect(materialOf(s).program).toEqual([...program, "tf-material"]);
    expect(renewalOf(s).provisioner[0]!["local-exec"].interpreter).toEqual([...program, "tf-renew", "--certificate-id"]);
    expect(s).not.toContain("npx");
  });

  it("provider ranges: the prebuilt bindings' versions are inside them, the next major and older minors are not", () => {
    /** Terraform's pessimistic constraint `~> X.Y`: >= X.Y.0 and < (X+1).0.0. */
    const allows = (constraint: string, version: string): boolean => {
      const [major, minor] = constraint.replace("~>", "").trim().split(".").map(Number) as [number, number];
      const [a, b] = version.split(".").map(Number) as [number, number];
      return a === major && b >= minor;
    };
    const bindings = {
      external: (new ExternalProvider(new TerraformStack(Testing.app(), "e"), "p").terraformGeneratorMetadata?.providerVersion ?? ""),
      tls: (new TlsProvider(new TerraformStack(Testing.app(), "t"), "p").terraformGeneratorMetadata?.providerVersion ?? ""),
    };
    expect(bindings).toEqual({ external: "2.3.5", tls: "4.1.0" });
    const s = JSON.parse(synth({ certificateId: "a1B2c3D4" })) as { terraform: { required_providers: Record<string, { version: string }> } };
    const range = (p: string) => s.terraform.required_providers[p]!.version;
    expect(allows(range("external"), bindings.external)).toBe(true);
    expect(allows(range("tls"), bindings.tls)).toBe(true);
    for (const v of ["2.3.0", "2.9.1"]) expect(allows(range("external"), v), v).toBe(true);
    for (const v of ["2.2.9", "3.0.0"]) expect(allows(range("external"), v), v).toBe(false);
    for (const v of ["4.0.0", "4.2.3"]) expect(allows(range("tls"), v), v).toBe(true);
    for (const v of ["3.4.0", "5.0.0"]) expect(allows(range("tls"), v), v).toBe(false);
  });

  it("the construct's providers ask for compatible ranges, not the bindings' exact versions", () => {
    const s = JSON.parse(synth({ certificateId: "a1B2c3D4" })) as { terraform: { required_providers: Record<string, { source: string; version: string }> } };
    expect(s.terraform.required_providers["external"]!.version).toBe("~> 2.3");
    expect(s.terraform.required_providers["tls"]).toEqual({ source: "hashicorp/tls", version: "~> 4.0" });
  });

  it.each([
    ["EC_P256", { algorithm: "ECDSA", ecdsa_curve: "P256" }],
    ["EC_P384", { algorithm: "ECDSA", ecdsa_curve: "P384" }],
    ["RSA_4096", { algorithm: "RSA", rsa_bits: 4096 }],
  ] as const)("local key %s maps onto tls_private_key", (algorithm, props) => {
    expect(synth({ certificateId: "a1B2c3D4", key: { algorithm } })).toHaveResourceWithProperties(PrivateKey, props);
  });

  it.each(["online", "original"] as const)("key.source %s is refused at synth: Tencent's key would reach Terraform through data external, which cannot be sensitive", (source) => {
    expect(() => synth({ certificateId: "a1B2c3D4", key: { source } })).toThrow(/key\.source "(online|original)" is not offered by the CDKTF construct .*cannot mark a data "external" result sensitive/);
  });

  it("csr key: your CSR goes to the renewal (environment) and the material read; no key anywhere", () => {
    const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
    const s = synth({ certificateId: "a1B2c3D4", key: { source: "csr", csrPem } });
    expect(s).not.toHaveResource(PrivateKey);
    const exec = renewalOf(s).provisioner[0]!["local-exec"];
    expect(exec.environment["TCCERT_CSR_PEM"]).toBe(csrPem);
    expect(exec.command).not.toContain("BEGIN");
    expect(materialOf(s).query).toMatchObject({ key_source: "csr", csr_pem: csrPem });
  });

  it("csr key: privateKeyPem throws (the stack holds no key) instead of being an empty string", () => {
    const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
    Testing.synthScope((scope) => {
      const cert = new RenewedCertificate(scope, "cert", { certificateId: "a1B2c3D4", key: { source: "csr", csrPem } });
      expect(() => cert.privateKeyPem).toThrow(/privateKeyPem is not available with key\.source "csr"/);
      const local = new RenewedCertificate(scope, "local", { certificateId: "a1B2c3D4" });
      expect(local.privateKeyPem).toMatch(/\$\{TfToken/);
    });
  });

  it("renewalTrigger: a terraform_data remembers the certificate current when it changed; while it is still current the cycles are the forced ones", () => {
    const s = synth({ certificateId: "a1B2c3D4", renewalTrigger: "2025-06" });
    expect(s).toHaveResourceWithProperties(DataResource, { triggers_replace: { renewal_trigger: "2025-06" }, lifecycle: { ignore_changes: ["input"] } });
    const renewal = renewalOf(s);
    const owed = String.raw`terraform_data\.cert_renewal_trigger_\w+\.output\["certificate_id"\] == data\.external\.cert_status_\w+\.result\["certificate_id"\]`;
    expect(renewal.triggers_replace).toEqual({
      cycle: expect.stringMatching(new RegExp(String.raw`^\$\{\(${owed}\) \? data\.external\.cert_status_\w+\.result\["forced_cycle"\] : data\.external\.cert_status_\w+\.result\["cycle"\]\}$`)),
    });
    const keyCycle = Object.entries(parsed(s).resource["terraform_data"]!).find(([k]) => k.startsWith("cert_key_cycle_"))![1] as { input: { key_cycle: string } };
    expect(keyCycle.input.key_cycle).toMatch(new RegExp(String.raw`^\$\{\(${owed}\) \? data\.external\.cert_status_\w+\.result\["forced_key_cycle"\] : data\.external\.cert_status_\w+\.result\["key_cycle"\]\}$`));
    expect(renewal.provisioner[0]!["local-exec"].environment["TCCERT_FORCE_FROM"]).toMatch(/^\$\{terraform_data\.cert_renewal_trigger_\w+\.output\["certificate_id"\]\}$/);
  });

  it("tokens pass through: a variable certificate id and a variable renewBeforeDays are written by Terraform's jsonencode", () => {
    const s = Testing.synthScope((scope) => {
      const id = new TerraformVariable(scope, "certificate_id", { type: "string" });
      const days = new TerraformVariable(scope, "days", { type: "number" });
      new RenewedCertificate(scope, "cert", { certificateId: id.stringValue, renewBeforeDays: days.numberValue, payment: { packageIds: ["pkg-1"] } });
    });
    expect(statusOf(s).query).toEqual({ certificate_id: "${var.certificate_id}", renew_before_days: "${var.days}" });
    const q = renewalOf(s).provisioner[0]!["local-exec"].environment["TCCERT_TF_QUERY"]!;
    expect(q).toMatch(/^\$\{jsonencode\(\{/);
    expect(q).toContain('"certificate_id" = var.certificate_id');
    expect(q).toContain('"package_ids" = jsonencode(["pkg-1"])');
  });

  it("two certificates in one stack share one provider of each kind", () => {
    const s = Testing.synthScope((scope) => {
      new RenewedCertificate(scope, "a", { certificateId: "aaaa1111" });
      new RenewedCertificate(scope, "b", { certificateId: "bbbb2222", key: { algorithm: "EC_P256" } });
    });
    const providers = (JSON.parse(s) as { provider: Record<string, unknown[]> }).provider;
    expect(providers["tls"]).toHaveLength(1);
    expect(providers["external"]).toHaveLength(1);
  });

  it("a user's own external provider is reused, not duplicated", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const mine = new ExternalProvider(stack, "mine", {});
    const cert = new RenewedCertificate(stack, "cert", { certificateId: "a1B2c3D4" });
    expect(cert.statusRead.provider).toBe(mine);
    const providers = (JSON.parse(Testing.synth(stack)) as { provider: Record<string, unknown[]> }).provider;
    expect(providers["external"]).toHaveLength(1);
  });
});
