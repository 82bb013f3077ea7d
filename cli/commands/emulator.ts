/** `tccert emulator`: run the embedded Tencent SSL + DNSPod emulator standalone. */
import { PROFILE_NAMES, startEmulator, type ProfileName } from "../../emulator";
import { InvalidInputError } from "../../engine/errors";
import type { Out } from "../output";

export interface EmulatorFlags {
  readonly port: string;
  readonly host: string;
  readonly seed?: string;
  readonly stateFile?: string;
  readonly throttle: boolean;
  /** Inferred-behaviour profile. @default "default" */
  readonly profile?: string;
}

function parseProfile(raw: string | undefined): ProfileName {
  const profile = raw ?? "default";
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) {
    throw new InvalidInputError(
      "--profile",
      `--profile must be one of ${PROFILE_NAMES.join(", ")}; got ${JSON.stringify(profile)}. "pessimistic" answers each undocumented Tencent behaviour in its least convenient plausible form (see emulator/README.md, "Inferred rules").`,
    );
  }
  return profile as ProfileName;
}

/** The port cannot be listened on: a clear usage error naming host, port and the fix. */
function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE")
    return new InvalidInputError("--port", `--port ${port}: ${host}:${port} is already in use (another tccert emulator, or another server). Stop it, or pick another port with --port N (--port 0 picks a free one).`);
  if (code === "EACCES" || code === "EADDRNOTAVAIL")
    return new InvalidInputError(code === "EACCES" ? "--port" : "--host", `cannot listen on ${host}:${port} (${code}): ${code === "EACCES" ? "ports below 1024 need privileges; use --port 8443 or --port 0" : "this machine has no such address; use --host 127.0.0.1"}.`);
  return e;
}

export async function emulatorCommand(flags: EmulatorFlags, out: Out): Promise<{ close(): Promise<void> }> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidInputError("--port", `--port must be a TCP port from 0 to 65535 (0 picks a free one); got ${JSON.stringify(flags.port)}.`);
  if (flags.seed !== undefined && flags.seed !== "demo")
    throw new InvalidInputError("--seed", `--seed must be "demo" (the only preset); got ${JSON.stringify(flags.seed)}. Seed your own data over POST /_emulator/seed.`);
  const profile = parseProfile(flags.profile);
  const emu = await startEmulator({
    port,
    host: flags.host,
    throttle: flags.throttle,
    profile,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.stateFile !== undefined ? { stateFile: flags.stateFile } : {}),
  }).catch((e: unknown) => {
    throw listenError(e, flags.host, port);
  });
  if (out.json) out.line(JSON.stringify({ url: emu.url, port: emu.port, profile }));
  else {
    out.line(`tccert emulator listening on ${emu.url} (profile ${profile})`);
    out.line(`  point the CLI at it:   export TCCERT_ENDPOINT=${emu.url}`);
    if (flags.seed === "demo") {
      out.line(`  demo credentials:      export TENCENTCLOUD_SECRET_ID=AKIDEMULATORDEMO000000000000000000000`);
      out.line(`                         export TENCENTCLOUD_SECRET_KEY=emulator-demo-secret-key-000000000000`);
    }
    out.line(`  admin surface:         ${emu.url}/_emulator/ (calls, clock/advance, faults, rules, seed)`);
  }
  return emu;
}
