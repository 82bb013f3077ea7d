/** `tccert emulator`: run the embedded Tencent SSL + DNSPod emulator standalone. */
import { startEmulator } from "../../emulator";
import { InvalidInputError } from "../../engine/errors";
import type { Out } from "../output";

export interface EmulatorFlags {
  readonly port: string;
  readonly host: string;
  readonly seed?: string;
  readonly stateFile?: string;
  readonly throttle: boolean;
}

export async function emulatorCommand(flags: EmulatorFlags, out: Out): Promise<{ close(): Promise<void> }> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidInputError("--port", `--port must be a TCP port from 0 to 65535 (0 picks a free one); got ${JSON.stringify(flags.port)}.`);
  if (flags.seed !== undefined && flags.seed !== "demo")
    throw new InvalidInputError("--seed", `--seed must be "demo" (the only preset); got ${JSON.stringify(flags.seed)}. Seed your own data over POST /_emulator/seed.`);
  const emu = await startEmulator({
    port,
    host: flags.host,
    throttle: flags.throttle,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.stateFile !== undefined ? { stateFile: flags.stateFile } : {}),
  });
  if (out.json) out.line(JSON.stringify({ url: emu.url, port: emu.port }));
  else {
    out.line(`tccert emulator listening on ${emu.url}`);
    out.line(`  point the CLI at it:   export TCCERT_ENDPOINT=${emu.url}`);
    if (flags.seed === "demo") {
      out.line(`  demo credentials:      export TENCENTCLOUD_SECRET_ID=AKIDEMULATORDEMO000000000000000000000`);
      out.line(`                         export TENCENTCLOUD_SECRET_KEY=emulator-demo-secret-key-000000000000`);
    }
    out.line(`  admin surface:         ${emu.url}/_emulator/ (calls, clock/advance, faults, seed)`);
  }
  return emu;
}
