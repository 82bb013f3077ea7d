/** runtime/ wires the state adapter: journals under <stateDir>/journal, lineage locks under <stateDir>/locks. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { isInvalidInputError, isLockHeldError, type InvalidInputError } from "../../../engine/errors";
import { createEngineDeps } from "../../../runtime";
import { rejected, thrown } from "../crypto/secrets";

let stateDir: string;
const credentials = { secretId: "AKIDRUNTIMEWIRING00000000000000000001", secretKey: "runtime-wiring-secret-key-000000000001" };
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-state-"));
});
afterEach(() => {
  fs.rmSync(stateDir, { recursive: true, force: true });
});

it("createEngineDeps gives a file lineage lock in <stateDir>/locks, with lockWaitMs", async () => {
  const deps = createEngineDeps({ stateDir, credentials, env: {}, lockWaitMs: 50 });
  const held = await deps.lock!.acquire("abcD1234", "first");
  expect(JSON.parse(fs.readFileSync(path.join(stateDir, "locks", "abcD1234.lock"), "utf8"))).toMatchObject({ owner: "first", pid: process.pid });
  const t0 = Date.now();
  const e = await rejected(createEngineDeps({ stateDir, credentials, env: {}, lockWaitMs: 50 }).lock!.acquire("abcD1234", "second"));
  expect(isLockHeldError(e)).toBe(true);
  expect(Date.now() - t0).toBeLessThan(5_000);
  await held.release();
  expect(fs.readdirSync(path.join(stateDir, "locks"))).toEqual([]);
});

it("refuses a bad lockWaitMs, naming the field", () => {
  const e = thrown(() => createEngineDeps({ stateDir, credentials, env: {}, lockWaitMs: 1.5 })) as InvalidInputError;
  expect(isInvalidInputError(e)).toBe(true);
  expect(e.field).toBe("lockWaitMs");
  expect(e.message).toBe("lockWaitMs must be a whole number of milliseconds from 0 to 3600000; got 1.5. The default is 10000.");
});
