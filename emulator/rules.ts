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
