/**
 * An in-memory Tencent SSL (`SslApi`) for millisecond unit tests of the engine.
 * Each certificate has a scripted status machine (OrderScript): a renewal is
 * created in status 5, goes to validation (4) when submitted, and once its DNS
 * records are in the FakeDns (unless DNS_AUTO) and `readsToIssue` reads have
 * passed, it ends as scripted: issued with a real certificate (fake-issuer.ts),
 * letter (8), review failed (2), cancelled (7), or never. Faults and the call log
 * are shared with the FakeDns (fake-calls.ts). The fake copies Tencent's
 * observable rules, not its internals.
 */
import type { BenefitPackage, Certificate, DeployRecord, DeployStart, DeployTarget, DomainVerification, KeyAlgorithm, RenewByPackageRequest } from "../../engine/domain";
import type { CertificatePage, DeployContent, ListCertificatesQuery, SslApi } from "../../engine/ports";
import { phaseOfStatus } from "../../tencent/status";
import { FakeCalls, tencentError, type FakeMethod } from "./fake-calls";
import { FakeDns } from "./fake-dns";
import { fakeKeys, freshKey, issueLeaf, sharedKey } from "./fake-issuer";
import type { FakeClock } from "./fake-clock";
import { DEFAULT_ORDER, authsFor, toCertificate, toSummary, type CertRecord, type CertSeed, type OrderScript, type RenewBehaviour } from "./fake-ssl-model";

const DAY_MS = 86_400_000;

export { DEFAULT_ORDER, type CertSeed, type OrderScript, type RenewBehaviour } from "./fake-ssl-model";

export class FakeSsl implements SslApi {
  private readonly certs = new Map<string, CertRecord>();
  readonly packages: BenefitPackage[] = [];
  renewal: RenewBehaviour = { link: "both", linkDelayReads: 0, secondRenewal: "refuse", order: {} };
  /** `UpdateCertificateInstance` answers `DeployRecordId: 0` (task being created) this many times first. */
  deployPending = 0;
  private readonly deploys = new Map<number, readonly DeployTarget[]>();
  private renewals = 0;

  constructor(
    readonly clock: FakeClock,
    readonly calls: FakeCalls = new FakeCalls(),
    readonly dns: FakeDns = new FakeDns(calls),
  ) {}

  async seed(s: CertSeed): Promise<void> {
    const notAfter = s.notAfter ?? new Date(this.clock.now().getTime() + 20 * DAY_MS);
    const key = s.key ?? (await sharedKey());
    const rec = this.record({ ...s, status: s.status ?? 1, notAfter, key: { publicKeyPem: key.publicKeyPem, privateKeyPem: s.tencentHoldsKey ? key.privateKeyPem : null } }, s.csrPem);
    if (rec.status === 1 || rec.status === 3) rec.pem = await issueLeaf(key.publicKeyPem, rec.domains, rec.notBefore!, notAfter);
    if (phaseOfStatus(rec.status) === "validating") rec.dvAuths = authsFor(rec);
  }

  seedPackage(p: Partial<BenefitPackage> & { packageId: string }): void {
    this.packages.push({ type: "points", total: 100, balance: 50, status: "usable", expireTime: null, pid: 0, ...p });
  }

  /** The certificate as `getCertificate` would return it, without a call or a transition. */
  view(id: string): Certificate {
    return toCertificate(this.must("getCertificate", id));
  }

  /** Changes a certificate directly (the console, the CA, time passing). */
  set(id: string, patch: Partial<Pick<CertRecord, "status" | "statusMsg" | "renewable" | "renewOrderId">>): void {
    Object.assign(this.must("getCertificate", id), patch);
  }

  /** Changes how an order goes on from here (e.g. the letter was accepted: outcome "issue"). */
  rescript(id: string, patch: Partial<OrderScript>): void {
    const rec = this.must("getCertificate", id);
    Object.assign(rec, { script: { ...rec.script, ...patch }, readsLeft: patch.readsToIssue ?? rec.readsLeft });
  }

  /** Tencent shows the links of every renewal from now on (after `originHidden`). */
  reveal(): void {
    for (const c of this.certs.values()) c.originHidden = false;
  }

  /** Ids of the renewals made by the paid call, oldest first. */
  renewalIds(): string[] {
    return [...this.certs.values()].filter((c) => c.originCertificateId && c.id.startsWith("renewal-")).map((c) => c.id);
  }

  listCertificates(q: ListCertificatesQuery): Promise<CertificatePage> {
    return this.calls.run("listCertificates", [q], () => {
      const all = [...this.certs.values()].filter(
        (c) => (!q.ids || q.ids.includes(c.id)) && (!q.statuses || q.statuses.includes(c.status)) && (!q.renewableOnly || c.renewable) &&
          (!q.searchKey || c.id.includes(q.searchKey) || c.domains.some((d) => d.includes(q.searchKey!))),
      );
      const offset = q.offset ?? 0;
      return { totalCount: all.length, certificates: all.slice(offset, offset + (q.limit ?? 20)).map(toSummary) };
    });
  }

  getCertificate(id: string): Promise<Certificate> {
    return this.calls.run("getCertificate", [id], async () => {
      const rec = this.must("getCertificate", id);
      await this.advance(rec);
      const view = toCertificate(rec);
      if (rec.hideLinkReads > 0) rec.hideLinkReads--;
      return view;
    });
  }

  listPackages(): Promise<readonly BenefitPackage[]> {
    return this.calls.run("listPackages", [], () => this.packages.map((p) => ({ ...p })));
  }

  renewByPackage(req: RenewByPackageRequest): Promise<string> {
    return this.calls.run("renewByPackage", [req], async () => {
      const old = this.must("renewByPackage", req.oldCertificateId);
      const existing = [...this.certs.values()].some((c) => c.originCertificateId === old.id && ![7, 14].includes(c.status));
      if (existing && this.renewal.secondRenewal === "refuse") throw tencentError("renewByPackage", "FailedOperation.InvalidCertificateStatusCode");
      this.pay(req.packageIds, req.domainCount);
      const key = await this.newKey(req, old);
      const script = { ...DEFAULT_ORDER, ...this.renewal.order };
      const id = `renewal-${++this.renewals}`;
      this.record({ id, status: script.initialStatus, domains: old.domains, originCertificateId: old.id, packageType: old.packageType, productZhName: old.productZhName, certType: old.certType, order: script, key }, req.csrPem);
      if (this.renewal.link === "both") Object.assign(old, { renewOrderId: id, hideLinkReads: this.renewal.linkDelayReads });
      if (this.renewal.originHidden) Object.assign(this.must("renewByPackage", id), { originHidden: true });
      return id;
    });
  }

  submitOrder(id: string, verifyType: "DNS_AUTO" | "DNS" | "FILE"): Promise<number> {
    return this.calls.run("submitOrder", [id, verifyType], () => {
      const rec = this.must("submitOrder", id);
      if (rec.status !== 5) throw tencentError("submitOrder", "FailedOperation.CertificateInfoSubmitStatusInvalid");
      Object.assign(rec, { status: 4, verifyType, statusMsg: rec.script.statusMsg, readsLeft: rec.script.readsToIssue });
      rec.dvAuths = authsFor(rec);
      return rec.status;
    });
  }

  completeCertificate(id: string): Promise<void> {
    return this.calls.run("completeCertificate", [id], () => void this.must("completeCertificate", id));
  }

  checkDomainVerification(id: string): Promise<readonly DomainVerification[]> {
    return this.calls.run("checkDomainVerification", [id], () => {
      const rec = this.must("checkDomainVerification", id);
      return rec.domains.map((domain) => ({ domain, verifyType: rec.verifyType, localCheck: 1, caCheck: 1, failReason: "", frequently: false, issued: rec.status === 1 }));
    });
  }

  cancelOrder(id: string): Promise<void> {
    return this.calls.run("cancelOrder", [id], () => void (this.must("cancelOrder", id).status = 7));
  }

  /** The chain after the leaf of the issued PEM (what Tencent's nginx bundle holds). */
  downloadChain(id: string): Promise<string> {
    return this.calls.run("downloadChain", [id], async () => {
      const view = toCertificate(this.must("downloadChain", id));
      const blocks = view.certificatePem?.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
      return blocks.slice(1).map((b) => `${b}\n`).join("");
    });
  }

  updateCertificateInstance(oldId: string, newId: string, targets: readonly DeployTarget[], content?: DeployContent): Promise<DeployStart> {
    return this.calls.run("updateCertificateInstance", [oldId, newId, targets, ...(content ? [{ fullchainPem: content.fullchainPem, privateKeyPem: "(secret)" }] : [])], () => {
      this.must("updateCertificateInstance", newId);
      if (this.deployPending-- > 0) return { deployRecordId: 0, deployStatus: 0 };
      const deployRecordId = this.deploys.size + 1;
      this.deploys.set(deployRecordId, targets);
      return { deployRecordId, deployStatus: 1 };
    });
  }

  getDeployRecord(deployRecordId: number): Promise<DeployRecord> {
    return this.calls.run("getDeployRecord", [deployRecordId], () => {
      const targets = this.deploys.get(deployRecordId);
      if (!targets) throw tencentError("getDeployRecord", "FailedOperation.DeployRecordNotFound");
      const results = targets.flatMap((t) => t.regions.map((region) => ({ resourceType: t.resourceType, region, instanceId: `ins-${t.resourceType}`, listenerId: "", domain: "", status: "success" as const, errorMessage: "" })));
      return { deployRecordId, finished: true, results };
    });
  }

  private must(method: FakeMethod, id: string): CertRecord {
    const rec = this.certs.get(id);
    if (!rec) throw tencentError(method, "FailedOperation.CertificateNotFound");
    return rec;
  }

  private record(s: Omit<CertSeed, "key"> & { key: CertRecord["key"] }, csrPem?: string): CertRecord {
    const script = { ...DEFAULT_ORDER, ...s.order };
    const notAfter = s.notAfter ?? null;
    const rec: CertRecord = {
      id: s.id, status: s.status ?? 1, statusMsg: "", domains: s.domains ?? ["example.com"], renewable: s.renewable ?? true, paid: s.paid ?? true,
      packageType: s.packageType ?? "48", productZhName: s.productZhName ?? "", certType: s.certType ?? "DV",
      notBefore: notAfter && new Date(notAfter.getTime() - 365 * DAY_MS), notAfter, renewOrderId: s.renewOrderId ?? "", originCertificateId: s.originCertificateId ?? "",
      hideLinkReads: 0, dvAuths: [], verifyType: "DNS", pem: null, csrPem: csrPem ?? null, key: s.key, script, readsLeft: script.readsToIssue,
      insertTime: s.originCertificateId ? this.clock.now() : null, originHidden: false,
    };
    if (phaseOfStatus(rec.status) === "validating") rec.statusMsg = script.statusMsg;
    this.certs.set(rec.id, rec);
    return rec;
  }

  private pay(packageIds: readonly string[], points: number): void {
    const chosen = packageIds.map((id) => this.packages.find((p) => p.packageId === id));
    if (chosen.some((p) => !p) || chosen.reduce((s, p) => s + (p?.balance ?? 0), 0) < points) throw tencentError("renewByPackage", "FailedOperation.PackageCountLimit");
    let left = points;
    for (const p of chosen) {
      const take = Math.min(left, p!.balance);
      left -= take;
      this.packages[this.packages.indexOf(p!)] = { ...p!, balance: p!.balance - take };
    }
  }

  /** The new certificate's key: the CSR's (upload), the old one's (original), or one Tencent makes (online). */
  private async newKey(req: RenewByPackageRequest, old: CertRecord): Promise<CertRecord["key"]> {
    if (req.csrMethod === "upload") return { publicKeyPem: fakeKeys.csrPublicKey(req.csrPem ?? ""), privateKeyPem: null };
    if (req.csrMethod === "original") return old.key;
    const k = await freshKey(req.algorithmType === "RSA" ? (`RSA_${req.algorithmParam ?? "2048"}` as KeyAlgorithm) : "EC_P256");
    return { publicKeyPem: k.publicKeyPem, privateKeyPem: k.privateKeyPem };
  }

  /** One read's worth of progress: validation concludes as scripted once its records are in place. */
  private async advance(rec: CertRecord): Promise<void> {
    if (phaseOfStatus(rec.status) !== "validating") return;
    if (rec.verifyType !== "DNS_AUTO" && !this.dns.hasAll(rec.dvAuths)) return;
    if (rec.readsLeft-- > 0) return;
    const outcome = rec.script.outcome;
    if (outcome === "never") return;
    rec.statusMsg = "";
    if (outcome !== "issue") return void (rec.status = { letter: 8, "review-failed": 2, cancelled: 7 }[outcome]);
    const now = this.clock.now();
    const publicKeyPem = rec.script.tamper === "wrong-key" ? (await freshKey()).publicKeyPem : rec.key.publicKeyPem;
    const domains = rec.script.tamper === "wrong-domains" ? ["wrong.example.net"] : rec.domains;
    Object.assign(rec, { status: 1, notBefore: now, notAfter: new Date(now.getTime() + 365 * DAY_MS) });
    rec.pem = await issueLeaf(publicKeyPem, domains, rec.notBefore!, rec.notAfter!);
  }
}
