/**
 * `tencentcloud-cert-renewal/cdktf`: the `RenewedCertificate` construct for CDKTF stacks.
 * Requires the optional peers `cdktf`, `constructs`, `@cdktf/provider-external` and
 * `@cdktf/provider-tls`, Terraform ≥ 1.4 (terraform_data), and `tccert` runnable by Terraform.
 */
export { RenewedCertificate } from "./renewed-certificate";
export type { RenewedCertificateConfig, RenewedCertificateKey, RenewedCertificatePayment } from "./config";
export { configProblems } from "./config";
export { DEFAULT_PROGRAM, TF_COMMANDS, TF_ENV } from "./protocol";
export type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "./protocol";
