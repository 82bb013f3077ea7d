import { describe, expect, it } from "vitest";
import { createRuleStore, parseRules, PROFILES, RULE_NAMES } from "../../../emulator/rules";

describe("inferred rules", () => {
  it("both profiles set every switch; the default profile is the emulator's historical behaviour", () => {
    for (const p of Object.values(PROFILES)) expect(Object.keys(p).sort()).toEqual([...RULE_NAMES].sort());
    expect(PROFILES.default).toMatchObject({
      secondRenewal: "refused", linkDelaySeconds: 0, linkSides: "both", linkClearedAfterIssue: false, renewAbleWhileRenewing: false,
      paidCallFailsAfterCommit: "none", chainInPublicKey: true, cnameTrailingDot: false, regionsRequired: false,
    });
    for (const name of RULE_NAMES) {
      // Off in both profiles on purpose (emulator/rules.ts): tests script them explicitly.
      if (name === "paidCallFailsAfterCommit" || name === "paidCallFailsAfterCommitScope" || name === "tencentAutoRenew") continue;
      expect(PROFILES.pessimistic[name], name).not.toEqual(PROFILES.default[name]);
    }
  });

  it("parseRules names the switch, the value and the allowed values", () => {
    expect(parseRules({ secondRenewal: "accepted", linkDelaySeconds: 20 })).toEqual({ secondRenewal: "accepted", linkDelaySeconds: 20 });
    expect(() => parseRules({ secondRenewal: "maybe" })).toThrow('`secondRenewal` must be one of "refused", "accepted", got "maybe"');
    expect(() => parseRules({ linkDelaySeconds: 1.5 })).toThrow("`linkDelaySeconds` must be a whole number of seconds from 0 to 86400, got 1.5");
    expect(() => parseRules({ linkClearedAfterIssue: "yes" })).toThrow('`linkClearedAfterIssue` must be true or false, got "yes"');
    expect(() => parseRules({ linkDelay: 3 })).toThrow(/unknown switch `linkDelay`; known switches: secondRenewal, linkDelaySeconds/);
    expect(() => parseRules(null)).toThrow(/expected an object of switches/);
  });

  it("a store starts from a profile plus overrides and rejects bad ones", () => {
    expect(createRuleStore("pessimistic", { linkSides: "both" }).view()).toEqual({ profile: "pessimistic", rules: { ...PROFILES.pessimistic, linkSides: "both" } });
    expect(() => createRuleStore("default", { paidCallFailsAfterCommit: "4xx" } as never)).toThrow(/paidCallFailsAfterCommit/);
    expect(() => createRuleStore("mean" as never)).toThrow(/profile must be one of "default", "pessimistic"/);
  });

  it("paidCallFailsAfterCommit: scope every fails each paid call, scope first only one until the rule is set again", () => {
    const store = createRuleStore();
    expect(store.takePaidCallFailure()).toBe("none");
    store.set({ paidCallFailsAfterCommit: "5xx" });
    expect([store.takePaidCallFailure(), store.takePaidCallFailure()]).toEqual(["5xx", "5xx"]);
    store.set({ paidCallFailsAfterCommitScope: "first", paidCallFailsAfterCommit: "TradeError" });
    expect([store.takePaidCallFailure(), store.takePaidCallFailure()]).toEqual(["TradeError", "none"]);
    store.set({ linkDelaySeconds: 5 }); // other switches do not re-arm it
    expect(store.takePaidCallFailure()).toBe("none");
    store.set({ paidCallFailsAfterCommit: "TradeError" });
    expect(store.takePaidCallFailure()).toBe("TradeError");
    store.useProfile("default");
    expect(store.takePaidCallFailure()).toBe("none");
  });
});
