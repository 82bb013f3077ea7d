/** Tencent-style identifiers. Randomness comes from `node:crypto`, never `Math.random`. */
import { randomBytes, randomInt } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `n` random alphanumeric characters (Tencent certificate ids are 8). */
export function alnumId(n = 8): string {
  let out = "";
  for (let i = 0; i < n; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** Lowercase hex of `bytes` random bytes. */
export function hexToken(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
