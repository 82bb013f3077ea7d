/**
 * Starts a child the way Pulumi starts a provider plugin or the dynamic-provider host: the engine
 * address as its argument, exactly `env` (plus PATH), and the first line of stdout is the gRPC port.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface PortChild {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything the child wrote to stdout so far (its port first). */
  stdout(): string;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
}

/** @throws Error naming `what` when no port is printed within `timeoutMs`, or the child exits first. */
export async function spawnReportingPort(
  what: string,
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly timeoutMs?: number },
): Promise<PortChild> {
  const child: ChildProcess = spawn(command, [...args], {
    cwd: options.cwd,
    env: { PATH: process.env["PATH"] ?? "", ...(options.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let errText = "";
  child.stderr!.on("data", (d: Buffer) => (errText += d.toString()));
  const seconds = Math.round((options.timeoutMs ?? 20_000) / 1000);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${what} printed no port in ${seconds} s; stderr: ${errText}`)), options.timeoutMs ?? 20_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const first = out.split("\n")[0];
      if (out.includes("\n") && first !== undefined && /^\d+$/.test(first.trim())) {
        clearTimeout(timer);
        resolve(Number(first.trim()));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${what} exited (${code}) before printing its port; stderr: ${errText}`));
    });
  });
  return { child, port, stdout: () => out, stderr: () => errText };
}
