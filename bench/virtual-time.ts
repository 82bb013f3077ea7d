/**
 * Simulated time for renewals against the embedded emulator: the engine's clock IS the emulator's
 * clock (which runs with real time while work is done), and a sleep jumps it forward instead of
 * waiting, so a 10-minute CA delay takes a fraction of a second. Concurrent renewals are simulated as discrete events: time
 * jumps to the earliest wake-up only when every renewal still running is asleep (a renewal
 * waiting for an HTTP answer is not asleep), so no renewal sees time move during its own work.
 */
import type { RunningEmulator } from "../emulator";
import type { Clock, Sleep } from "../engine/ports";

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export interface VirtualTime {
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Virtual epoch ms. */
  now(): number;
  /** Runs `tasks` concurrently in virtual time; resolves with their results (rejects with the first failure). */
  run<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]>;
}

export function virtualTime(emu: RunningEmulator): VirtualTime {
  const now = () => emu.admin.now().getTime();
  let active = 0;
  const sleepers: Sleeper[] = [];
  const sleep: Sleep = (ms) =>
    new Promise<void>((resolve) => {
      sleepers.push({ at: now() + Math.max(0, ms), wake: resolve });
    });
  const step = (): void => {
    if (sleepers.length === 0 || sleepers.length < active) return;
    const at = Math.min(...sleepers.map((s) => s.at));
    if (at > now()) emu.admin.setClock(new Date(at));
    for (let i = sleepers.length - 1; i >= 0; i--) {
      if (sleepers[i]!.at <= at) sleepers.splice(i, 1)[0]!.wake();
    }
  };
  return {
    clock: { now: () => new Date(now()) },
    sleep,
    now,
    async run<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
      const timer = setInterval(step, 1);
      try {
        return await Promise.all(
          tasks.map(async (task) => {
            active++;
            try {
              return await task();
            } finally {
              active--;
            }
          }),
        );
      } finally {
        clearInterval(timer);
      }
    },
  };
}
