import { describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { resolveOptions, validateOptions } from "../../../engine/options";

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END PRIVATE KEY-----\n";

describe("renewal options", () => {
  it("fills documented defaults", () => {
    expect(resolveOptions({ certificateId: "abcd1234" })).toEqual({
      certificateId: "abcd1234",
      renewBeforeDays: 30,
      key: { source: "local", algorithm: "RSA_2048" },
      validation: "dnspod",
      payment: {},
      waitTimeoutMinutes: 30,
      force: false,
      deploy: [],
      allowTencentAutoRenew: false,
    });
  });

  // Each bad input names its field, shows the value, and says how to fix it.
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["missing id", {}, "certificateId", /got nothing/],
    ["id with spaces", { certificateId: "a b" }, "certificateId", /"a b"/],
    ["negative days", { certificateId: "x", renewBeforeDays: -1 }, "renewBeforeDays", /from 1 to 365; got -1/],
    ["fractional days", { certificateId: "x", renewBeforeDays: 1.5 }, "renewBeforeDays", /got 1.5/],
    ["string days", { certificateId: "x", renewBeforeDays: "30" }, "renewBeforeDays", /got "30"/],
    ["bad wait", { certificateId: "x", waitTimeoutMinutes: -5 }, "waitTimeoutMinutes", /got -5/],
    ["bad validation", { certificateId: "x", validation: "http" }, "validation", /"dnspod", "DNS_AUTO", "manual-dns"; got "http"/],
    ["bad source", { certificateId: "x", key: { source: "hsm" } }, "key.source", /got "hsm"/],
    ["bad algorithm", { certificateId: "x", key: { algorithm: "RSA_1024" } }, "key.algorithm", /got "RSA_1024"/],
    ["csr without source csr", { certificateId: "x", key: { csrPem: CSR } }, "key.csrPem", /only used with key.source "csr"/],
    ["source csr without csr", { certificateId: "x", key: { source: "csr" } }, "key.csrPem", /required/],
    ["garbled csr", { certificateId: "x", key: { source: "csr", csrPem: "hello" } }, "key.csrPem", /PEM CSR/],
    ["key with online", { certificateId: "x", key: { source: "online", privateKeyPem: KEY } }, "key.privateKeyPem", /only used with key.source "local"/],
    ["online RSA_3072", { certificateId: "x", key: { source: "online", algorithm: "RSA_3072" } }, "key.algorithm", /not offered by Tencent/],
    ["bad pid", { certificateId: "x", payment: { productPid: 12 } }, "payment.productPid", /7-digit/],
    ["empty packages", { certificateId: "x", payment: { packageIds: [] } }, "payment.packageIds", /non-empty/],
    ["bad deploy type", { certificateId: "x", deploy: [{ resourceType: "ftp" }] }, "deploy[0].resourceType", /got "ftp"/],
    ["bad force", { certificateId: "x", force: "yes" }, "force", /true or false/],
  ];
  it.each(cases)("rejects %s", (_name, raw, field, message) => {
    const problems = validateOptions(raw);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.message).toMatch(message);
  });

  it("never echoes a private key", () => {
    const problems = validateOptions({ certificateId: "x", key: { source: "local", privateKeyPem: "SECRETSECRET not a key" } });
    expect(problems[0]!.field).toBe("key.privateKeyPem");
    expect(problems[0]!.message).not.toContain("SECRET");
  });

  it("skips values that are not known yet (preview, tokens)", () => {
    const unknown = Symbol("unknown");
    const problems = validateOptions({ certificateId: unknown, renewBeforeDays: unknown, key: { source: unknown } }, (v) => v === unknown);
    expect(problems).toEqual([]);
  });

  it("throws a branded error naming the first field and counting the rest", () => {
    try {
      resolveOptions({ certificateId: "x", renewBeforeDays: 0, waitTimeoutMinutes: -1 });
      expect.unreachable();
    } catch (e) {
      expect(isInvalidInputError(e)).toBe(true);
      expect((e as { field: string }).field).toBe("renewBeforeDays");
      expect((e as Error).message).toContain("and 1 more: waitTimeoutMinutes");
    }
  });
});

describe("regression: a token csrPem is not 'missing'", () => {
  it("does not report key.csrPem as required when its value is not known yet", () => {
    const unknown = Symbol("token");
    expect(validateOptions({ certificateId: "x", key: { source: "csr", csrPem: unknown } }, (v) => v === unknown)).toEqual([]);
    expect(validateOptions({ certificateId: "x", key: { source: "csr" } }).map((p) => p.field)).toEqual(["key.csrPem"]);
  });
});

describe("deployment inputs refused before anything is paid (issue 12)", () => {
  it("a regional resource type without regions names the field, the type and the fix", () => {
    const problems = validateOptions({ certificateId: "x", deploy: [{ resourceType: "tke" }, { resourceType: "cdn" }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe("deploy[0].regions");
    expect(problems[0]!.message).toMatch(/deploy\[0\]\.regions is required for resource type "tke".*e\.g\. \["ap-guangzhou"\]/);
    expect(validateOptions({ certificateId: "x", deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }] })).toEqual([]);
  });

  it("key source csr with a deployment is refused: the key is only the user's", () => {
    const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----";
    const problems = validateOptions({ certificateId: "x", key: { source: "csr", csrPem }, deploy: [{ resourceType: "cdn" }] }, { vocabulary: "pulumi" });
    expect(problems.map((p) => p.field)).toEqual(["deploy"]);
    expect(problems[0]!.message).toMatch(/^deploy cannot be used with key\.source "csr".*use key\.source "local"/);
  });

  it("a deploy target without regions (a global type such as cdn) gets regions [], so the adapter never sees undefined", () => {
    const deploy = resolveOptions({ certificateId: "abcd1234", deploy: [{ resourceType: "cdn" } as never, { resourceType: "clb", regions: ["ap-guangzhou"] }] }).deploy;
    expect(deploy).toEqual([{ resourceType: "cdn", regions: [] }, { resourceType: "clb", regions: ["ap-guangzhou"] }]);
  });

  it("allowTencentAutoRenew must be a boolean", () => {
    expect(validateOptions({ certificateId: "x", allowTencentAutoRenew: "yes" })[0]!.message).toBe('allowTencentAutoRenew must be true or false; got "yes".');
  });
});
