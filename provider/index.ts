/**
 * `RenewedCertificate`: a Pulumi dynamic resource that renews a paid Tencent
 * Cloud SSL certificate when it is due, waits for issuance during `pulumi up`,
 * and outputs the certificate and key for downstream CLB, CDN and other resources.
 *
 *   import { RenewedCertificate } from "tencentcloud-cert-renewal/pulumi";
 *
 * Provider configuration (stack config, else the environment, read when the
 * provider starts): `tencentcloud:secretId` / TENCENTCLOUD_SECRET_ID,
 * `tencentcloud:secretKey` (secret) / TENCENTCLOUD_SECRET_KEY,
 * `tencentcloud:securityToken` / TENCENTCLOUD_SESSION_TOKEN,
 * `tencentcloud:region` / TENCENTCLOUD_REGION, `tencentcloud:endpoint` / TCCERT_ENDPOINT
 * (e.g. the emulator), `tccert:stateDir` / TCCERT_STATE_DIR (the renewal journal).
 */
import * as pulumi from "@pulumi/pulumi";
// Types only: this module must not load the engine (the serialized provider captures nothing but a module name).
import type { DeployResourceType, KeyAlgorithm as EngineKeyAlgorithm, KeySource as EngineKeySource, ValidationMethod as EngineValidationMethod } from "../engine/domain";
import type * as Impl from "./impl";
import type { BoundResourceOutput, DnsRecordOutput, PendingAction, PendingChange } from "./state";

export type { BoundResourceOutput, DnsRecordOutput, PendingAction, PendingChange } from "./state";

/** Key algorithms: the engine's (`KEY_ALGORITHMS`, `RSA_2048` … `EC_P384`). */
export type KeyAlgorithm = EngineKeyAlgorithm;
/** Key sources: the engine's (`KEY_SOURCES`). */
export type KeySource = EngineKeySource;
/** Validation methods: the engine's (`VALIDATION_METHODS`). */
export type ValidationMethod = EngineValidationMethod;

export interface RenewedCertificateKeyArgs {
  /**
   * Where the new key comes from: `local` (generated here, or `privateKeyPem`; kept in
   * the renewal journal before the CSR is sent), `online` (Tencent generates it),
   * `original` (Tencent reuses the old CSR), `csr` (you supply `csrPem` and keep the key).
   * @default "local"
   */
  readonly source?: pulumi.Input<KeySource>;
  /** @default "RSA_2048" */
  readonly algorithm?: pulumi.Input<KeyAlgorithm>;
  /** Your PEM CSR; required with `source: "csr"`, refused otherwise. @default none */
  readonly csrPem?: pulumi.Input<string>;
  /** Your PEM private key, with `source: "local"`. Pass it as a secret. @default a new key per renewal */
  readonly privateKeyPem?: pulumi.Input<string>;
}

export interface RenewedCertificatePaymentArgs {
  /** `ProductPid` to renew as. @default derived from the certificate's `PackageType` */
  readonly productPid?: pulumi.Input<number>;
  /** Benefit packages to pay with. @default chosen from `DescribePackages` (usable, soonest to expire first), and the choice is explained */
  readonly packageIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface RenewedCertificateDeployArgs {
  /** A `DeployResourceType` (the engine's `DEPLOY_RESOURCE_TYPES`: `clb`, `cdn`, `waf`, …); checked before anything is paid. */
  readonly resourceType: pulumi.Input<DeployResourceType | (string & {})>;
  /** @default [] (Tencent's default for the type) */
  readonly regions?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface RenewedCertificateArgs {
  /** The paid certificate whose lineage this resource manages; it becomes the resource id. Changing it replaces the resource (nothing is revoked). */
  readonly certificateId: pulumi.Input<string>;
  /** Renew this many days before `notAfter` (1–365). @default 30 */
  readonly renewBeforeDays?: pulumi.Input<number>;
  /** Changing the key settings renews (when Tencent allows it). @default { source: "local", algorithm: "RSA_2048" } */
  readonly key?: pulumi.Input<RenewedCertificateKeyArgs>;
  /** `dnspod` (records created and removed here), `DNS_AUTO` (Tencent does it), `manual-dns` (records become the `dnsRecords` output). @default "dnspod" */
  readonly validation?: pulumi.Input<ValidationMethod>;
  /** @default chosen from `DescribePackages`; refused before paying when no choice is possible */
  readonly payment?: pulumi.Input<RenewedCertificatePaymentArgs>;
  /** How long `pulumi up` waits for issuance before stopping with a resumable error (0–10080; fractions allowed). @default 30 */
  readonly waitTimeoutMinutes?: pulumi.Input<number>;
  /** Any value; changing it forces a renewal on the next update (when Tencent allows it). Its first value does not. @default "" */
  readonly renewalTrigger?: pulumi.Input<string | number>;
  /** Move these resources to each new certificate (`UpdateCertificateInstance`). @default [] (no deployment) */
  readonly deploy?: pulumi.Input<pulumi.Input<RenewedCertificateDeployArgs>[]>;
  /** Renew even though Tencent's own auto-renewal, hosting or a subscription is on for the certificate (both could pay). @default false (refused before paying) */
  readonly allowTencentAutoRenew?: pulumi.Input<boolean>;
  /** On delete, cancel a renewal still in flight. Delete never revokes. @default false (delete only forgets) */
  readonly cancelPendingOrderOnDelete?: pulumi.Input<boolean>;
  /** When set, the `pkcs12` output holds a PKCS#12 (RSA keys only) with this password. Pass it as a secret. @default no PKCS#12 */
  readonly pkcs12Password?: pulumi.Input<string>;
  /**
   * A renewal waiting for a human (OV/EV letter, manual DNS, a failed review) does not fail `pulumi up`
   * while the current certificate stays valid for more than this many days (0–365): the outputs keep the
   * current certificate and key, `status` is "pending-human-action", and a later `up` resumes the renewal
   * without paying. Within it (or once expired), the stop fails the update. @default 7
   */
  readonly failWhenPendingWithinDays?: pulumi.Input<number>;
  /**
   * Other state dirs whose renewal journals may hold the key of a certificate renewed outside this
   * stack (e.g. the TCCERT_STATE_DIR of a `tccert renew` run). Read only. @default [] (this state dir's journal only)
   */
  readonly keyJournalDirs?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Module-local on purpose: an exported const would be emitted as `exports.X` and the closure would capture the whole module. */
const IMPL = "tencentcloud-cert-renewal/pulumi/impl";

type Settings = Impl.ProviderSettings | undefined;
interface Stub extends pulumi.dynamic.ResourceProvider {
  settings?: Settings;
}

/**
 * The provider as serialized into state: a stub that loads this package in the
 * host, inside each method (resolved from the program's directory). It captures
 * nothing but the module name; settings read in `configure` live on `this`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the serialized stub must load the implementation at run time, in the host */
export const renewedCertificateProvider: Stub = {
  async configure(req) {
    this.settings = (require(IMPL) as typeof Impl).readSettings(req.config);
  },
  async check(olds, news) {
    return (require(IMPL) as typeof Impl).check(olds, news);
  },
  async diff(id, olds, news) {
    return (require(IMPL) as typeof Impl).diff(id, olds, news, this.settings);
  },
  async create(inputs) {
    return (require(IMPL) as typeof Impl).create(this.settings, inputs);
  },
  async read(id, props) {
    return (require(IMPL) as typeof Impl).read(this.settings, id, props ?? {});
  },
  async update(id, olds, news) {
    return (require(IMPL) as typeof Impl).update(this.settings, id, olds, news);
  },
  async delete(id, props) {
    return (require(IMPL) as typeof Impl).remove(this.settings, id, props);
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Outputs that are secret in state whatever the inputs say. */
export const SECRET_OUTPUTS = ["privateKeyPem", "pkcs12", "pkcs12Password"];

/** The `pulumi-nodejs:dynamic/<module>:<type>` parts of the type token. */
export const TYPE_MODULE = "tencentcloud-cert-renewal";
export const TYPE_NAME = "RenewedCertificate";

/**
 * A paid Tencent Cloud SSL certificate, renewed when due. The id is the lineage
 * root (`certificateId` as first given); renewal is an in-place update, so
 * dependents see a new `certificateId` output and update in place.
 */
export class RenewedCertificate extends pulumi.dynamic.Resource {
  /** The newest issued certificate of the lineage. */
  declare public readonly certificateId: pulumi.Output<string>;
  /** The lineage root (the resource id). */
  declare public readonly originalCertificateId: pulumi.Output<string>;
  /** The certificate the last renewal replaced; "" when none yet. */
  declare public readonly previousCertificateId: pulumi.Output<string>;
  /** `pending-human-action` while a renewal waits for a human (see `pendingAction`); else the engine phase (`issued`, `validating`, …) of the pending renewal if any, else of `certificateId`. */
  declare public readonly status: pulumi.Output<string>;
  /** A human step blocking the renewal: "" | "confirmation-letter" | "manual-dns" | "review-failed". */
  declare public readonly pendingAction: pulumi.Output<PendingAction>;
  declare public readonly pendingInstructions: pulumi.Output<string>;
  /** The paid renewal not yet issued; "" when none. */
  declare public readonly pendingCertificateId: pulumi.Output<string>;
  /** Why the last run renewed or not. */
  declare public readonly renewalReason: pulumi.Output<string>;
  declare public readonly certificatePem: pulumi.Output<string>;
  declare public readonly chainPem: pulumi.Output<string>;
  declare public readonly fullchainPem: pulumi.Output<string>;
  /** SECRET. Always the key of `certificatePem` (never a certificate without its key); "" only with key.source "csr" (you hold the key). */
  declare public readonly privateKeyPem: pulumi.Output<string>;
  /** SECRET. Base64 PKCS#12; "" unless `pkcs12Password` is set. */
  declare public readonly pkcs12: pulumi.Output<string>;
  /** ISO 8601. */
  declare public readonly notBefore: pulumi.Output<string>;
  declare public readonly notAfter: pulumi.Output<string>;
  /** `notAfter − renewBeforeDays`: from then on, `pulumi up` renews. */
  declare public readonly renewAfter: pulumi.Output<string>;
  declare public readonly domains: pulumi.Output<string[]>;
  declare public readonly serialNumber: pulumi.Output<string>;
  declare public readonly sha256Fingerprint: pulumi.Output<string>;
  /** Validation records of the last renewal (publish them yourself with `manual-dns`). */
  declare public readonly dnsRecords: pulumi.Output<DnsRecordOutput[]>;
  /** The deployment record of the last renewal; 0 when none. */
  declare public readonly deployRecordId: pulumi.Output<number>;
  /** Inputs asked for but not yet served (`{ input, served, requested }`); the next renewal Tencent allows applies them. [] when the outputs match the inputs. */
  declare public readonly pendingChanges: pulumi.Output<PendingChange[]>;
  /** "" when the certificate outputs and privateKeyPem are the lineage's newest pair; otherwise why an older matching pair is kept (a renewal made elsewhere whose key is not held here). */
  declare public readonly keyStatus: pulumi.Output<string>;
  /**
   * Where `certificateId` is deployed (`{ resourceType, region, instanceId, listenerId, domain }`; "" where a
   * field does not apply), from Tencent's bound-resource task. Read by `up` (create, update) and `refresh`,
   * never by a preview. A failed or timed-out read does not fail the run: a warning, and the previous list
   * while it describes the same certificate, else []. Bindings, not drift: `tccert scan --deployments` judges drift.
   */
  declare public readonly boundResources: pulumi.Output<BoundResourceOutput[]>;

  constructor(name: string, args: RenewedCertificateArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: pulumi.Inputs = {
      ...args,
      // Outputs must be in the props bag, or they never appear on the resource.
      certificateId: args.certificateId,
      originalCertificateId: undefined,
      previousCertificateId: undefined,
      status: undefined,
      pendingAction: undefined,
      pendingInstructions: undefined,
      pendingCertificateId: undefined,
      renewalReason: undefined,
      certificatePem: undefined,
      chainPem: undefined,
      fullchainPem: undefined,
      privateKeyPem: undefined,
      pkcs12: undefined,
      notBefore: undefined,
      notAfter: undefined,
      renewAfter: undefined,
      domains: undefined,
      serialNumber: undefined,
      sha256Fingerprint: undefined,
      dnsRecords: undefined,
      deployRecordId: undefined,
      pendingChanges: undefined,
      keyStatus: undefined,
      boundResources: undefined,
    };
    super(
      renewedCertificateProvider,
      name,
      props,
      { ...opts, additionalSecretOutputs: [...new Set([...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS])] },
      TYPE_MODULE,
      TYPE_NAME,
    );
  }
}
