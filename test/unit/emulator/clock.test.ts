import { describe, expect, it } from "vitest";
import { createClock } from "../../../emulator/clock";

describe("controllable clock", () => {
  const real = () => {
    let t = Date.parse("2025-01-01T00:00:00Z");
    return { now: () => t, pass: (ms: number) => (t += ms) };
  };

  it("starts at real now and keeps moving with real time", () => {
    const r = real();
    const c = createClock({ realNow: r.now });
    expect(c.now().toISOString()).toBe("2025-01-01T00:00:00.000Z");
    r.pass(1500);
    expect(c.now().toISOString()).toBe("2025-01-01T00:00:01.500Z");
  });

  it("advance(seconds) shifts it, and it keeps running from there", () => {
    const r = real();
    const c = createClock({ realNow: r.now });
    expect(c.advance(86_400).toISOString()).toBe("2025-01-02T00:00:00.000Z");
    r.pass(1000);
    expect(c.now().toISOString()).toBe("2025-01-02T00:00:01.000Z");
    expect(c.offsetMs()).toBe(86_400_000);
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => c.advance(Number.NaN)).toThrow(RangeError);
  });

  it("set(date) jumps either way; startTime and offsetMs set the start", () => {
    const r = real();
    const c = createClock({ realNow: r.now, startTime: new Date("2030-06-01T12:00:00Z") });
    expect(c.now().toISOString()).toBe("2030-06-01T12:00:00.000Z");
    c.set(new Date("2020-01-01T00:00:00Z"));
    r.pass(2000);
    expect(c.now().toISOString()).toBe("2020-01-01T00:00:02.000Z");
    expect(() => c.set(new Date("nope"))).toThrow(RangeError);
    const restored = createClock({ realNow: r.now, offsetMs: 60_000 });
    expect(restored.now().getTime() - r.now()).toBe(60_000);
  });
});
