/**
 * Where the plugin's progress lines go. The Pulumi engine passes its address as the plugin's first
 * argument; lines are sent to it (`Engine.Log`, INFO, WARNING for "warning:" lines) with the URN of
 * the resource whose call printed them, so `pulumi up` shows them under that resource. Without an
 * engine, or when it cannot be reached, they go to stderr (Pulumi shows a plugin's stderr too).
 * stdout stays the port line alone.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { engine, engineService, grpc } from "./plugin-rpc";

/** The URN of the call in progress, for the lines it prints. */
export const currentUrn = new AsyncLocalStorage<string>();

export interface LineSink {
  (line: string): void;
}

function toStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A sink to the engine at `address`, falling back to stderr for good after its first failure. */
export function engineSink(address: string | undefined): LineSink {
  if (!address) return toStderr;
  const Client = engineService as unknown as new (addr: string, creds: unknown) => Record<string, (req: unknown, cb: (err: unknown) => void) => void>;
  let client: Record<string, (req: unknown, cb: (err: unknown) => void) => void> | null = new Client(address, grpc.credentials.createInsecure());
  return (line) => {
    if (client === null) return toStderr(line);
    const req = new engine["LogRequest"]();
    req.setSeverity(/^tccert [^:]+: warning:/.test(line) ? engine["LogSeverity"].WARNING : engine["LogSeverity"].INFO);
    req.setMessage(line);
    req.setUrn(currentUrn.getStore() ?? "");
    client["log"]!.call(client, req, (err) => {
      if (err === null || err === undefined) return;
      if (client !== null) (client as unknown as { close(): void }).close();
      client = null;
      toStderr(line);
    });
  };
}
