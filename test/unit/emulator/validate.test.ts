import { describe, expect, it } from "vitest";
import { ApiError } from "../../../emulator/contract";
import { hasActionSchema, validateParams } from "../../../emulator/validate";

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("validateParams", () => {
  const BUY = { ProductPid: 1013949, PackageIds: ["p1"], DomainCount: "1", Period: 1 };

  it("passes a valid body through, coercing numeric strings to numbers", () => {
    expect(validateParams("ssl", "CreateCertificateByPackage", { ...BUY, ProductPid: "1013949", Period: "2" })).toEqual({ ...BUY, Period: 2 });
    expect(validateParams("ssl", "DescribeCertificates", { CertificateStatus: ["1", 4], Offset: "0" })).toEqual({ CertificateStatus: [1, 4], Offset: 0 });
  });

  it("MissingParameter names the field", () => {
    expect(failure(() => validateParams("ssl", "CreateCertificateByPackage", { ...BUY, DomainCount: undefined }))).toEqual({
      code: "MissingParameter",
      message: "The request is missing a required parameter `DomainCount`.",
    });
  });

  it("UnknownParameter names the field, nested fields by path", () => {
    expect(failure(() => validateParams("ssl", "DescribeCertificateDetail", { CertificateId: "a", certificateId: "a" }))).toEqual({
      code: "UnknownParameter",
      message: "The parameter `certificateId` is not recognized.",
    });
    expect(failure(() => validateParams("ssl", "DescribeCertificates", { Tags: [{ TagKey: "a", TagValue: "b" }, { TagKey: "a", Nope: 1 }] })).message).toContain("`Tags.1.Nope`");
    expect(failure(() => validateParams("ssl", "DescribeCertificateDetail", { CertificateId: "a", __proto__x: 1 })).code).toBe("UnknownParameter");
    expect(failure(() => validateParams("ssl", "DescribeCertificateDetail", JSON.parse('{"CertificateId":"a","__proto__":{"x":1}}'))).code).toBe("UnknownParameter");
  });

  it("InvalidParameter names the field, the expected type and the value received", () => {
    expect(failure(() => validateParams("ssl", "CreateCertificateByPackage", { ...BUY, DomainCount: 1 }))).toEqual({
      code: "InvalidParameter",
      message: "The parameter `DomainCount` must be string, got 1.",
    });
    expect(failure(() => validateParams("ssl", "CreateCertificateByPackage", { ...BUY, PackageIds: [1] })).message).toBe("The parameter `PackageIds.0` must be string, got 1.");
    expect(failure(() => validateParams("ssl", "CreateCertificateByPackage", { ...BUY, Period: "1 year" })).message).toBe('The parameter `Period` must be number, got "1 year".');
    expect(failure(() => validateParams("ssl", "DescribeCertificates", { Tags: { TagKey: "a" } })).message).toBe("The parameter `Tags` must be array of object (Tags), got object.");
    expect(failure(() => validateParams("ssl", "ApplyCertificate", { DvAuthMethod: "DNS", DomainName: "a.com", DeleteDnsAutoRecord: "true" })).message).toContain("must be boolean");
    expect(failure(() => validateParams("ssl", "DescribeCertificates", { SearchKey: "x".repeat(1000), Limit: [] })).message).toBe("The parameter `Limit` must be number, got array.");
  });

  it("does not take every string for a number", () => {
    for (const v of ["", " 1", "0x10", "1e3", "Infinity", "NaN", "1,000"]) {
      expect(failure(() => validateParams("ssl", "DescribeCertificates", { Limit: v })).code).toBe("InvalidParameter");
    }
  });

  it("form mode (GET): index-keyed objects become arrays, \"true\"/\"false\" become booleans", () => {
    expect(validateParams("ssl", "DescribeCertificates", { CertificateStatus: { "1": "4", "0": "1" }, Tags: { "0": { TagKey: "k", TagValue: "v" } } }, { form: true })).toEqual({
      CertificateStatus: [1, 4],
      Tags: [{ TagKey: "k", TagValue: "v" }],
    });
    expect(validateParams("ssl", "ApplyCertificate", { DvAuthMethod: "DNS", DomainName: "a.com", DeleteDnsAutoRecord: "false" }, { form: true })).toMatchObject({ DeleteDnsAutoRecord: false });
    expect(failure(() => validateParams("ssl", "DescribeCertificates", { CertificateStatus: { a: "1" } }, { form: true })).code).toBe("InvalidParameter");
  });

  it("a body that is not an object -> InvalidParameter", () => {
    for (const body of [[], "x", 1, null, true]) expect(failure(() => validateParams("ssl", "DescribeCertificates", body)).code).toBe("InvalidParameter");
  });

  it("knows every action of both SDK clients; actions outside the models pass through", () => {
    expect(hasActionSchema("ssl", "CreateCertificateByPackage")).toBe(true);
    expect(hasActionSchema("dnspod", "CreateRecord")).toBe(true);
    expect(hasActionSchema("ssl", "CreateRecord")).toBe(false);
    expect(hasActionSchema("dnspod", "DescribeUserDetail")).toBe(true); // `Request = null` in the SDK
    expect(validateParams("dnspod", "DescribeUserDetail", {})).toEqual({});
    expect(failure(() => validateParams("dnspod", "DescribeUserDetail", { A: 1 })).code).toBe("UnknownParameter");
    expect(validateParams("ssl", "EmulatorOnly", { Anything: [1] })).toEqual({ Anything: [1] });
  });
});
