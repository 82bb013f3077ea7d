/**
 * Terraform's external-program protocol, the I/O half: read one JSON object of strings from
 * stdin, print one JSON object of strings on stdout. Errors are thrown as `InvalidInputError` or
 * engine errors; `runCli` prints them on stderr and exits non-zero, which Terraform reports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidInputError } from "../../engine/errors";

/** Read stdin to the end. Refuses a terminal: the program would wait forever for Terraform. */
export async function readAll(command: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY)
    throw new InvalidInputError("stdin", `${command}: stdin is a terminal; this program is run by Terraform with a JSON object of strings on stdin. By hand: echo '{"certificate_id":"..."}' | tccert ${command}`);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Print the result: exactly one JSON object whose values are all strings. */
export function writeResult(stdout: NodeJS.WritableStream, result: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(result)) {
    /* c8 ignore next */
    if (typeof v !== "string") throw new Error(`internal: result key ${k} is not a string`);
  }
  stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * The tf-* programs' default state dir: `.tccert-state` in the project directory, the nearest
 * directory at or above Terraform's working directory that has a `package.json` (for CDKTF the
 * project, not `cdktf.out/stacks/<stack>`, which CI throws away), else the working directory.
 * `TCCERT_STATE_DIR` and `--state-dir` win over it.
 */
export function projectStateDir(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, ".tccert-state");
    if (path.dirname(dir) === dir) return path.join(path.resolve(cwd), ".tccert-state");
  }
}
