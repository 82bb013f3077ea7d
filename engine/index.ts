/**
 * The engine API (`import … from "tencentcloud-cert-renewal"`): the renewal
 * policy, the resumable renewal state machine, its ports, and branded errors.
 */
export * from "./domain";
export * from "./errors";
export * from "./options";
export * from "./policy";
export * from "./phases";
export * from "./progress";
export * from "./result";
export type { EngineDeps, PollingOptions } from "./deps";
export { realClock, realSleep } from "./deps";
export type * from "./ports";
export { ensureRenewed, inspectLineage, type RunOptions } from "./renewal";
export { planRenewal, cancelPendingRenewal, choosePayment, preflight, type RenewalPlan, type PaymentChoice } from "./plan";
export { currentMaterial, materialOf, type Material, type CurrentMaterial, type KeyCandidates, type KeyOrigin } from "./material";
export { resolvePayment, type PaymentResolution } from "./resolve";
export { gatherEvidence, type PaymentEvidence } from "./evidence";
export { readLineage, type Lineage } from "./lineage";
export { runDeployment, type DeployOptions } from "./deploy";
export { chooseProduct, choosePackages, estimatePoints, PRODUCT_PID_BY_PACKAGE_TYPE } from "./payment";
export { nameCovers, uncoveredDomains, sameDomainSet } from "./domains";
export { scanAccount, listAllCertificates, type ScanQuery, type ScanRow } from "./scan";
export type * from "./drift-port";
export { BINDING_BATCH } from "./drift-port";
export { scanDeployments, listDeployments, type DeploymentScan, type DeploymentScanQuery, type LineageDeployments, type CertificateDeployments, type DeployedResource, type CertificateDeploymentList, type DriftDeps } from "./drift";
export { classifyDrift, groupLineages, type Drift, type DriftReason, type DeployLineage } from "./drift-classify";
export { deployDrifted, type DriftFix, type DriftFixStatus, type DeployDriftedOptions } from "./drift-deploy";
export type { BindingReadOptions, CertificateBindings } from "./drift-read";
export * from "./backoff";
