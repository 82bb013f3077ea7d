/**
 * Renew a paid Tencent Cloud SSL certificate with `cdktf deploy`: a plan only reads, an apply
 * renews when due (or resumes a renewal in flight), and the outputs are the newest certificate.
 * See README.md for running it against the embedded emulator and against real Tencent.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
// In your project: import { RenewedCertificate } from "tencentcloud-cert-renewal/cdktf";
import { RenewedCertificate } from "../../constructs";

export class CertificatesStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.certificates.tfstate" });

    const certificateId = new TerraformVariable(this, "certificate_id", {
      type: "string",
      default: "DemoShop", // the emulator's demo preset; pass -var certificate_id=... for yours
      description: "The paid certificate whose renewals this stack manages",
    });

    const shop = new RenewedCertificate(this, "shop", {
      certificateId: certificateId.stringValue,
      renewBeforeDays: 30,
      // The key is a tls_private_key in Terraform state (sensitive); only its CSR goes to Tencent.
      key: { source: "local", algorithm: "EC_P256" },
      // Validation records are created in DNSPod and removed afterwards.
      validation: "dnspod",
      waitTimeoutMinutes: 30,
      // After issuance, move the CLB listeners bound to the old certificate to the new one.
      deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }],
    });

    // None of these changes from day to day: a plan after a deploy is empty until a renewal is due.
    new TerraformOutput(this, "renewal_due", { value: shop.renewalDue, description: "true only while a renewal is still owed after this deploy" });
    new TerraformOutput(this, "renewal_message", { value: shop.renewalMessage });
    new TerraformOutput(this, "shop_certificate_id", { value: shop.certificateId });
    new TerraformOutput(this, "shop_not_after", { value: shop.notAfter });
    new TerraformOutput(this, "shop_fullchain_pem", { value: shop.fullchainPem });
    new TerraformOutput(this, "shop_private_key_pem", { value: shop.privateKeyPem, sensitive: true });
  }
}

if (require.main === module) {
  const app = new App();
  new CertificatesStack(app, "certificates");
  app.synth();
}
