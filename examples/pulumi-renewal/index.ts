/**
 * Renew a paid Tencent Cloud SSL certificate when it is due, and hand it to
 * the resources that serve it. See README.md for `pulumi up` against the
 * emulator and against real Tencent.
 */
import * as pulumi from "@pulumi/pulumi";
import { RenewedCertificate } from "tencentcloud-cert-renewal/pulumi";
import { CertificateConsumer } from "./downstream";

const config = new pulumi.Config();

const cert = new RenewedCertificate("shop", {
  // The paid certificate to keep renewed (the emulator's demo preset has DemoShop).
  certificateId: config.get("certificateId") ?? "DemoShop",
  renewBeforeDays: config.getNumber("renewBeforeDays") ?? 30,
  // A new RSA key per renewal, made here and journaled before the CSR is sent.
  key: { source: "local", algorithm: "RSA_2048" },
  // Validation records are created in DNSPod and removed afterwards.
  validation: "dnspod",
  waitTimeoutMinutes: config.getNumber("waitTimeoutMinutes") ?? 30,
  // Change this value to renew now (when Tencent allows it).
  renewalTrigger: config.get("renewalTrigger") ?? "",
});

// What a CLB HTTPS listener would take: the certificate id (see downstream.ts).
const listener = new CertificateConsumer("shop-https-listener", {
  kind: "clb-listener",
  target: "lb-demoshop/lbl-demoshop",
  certificateId: cert.certificateId,
  certificatePem: cert.fullchainPem,
});

// What a CDN domain would take: the PEMs, key included (a secret all the way).
const cdn = new CertificateConsumer("shop-cdn-domain", {
  kind: "cdn-domain",
  target: "shop.example.com",
  certificateId: cert.certificateId,
  certificatePem: cert.fullchainPem,
  privateKeyPem: cert.privateKeyPem,
});

export const certificateId = cert.certificateId;
export const originalCertificateId = cert.originalCertificateId;
export const notAfter = cert.notAfter;
export const renewAfter = cert.renewAfter;
export const status = cert.status;
export const pendingAction = cert.pendingAction;
export const listenerCertificateId = listener.boundCertificateId;
export const cdnCertificateSha256 = cdn.certificateSha256;
export const cdnKeyMatchesCertificate = cdn.keyMatchesCertificate;
