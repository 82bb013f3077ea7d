/** Bad configs throw at synth, naming the field; tokens are skipped. */
import { Testing, TerraformVariable, Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { RenewedCertificate, type RenewedCertificateConfig } from "../../constructs";
import { isInvalidInputError } from "../../engine/errors";

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

function attempt(config: unknown): unknown {
  try {
    Testing.synthScope((scope) => {
      new RenewedCertificate(scope, "cert", config as RenewedCertificateConfig);
    });
  } catch (e) {
    return e;
  }
  return undefined;
}

const BAD: [string, unknown, string, RegExp][] = [
  ["an empty certificate id", { certificateId: "" }, "certificateId", /certificateId must be a Tencent certificate id/],
  ["a certificate id with spaces", { certificateId: "a b" }, "certificateId", /got "a b"/],
  ["renewBeforeDays 0", { certificateId: "a1B2c3D4", renewBeforeDays: 0 }, "renewBeforeDays", /renewBeforeDays must be a whole number of days from 1 to 365; got 0/],
  ["renewBeforeDays 1.5", { certificateId: "a1B2c3D4", renewBeforeDays: 1.5 }, "renewBeforeDays", /got 1.5/],
  ["renewBeforeDays as a string", { certificateId: "a1B2c3D4", renewBeforeDays: "30" }, "renewBeforeDays", /got "30"/],
  ["a negative wait", { certificateId: "a1B2c3D4", waitTimeoutMinutes: -1 }, "waitTimeoutMinutes", /waitTimeoutMinutes must be a number of minutes/],
  ["an unknown validation", { certificateId: "a1B2c3D4", validation: "http" }, "validation", /validation must be one of "dnspod", "DNS_AUTO", "manual-dns"; got "http"/],
  ["an unknown key source", { certificateId: "a1B2c3D4", key: { source: "remote" } }, "key.source", /key.source must be one of/],
  ["an unknown algorithm", { certificateId: "a1B2c3D4", key: { algorithm: "RSA_1024" } }, "key.algorithm", /key.algorithm must be one of RSA_2048/],
  ["csr without csrPem", { certificateId: "a1B2c3D4", key: { source: "csr" } }, "key.csrPem", /key.csrPem is required with key.source "csr"/],
  ["csrPem with a local key", { certificateId: "a1B2c3D4", key: { source: "local", csrPem: CSR } }, "key.csrPem", /only used with key.source "csr"/],
  ["csrPem that is not a CSR", { certificateId: "a1B2c3D4", key: { source: "csr", csrPem: "hello" } }, "key.csrPem", /must be a PEM CSR/],
  ["an online key (Tencent's key would be printed by terraform show)", { certificateId: "a1B2c3D4", key: { source: "online" } }, "key.source", /key\.source "online" is not offered by the CDKTF construct \(it takes local, csr\): Terraform cannot mark a data "external" result sensitive/],
  ["an original key", { certificateId: "a1B2c3D4", key: { source: "original" } }, "key.source", /key\.source "original" is not offered/],
  ["an unknown keyRotation", { certificateId: "a1B2c3D4", keyRotation: "sometimes" as never }, "keyRotation", /keyRotation must be one of "always", "never" .*got "sometimes"/],
  ["an empty stateDir", { certificateId: "a1B2c3D4", stateDir: " " }, "stateDir", /stateDir must be a non-empty literal path/],
  ["a private key in the config", { certificateId: "a1B2c3D4", key: { privateKeyPem: "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----" } }, "key.privateKeyPem", /would be written, unencrypted, into the synthesized JSON/],
  ["a 2-digit productPid", { certificateId: "a1B2c3D4", payment: { productPid: 12 } }, "payment.productPid", /7-digit product PID/],
  ["no package ids", { certificateId: "a1B2c3D4", payment: { packageIds: [] } }, "payment.packageIds", /non-empty list/],
  ["an unknown deploy type", { certificateId: "a1B2c3D4", deploy: [{ resourceType: "s3", regions: [] }] }, "deploy[0].resourceType", /deploy\[0\].resourceType must be one of clb/],
  ["a numeric renewalTrigger", { certificateId: "a1B2c3D4", renewalTrigger: 7 }, "renewalTrigger", /renewalTrigger must be a string/],
  ["an empty renewalTrigger", { certificateId: "a1B2c3D4", renewalTrigger: "" }, "renewalTrigger", /must not be empty/],
  ["an empty program", { certificateId: "a1B2c3D4", program: [] }, "program", /program must be a non-empty list of literal strings/],
  ["a misspelt option", { certificateId: "a1B2c3D4", renewBeforeDay: 10 }, "renewBeforeDay", /renewBeforeDay is not an option of RenewedCertificate/],
  ["a misspelt key option", { certificateId: "a1B2c3D4", key: { algo: "RSA_2048" } }, "key.algo", /key.algo is not an option/],
];

describe("RenewedCertificate input validation at synth", () => {
  it.each(BAD)("%s throws, naming the field", (_name, config, field, message) => {
    const e = attempt(config);
    expect(isInvalidInputError(e)).toBe(true);
    expect((e as { field: string }).field).toBe(field);
    expect((e as Error).message).toMatch(/^RenewedCertificate "cert": /);
    expect((e as Error).message).toMatch(message);
  });

  it("never echoes a private key given by mistake", () => {
    const e = attempt({ certificateId: "a1B2c3D4", key: { privateKeyPem: "-----BEGIN PRIVATE KEY-----\nTOPSECRET\n-----END PRIVATE KEY-----" } });
    expect((e as Error).message).not.toContain("TOPSECRET");
  });

  it("reports every problem at once", () => {
    const e = attempt({ certificateId: "", renewBeforeDays: 0, validation: "x" }) as Error;
    expect(e.message).toMatch(/\(1\) certificateId[\s\S]*\(2\) renewBeforeDays[\s\S]*\(3\) validation/);
  });

  it("skips values that are tokens (known only at plan)", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const v = new TerraformVariable(scope, "v", { type: "string" });
        const n = new TerraformVariable(scope, "n", { type: "number" });
        new RenewedCertificate(scope, "cert", {
          certificateId: v.stringValue,
          renewBeforeDays: n.numberValue,
          waitTimeoutMinutes: Token.asNumber(n.value),
          validation: Token.asString(v.value) as never,
          payment: { productPid: n.numberValue, packageIds: [v.stringValue] },
          renewalTrigger: v.stringValue,
          key: { source: "csr", csrPem: v.stringValue },
        });
      }),
    ).not.toThrow();
  });

  it("refuses a token key.source: it decides which resources exist", () => {
    const e = (() => {
      try {
        Testing.synthScope((scope) => {
          const v = new TerraformVariable(scope, "v", { type: "string" });
          new RenewedCertificate(scope, "cert", { certificateId: "a1B2c3D4", key: { source: v.stringValue as never } });
        });
      } catch (err) {
        return err as Error & { field: string };
      }
      return undefined;
    })();
    expect(e?.field).toBe("key.source");
    expect(e?.message).toMatch(/must be known at synth/);
  });
});
