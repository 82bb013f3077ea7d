import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDeployFlags } from "../../../cli/commands/deploy";
import { renewOptionsFromFlags, validateRenewFlags } from "../../../cli/commands/renew";
import { parseScanFlags } from "../../../cli/commands/scan";

describe("parseScanFlags", () => {
  it("defaults and normalization", () => {
    expect(parseScanFlags({})).toEqual({ renewBeforeDays: 30 });
    expect(parseScanFlags({ withinDays: "0", ids: " a1, b2 ,", domain: " *.example.com ", renewBeforeDays: "45" })).toEqual({
      withinDays: 0,
      ids: ["a1", "b2"],
      domain: "*.example.com",
      renewBeforeDays: 45,
    });
  });
  it.each([
    [{ withinDays: "1.5" }, "--within-days must be a whole number of days, 0 or more; got \"1.5\"."],
    [{ withinDays: "" }, "--within-days must be a whole number of days, 0 or more; got \"\"."],
    [{ renewBeforeDays: "366" }, "--renew-before-days must be a whole number from 1 to 365; got \"366\"."],
    [{ ids: "," }, "--ids must be a comma-separated list of certificate ids such as \"a1B2c3D4,e5F6g7H8\"; got \",\"."],
    [{ domain: "exa mple.com" }, "--domain must be a domain name such as \"shop.example.com\" or \"*.example.com\"; got \"exa mple.com\"."],
  ])("%j", (flags, message) => expect(() => parseScanFlags(flags)).toThrow(message));
});

describe("renewOptionsFromFlags → engine options", () => {
  it("maps every flag", () => {
    expect(
      renewOptionsFromFlags("c1", {
        keyAlgorithm: "EC_P384",
        validation: "DNS_AUTO",
        productPid: "1013949",
        packageId: ["p1", "p2"],
        waitTimeoutMinutes: "5",
        renewBeforeDays: "20",
        force: true,
        deploy: "clb, cdn",
        region: ["ap-guangzhou"],
      }),
    ).toEqual({
      certificateId: "c1",
      renewBeforeDays: 20,
      key: { source: "local", algorithm: "EC_P384" },
      validation: "DNS_AUTO",
      payment: { productPid: 1013949, packageIds: ["p1", "p2"] },
      waitTimeoutMinutes: 5,
      force: true,
      deploy: [
        { resourceType: "clb", regions: ["ap-guangzhou"] },
        { resourceType: "cdn", regions: ["ap-guangzhou"] },
      ],
    });
  });

  it("--csr implies key source csr and reads the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-flags-"));
    const csr = path.join(dir, "r.csr");
    fs.writeFileSync(csr, "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
    try {
      expect(renewOptionsFromFlags("c1", { csr }).key).toEqual({ source: "csr", csrPem: fs.readFileSync(csr, "utf8") });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("engine messages name the flag, not the field", () => {
    expect(() => renewOptionsFromFlags("c1", { keySource: "csr" })).toThrow(/^--csr is required with --key-source "csr"/);
    expect(() => renewOptionsFromFlags("c1", { validation: "http" } as never)).toThrow(/^--validation must be one of "dnspod", "DNS_AUTO", "manual-dns"; got "http"\./);
    expect(() => renewOptionsFromFlags("c1", { deploy: "," })).toThrow("--deploy must list resource types such as clb,cdn; got \",\".");
  });
});

describe("validateRenewFlags", () => {
  it("returns the concurrency (default 4)", () => {
    expect(validateRenewFlags(["a"], {})).toBe(4);
    expect(validateRenewFlags([], { allDue: true, concurrency: "64" })).toBe(64);
  });
  it("rejects an id named twice", () => {
    expect(() => validateRenewFlags(["a", "b", "a"], {})).toThrow("certificate id a is named twice; name each certificate once.");
  });
});

describe("parseDeployFlags", () => {
  it("splits and checks the types", () => {
    expect(parseDeployFlags("c1", { resourceTypes: "clb, cdn" })).toEqual(["clb", "cdn"]);
    expect(() => parseDeployFlags("c1", { resourceTypes: " , " })).toThrow('--resource-types must list resource types such as clb,cdn; got " , ".');
    expect(() => parseDeployFlags("c 1", { resourceTypes: "clb" })).toThrow(/^certificate id "c 1" is not a Tencent certificate id/);
  });
});
