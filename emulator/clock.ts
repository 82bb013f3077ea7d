/**
 * The emulator's controllable clock. It keeps moving with real time, shifted by an offset that
 * `advance` and `set` change (so a certificate "issued in 60 s" issues after 60 real seconds, or at
 * once after `advance(60)`).
 */
export interface ControllableClock {
  now(): Date;
  /** Moves the clock forward. @throws RangeError for a negative or non-finite number */
  advance(seconds: number): Date;
  /** Jumps to `date` (forwards or backwards); the clock keeps running from there. */
  set(date: Date): Date;
  /** Milliseconds between the emulator's time and real time. */
  offsetMs(): number;
}

export interface ClockOptions {
  /** Where the clock starts. @default real now */
  readonly startTime?: Date;
  /** Initial offset against real time (used when restoring a state file). Ignored with `startTime`. @default 0 */
  readonly offsetMs?: number;
  /** Real time source, for tests. @default Date.now */
  readonly realNow?: () => number;
}

export function createClock(options: ClockOptions = {}): ControllableClock {
  const realNow = options.realNow ?? Date.now;
  let offset = 0;
  if (options.startTime) {
    const start = options.startTime.getTime();
    if (!Number.isFinite(start)) throw new RangeError("clock: startTime is an invalid Date");
    offset = start - realNow();
  } else if (options.offsetMs !== undefined) {
    if (!Number.isFinite(options.offsetMs)) throw new RangeError("clock: offsetMs must be a finite number");
    offset = options.offsetMs;
  }
  const now = (): Date => new Date(realNow() + offset);
  return {
    now,
    advance(seconds) {
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError(`clock: advance takes a finite number of seconds >= 0, got ${String(seconds)}`);
      }
      offset += seconds * 1000;
      return now();
    },
    set(date) {
      const t = date.getTime();
      if (!Number.isFinite(t)) throw new RangeError("clock: set takes a valid Date");
      offset = t - realNow();
      return now();
    },
    offsetMs: () => offset,
  };
}
