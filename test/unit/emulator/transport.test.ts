import { describe, expect, it } from "vitest";
import { ApiError } from "../../../emulator/contract";
import { errorEnvelope, parseFlatParams, splitTarget, successEnvelope } from "../../../emulator/transport";

describe("transport helpers", () => {
  it("unflattens the SDK's GET parameters", () => {
    expect(parseFlatParams("CertificateStatus.0=1&CertificateStatus.1=4&Tags.0.TagKey=k&Tags.0.TagValue=v%20w&SearchKey=%E9%BB%98")).toEqual({
      CertificateStatus: { "0": "1", "1": "4" },
      Tags: { "0": { TagKey: "k", TagValue: "v w" } },
      SearchKey: "默",
    });
    expect(parseFlatParams("")).toEqual({});
  });

  it("rejects repeated, conflicting and malformed keys with InvalidParameter", () => {
    for (const q of ["A=1&A=2", "A=1&A.0=2", "A.0=2&A=1", "A..B=1", ".A=1"]) {
      expect(() => parseFlatParams(q)).toThrow(ApiError);
    }
  });

  it("keeps __proto__ as a plain key (no prototype pollution)", () => {
    const out = parseFlatParams("__proto__.polluted=1");
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("splits a request target without decoding", () => {
    expect(splitTarget("/?a=%20b")).toEqual({ path: "/", query: "a=%20b" });
    expect(splitTarget("/")).toEqual({ path: "/", query: "" });
  });

  it("builds Tencent envelopes", () => {
    expect(successEnvelope("r1", { A: 1, RequestId: "ignored" })).toEqual({ Response: { A: 1, RequestId: "r1" } });
    expect(errorEnvelope("r2", "C", "M")).toEqual({ Response: { Error: { Code: "C", Message: "M" }, RequestId: "r2" } });
  });
});
