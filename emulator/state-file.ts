/**
 * The `stateFile` option: the backend's snapshot and the clock offset, as JSON, written atomically
 * (a temporary file in the same folder, then rename) so a crash never leaves half a file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

export const STATE_FORMAT = "tccert-emulator-state";
export const STATE_VERSION = 1;

export interface StateFileContent {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  readonly savedAt: string;
  /** Emulator clock minus real time when saved, ms. */
  readonly clockOffsetMs: number;
  readonly backend: unknown;
}

/** `undefined` when the file does not exist. @throws Error when it exists but is not a state file */
export function loadStateFile(file: string): StateFileContent | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`emulator: the state file ${file} is not valid JSON; delete it to start fresh`);
  }
  const p = parsed as Partial<StateFileContent> | null;
  if (typeof p !== "object" || p === null || p.format !== STATE_FORMAT || p.version !== STATE_VERSION || typeof p.clockOffsetMs !== "number") {
    throw new Error(`emulator: ${file} is not an emulator state file (format ${STATE_FORMAT} v${STATE_VERSION}); delete it to start fresh`);
  }
  return p as StateFileContent;
}

export function saveStateFile(file: string, content: Omit<StateFileContent, "format" | "version" | "savedAt">): void {
  const full: StateFileContent = { format: STATE_FORMAT, version: STATE_VERSION, savedAt: new Date().toISOString(), ...content };
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(full));
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
