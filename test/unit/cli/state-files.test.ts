import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BACKOFF_FILE, checkStateDir, openBackoffStore, openPendingActionStore, PENDING_FILE } from "../../../cli/state-files";
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
    expect((caught as Error).message).toBe(`the state file ${path.join(dir, BACKOFF_FILE)} is not valid (expected {"version":1,"certificates":{…}}). Delete it to forget what it holds, or choose another --state-dir.`);
  });

  it("checkStateDir creates the directory, and refuses a file", () => {
    checkStateDir(path.join(dir, "x", "y"));
    expect(fs.statSync(path.join(dir, "x", "y")).isDirectory()).toBe(true);
    fs.writeFileSync(path.join(dir, "f"), "");
    expect(() => checkStateDir(path.join(dir, "f"))).toThrow(/^--state-dir ".*\/f" is not a writable directory \(EEXIST\)/);
  });
});

describe("pending-actions store", () => {
  const pending = {
    kind: "manual-dns" as const,
    newCertificateId: "n1",
    message: "renewal n1 waits for 1 DNS record(s) you publish",
    instructions: "Create these records, then rerun: CNAME _a.example.com = b",
    records: [{ type: "CNAME", name: "_a.example.com", value: "b" }],
    reportedAt: "2026-01-01T00:00:00.000Z",
  };
  it("round-trips in its own file and ignores records of another kind", async () => {
    const s = openPendingActionStore(dir);
    await s.set("c1", pending);
    expect(fs.statSync(path.join(dir, PENDING_FILE)).mode & 0o777).toBe(0o600);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, PENDING_FILE), "utf8")) as { certificates: Record<string, unknown> };
    raw.certificates["c2"] = { ...pending, kind: "something-else" };
    fs.writeFileSync(path.join(dir, PENDING_FILE), JSON.stringify(raw));
    expect(openPendingActionStore(dir).all()).toEqual({ c1: pending });
    expect(fs.existsSync(path.join(dir, BACKOFF_FILE))).toBe(false);
  });
});
