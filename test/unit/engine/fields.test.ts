/**
 * The field table (engine/options.ts `FIELDS`) is the one source of every field's names, choices
 * and defaults: each front end's names are derived from it, and `validateOptions` names fields in
 * the caller's words without rewriting messages.
 */
import { describe, expect, it } from "vitest";
import { renewFieldOptions, renewOptionsFromFlags } from "../../../cli/commands/renew-flags";
import { KEY_ALGORITHMS, KEY_SOURCES, VALIDATION_METHODS } from "../../../engine/domain";
import { isInvalidInputError } from "../../../engine/errors";
import { DEFAULTS, FIELDS, TENCENT_GENERATES, fieldLabel, namesIn, problemsError, resolveOptions, validateOptions } from "../../../engine/options";
import { renewAfterOf } from "../../../engine/policy";
import { INPUT_NAMES } from "../../../provider/inputs";

describe("one table, every vocabulary", () => {
  it("names a field in each front end's words, list indexes kept", () => {
    expect(fieldLabel("key.algorithm")).toBe("key.algorithm");
    expect(fieldLabel("key.algorithm", "cli")).toBe("--key-algorithm");
    expect(fieldLabel("key.algorithm", "pulumi")).toBe("key.algorithm");
    expect(fieldLabel("payment.packageIds", "cli")).toBe("--package-id");
    expect(fieldLabel("deploy[3].regions", "cli")).toBe("--region");
    expect(fieldLabel("deploy[3].regions", "cdktf")).toBe("deploy[3].regions");
    expect(fieldLabel("pkcs12Password", "cli")).toBe("pkcs12Password");
  });

  it("the CLI's renew options and their choices come from the table", () => {
    const options = renewFieldOptions();
    const byFlag = new Map(options.map((o) => [o.long, o]));
    expect(byFlag.get("--key-algorithm")?.argChoices).toEqual([...KEY_ALGORITHMS]);
    expect(byFlag.get("--key-source")?.argChoices).toEqual([...KEY_SOURCES]);
    expect(byFlag.get("--validation")?.argChoices).toEqual([...VALIDATION_METHODS]);
    // --deploy takes a comma-separated list: its types are checked by the engine after splitting.
    expect(byFlag.get("--deploy")?.argChoices).toBeUndefined();
    const expected = Object.values(FIELDS).flatMap((s) => ("cli" in s && "help" in s.cli ? [s.cli.flag] : []));
    expect(options.map((o) => o.long)).toEqual(expected);
  });

  it("the Pulumi resource's inputs are the table's, plus its own", () => {
    expect(INPUT_NAMES).toEqual(["certificateId", "renewBeforeDays", "key", "validation", "payment", "waitTimeoutMinutes", "allowTencentAutoRenew", "deploy", "renewalTrigger", "cancelPendingOrderOnDelete", "pkcs12Password", "failWhenPendingWithinDays", "keyJournalDirs"]);
    expect(namesIn("pulumi", "key")).toEqual(["source", "algorithm", "csrPem", "privateKeyPem"]);
    // The construct never takes a private key: it would land in the synthesized JSON.
    expect(namesIn("cdktf", "key")).toEqual(["source", "algorithm", "csrPem"]);
    expect(namesIn("tf")).toContain("key_algorithm");
  });

  it("defaults are the table's", () => {
    expect(DEFAULTS).toEqual({ renewBeforeDays: 30, keySource: "local", keyAlgorithm: "RSA_2048", validation: "dnspod", waitTimeoutMinutes: 30 });
    expect(resolveOptions({ certificateId: "x" }).key).toEqual({ source: FIELDS["key.source"].default, algorithm: FIELDS["key.algorithm"].default });
  });
});

describe("validateOptions in the caller's vocabulary", () => {
  it("the same problem, in CLI words and in engine words", () => {
    const raw = { certificateId: "x", key: { source: "online", algorithm: "EC_P384" } };
    expect(validateOptions(raw)[0]!.message).toBe(
      'key.algorithm EC_P384 is not offered by Tencent for key.source "online": Tencent generates RSA_2048, RSA_4096 or EC_P256. Use one of those, or key.source "local".',
    );
    expect(validateOptions(raw, { vocabulary: "cli" })[0]!.message).toBe(
      '--key-algorithm EC_P384 is not offered by Tencent for --key-source "online": Tencent generates RSA_2048, RSA_4096 or EC_P256. Use one of those, or --key-source "local".',
    );
    // The field stays the engine path: callers render it with fieldLabel.
    expect(validateOptions(raw, { vocabulary: "cli" })[0]!.field).toBe("key.algorithm");
  });

  it("every field mentioned in a message is in the caller's words", () => {
    const [p] = validateOptions({ certificateId: "x", key: { source: "local", csrPem: "-----BEGIN CERTIFICATE REQUEST-----" } }, { vocabulary: "cli" });
    expect(p!.message).toBe('--csr is only used with --key-source "csr", but --key-source is "local". Remove --csr or set --key-source to "csr".');
    expect(p!.message).not.toMatch(/key\.(source|csrPem)/);
  });

  it("the error names the field and the others in the caller's words", () => {
    const e = problemsError(validateOptions({ certificateId: "x", renewBeforeDays: 0, payment: { productPid: 1 } }, { vocabulary: "cli" }), "cli");
    expect(isInvalidInputError(e)).toBe(true);
    expect(e!.field).toBe("--renew-before-days");
    expect(e!.message).toMatch(/^--renew-before-days must be .* \(and 1 more: --product-pid\)$/);
  });

  it("a bare function is still taken as isUnknown", () => {
    const unknown = Symbol("unknown");
    expect(validateOptions({ certificateId: unknown }, (v) => v === unknown)).toEqual([]);
  });

  it("the CLI's messages come from the engine in flag words, with no rewriting", () => {
    expect(() => renewOptionsFromFlags("c1", { keyAlgorithm: "RSA_3072", keySource: "online" })).toThrow(/^--key-algorithm RSA_3072 is not offered by Tencent for --key-source "online"/);
    expect(() => renewOptionsFromFlags("c1", { deploy: "cdn,s3" })).toThrow(/^--deploy must be one of clb, cdn, .*; got "s3"\.$/);
    // A regional type without its regions is refused before anything is paid (Tencent answers InvalidParameter).
    expect(() => renewOptionsFromFlags("c1", { deploy: "clb,cdn" })).toThrow(/^--region is required for resource type "clb": Tencent refuses a regional type \(clb, tke, apigateway, waf, tcb, tse, cos, mqtt, scf, tdmq\) without its regions/);
  });

  it("Tencent's offer is one table over every algorithm", () => {
    expect(Object.keys(TENCENT_GENERATES).sort()).toEqual([...KEY_ALGORITHMS].sort());
  });
});

describe("renewAfterOf", () => {
  it("is notAfter minus whole days", () => {
    expect(renewAfterOf(new Date("2025-03-31T00:00:00Z"), 30).toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(renewAfterOf(new Date("2025-03-31T12:34:56Z"), 1).toISOString()).toBe("2025-03-30T12:34:56.000Z");
  });
});
