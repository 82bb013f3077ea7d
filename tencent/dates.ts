/**
 * Tencent writes times as `YYYY-MM-DD HH:mm:ss` in GMT+8 with no zone suffix
 * (reference §10). Parsing is lenient: `null`, `""`, `"--"` and
 * `"0000-00-00 00:00:00"` mean "no time", and sloppy values such as
 * `"2024-11-06 08:00:0"` or a bare date (`"2023-12-18"`) are accepted.
 * Anything unreadable becomes null rather than an exception.
 */

const OFFSET_HOURS = 8;
const TENCENT_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?$/;
const EXPLICIT_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

/** Parse a Tencent GMT+8 time; null when absent, a placeholder, or unreadable. */
export function parseTencentTime(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (s === "" || s === "--" || s.startsWith("0000-00-00")) return null;
  const m = TENCENT_TIME.exec(s);
  if (m === null) {
    // An ISO time with an explicit zone is unambiguous; accept it.
    if (EXPLICIT_ZONE.test(s)) {
      const t = Date.parse(s);
      return Number.isNaN(t) ? null : new Date(t);
    }
    return null;
  }
  const part = (i: number): number => Number(m[i] ?? 0);
  const [y, mo, d, h, mi, se] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h - OFFSET_HOURS, mi, se));
  // Reject dates that rolled over (2024-02-31).
  const local = new Date(date.getTime() + OFFSET_HOURS * 3_600_000);
  if (local.getUTCDate() !== d || local.getUTCMonth() !== mo - 1) return null;
  return date;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** Format a Date the way Tencent writes times: `YYYY-MM-DD HH:mm:ss` in GMT+8. */
export function formatTencentTime(date: Date): string {
  const t = new Date(date.getTime() + OFFSET_HOURS * 3_600_000);
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
  );
}
