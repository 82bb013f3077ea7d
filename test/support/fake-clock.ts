/**
 * A controllable clock and a `Sleep` that advances it instantly: polling loops
 * run their real schedule (intervals, deadlines) in microseconds. Each sleep is
 * recorded, so tests can read the schedule back.
 */
import type { Clock, Sleep } from "../../engine/ports";

export const FAKE_START = new Date("2025-06-01T00:00:00Z");

export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date = FAKE_START) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(date: Date): void {
    this.t = date.getTime();
  }
}

export interface FakeSleep extends Sleep {
  /** Every duration slept, in order. */
  readonly sleeps: number[];
}

/**
 * Sleeps by advancing `clock`. Rejects with the signal's reason when aborted, like the real one.
 * More than `maxSleeps` sleeps throws: a loop that never ends fails fast instead of hanging.
 */
export function fakeSleep(clock: FakeClock, maxSleeps = 100_000): FakeSleep {
  const sleeps: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    if (sleeps.length >= maxSleeps) throw new Error(`fakeSleep: more than ${maxSleeps} sleeps; a polling loop does not end`);
    sleeps.push(ms);
    clock.advance(ms);
  };
  return Object.assign(sleep, { sleeps });
}
