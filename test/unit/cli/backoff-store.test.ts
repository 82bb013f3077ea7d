import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BACKOFF_FILE, checkStateDir, openBackoffStore } from "../../../cli/backoff-store";
import { recordFailure } from "../../../engine/backoff";
import { isInvalidInputError } from "../../../engine/errors";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-store-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rec = recordFailure(undefined, new Date("2026-01-01T00:00:00Z"), { kind: "TencentApi", code: "X", message: "m" });

describe("backoff store", () => {
  it("a missing file is an empty store, and opening does not create it", () => {
    const s = openBackoffStore(path.join(dir, "state"));
    expect(s.all()).toEqual({});
    expect(s.get("a")).toBeUndefined();
    expect(fs.existsSync(path.join(dir, "state"))).toBe(false);
  });

  it("set saves atomically with mode 0600; a new store reads it back; undefined forgets", async () => {
    const s = openBackoffStore(dir);
    await s.set("a", rec);
    const file = path.join(dir, BACKOFF_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ version: 1, certificates: { a: rec } });
    expect(openBackoffStore(dir).get("a")).toEqual(rec);
    await s.set("a", undefined);
    expect(openBackoffStore(dir).all()).toEqual({});
    expect(fs.readdirSync(dir)).toEqual([BACKOFF_FILE]); // no temp file left behind
  });

  it("concurrent sets all land (writes are serialized)", async () => {
    const s = openBackoffStore(dir);
    await Promise.all(["a", "b", "c", "d"].map((id) => s.set(id, rec)));
    expect(Object.keys(openBackoffStore(dir).all()).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("skips malformed records but keeps good ones", () => {
    fs.writeFileSync(path.join(dir, BACKOFF_FILE), JSON.stringify({ version: 1, certificates: { good: rec, bad: { failures: "x" } } }));
    expect(Object.keys(openBackoffStore(dir).all())).toEqual(["good"]);
  });

  it.each([["{"], ['{"version":2,"certificates":{}}'], ["[]"]])("rejects a file that is not ours: %s", (text) => {
    fs.writeFileSync(path.join(dir, BACKOFF_FILE), text);
    let caught: unknown;
    try {
      openBackoffStore(dir);
    } catch (e) {
      caught = e;
    }
    expect(isInvalidInputError(caught)).toBe(true);
    expect((caught as Error).message).toBe(`the backoff state file ${path.join(dir, BACKOFF_FILE)} is not valid (expected {"version":1,"certificates":{…}}). Delete it to forget every backoff, or choose another --state-dir.`);
  });

  it("checkStateDir creates the directory, and refuses a file", () => {
    checkStateDir(path.join(dir, "x", "y"));
    expect(fs.statSync(path.join(dir, "x", "y")).isDirectory()).toBe(true);
    fs.writeFileSync(path.join(dir, "f"), "");
    expect(() => checkStateDir(path.join(dir, "f"))).toThrow(/^--state-dir ".*\/f" is not a writable directory \(EEXIST\)/);
  });
});
