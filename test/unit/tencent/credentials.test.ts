import { describe, expect, it } from "vitest";
import { isAuthError } from "../../../engine/errors";
import { redact, resolveCredentials } from "../../../tencent/credentials";

const ID = "AKIDabcdefghijklmnopqrstuvwxyz0123456789";
const KEY = "super-secret-key-value-0000";

function failure(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

describe("resolveCredentials", () => {
  it("reads the standard environment variables", () => {
    const c = resolveCredentials({}, {
      TENCENTCLOUD_SECRET_ID: ID,
      TENCENTCLOUD_SECRET_KEY: KEY,
      TENCENTCLOUD_SESSION_TOKEN: "tok",
      TENCENTCLOUD_REGION: "ap-guangzhou",
    });
    expect(c).toEqual({ secretId: ID, secretKey: KEY, sessionToken: "tok", region: "ap-guangzhou" });
  });

  it("prefers explicit configuration and never mixes a pair from two sources", () => {
    const c = resolveCredentials({ secretId: "AKIDexplicit000000000", secretKey: "k2" }, { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: KEY, TENCENTCLOUD_SESSION_TOKEN: "envtok" });
    expect(c).toEqual({ secretId: "AKIDexplicit000000000", secretKey: "k2" });
    const e = failure(() => resolveCredentials({ secretId: "AKIDexplicit000000000" }, { TENCENTCLOUD_SECRET_KEY: KEY }));
    expect(isAuthError(e)).toBe(true);
    expect(e.message).toContain("tencentcloud:secretKey");
  });

  it("omits token and region when absent (exactOptionalPropertyTypes-friendly)", () => {
    const c = resolveCredentials({}, { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: KEY });
    expect(Object.keys(c).sort()).toEqual(["secretId", "secretKey"]);
  });

  it("treats blank values as missing", () => {
    const e = failure(() => resolveCredentials({}, { TENCENTCLOUD_SECRET_ID: "  ", TENCENTCLOUD_SECRET_KEY: KEY }));
    expect(isAuthError(e)).toBe(true);
  });

  it("explains what is missing and how to set it, without printing the secret", () => {
    const e = failure(() => resolveCredentials({}, { TENCENTCLOUD_SECRET_ID: ID }));
    expect(isAuthError(e)).toBe(true);
    expect(e.code).toBe("MissingCredentials");
    expect(e.message).toMatch(/^tencent: missing credentials: TENCENTCLOUD_SECRET_KEY/);
    for (const name of ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "tencentcloud:secretId", "tencentcloud:secretKey"]) {
      expect(e.message).toContain(name);
    }
    expect(e.message).not.toContain(ID);
    expect(e.message).toContain(redact(ID));
  });

  it("names both variables when nothing is set", () => {
    const e = failure(() => resolveCredentials({}, {}));
    expect(e.message).toContain("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY;");
  });
});

describe("redact", () => {
  it("shows the first and last 4 characters only", () => {
    expect(redact(ID)).toBe("AKID…6789");
    expect(redact(ID)).not.toContain("abcdef");
  });

  it("masks short values entirely", () => {
    expect(redact("AKID1234")).toBe("********");
    expect(redact("")).toBe("****");
  });
});
