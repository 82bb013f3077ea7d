/** Tencent formats every time as `YYYY-MM-DD HH:mm:ss` in GMT+8, without a zone suffix. */

export const SECOND_MS = 1_000;
export const DAY_MS = 86_400_000;
const GMT8_MS = 8 * 3_600_000;

/** `2026-02-28 08:00:00` for `2026-02-28T00:00:00Z`. */
export function gmt8(date: Date | string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return new Date(d.getTime() + GMT8_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** `2026-02-28` (GMT+8), the date-only form `DescribePackages` uses. */
export function gmt8Date(date: Date | string): string {
  return gmt8(date).slice(0, 10);
}

export function addMs(date: Date | string, ms: number): Date {
  return new Date((typeof date === "string" ? Date.parse(date) : date.getTime()) + ms);
}

export function iso(date: Date): string {
  return date.toISOString();
}

export function ms(date: Date | string): number {
  return typeof date === "string" ? Date.parse(date) : date.getTime();
}
