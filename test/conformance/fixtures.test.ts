/**
 * Conformance: every example in test/fixtures/tencent-api (vendored; provenance in its README) (and variants/) is replayed against the
 * emulator backend. For each, a matching state is seeded, the fixture's input goes through the
 * front's own parameter validation (which coerces numeric strings where the SDK model says number),
 * and the handler's answer must have every field of the fixture's `output.Response` with the same
 * JSON type, recursively, except fields the fixture shows as null.
 *
 * Deliberate deviations (also in emulator/README.md, "Actions and status machine"):
 *
 * | fixture | deviation | why |
 * |---|---|---|
 * | (many) | masked or placeholder ids in the input (`hehj***jsj`, `Rt***9`, `ProductPid: 1`, `RecordId: 162`) are replaced by the ids of the seeded state | the emulator only knows what it seeded |
 * | ssl.CreateCertificateByPackage | `ProductPid` placeholder `1` replaced by the old certificate's product; `PackageIds` by a seeded package | placeholders |
 * | ssl.UploadConfirmLetter | the admin switch `setUploadConfirmLetterAllowed(true)` is on, and the truncated letter (`UEsDB…......`) is padded to 1 KB | by default the action answers UploadConfirmCertificateNotSupport (Tencent since 2025-06); the real minimum is 1 KB |
 * | ssl.DescribePackages | `TransferOutInfos` is `[]` | package transfers are not emulated |
 * | ssl.DescribeCertificates.searchkey-alias | `HostingConfig` null, `HostingResourceTypes` `[]` | certificate hosting is not emulated |
 * | ssl.DescribeCertificates.synthetic-all-fields | `HostingConfig` null; `Tags` and `CAEncryptAlgorithms` `[]`; `CertificateExtra.OriginCertificateId/ReplacedBy/ReplacedFor/RenewOrder` null | the synthetic example sets every field at once; tags and CA certificates are not emulated, and the emulator answers null for links that do not exist |
 * | dnspod.* | `DomainId` and `GroupId` are ignored (zones are found by `Domain`) | the emulator's zone ids are its own |
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTencentBackend, type TencentBackend } from "../../emulator/backend";
import type { SeedCertificate, ServiceName } from "../../emulator/contract";
import { validateParams } from "../../emulator/validate";

const FIXTURES = path.resolve(__dirname, "../fixtures/tencent-api");
const NOW = new Date("2026-03-01T00:00:00Z");
const ACCOUNT = "conf";

interface Fixture {
  readonly input: Record<string, unknown>;
  readonly output: { Response: Record<string, unknown> };
}

interface World {
  readonly backend: TencentBackend;
  advance(seconds: number): void;
  call(service: ServiceName, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  seedCert(c: SeedCertificate): string;
}

function world(): World {
  let t = NOW.getTime();
  const backend = createTencentBackend({ now: () => new Date(t) });
  backend.admin.seed({
    accounts: [{ accountId: ACCOUNT, secretId: "AKIDCONFORMANCE", secretKey: "k" }],
    zones: ["dnspod.site", "dnspod.cn", "1777.cn", "ninghhuang.online", "example.com"].map((zone) => ({ zone })),
    packages: [{ packageId: "ConfPack0001", total: 100, balance: 100 }],
  });
  return {
    backend,
    advance: (s) => {
      t += s * 1000;
    },
    call: async (service, action, params) => {
      const h = backend.actions[service][action];
      if (!h) throw new Error(`no handler for ${service}.${action}`);
      const coerced = validateParams(service, action, params);
      return await h({ service, action, accountId: ACCOUNT, params: coerced, now: () => new Date(t), baseUrl: "http://127.0.0.1:1" });
    },
    seedCert: (c) => backend.admin.seed({ certificates: [c] }).certificateIds[0] ?? "",
  };
}

type Scenario = (w: World, input: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

const issuedDv = (w: World, id: string, domain = "ninghhuang.online"): string => w.seedCert({ certificateId: id, domain, sans: [`www.${domain}`], expiresInDays: 60 });
const withId = (input: Record<string, unknown>, key: string, id: string) => ({ ...input, [key]: id });
const LETTER = Buffer.alloc(1100, 7).toString("base64");

/** How to seed and (where needed) patch the input, per fixture file name. */
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  "dnspod.CreateRecord.json": (_w, i) => i,
  "dnspod.CreateTXTRecord.json": (_w, i) => i,
  "dnspod.DeleteRecord.json": async (w, i) => {
    const { RecordId } = await w.call("dnspod", "CreateRecord", { Domain: "dnspod.cn", SubDomain: "del", RecordType: "A", RecordLine: "默认", Value: "1.2.3.4" });
    return { ...i, RecordId };
  },
  "dnspod.DescribeRecordList.json": async (w, i) => {
    await w.call("dnspod", "CreateRecord", { Domain: "dnspod.cn", SubDomain: "www", RecordType: "NS", RecordLine: "默认", Value: "f1g1ns1.dnspod.net." });
    await w.call("dnspod", "CreateRecord", { Domain: "dnspod.cn", SubDomain: "www", RecordType: "NS", RecordLine: "默认", Value: "f1g1ns2.dnspod.net." });
    return i;
  },
  "dnspod.ModifyRecord.json": async (w, i) => {
    const { RecordId } = await w.call("dnspod", "CreateRecord", { Domain: "dnspod.cn", SubDomain: "bbbb", RecordType: "A", RecordLine: "默认", Value: "1.1.1.1" });
    return { ...i, RecordId };
  },
  "ssl.CancelAuditCertificate.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "a.example.com", status: 4 })),
  "ssl.CancelCertificateOrder.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "a.example.com", status: 5 })),
  "ssl.CertificateInfoSubmit.json": (w, i) => (w.seedCert({ certificateId: "LrmeMvQr", domain: "tencent.com", certType: "OV", status: 5 }), i),
  "ssl.CertificateOrderSubmit.json": (w, i) => (w.seedCert({ certificateId: "Dsqef134", domain: "corp.example.com", certType: "OV", status: 5 }), i),
  "ssl.CheckCertificateDomainVerification.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "ninghhuang.online", productPid: 1018584, status: 4 })),
  "ssl.CommitCertificateInformation.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "corp.example.com", certType: "OV", status: 5 })),
  "ssl.CompleteCertificate.json": (w, i) => (w.seedCert({ certificateId: "gdLGWRev", domain: "ninghhuang.online", productPid: 1018584, status: 4 }), i),
  "ssl.CreateCertificate.json": (_w, i) => i,
  "ssl.CreateCertificateBindResourceSyncTask.json": (w, i) => {
    const id = w.seedCert({ domain: "a.example.com", boundResources: [{ resourceType: "clb", instanceId: "lb-1" }] });
    return { ...i, CertificateIds: [id] };
  },
  "ssl.CreateCertificateByPackage.json": (w, i) => {
    const old = w.seedCert({ domain: "m.example.com", sans: ["a.example.com", "b.example.com", "c.example.com", "d.example.com"], productPid: 1013953, expiresInDays: 10 });
    return { ...i, OldCertificateId: old, ProductPid: 1013953, PackageIds: ["ConfPack0001"] };
  },
  "ssl.DescribeCertificate.json": (w, i) => withId(i, "CertificateId", issuedDv(w, "DescCert")),
  "ssl.DescribeCertificateBindResourceTaskResult.json": async (w, i) => {
    const id = w.seedCert({ domain: "a.example.com", boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1" }] });
    const res = await w.call("ssl", "CreateCertificateBindResourceSyncTask", { CertificateIds: [id], IsCache: 1 });
    w.advance(2);
    const taskId = String((res.CertTaskIds as Array<{ TaskId: string }>)[0]?.TaskId);
    return { ...i, TaskIds: [taskId] };
  },
  "ssl.DescribeCertificateDetail.json": (w, i) => withId(i, "CertificateId", issuedDv(w, "DetailQL", "lukesky.online")),
  "ssl.DescribeCertificates.json": (w, i) => (issuedDv(w, "LtIaSxlb"), i),
  "ssl.DescribeDownloadCertificateUrl.json": (w, i) => (issuedDv(w, "sduwd123"), i),
  "ssl.DescribePackages.json": (w, i) => (w.backend.admin.seed({ packages: [{ packageId: "UsedPack0001", total: 1, balance: 1, status: "used" }] }), i),
  "ssl.DownloadCertificate.json": (w, i) => withId(i, "CertificateId", issuedDv(w, "DownCert")),
  "ssl.ModifyCertificateResubmit.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "a.example.com", status: 2 })),
  "ssl.SubmitCertificateInformation.json": (w, i) => (w.seedCert({ certificateId: "abcb1234", domain: "*.test-dq342da.com", certType: "OV", status: 5 }), i),
  "ssl.UpdateCertificateInstance.json": (w, i) => {
    const old = w.seedCert({ domain: "a.example.com", expiresInDays: 5, boundResources: [{ resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-1" }] });
    const next = w.seedCert({ domain: "a.example.com", expiresInDays: 365 });
    return { ...i, OldCertificateId: old, CertificateId: next };
  },
  "ssl.UploadConfirmLetter.json": (w, i) => {
    w.backend.admin.setUploadConfirmLetterAllowed(true);
    w.seedCert({ certificateId: "flSFd6Fh", domain: "corp.example.com", certType: "OV", status: 8 });
    return { ...i, ConfirmLetter: LETTER };
  },
  "variants/ssl.CertificateInfoSubmit.cfca.json": (w, i) => (w.seedCert({ certificateId: "J2lX2maH", domain: "tencent.com", certType: "OV", productPid: 1022447, status: 5 }), i),
  "variants/ssl.CertificateInfoSubmit.upload-csr.json": (w, i) => (w.seedCert({ certificateId: "LrmeMvQr", domain: "tencent.com", certType: "OV", status: 5 }), i),
  "variants/ssl.CheckCertificateDomainVerification.issued-wildcard.json": (w, i) => withId(i, "CertificateId", w.seedCert({ domain: "*.umcare.cn", productPid: 1018586 })),
  "variants/ssl.DescribeCertificateDetail.paid-dnspod-dv-pending-dcv.json": (w, i) => (w.seedCert({ certificateId: "aClRkC90", domain: "ninghhuang.online", status: 4 }), i),
  "variants/ssl.DescribeCertificateDetail.paid-dnspod-ov-pending.json": (w, i) => (w.seedCert({ certificateId: "aCMEQWHt", domain: "ninghhuang.online", certType: "OV", status: 4 }), i),
  "variants/ssl.DescribeCertificates.searchkey-alias.json": async (w, i) => {
    // The example's certificate is the renewal of K926htp2 (OriginCertificateId), found by its alias.
    w.seedCert({ certificateId: "K926htp2", domain: "ninghhuang.online", sans: ["www.ninghhuang.online"], expiresInDays: 10, alias: "K926htp2的自动续费证书" });
    const { CertificateId } = await w.call("ssl", "CreateCertificateByPackage", { OldCertificateId: "K926htp2", ProductPid: 1013949, PackageIds: ["ConfPack0001"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "original" });
    await w.call("ssl", "CertificateOrderSubmit", { CertId: CertificateId, VerifyType: "DNS_AUTO" });
    w.advance(60);
    return i;
  },
  "variants/ssl.DescribeCertificates.searchkey-certid.json": (w, i) => (issuedDv(w, "LtIaSxlb"), i),
  "variants/ssl.DescribeCertificates.synthetic-all-fields.json": (w, i) => (w.seedCert({ domain: "*.zrh.com", productPid: 1018586, boundResources: [{ resourceType: "cdn", instanceId: "zrh.com", domain: "zrh.com" }] }), i),
  "variants/ssl.ReplaceCertificate.original-csr.json": (w, i) => (issuedDv(w, "KPX97tim"), i),
  "variants/ssl.SubmitCertificateInformation.upload-csr.json": (w, i) => (w.seedCert({ certificateId: "LrmeMvQr", domain: "tencent.com", certType: "OV", status: 5 }), i),
};

/** Fields that may be null (or an empty array) in our answer though the fixture has a value: the deviations above. */
const ALLOWED_NULL: Readonly<Record<string, readonly string[]>> = {
  "ssl.DescribePackages.json": ["Packages[].TransferOutInfos"],
  "variants/ssl.DescribeCertificates.searchkey-alias.json": ["Certificates[].HostingConfig", "Certificates[].HostingResourceTypes"],
  "variants/ssl.DescribeCertificates.synthetic-all-fields.json": [
    "Certificates[].HostingConfig",
    "Certificates[].Tags",
    "Certificates[].CAEncryptAlgorithms",
    "Certificates[].CertificateExtra.OriginCertificateId",
    "Certificates[].CertificateExtra.ReplacedBy",
    "Certificates[].CertificateExtra.ReplacedFor",
    "Certificates[].CertificateExtra.RenewOrder",
  ],
};

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Every field of `want` must be in `got` with the same JSON type (fixture nulls are skipped). */
function shapeProblems(want: unknown, got: unknown, at: string, allowed: readonly string[]): string[] {
  if (want === null) return [];
  if (allowed.includes(at) && (got === null || (Array.isArray(got) && got.length === 0))) return [];
  if (jsonType(want) !== jsonType(got)) return [`${at || "Response"}: fixture has ${jsonType(want)}, emulator answered ${jsonType(got)}`];
  if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length === 0) return [];
    if (got.length === 0) return [`${at}: fixture has a non-empty array, emulator answered []`];
    return want.flatMap((w) => shapeProblems(w, got[0], `${at}[]`, allowed));
  }
  if (jsonType(want) === "object") {
    const w = want as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    return Object.keys(w).flatMap((k) => {
      const p = at ? `${at}.${k}` : k;
      if (!(k in g)) return w[k] === null ? [] : [`${p}: missing`];
      return shapeProblems(w[k], g[k], p, allowed);
    });
  }
  return [];
}

function fixtureFiles(): string[] {
  const top = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
  const variants = readdirSync(path.join(FIXTURES, "variants")).filter((f) => f.endsWith(".json")).map((f) => `variants/${f}`);
  return [...top, ...variants].sort();
}

describe("conformance with Tencent's published examples", () => {
  it("finds the vendored fixtures (test/fixtures/tencent-api)", () => {
    expect(existsSync(FIXTURES)).toBe(true);
    expect(fixtureFiles().length).toBeGreaterThanOrEqual(36);
  });

  it("has a scenario for every fixture file (a new fixture must get one)", () => {
    expect(fixtureFiles().filter((f) => !SCENARIOS[f])).toEqual([]);
  });

  for (const file of fixtureFiles()) {
    const base = path.basename(file);
    const [service, action] = base.split(".") as [ServiceName, string];
    it(`${file}: ${service}.${action} answers every fixture field with the same JSON type`, async () => {
      const scenario = SCENARIOS[file];
      expect(scenario, `no scenario for ${file}`).toBeDefined();
      const fixture = JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as Fixture;
      const w = world();
      const input = await scenario!(w, fixture.input);
      const out = await w.call(service, action, input);
      const { RequestId: _requestId, ...want } = fixture.output.Response;
      expect(shapeProblems(want, out, "", ALLOWED_NULL[file] ?? [])).toEqual([]);
      expect("RequestId" in out).toBe(false); // the server adds it
    });
  }

  it("the shape check itself catches a wrong type, a missing field and an unexpected null", () => {
    expect(shapeProblems({ A: 1, B: "x", C: [{ D: true }] }, { A: "1", C: [{}] }, "", [])).toEqual([
      "A: fixture has number, emulator answered string",
      "B: missing",
      "C[].D: missing",
    ]);
    expect(shapeProblems({ A: null, B: { C: "x" } }, { B: { C: null } }, "", [])).toEqual(["B.C: fixture has string, emulator answered null"]);
  });
});
