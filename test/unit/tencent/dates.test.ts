import { describe, expect, it } from "vitest";
import { formatTencentTime, parseTencentTime } from "../../../tencent/dates";

describe("parseTencentTime", () => {
  it("reads YYYY-MM-DD HH:mm:ss as GMT+8", () => {
    expect(parseTencentTime("2026-02-28 08:00:00")?.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(parseTencentTime("2026-05-29 07:59:59")?.toISOString()).toBe("2026-05-28T23:59:59.000Z");
  });

  it("crosses the date line backwards for early-morning GMT+8 times", () => {
    expect(parseTencentTime("2025-01-01 03:00:00")?.toISOString()).toBe("2024-12-31T19:00:00.000Z");
  });

  it.each([null, undefined, "", "  ", "--", "0000-00-00 00:00:00", "0000-00-00", 42, {}])("gives null for %j", (v) => {
    expect(parseTencentTime(v)).toBeNull();
  });

  it("tolerates a single-digit seconds field (synthetic list example)", () => {
    expect(parseTencentTime("2024-11-06 08:00:0")?.toISOString()).toBe("2024-11-06T00:00:00.000Z");
  });

  it("reads a bare date as midnight GMT+8 (DescribePackages ExpireTime)", () => {
    expect(parseTencentTime("2023-12-18")?.toISOString()).toBe("2023-12-17T16:00:00.000Z");
  });

  it("accepts ISO times with an explicit zone", () => {
    expect(parseTencentTime("2025-01-01T00:00:00Z")?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("gives null for impossible or garbage values instead of throwing", () => {
    for (const v of ["2024-02-31 00:00:00", "2024-13-01 00:00:00", "2024-01-01 25:00:00", "yesterday", "2024/01/01"]) {
      expect(parseTencentTime(v)).toBeNull();
    }
  });
});

describe("formatTencentTime", () => {
  it("writes GMT+8 in Tencent's format", () => {
    expect(formatTencentTime(new Date("2024-12-31T19:00:05Z"))).toBe("2025-01-01 03:00:05");
  });

  it("round-trips with parseTencentTime", () => {
    const d = new Date("2026-07-04T12:34:56Z");
    expect(parseTencentTime(formatTencentTime(d))?.getTime()).toBe(d.getTime());
  });
});
