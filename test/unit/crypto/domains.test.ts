import { describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { dedupe, nameCovers, normaliseDomain } from "../../../crypto/domains";

describe("nameCovers", () => {
  it.each([
    ["example.com", "example.com", true],
    ["Example.COM", "example.com.", true],
    ["*.example.com", "a.example.com", true],
    ["*.example.com", "A.EXAMPLE.COM", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "a.b.example.com", false],
    ["*.example.com", "*.example.com", true],
    ["a.example.com", "*.example.com", false],
    ["*.example.com", "*.a.example.com", false],
    ["*.example.com", "aexample.com", false],
    ["*.b.example.com", "a.b.example.com", true],
    ["example.com", "www.example.com", false],
  ])("%s covers %s: %s", (pattern, name, expected) => {
    expect(nameCovers(pattern, name)).toBe(expected);
  });
});

describe("normaliseDomain", () => {
  it("lower-cases, trims, drops a trailing dot and keeps a leading wildcard", () => {
    expect(normaliseDomain("  WWW.Example.com. ", "f")).toBe("www.example.com");
    expect(normaliseDomain("*.Example.com", "f")).toBe("*.example.com");
  });

  it("refuses a wildcard on a single label", () => {
    const run = () => normaliseDomain("*.com", "domains");
    expect(run).toThrow(/"\*\.com" is not a DNS name/);
    try {
      run();
    } catch (e) {
      expect(isInvalidInputError(e) && e.field === "domains").toBe(true);
    }
  });
});

describe("dedupe", () => {
  it("keeps the first spelling and the order", () => {
    expect(dedupe(["b.example", "A.example", "a.example", "B.EXAMPLE", "c.example"])).toEqual(["b.example", "A.example", "c.example"]);
  });
});
