/**
 * Inferred Tencent behaviours as named switches. Tencent documents nothing after the paid renewal
 * call, so each rule below is an inference; profile `default` answers each in its kindest (most
 * likely) form, exactly as the emulator always did, and profile `pessimistic` in its least convenient
 * plausible form. Each switch can also be set on its own (`rules` option, `admin.setRules`,
 * `POST /_emulator/rules`). The evidence for each is in emulator/README.md, "Inferred rules".
 */

export interface InferredRules {
  /** A second CreateCertificateByPackage for an OldCertificateId with a live renewal: refused before paying, or accepted and charged again. */
  readonly secondRenewal: "refused" | "accepted";
  /** Seconds (emulator clock) after the paid call before the RenewOrder / OriginCertificateId / HasRenewOrder link shows. */
  readonly linkDelaySeconds: number;
  /** `both`: old.RenewOrder and new.OriginCertificateId; `new-only`: the old certificate never shows RenewOrder / HasRenewOrder. */
  readonly linkSides: "both" | "new-only";
  /** The old certificate's RenewOrder / HasRenewOrder are cleared once the renewal is issued. */
  readonly linkClearedAfterIssue: boolean;
  /** `RenewAble` (and the `Renew: 1` filter) stays true while a renewal exists. */
  readonly renewAbleWhileRenewing: boolean;
  /** The paid call (CreateCertificateByPackage, CreateCertificate) commits, then answers HTTP 500 or `FailedOperation.TradeError`. */
  readonly paidCallFailsAfterCommit: "none" | "5xx" | "TradeError";
  /** `every` paid call fails that way, or only the `first` one that commits after the rule was set. */
  readonly paidCallFailsAfterCommitScope: "every" | "first";
  /** `CertificatePublicKey` carries leaf + intermediate (true) or the leaf only (false). */
  readonly chainInPublicKey: boolean;
  /** CNAME values in `DvAuths` and in DNSPod record lists end with a dot (`x.trust-provider.com.`). */
  readonly cnameTrailingDot: boolean;
  /** UpdateCertificateInstance with a regional resource type and no regions for it: `InvalidParameter` (true) or every region (false). */
  readonly regionsRequired: boolean;
  /** Seconds a new DNSPod record stays out of DescribeRecordList ("新添加的解析记录存在短暂的索引延迟"); the CA sees it at once. */
  readonly dnsIndexDelaySeconds: number;
  /** `DvAuthDomain` names the account's DNSPod zone (`zone`), or the registrable domain even when the zone is a delegated sub-zone (`registrable`). */
  readonly dvAuthDomain: "zone" | "registrable";
  /** An OV/EV renewal carries the old certificate's submitted data (true), or waits in status 5 for CertificateInfoSubmit: CertificateOrderSubmit answers `CertificateInfoSubmitStatusInvalid` (false). */
  readonly renewalKeepsInfo: boolean;
  /** A key Tencent generated (`online`/`original`) comes back in `CertificatePrivateKey` as PEM (`plain`), not at all (`missing`), or encrypted (`encrypted`). */
  readonly onlineKey: "plain" | "missing" | "encrypted";
  /** UpdateCertificateInstance by certificate id refuses a certificate whose private key Tencent does not hold (renewed from an uploaded CSR). */
  readonly deployNeedsHeldKey: boolean;
  /** `IsVip` in DescribeCertificates means "a paid certificate" (`paid`) or something else ("是否为 VIP 客户"): shown inverted (`inverted`). The detail keeps its documented meaning. */
  readonly listIsVip: "paid" | "inverted";
  /** `HasRenewOrder` in the list carries the renewal's id (`id`) or only a flag, `"yes"` (`flag`). */
  readonly hasRenewOrderForm: "id" | "flag";
  /** Tencent-side renewal channels on every paid issued certificate: `AutoRenewFlag` 1 (true), or none (false). */
  readonly tencentAutoRenew: boolean;
}

export type ProfileName = "default" | "pessimistic";

export const PROFILE_NAMES: readonly ProfileName[] = ["default", "pessimistic"];

export const PROFILES: Readonly<Record<ProfileName, InferredRules>> = {
  default: {
    secondRenewal: "refused",
    linkDelaySeconds: 0,
    linkSides: "both",
    linkClearedAfterIssue: false,
    renewAbleWhileRenewing: false,
    paidCallFailsAfterCommit: "none",
    paidCallFailsAfterCommitScope: "every",
    chainInPublicKey: true,
    cnameTrailingDot: false,
    regionsRequired: false,
    dnsIndexDelaySeconds: 0,
    dvAuthDomain: "zone",
    renewalKeepsInfo: true,
    onlineKey: "plain",
    deployNeedsHeldKey: false,
    listIsVip: "paid",
    hasRenewOrderForm: "id",
    tencentAutoRenew: false,
  },
  pessimistic: {
    secondRenewal: "accepted",
    linkDelaySeconds: 20,
    linkSides: "new-only",
    linkClearedAfterIssue: true,
    renewAbleWhileRenewing: true,
    // Off in the profile: a failure on every run would hide the other switches; tests and matrices
    // script it explicitly (`paidCallFailsAfterCommit` with scope `first` or `every`).
    paidCallFailsAfterCommit: "none",
    paidCallFailsAfterCommitScope: "first",
    chainInPublicKey: false,
    cnameTrailingDot: true,
    regionsRequired: true,
    dnsIndexDelaySeconds: 2,
    dvAuthDomain: "registrable",
    renewalKeepsInfo: false,
    onlineKey: "missing",
    deployNeedsHeldKey: true,
    listIsVip: "inverted",
    hasRenewOrderForm: "flag",
    // Off in the profile, like paidCallFailsAfterCommit: with it on, every renewal stops at the
    // preflight until the user confirms (`--allow-tencent-auto-renew`); tests set it explicitly.
    tencentAutoRenew: false,
  },
};

/** Allowed values per switch: a list of strings, or "boolean", or "seconds" (integer >= 0). */
const SWITCHES: Readonly<Record<keyof InferredRules, readonly string[] | "boolean" | "seconds">> = {
  secondRenewal: ["refused", "accepted"],
  linkDelaySeconds: "seconds",
  linkSides: ["both", "new-only"],
  linkClearedAfterIssue: "boolean",
  renewAbleWhileRenewing: "boolean",
  paidCallFailsAfterCommit: ["none", "5xx", "TradeError"],
  paidCallFailsAfterCommitScope: ["every", "first"],
  chainInPublicKey: "boolean",
  cnameTrailingDot: "boolean",
  regionsRequired: "boolean",
  dnsIndexDelaySeconds: "seconds",
  dvAuthDomain: ["zone", "registrable"],
  renewalKeepsInfo: "boolean",
  onlineKey: ["plain", "missing", "encrypted"],
  deployNeedsHeldKey: "boolean",
  listIsVip: ["paid", "inverted"],
  hasRenewOrderForm: ["id", "flag"],
  tencentAutoRenew: "boolean",
};

export const RULE_NAMES = Object.keys(SWITCHES) as readonly (keyof InferredRules)[];

function fail(message: string): never {
  throw new TypeError(`rules: ${message}`);
}

function checkSwitch(name: keyof InferredRules, value: unknown): void {
  const allowed = SWITCHES[name];
  if (allowed === "boolean") {
    if (typeof value !== "boolean") fail(`\`${name}\` must be true or false, got ${JSON.stringify(value)}`);
  } else if (allowed === "seconds") {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 86_400) {
      fail(`\`${name}\` must be a whole number of seconds from 0 to 86400, got ${JSON.stringify(value)}`);
    }
  } else if (typeof value !== "string" || !allowed.includes(value)) {
    fail(`\`${name}\` must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)}`);
  }
}

/** Checks switches that came from outside (HTTP, CLI, an untyped caller). @throws TypeError naming the switch */
export function parseRules(input: unknown): Partial<InferredRules> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    fail(`expected an object of switches like {"secondRenewal":"accepted"}; known switches: ${RULE_NAMES.join(", ")}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!(RULE_NAMES as readonly string[]).includes(name)) fail(`unknown switch \`${name}\`; known switches: ${RULE_NAMES.join(", ")}`);
    checkSwitch(name as keyof InferredRules, value);
    out[name] = value;
  }
  return out as Partial<InferredRules>;
}

/** @throws TypeError unless `name` is a profile. */
export function parseProfileName(name: unknown): ProfileName {
  if (typeof name !== "string" || !(PROFILE_NAMES as readonly string[]).includes(name)) {
    fail(`profile must be one of ${PROFILE_NAMES.map((p) => JSON.stringify(p)).join(", ")}, got ${JSON.stringify(name)}`);
  }
  return name as ProfileName;
}

export interface RulesView {
  /** The profile the switches started from. */
  readonly profile: ProfileName;
  readonly rules: InferredRules;
}

/** The live switches, shared by the HTTP front and the backend. Not persisted in the state file. */
export interface RuleStore {
  current(): InferredRules;
  view(): RulesView;
  /** Overrides some switches; returns the result. @throws TypeError on a bad switch */
  set(partial: Partial<InferredRules>): RulesView;
  /** Back to a profile's switches, then `partial` on top. */
  useProfile(profile: ProfileName, partial?: Partial<InferredRules>): RulesView;
  /**
   * Whether this committed paid call should fail after commit, consuming the `first` scope.
   * Called only for paid calls whose handler succeeded.
   */
  takePaidCallFailure(): InferredRules["paidCallFailsAfterCommit"];
}

export function createRuleStore(profile: ProfileName = "default", overrides: Partial<InferredRules> = {}): RuleStore {
  let base = parseProfileName(profile);
  let rules: InferredRules = { ...PROFILES[base], ...parseRules(overrides) };
  let firstUsed = false;
  const view = (): RulesView => ({ profile: base, rules: { ...rules } });
  return {
    current: () => rules,
    view,
    set(partial) {
      const checked = parseRules(partial);
      if ("paidCallFailsAfterCommit" in checked || "paidCallFailsAfterCommitScope" in checked) firstUsed = false;
      rules = { ...rules, ...checked };
      return view();
    },
    useProfile(name, partial = {}) {
      const p = parseProfileName(name);
      const checked = parseRules(partial);
      base = p;
      rules = { ...PROFILES[p], ...checked };
      firstUsed = false;
      return view();
    },
    takePaidCallFailure() {
      const mode = rules.paidCallFailsAfterCommit;
      if (mode === "none") return "none";
      if (rules.paidCallFailsAfterCommitScope === "first") {
        if (firstUsed) return "none";
        firstUsed = true;
      }
      return mode;
    },
  };
}
