/** The emulator's admin API: the backend's admin operations plus clock, faults, call log, throttle, inferred rules. */
import type { CallLog, CallLogSnapshot } from "./call-log";
import type { ControllableClock } from "./clock";
import type { BackendAdmin } from "./contract";
import type { ActiveFault, FaultRule, FaultScript } from "./faults";
import type { InferredRules, ProfileName, RuleStore, RulesView } from "./rules";
import type { Throttle, ThrottleConfig } from "./throttle";

export interface EmulatorAdmin extends BackendAdmin {
  /** Moves the emulator clock forward; returns the new now. */
  advanceClock(seconds: number): Date;
  /** Sets the emulator clock; it keeps running from there. */
  setClock(date: Date): Date;
  now(): Date;
  /** Appends rules to the fault script (see `faults.ts`); returns them with their ids. */
  addFault(rule: FaultRule | readonly FaultRule[]): ActiveFault[];
  /** The rules still active. */
  faults(): ActiveFault[];
  clearFaults(): void;
  calls(): CallLogSnapshot;
  resetCalls(): void;
  /** Replaces the throttle configuration (`true` = defaults, `false` = off, or overrides). */
  setThrottle(config: ThrottleConfig): void;
  /** The inferred-behaviour switches in force and the profile they started from (`GET /_emulator/rules`). */
  rules(): RulesView;
  /** Overrides some switches, keeping the others (`POST /_emulator/rules`). @throws TypeError naming a bad switch */
  setRules(partial: Partial<InferredRules>): RulesView;
  /** Every switch back to `profile`'s form, then `partial` on top (`POST /_emulator/rules {"profile":…}`). */
  useProfile(profile: ProfileName, partial?: Partial<InferredRules>): RulesView;
}

export interface AdminParts {
  readonly backendAdmin: BackendAdmin;
  readonly clock: ControllableClock;
  readonly faults: FaultScript;
  readonly callLog: CallLog;
  readonly throttle: Throttle;
  readonly rules: RuleStore;
  /** Called after every operation that may change persisted state. */
  readonly afterMutation: () => void;
}

/** Names of the functions an object offers, own or inherited (not Object.prototype's). */
export function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== "constructor" && typeof (obj as Record<string, unknown>)[name] === "function") names.add(name);
    }
  }
  return [...names];
}

/** Read-only backend operations: everything named `inspect*`. Others are persisted after they run. */
export const isReadOnlyAdminOp = (name: string): boolean => name.startsWith("inspect");

export function createEmulatorAdmin(parts: AdminParts): EmulatorAdmin {
  const { backendAdmin, clock, faults, callLog, throttle, rules, afterMutation } = parts;
  // Delegate every backend admin method (including ones the backend adds later), persisting after
  // the mutating ones.
  const delegated: Record<string, (...args: unknown[]) => unknown> = {};
  const source = backendAdmin as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of methodNames(backendAdmin)) {
    delegated[name] = (...args: unknown[]) => {
      const result = (source[name] as (...a: unknown[]) => unknown).apply(backendAdmin, args);
      if (!isReadOnlyAdminOp(name)) afterMutation();
      return result;
    };
  }
  const own: Omit<EmulatorAdmin, keyof BackendAdmin> = {
    advanceClock(seconds) {
      const d = clock.advance(seconds);
      afterMutation();
      return d;
    },
    setClock(date) {
      const d = clock.set(date);
      afterMutation();
      return d;
    },
    now: () => clock.now(),
    addFault: (rule) => faults.add(rule),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    calls: () => callLog.snapshot(),
    resetCalls: () => callLog.reset(),
    setThrottle: (config) => throttle.configure(config),
    rules: () => rules.view(),
    setRules: (partial) => rules.set(partial),
    useProfile: (profile, partial) => rules.useProfile(profile, partial),
  };
  return Object.assign(delegated, own) as unknown as EmulatorAdmin;
}
