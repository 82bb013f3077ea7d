import type { EngineDeps } from "../engine/deps";
import type { ExitCode } from "./exit-codes";
import type { Out } from "./output";

/** What a command registered on the program needs from the shell around it. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Engine dependencies from the global flags (--endpoint, --state-dir) and the environment. */
  deps(): EngineDeps;
  /** An Out honouring --json. */
  out(): Out;
  /** Set the process exit code of this run. */
  setExit(code: ExitCode): void;
}
