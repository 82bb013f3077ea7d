/**
 * `tencentcloud-cert-renewal/cdktf`: the `RenewedCertificate` construct for CDKTF stacks.
 * Requires the optional peers `cdktf`, `constructs`, `@cdktf/provider-external` and
 * `@cdktf/provider-tls`, Terraform ≥ 1.5 or OpenTofu ≥ 1.6, and `tccert` runnable by Terraform.
 */
export { RenewedCertificate } from "./renewed-certificate";
export type { RenewedCertificateConfig, RenewedCertificateKey, RenewedCertificatePayment } from "./config";
export { configProblems } from "./config";
export { DEFAULT_PROGRAM, KEY_ROTATIONS, TF_COMMANDS, TF_ENV, TF_KEY_SOURCES } from "./protocol";
export type { KeyRotation } from "./protocol";
export { PROVIDER_CONSTRAINTS } from "./providers";
export type { DeployTarget, KeyAlgorithm, KeySource, ValidationMethod } from "./protocol";
