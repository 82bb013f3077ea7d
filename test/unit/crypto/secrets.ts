import { expect } from "vitest";

/** Fails when `text` contains any 12-character run of the base64 body of `pem`. */
export function expectNoKeyMaterial(text: string, pem: string): void {
  const body = pem.replace(/-----[^-]+-----|\s/g, "");
  for (let i = 0; i + 12 <= body.length; i += 6) {
    const piece = body.slice(i, i + 12);
    if (text.includes(piece)) expect.fail(`message contains key material at offset ${i}`);
  }
  expect(text).not.toContain("PRIVATE KEY-----\n");
}

/** The error `fn` throws (fails when it does not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return expect.fail("expected a throw");
}

/** The rejection of `promise` (fails when it resolves). */
export async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return expect.fail("expected a rejection");
}
