import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { mapCertificateDetail, mapCertificateSummary } from "../../../tencent/map-certificate";
import {
  createdRecordIdOf,
  deployResultsOf,
  mapDeployRecord,
  mapDeployStart,
  mapDnsRecord,
  mapDomainVerifications,
  mapPackage,
  newCertificateIdOf,
  submittedStatusOf,
} from "../../../tencent/map-misc";

// Vendored into test/fixtures/tencent-api (provenance in its README); nothing outside this repository is read.
const FIXTURES = path.resolve(__dirname, "../../fixtures/tencent-api");

interface Fixture {
  readonly file: string;
  readonly action: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON of Tencent examples
  readonly response: any;
}

function loadFixtures(): Fixture[] {
  const files = [
    ...fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f)),
    ...fs.readdirSync(path.join(FIXTURES, "variants")).map((f) => path.join(FIXTURES, "variants", f)),
  ].filter((f) => f.endsWith(".json"));
  return files.map((file) => {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    const [service, action] = path.basename(file).split(".");
    return { file: path.relative(FIXTURES, file), action: `${service}.${action}`, response: parsed.output.Response };
  });
}

const fixture = (name: string) => {
  const f = loadFixtures().find((x) => x.file === name);
  if (f === undefined) throw new Error(`fixture ${name} missing`);
  return f.response;
};

/** Every action the adapter maps, with the mapping it applies to that action's answer. */
const MAPPERS: Record<string, (r: unknown) => unknown> = {
  "ssl.DescribeCertificates": (r) => (r as { Certificates: unknown[] }).Certificates.map((c) => mapCertificateSummary(c as never)),
  "ssl.DescribeCertificateDetail": (r) => mapCertificateDetail(r as never),
  "ssl.DescribePackages": (r) => (r as { Packages: unknown[] }).Packages.map((p) => mapPackage(p as never)),
  "ssl.CheckCertificateDomainVerification": (r) => mapDomainVerifications(r as never),
  "ssl.UpdateCertificateInstance": (r) => mapDeployStart(r as never),
  "ssl.CreateCertificateByPackage": (r) => newCertificateIdOf(r as never),
  "ssl.CertificateOrderSubmit": (r) => submittedStatusOf(r as never),
  "ssl.CompleteCertificate": (r) => r,
  "ssl.CancelCertificateOrder": (r) => r,
  "dnspod.DescribeRecordList": (r) => (r as { RecordList: unknown[] }).RecordList.map((x) => mapDnsRecord(x as never)),
  "dnspod.CreateRecord": (r) => createdRecordIdOf(r as never),
  "dnspod.DeleteRecord": (r) => r,
};

describe("every fixture of a mapped action parses", () => {
  const fixtures = loadFixtures().filter((f) => f.action in MAPPERS);

  it("finds the vendored fixtures (test/fixtures/tencent-api)", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18);
    const covered = new Set(fixtures.map((f) => f.action));
    expect([...covered].sort()).toEqual(Object.keys(MAPPERS).sort());
  });

  it.each(loadFixtures().filter((f) => f.action in MAPPERS).map((f) => [f.file, f] as const))("%s", (_name, f) => {
    const mapper = MAPPERS[f.action];
    expect(mapper).toBeDefined();
    expect(() => mapper?.(f.response)).not.toThrow();
    expect(mapper?.(f.response)).toBeDefined();
  });
});

describe("mapCertificateDetail", () => {
  it("maps an issued certificate: PEMs, dates in GMT+8, CN first then SANs", () => {
    const raw = fixture("ssl.DescribeCertificateDetail.json");
    const c = mapCertificateDetail(raw);
    expect(c.certificateId).toBe(raw.CertificateId);
    expect(c.status).toBe(1);
    expect(c.phase).toBe("issued");
    expect(c.domains[0]).toBe(raw.Domain);
    expect(new Set(c.domains.map((d) => d.toLowerCase())).size).toBe(c.domains.length);
    // The published example masks the PEM body; it still reads as a PEM.
    expect(c.certificatePem).toContain("BEGIN CERTIFICATE");
    expect(c.notAfter).toBeInstanceOf(Date);
    expect(c.notBefore?.getTime()).toBeLessThan(c.notAfter?.getTime() ?? 0);
  });

  it("maps a paid DV renewal waiting for DNS validation (DvAuths, masked key → null, untrusted CertType kept)", () => {
    const c = mapCertificateDetail(fixture("variants/ssl.DescribeCertificateDetail.paid-dnspod-dv-pending-dcv.json"));
    expect(c.status).toBe(4);
    expect(c.phase).toBe("validating");
    expect(c.statusMsg).toBe("CA-REVIEWING");
    expect(c.paid).toBe(true);
    expect(c.isDv).toBe(true);
    expect(c.certType).toBe("OV");
    expect(c.privateKeyPem).toBeNull();
    expect(c.certificatePem).toBeNull();
    expect(c.rootPem).toBeNull();
    expect(c.notBefore).toBeNull();
    expect(c.notAfter).toBeNull();
    expect(c.validityPeriodMonths).toBe(12);
    expect(c.domains).toEqual(["ninghhuang.online"]);
    expect(c.link).toEqual({ renewOrderId: "", originCertificateId: "" });
    expect(c.dvAuths).toEqual([
      {
        key: "_875bed25cf9e03596931d91cb0a52bd9.ninghhuang.online",
        value: "a3108492878a2d989949fa50522dd2b0.cc7346307ff022fcfa68e025f6dbf6ad.cmcdpcwca5iljv.trust-provider.com",
        zone: "ninghhuang.online",
        subDomain: "_875bed25cf9e03596931d91cb0a52bd9",
        recordType: "CNAME",
        path: "",
      },
    ]);
    expect(c.insertTime?.toISOString()).toBe("2024-12-02T11:12:46.000Z");
  });

  it("reads the renewal link on both sides", () => {
    const c = mapCertificateDetail({ CertificateId: "new1", Status: 5, CertificateExtra: { OriginCertificateId: "old1", RenewOrder: null } });
    expect(c.link).toEqual({ renewOrderId: "", originCertificateId: "old1" });
    expect(c.phase).toBe("awaiting-submission");
    const o = mapCertificateDetail({ CertificateId: "old1", Status: 1, CertificateExtra: { RenewOrder: "new1" } });
    expect(o.link.renewOrderId).toBe("new1");
  });

  it("dedupes the common name out of detail SANs and excludes nothing else", () => {
    const c = mapCertificateDetail({ Domain: "a.example.com", SubjectAltName: ["b.example.com", "A.example.com", "", "b.example.com"] });
    expect(c.domains).toEqual(["a.example.com", "b.example.com"]);
  });

  it("survives an empty or null answer with neutral values", () => {
    const c = mapCertificateDetail(null);
    expect(c.status).toBe(-1);
    expect(c.phase).toBe("unknown");
    expect(c.domains).toEqual([]);
    expect(c.dvAuths).toEqual([]);
    expect(c.csrPem).toBeNull();
  });

  it("derives a missing DvAuthSubDomain from the key and a missing type from the path", () => {
    const c = mapCertificateDetail({
      DvAuthDetail: { DvAuths: [{ DvAuthKey: "_dnsauth.example.com", DvAuthValue: "v", DvAuthDomain: "example.com", DvAuthPath: null, DvAuthSubDomain: null }] },
    });
    expect(c.dvAuths[0]).toMatchObject({ subDomain: "_dnsauth", recordType: "TXT", path: "" });
  });
});

describe("mapCertificateSummary", () => {
  it("maps a list row: statusMsg upper-cased, SANs include CN once, '--' times are null", () => {
    const raw = fixture("ssl.DescribeCertificates.json").Certificates[0];
    const s = mapCertificateSummary(raw);
    expect(s.certificateId).toBe("LtIaSxlb");
    expect(s.statusMsg).toBe("CA-REVIEWING");
    expect(s.domains).toEqual(["ninghhuang.online", "www.ninghhuang.online"]);
    expect(s.hasRenewOrder).toBe("");
    expect(s.link).toEqual({ renewOrderId: "", originCertificateId: "" });
    expect(s.notAfter?.toISOString()).toBe("2025-05-13T23:59:59.000Z");
    expect(s.isDv).toBe(true);
    expect(s.certType).toBe("DV");
  });

  it("maps the synthetic all-fields row: malformed seconds, HasRenewOrder, RenewOrder wins for the link", () => {
    const s = mapCertificateSummary(fixture("variants/ssl.DescribeCertificates.synthetic-all-fields.json").Certificates[0]);
    expect(s.notBefore?.toISOString()).toBe("2024-11-06T00:00:00.000Z");
    // HasRenewOrder "yes" is a flag, never taken for a certificate id (issue 12).
    expect(s.hasRenewOrder).toBe("");
    expect(s.link).toEqual({ renewOrderId: "feg****", originCertificateId: "hj****" });
    expect(s.renewable).toBe(true);
    expect(s.isExpiring).toBe(true);
    expect(s.domains).toEqual(["www.zrh.com", "zrh", "normal"]);
  });

  it("falls back to HasRenewOrder when CertificateExtra has no RenewOrder", () => {
    const s = mapCertificateSummary({ CertificateId: "old", HasRenewOrder: "a1B2c3D4", CertificateExtra: { RenewOrder: null } });
    expect(s.link.renewOrderId).toBe("a1B2c3D4");
    const flag = mapCertificateSummary({ CertificateId: "old", HasRenewOrder: "yes", CertificateExtra: { RenewOrder: null } });
    expect(flag.link.renewOrderId).toBe("");
  });
});

describe("small models", () => {
  it("maps packages, with date-only expiry", () => {
    const [p] = fixture("ssl.DescribePackages.json").Packages.map(mapPackage);
    expect(p).toEqual({ packageId: "J88*****867", type: "buy", total: 1, balance: 1, status: "used", expireTime: new Date("2023-12-17T16:00:00.000Z"), pid: 0 });
  });

  it("coerces numbers written as strings", () => {
    expect(mapPackage({ Total: "100" as never, Balance: "7" as never }).balance).toBe(7);
  });

  it("maps DNS records (Weight null is fine)", () => {
    const [r] = fixture("dnspod.DescribeRecordList.json").RecordList.map(mapDnsRecord);
    expect(r).toEqual({ recordId: 556507778, name: "@", type: "NS", value: "f1g1ns1.dnspod.net.", line: "默认", ttl: 86400, status: "ENABLE" });
  });

  it("maps domain verification results", () => {
    expect(mapDomainVerifications(fixture("ssl.CheckCertificateDomainVerification.json"))).toEqual([
      { domain: "ninghhuang.online", verifyType: "DNS", localCheck: -1, caCheck: -1, failReason: "txt record not found", frequently: false, issued: false },
    ]);
    expect(mapDomainVerifications(fixture("variants/ssl.CheckCertificateDomainVerification.issued-wildcard.json"))[0]?.issued).toBe(true);
    expect(mapDomainVerifications({ VerificationResults: null })).toEqual([]);
  });

  it("reads ids and statuses of mutating calls", () => {
    expect(newCertificateIdOf(fixture("ssl.CreateCertificateByPackage.json"))).toBe("T*****h");
    expect(newCertificateIdOf({ CertificateIds: ["batch1"] })).toBe("batch1");
    expect(newCertificateIdOf({})).toBe("");
    expect(submittedStatusOf(fixture("ssl.CertificateOrderSubmit.json"))).toBe(8);
    expect(createdRecordIdOf(fixture("dnspod.CreateRecord.json"))).toBe(162);
    expect(mapDeployStart(fixture("ssl.UpdateCertificateInstance.json"))).toEqual({ deployRecordId: 1763489, deployStatus: 0 });
  });

  it("maps deployment details and decides when they are finished", () => {
    const running = {
      RunningTotalCount: 1,
      PendingTotalCount: 0,
      RecordDetailList: [
        {
          ResourceType: "clb",
          List: [
            { ResourceType: "clb", Region: "ap-guangzhou", InstanceId: "lb-1", ListenerId: "lbl-1", Domains: ["a.example.com"], Status: 1, ErrorMsg: null },
            { ResourceType: null, Region: "ap-guangzhou", InstanceId: "lb-2", Status: 3 },
          ],
        },
      ],
    };
    const rec = mapDeployRecord(7, running);
    expect(rec.finished).toBe(false);
    expect(rec.results).toEqual([
      { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-1", listenerId: "lbl-1", domain: "a.example.com", status: "success", errorMessage: "" },
      { resourceType: "clb", region: "ap-guangzhou", instanceId: "lb-2", listenerId: "", domain: "", status: "running", errorMessage: "" },
    ]);
    const done = { RecordDetailList: [{ ResourceType: "cdn", List: [{ Status: 2, ErrorMsg: "boom" }, { Status: 4 }, { Status: 6 }] }] };
    expect(deployResultsOf(done).map((r) => r.status)).toEqual(["failed", "failed", "success"]);
    expect(mapDeployRecord(8, done).finished).toBe(true);
  });
});
