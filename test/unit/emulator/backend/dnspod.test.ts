import { describe, expect, it } from "vitest";
import { arr, harness, obj } from "./harness";

const TXT = { Domain: "example.com", SubDomain: "_dnsauth.shop", RecordType: "TXT", RecordLine: "默认", Value: "token-1" };

describe("DNSPod records", () => {
  it("CreateRecord, DescribeRecordList, ModifyRecord, DeleteRecord", async () => {
    const h = harness();
    const { RecordId } = await h.dns("CreateRecord", TXT);
    expect(typeof RecordId).toBe("number");
    const list = await h.dns("DescribeRecordList", { Domain: "example.com", SubDomain: "_dnsauth.shop" });
    expect(obj(list.RecordCountInfo)).toEqual({ SubdomainCount: 1, ListCount: 1, TotalCount: 1 });
    expect(obj(arr(list.RecordList)[0])).toMatchObject({ RecordId, Name: "_dnsauth.shop", Type: "TXT", Value: "token-1", Line: "默认", LineId: "0", Status: "ENABLE", TTL: 600, DefaultNS: false });
    expect(await h.dns("ModifyRecord", { ...TXT, RecordId, Value: "token-2" })).toEqual({ RecordId });
    expect(obj(arr((await h.dns("DescribeRecordList", { Domain: "example.com", Keyword: "token-2" })).RecordList)[0]).RecordId).toBe(RecordId);
    expect(await h.dns("DeleteRecord", { Domain: "example.com", RecordId })).toEqual({});
    expect((await h.code("dnspod", "DeleteRecord", { Domain: "example.com", RecordId })).code).toBe("InvalidParameter.RecordIdInvalid");
  });

  it("lists the zone's two default NS records", async () => {
    const h = harness();
    const list = await h.dns("DescribeRecordList", { Domain: "example.com", RecordType: "NS" });
    expect(arr(list.RecordList).map((r) => obj(r).DefaultNS)).toEqual([true, true]);
  });

  it("ErrorOnEmpty defaults to yes: an empty list is ResourceNotFound.NoDataOfRecord", async () => {
    const h = harness();
    expect((await h.code("dnspod", "DescribeRecordList", { Domain: "example.com", SubDomain: "nothing" })).code).toBe("ResourceNotFound.NoDataOfRecord");
    const empty = await h.dns("DescribeRecordList", { Domain: "example.com", SubDomain: "nothing", ErrorOnEmpty: "no" });
    expect(empty.RecordList).toEqual([]);
    expect(obj(empty.RecordCountInfo).TotalCount).toBe(0);
  });

  it("unknown zone -> InvalidParameterValue.DomainNotExists; duplicate -> InvalidParameter.DomainRecordExist", async () => {
    const h = harness();
    expect((await h.code("dnspod", "CreateRecord", { ...TXT, Domain: "nope.com" })).code).toBe("InvalidParameterValue.DomainNotExists");
    await h.dns("CreateRecord", TXT);
    expect((await h.code("dnspod", "CreateRecord", TXT)).code).toBe("InvalidParameter.DomainRecordExist");
    expect((await h.code("dnspod", "CreateRecord", { ...TXT, RecordType: "BOGUS" })).code).toBe("InvalidParameter.RecordTypeInvalid");
  });

  it("index delay hides a new record from DescribeRecordList for N seconds", async () => {
    const h = harness();
    h.backend.admin.setDnsIndexDelay(30);
    await h.dns("CreateRecord", TXT);
    expect((await h.code("dnspod", "DescribeRecordList", { Domain: "example.com", SubDomain: "_dnsauth.shop" })).code).toBe("ResourceNotFound.NoDataOfRecord");
    h.advance(29);
    expect((await h.dns("DescribeRecordList", { Domain: "example.com", SubDomain: "_dnsauth.shop", ErrorOnEmpty: "no" })).RecordList).toEqual([]);
    h.advance(1);
    expect(arr((await h.dns("DescribeRecordList", { Domain: "example.com", SubDomain: "_dnsauth.shop" })).RecordList)).toHaveLength(1);
  });

  it("CreateTXTRecord creates a TXT record", async () => {
    const h = harness();
    const { RecordId } = await h.dns("CreateTXTRecord", { Domain: "example.com", SubDomain: "t", RecordLine: "默认", Value: "v" });
    expect(h.backend.admin.inspectZone("example.com").find((r) => r.recordId === RecordId)).toMatchObject({ type: "TXT", name: "t", value: "v" });
  });

  it("pages and sorts", async () => {
    const h = harness();
    for (const v of ["c", "a", "b"]) await h.dns("CreateRecord", { ...TXT, SubDomain: "s", Value: v });
    const res = await h.dns("DescribeRecordList", { Domain: "example.com", SubDomain: "s", SortField: "value", SortType: "DESC", Offset: 1, Limit: 1 });
    expect(arr(res.RecordList).map((r) => obj(r).Value)).toEqual(["b"]);
    expect(obj(res.RecordCountInfo)).toMatchObject({ TotalCount: 3, ListCount: 1 });
  });
});
