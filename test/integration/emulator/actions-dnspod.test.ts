/**
 * DNSPod record actions through the real SDK: CreateRecord, DescribeRecordList (ErrorOnEmpty, filters,
 * the index delay), ModifyRecord, DeleteRecord, with their Tencent error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTencentError, startActionsEmulator, TENCENT_TIME, type ActionsEnv } from "./support/actions";

let env: ActionsEnv;

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }, { zone: "example.org" }],
    certificates: [{ certificateId: "DnsPend1", domain: "idx.example.org", status: 4 }],
  });
});

afterAll(async () => {
  await env?.close();
});

const txt = (over: Record<string, unknown> = {}) => ({ Domain: "example.com", SubDomain: "_acme", RecordType: "TXT", RecordLine: "默认", Value: "v1", ...over });

describe("CreateRecord", () => {
  it("creates a record that DescribeRecordList lists with its fields", async () => {
    const r = await env.dnspod.CreateRecord(txt({ TTL: 120, Remark: "test" }));
    expect(r.RecordId).toBeGreaterThan(0);
    expect(r.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const list = await env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "_acme" });
    expect(list.RecordCountInfo).toEqual({ SubdomainCount: 1, ListCount: 1, TotalCount: 1 });
    expect(list.RecordList?.[0]).toMatchObject({ RecordId: r.RecordId, Name: "_acme", Type: "TXT", Value: "v1", Line: "默认", LineId: "0", TTL: 120, Status: "ENABLE", Remark: "test", DefaultNS: false });
    expect(list.RecordList?.[0]?.UpdatedOn).toMatch(TENCENT_TIME);
  });

  it("refusals: unknown zone, duplicate, bad type, bad subdomain, TTL out of range", async () => {
    await expectTencentError(env.dnspod.CreateRecord(txt({ Domain: "not-mine.net" })), "InvalidParameterValue.DomainNotExists");
    await expectTencentError(env.dnspod.CreateRecord(txt()), "InvalidParameter.DomainRecordExist");
    await expectTencentError(env.dnspod.CreateRecord(txt({ RecordType: "BOGUS" })), "InvalidParameter.RecordTypeInvalid");
    await expectTencentError(env.dnspod.CreateRecord(txt({ SubDomain: "bad..name-" })), "InvalidParameter.SubdomainInvalid");
    await expectTencentError(env.dnspod.CreateRecord(txt({ Value: "v9", TTL: 0 })), "LimitExceeded.RecordTtlLimit");
    await expectTencentError(env.dnspod.CreateRecord(txt({ Value: "v9", TTL: 604801 })), "LimitExceeded.RecordTtlLimit");
    expect((await env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "_acme" })).RecordList).toHaveLength(1);
  });
});

describe("DescribeRecordList", () => {
  it("an empty answer is ResourceNotFound.NoDataOfRecord by default (ErrorOnEmpty yes), an empty list with \"no\"", async () => {
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "nothing" }), "ResourceNotFound.NoDataOfRecord");
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "nothing", ErrorOnEmpty: "yes" }), "ResourceNotFound.NoDataOfRecord");
    const empty = await env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "nothing", ErrorOnEmpty: "no" });
    expect(empty.RecordList).toEqual([]);
    expect(empty.RecordCountInfo).toEqual({ SubdomainCount: 0, ListCount: 0, TotalCount: 0 });
  });

  it("a fresh zone lists its two default NS records; filters by type, keyword, sort and paging", async () => {
    const org = await env.dnspod.DescribeRecordList({ Domain: "example.org" });
    expect(org.RecordList?.map((r) => [r.Name, r.Type, r.DefaultNS])).toEqual([["@", "NS", true], ["@", "NS", true]]);
    await env.dnspod.CreateRecord({ Domain: "example.com", SubDomain: "www", RecordType: "A", RecordLine: "默认", Value: "192.0.2.1" });
    await env.dnspod.CreateRecord({ Domain: "example.com", SubDomain: "api", RecordType: "CNAME", RecordLine: "默认", Value: "target.example.net." });
    const a = await env.dnspod.DescribeRecordList({ Domain: "example.com", RecordType: "A" });
    expect(a.RecordList?.map((r) => r.Value)).toEqual(["192.0.2.1"]);
    const kw = await env.dnspod.DescribeRecordList({ Domain: "example.com", Keyword: "target" });
    expect(kw.RecordList?.map((r) => r.Name)).toEqual(["api"]);
    const sorted = await env.dnspod.DescribeRecordList({ Domain: "example.com", SortField: "name", SortType: "DESC", Limit: 2 });
    expect(sorted.RecordList?.map((r) => r.Name)).toEqual(["www", "api"]);
    expect(sorted.RecordCountInfo?.TotalCount).toBe(5); // 2 NS + _acme + www + api
    const paged = await env.dnspod.DescribeRecordList({ Domain: "example.com", SortField: "name", SortType: "DESC", Offset: 2, Limit: 2 });
    expect(paged.RecordList?.map((r) => r.Name)).toEqual(["_acme", "@"]);
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.com", Limit: 3001 }), "InvalidParameter");
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "not-mine.net" }), "InvalidParameterValue.DomainNotExists");
  });

  it("the index delay hides new records from the list (not from the CA) until it passes", async () => {
    env.admin.setDnsIndexDelay(30);
    try {
      const pending = await env.ssl.DescribeCertificateDetail({ CertificateId: "DnsPend1" });
      const auth = pending.DvAuthDetail?.DvAuths?.[0];
      expect(auth?.DvAuthDomain).toBe("example.org");
      const rec = await env.dnspod.CreateRecord({ Domain: "example.org", SubDomain: auth?.DvAuthSubDomain ?? "", RecordType: auth?.DvAuthVerifyType ?? "", RecordLine: "默认", Value: auth?.DvAuthValue ?? "" });
      await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.org", SubDomain: auth?.DvAuthSubDomain ?? "" }), "ResourceNotFound.NoDataOfRecord");
      expect((await env.ssl.CheckCertificateDomainVerification({ CertificateId: "DnsPend1" })).VerificationResults?.[0]?.LocalCheck).toBe(1);
      env.admin.advanceClock(29);
      expect((await env.dnspod.DescribeRecordList({ Domain: "example.org", SubDomain: auth?.DvAuthSubDomain ?? "", ErrorOnEmpty: "no" })).RecordList).toEqual([]);
      env.admin.advanceClock(2);
      const listed = await env.dnspod.DescribeRecordList({ Domain: "example.org", SubDomain: auth?.DvAuthSubDomain ?? "" });
      expect(listed.RecordList?.map((r) => r.RecordId)).toEqual([rec.RecordId]);
    } finally {
      env.admin.setDnsIndexDelay(0);
    }
    expect(env.admin.settings().dnsIndexDelaySeconds).toBe(0);
  });
});

describe("ModifyRecord and DeleteRecord", () => {
  it("ModifyRecord changes the value and keeps the id; unknown id and duplicates are refused", async () => {
    const r = await env.dnspod.CreateRecord(txt({ SubDomain: "_mod", Value: "before" }));
    const id = r.RecordId ?? 0;
    const m = await env.dnspod.ModifyRecord({ Domain: "example.com", RecordId: id, SubDomain: "_mod", RecordType: "TXT", RecordLine: "默认", Value: "after", TTL: 300 });
    expect(m.RecordId).toBe(id);
    const list = await env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "_mod" });
    expect(list.RecordList?.map((x) => [x.RecordId, x.Value, x.TTL])).toEqual([[id, "after", 300]]);
    await expectTencentError(env.dnspod.ModifyRecord({ Domain: "example.com", RecordId: 1, SubDomain: "_mod", RecordType: "TXT", RecordLine: "默认", Value: "x" }), "InvalidParameter.RecordIdInvalid");
    await env.dnspod.CreateRecord(txt({ SubDomain: "_mod", Value: "other" }));
    await expectTencentError(env.dnspod.ModifyRecord({ Domain: "example.com", RecordId: id, SubDomain: "_mod", RecordType: "TXT", RecordLine: "默认", Value: "other" }), "InvalidParameter.DomainRecordExist");
  });

  it("DeleteRecord removes it; deleting again is RecordIdInvalid", async () => {
    const r = await env.dnspod.CreateRecord(txt({ SubDomain: "_del", Value: "bye" }));
    const id = r.RecordId ?? 0;
    const d = await env.dnspod.DeleteRecord({ Domain: "example.com", RecordId: id });
    expect(d.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    await expectTencentError(env.dnspod.DescribeRecordList({ Domain: "example.com", SubDomain: "_del" }), "ResourceNotFound.NoDataOfRecord");
    await expectTencentError(env.dnspod.DeleteRecord({ Domain: "example.com", RecordId: id }), "InvalidParameter.RecordIdInvalid");
    await expectTencentError(env.dnspod.DeleteRecord({ Domain: "not-mine.net", RecordId: id }), "InvalidParameterValue.DomainNotExists");
  });
});
