/** Seeding state from a `SeedSpec`, and the documented presets. */
import type { SeedBoundResource, SeedCertificate, SeedSpec } from "../contract";
import { alnumId } from "./ids";
import { insertCertificate, newCertificate, newCertificateId } from "./factory";
import { buildDvAuths } from "./dvauth";
import { newZone } from "./dnspod/records";
import { DEFAULT_PRODUCT_PID, productOf } from "./products";
import { STATUS } from "./status";
import { DAY_MS } from "./time";
import { emptyAccount, type AccountState, type BoundResourceRecord, type CertificateRecord } from "./state";
import type { BackendCore } from "./core";

export interface SeedResult {
  certificateIds: string[];
  packageIds: string[];
}

const GLOBAL_RESOURCE_TYPES: readonly string[] = ["cdn", "teo", "ddos", "vod", "live"];

export function boundResourceOf(r: SeedBoundResource): BoundResourceRecord {
  const type = r.resourceType.toLowerCase();
  return {
    resourceType: type,
    region: r.region ?? (GLOBAL_RESOURCE_TYPES.includes(type) ? "" : "ap-guangzhou"),
    instanceId: r.instanceId,
    listenerId: r.listenerId ?? "",
    domain: r.domain ?? "",
  };
}

function accountFor(core: BackendCore, accountId: string | undefined): AccountState {
  return core.account(accountId ?? core.defaultAccountId());
}

function seedCertificate(core: BackendCore, spec: SeedCertificate, now: Date): string {
  const account = accountFor(core, spec.accountId);
  const certType = spec.certType ?? "DV";
  const pid = spec.productPid ?? DEFAULT_PRODUCT_PID[certType];
  const product = productOf(pid);
  if (!product) throw new Error(`emulator seed: unknown productPid ${pid} for ${spec.domain}`);
  const id = spec.certificateId ?? newCertificateId(account);
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) throw new Error(`emulator seed: certificate id ${JSON.stringify(id)} must be alphanumeric`);
  const status = spec.status ?? STATUS.ISSUED;
  const notAfter = new Date(now.getTime() + (spec.expiresInDays ?? 200) * DAY_MS);
  const notBefore = new Date(notAfter.getTime() - 365 * DAY_MS);
  const issued = status === STATUS.ISSUED || status === STATUS.EXPIRED;
  const cert = newCertificate({
    id, productPid: pid, certType: spec.certType ?? product.certType, domain: spec.domain, sans: spec.sans ?? [], status,
    insertTime: issued ? notBefore : now, isVip: spec.paid ?? true, from: spec.from ?? "trustasia", alias: spec.alias ?? "",
    verifyType: issued ? "DNS" : null,
    key: { mode: "seeded", algorithm: spec.keyAlgorithm ?? "RSA_2048", csrPem: null, privateKeyPem: null, keyPass: null, inferred: false },
  });
  if (issued) {
    cert.notBefore = notBefore.toISOString();
    cert.notAfter = notAfter.toISOString();
    cert.dcvPassedAt = notBefore.toISOString();
    cert.orderId = `${alnumId(8)}_${alnumId(8)}`;
    if (status === STATUS.ISSUED && now.getTime() > notAfter.getTime()) cert.status = STATUS.EXPIRED;
  } else if (status === STATUS.PENDING || status === STATUS.DNS_ADDED || status === STATUS.PENDING_LETTER) {
    cert.verifyType = "DNS";
    cert.orderId = `${alnumId(8)}_${alnumId(8)}`;
    cert.dvAuths = buildDvAuths(account, cert, "DNS");
    cert.statusMsg = status === STATUS.PENDING_LETTER ? "PRE-REVIEWING" : "PENDING-DCV";
    cert.dcvStartedAt = status === STATUS.PENDING_LETTER ? null : now.toISOString();
  } else if (status === STATUS.REJECTED) {
    cert.failReason = "订单审核失败";
  }
  cert.boundResources = (spec.boundResources ?? []).map(boundResourceOf);
  if (spec.renewalOf !== undefined) linkRenewal(account, spec.renewalOf, cert, now);
  insertCertificate(account, cert);
  return id;
}

/** A seeded renewal: bought and issued 10 days ago, linked both ways as CreateCertificateByPackage links them. */
function linkRenewal(account: AccountState, oldId: string, cert: CertificateRecord, now: Date): void {
  const old = account.certificates[oldId];
  if (!old) throw new Error(`emulator seed: renewalOf ${JSON.stringify(oldId)} names no earlier seeded certificate of the account`);
  if (old.renewOrder !== null) throw new Error(`emulator seed: ${oldId} already has the renewal ${old.renewOrder}`);
  const bought = new Date(now.getTime() - 10 * DAY_MS).toISOString();
  cert.insertTime = bought;
  if (cert.notBefore !== null) cert.notBefore = bought;
  if (cert.dcvPassedAt !== null) cert.dcvPassedAt = bought;
  cert.originCertificateId = old.id;
  old.renewOrder = cert.id;
}

export function seed(core: BackendCore, spec: SeedSpec, now: Date): SeedResult {
  for (const a of spec.accounts ?? []) {
    const existing = core.state.accounts[a.accountId];
    const account = existing ?? emptyAccount(a.accountId, a.secretId, a.secretKey);
    account.secretId = a.secretId;
    account.secretKey = a.secretKey;
    account.sessionToken = a.sessionToken ?? null;
    account.sessionTokenExpiresAt = a.sessionTokenExpiresAt ?? null;
    if (!existing) {
      core.state.accounts[a.accountId] = account;
      core.state.accountOrder.push(a.accountId);
    }
  }
  for (const z of spec.zones ?? []) {
    const account = accountFor(core, z.accountId);
    const name = z.zone.toLowerCase();
    if (!account.zones[name]) account.zones[name] = newZone(core, name, now);
  }
  const packageIds: string[] = [];
  for (const p of spec.packages ?? []) {
    const account = accountFor(core, p.accountId);
    const packageId = p.packageId ?? alnumId(12);
    account.packages[packageId] = {
      packageId, type: p.type ?? "ssl_100", total: p.total, balance: p.balance, status: p.status ?? "usable",
      expireTime: new Date(now.getTime() + (p.expiresInDays ?? 365) * DAY_MS).toISOString(),
      createTime: new Date(now.getTime() - 30 * DAY_MS).toISOString(), updateTime: now.toISOString(),
    };
    packageIds.push(packageId);
  }
  const certificateIds = (spec.certificates ?? []).map((c) => seedCertificate(core, c, now));
  return { certificateIds, packageIds };
}

/** Credentials of the `demo` preset (documented; test use only). */
export const DEMO_ACCOUNT = {
  accountId: "demo",
  secretId: "AKIDEMULATORDEMO000000000000000000000",
  secretKey: "emulator-demo-secret-key-000000000000",
} as const;

/** Stable ids of the `demo` preset, for docs and examples. */
export const DEMO_IDS = {
  shop: "DemoShop",
  corp: "DemoCorp",
  blog: "DemoBlog",
  /** The renewed lineage: `DemoApiOld` was renewed into `DemoApi`, and one resource still serves the old one. */
  api: "DemoApi",
  apiOld: "DemoApiOld",
  package: "DemoPack0001",
} as const;

export const DEMO_SPEC: SeedSpec = {
  accounts: [DEMO_ACCOUNT],
  zones: [{ accountId: "demo", zone: "example.com" }],
  packages: [{ accountId: "demo", packageId: DEMO_IDS.package, type: "ssl_100", total: 100, balance: 100, expiresInDays: 365 }],
  certificates: [
    {
      accountId: "demo", certificateId: DEMO_IDS.shop, domain: "shop.example.com", sans: ["www.shop.example.com"], certType: "DV", expiresInDays: 20,
      alias: "shop", boundResources: [
        { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-demoshop", listenerId: "lbl-demoshop" },
        { resourceType: "cdn", instanceId: "shop.example.com", domain: "shop.example.com" },
      ],
    },
    { accountId: "demo", certificateId: DEMO_IDS.corp, domain: "corp.example.com", certType: "OV", expiresInDays: 25, alias: "corp" },
    { accountId: "demo", certificateId: DEMO_IDS.blog, domain: "blog.example.com", certType: "DV", expiresInDays: 200, alias: "blog" },
    // Deployment drift: api.example.com was renewed (DemoApiOld → DemoApi) and its CLB listener moved,
    // but its CDN domain still serves the superseded certificate.
    {
      accountId: "demo", certificateId: DEMO_IDS.apiOld, domain: "api.example.com", certType: "DV", expiresInDays: 45, alias: "api",
      boundResources: [{ resourceType: "cdn", instanceId: "api.example.com", domain: "api.example.com" }],
    },
    {
      accountId: "demo", certificateId: DEMO_IDS.api, domain: "api.example.com", certType: "DV", expiresInDays: 355, alias: "api", renewalOf: DEMO_IDS.apiOld,
      boundResources: [{ resourceType: "clb", region: "ap-shanghai", instanceId: "lb-demoapi", listenerId: "lbl-demoapi" }],
    },
  ],
};

export const PRESETS: Readonly<Record<string, SeedSpec>> = { demo: DEMO_SPEC };
