import { randomBytes } from "node:crypto";

export const DAY_MS = 86_400_000;

/** A random positive 128-bit serial number, hex, never starting with a zero byte. */
export function serialNumberHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f | 0x10;
  return b.toString("hex");
}
