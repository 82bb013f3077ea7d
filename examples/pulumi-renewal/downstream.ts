/**
 * A stand-in for the downstream resources that consume a renewed certificate.
 *
 * In a real stack these are resources of the Tencent Cloud Pulumi provider
 * (`@tencentcloud_iac/pulumi`), which is not on the npm registry this repo
 * builds against. There, a CLB HTTPS listener names the certificate by id:
 *
 *   new tencentcloud.clb.Listener("https", {
 *     clbId: "lb-xxxx", port: 443, protocol: "HTTPS", listenerName: "https",
 *     certificateSslMode: "UNIDIRECTIONAL", certificateId: cert.certificateId,
 *   });
 *
 * and a CDN domain can take the PEMs (or the id):
 *
 *   new tencentcloud.cdn.Domain("shop", {
 *     domain: "shop.example.com", serviceType: "web", area: "mainland",
 *     origin: { originType: "domain", originLists: ["origin.example.com"] },
 *     httpsConfig: { httpsSwitch: "on", serverCertificateConfig: {
 *       certificateContent: cert.fullchainPem, privateKey: cert.privateKeyPem } },
 *   });
 *
 * Both update in place when `certificateId` / the PEMs change, which is what a
 * renewal does (`RenewedCertificate` never replaces itself on renewal).
 *
 * This stand-in is itself a dynamic resource: it checks that the key matches
 * the certificate and records what it received (ids and the fingerprint;
 * never the key) so the example can be run end to end against the emulator.
 */
import * as pulumi from "@pulumi/pulumi";

export interface CertificateConsumerArgs {
  /** What this stands in for, e.g. "clb-listener" or "cdn-domain". */
  readonly kind: pulumi.Input<string>;
  /** The listener or domain, e.g. "lb-demoshop/lbl-demoshop" or "shop.example.com". */
  readonly target: pulumi.Input<string>;
  readonly certificateId: pulumi.Input<string>;
  /** Full chain, leaf first. */
  readonly certificatePem: pulumi.Input<string>;
  /** Secret. @default none (the consumer only takes the certificate id) */
  readonly privateKeyPem?: pulumi.Input<string>;
}

/* eslint-disable @typescript-eslint/no-require-imports -- serialized provider: modules are loaded inside the methods */
const consumerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const cert = new crypto.X509Certificate(inputs.certificatePem);
    const keyMatches = inputs.privateKeyPem ? cert.checkPrivateKey(crypto.createPrivateKey(inputs.privateKeyPem)) : false;
    if (inputs.privateKeyPem && !keyMatches) throw new Error(`${inputs.kind} ${inputs.target}: the private key does not match certificate ${inputs.certificateId}`);
    console.log(`${inputs.kind} ${inputs.target}: now serving certificate ${inputs.certificateId} (${cert.fingerprint256})`);
    return {
      id: `${inputs.kind}/${inputs.target}`,
      outs: {
        kind: inputs.kind,
        target: inputs.target,
        boundCertificateId: inputs.certificateId,
        certificateSha256: cert.fingerprint256,
        validTo: new Date(cert.validTo).toISOString(),
        keyMatchesCertificate: keyMatches,
      },
    };
  },
  async diff(_id, olds, news) {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const same = olds.boundCertificateId === news.certificateId && olds.certificateSha256 === new crypto.X509Certificate(news.certificatePem).fingerprint256;
    return { changes: !same };
  },
  async update(_id, _olds, news) {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const cert = new crypto.X509Certificate(news.certificatePem);
    const keyMatches = news.privateKeyPem ? cert.checkPrivateKey(crypto.createPrivateKey(news.privateKeyPem)) : false;
    console.log(`${news.kind} ${news.target}: switched to certificate ${news.certificateId} (${cert.fingerprint256})`);
    return {
      outs: {
        kind: news.kind,
        target: news.target,
        boundCertificateId: news.certificateId,
        certificateSha256: cert.fingerprint256,
        validTo: new Date(cert.validTo).toISOString(),
        keyMatchesCertificate: keyMatches,
      },
    };
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Records the certificate a CLB listener or CDN domain would be given. */
export class CertificateConsumer extends pulumi.dynamic.Resource {
  declare public readonly boundCertificateId: pulumi.Output<string>;
  declare public readonly certificateSha256: pulumi.Output<string>;
  declare public readonly validTo: pulumi.Output<string>;
  declare public readonly keyMatchesCertificate: pulumi.Output<boolean>;

  constructor(name: string, args: CertificateConsumerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      consumerProvider,
      name,
      { ...args, boundCertificateId: undefined, certificateSha256: undefined, validTo: undefined, keyMatchesCertificate: undefined },
      opts,
      "tencentcloud-cert-renewal-example",
      "CertificateConsumer",
    );
  }
}
