/**
 * The `tccert` command line: a thin shell over the engine. Flags are validated
 * before any network call; output is a table on a TTY, lines otherwise, and
 * JSON with --json; exit codes are stable (see exit-codes.ts).
 */
import { Command, CommanderError } from "commander";
import type { EngineDeps } from "../engine/deps";
import type { DoctorDeps } from "../engine/doctor";
import { InvalidInputError, isAuthError, isRenewalError } from "../engine/errors";
import { FIELDS } from "../engine/options";
import { createDoctorDeps, createEngineDeps, defaultStateDir } from "../runtime";
import { checkStateDir, openBackoffStore, openPendingActionStore, type BackoffStore, type PendingActionStore } from "./state-files";
import { deployCommand } from "./commands/deploy";
import { doctorCommand } from "./commands/doctor";
import { renewCommand } from "./commands/renew";
import { renewFieldOptions } from "./commands/renew-flags";
import { canaryOptions } from "./commands/renew-canary";
import { resolveCommand } from "./commands/resolve";
import { scanCommand } from "./commands/scan";
import { registerTerraformCommands } from "./commands/terraform";
import { EXIT, type ExitCode } from "./exit-codes";
import { createOut, type Out } from "./output";
import { packageVersion } from "./version";

/** The emulator (and its CA's crypto) loads only for the commands that run it. */
const emulatorCommands = () => import("./commands/emulator");
const demoCommands = () => import("./commands/demo");

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
}

interface Globals {
  readonly endpoint?: string;
  readonly json?: boolean;
  readonly stateDir?: string;
  readonly requestTimeout?: string;
  readonly site?: string;
}

/** `--request-timeout`: seconds, 1 to 600. */
export function parseRequestTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1 || n > 600)
    throw new InvalidInputError("--request-timeout", `--request-timeout must be a whole number of seconds from 1 to 600; got ${JSON.stringify(value)}. The default is 60.`);
  return n;
}

/** What the commands registered on the program share: streams, lazily made deps and stores, the exit code. */
interface Shell {
  readonly program: Command;
  readonly io: CliIo;
  /** @param frontEnd whose credential hint a missing credential gets. @default "cli" */
  deps(frontEnd?: "cli" | "terraform", fallbackStateDir?: string): EngineDeps;
  /** The read-only probe and clock (doctor, the canary's observations). */
  doctorDeps(): DoctorDeps;
  /** Make `out` honour --json; call first in every action. */
  withOut(): Out;
  stateDir(): string;
  /** The backoff state file, opened before any network call (a bad state dir is a usage error). */
  backoff(): BackoffStore;
  pending(): PendingActionStore;
  setExit(code: ExitCode): void;
}

function createProgram(io: CliIo): Command {
  return new Command("tccert")
    .description("Renew paid Tencent Cloud SSL certificates: scan, renew, deploy; plus an embedded emulator.")
    .version(packageVersion(), "--version", "print the version of tccert (tencentcloud-cert-renewal) and exit")
    .option("--endpoint <url>", "Tencent API endpoint override, e.g. the emulator's http://127.0.0.1:8443 (default: env TCCERT_ENDPOINT, else Tencent's public endpoints)")
    .option("--site <site>", "cn: Tencent Cloud's China site (*.tencentcloudapi.com); intl: Tencent Cloud International (*.intl.tencentcloudapi.com) (default: env TENCENTCLOUD_SITE, else cn)")
    .option("--json", "machine-readable JSON on stdout (default: a table on a terminal, lines otherwise)")
    .option("--request-timeout <seconds>", "give up on one Tencent API request after this many seconds (default: 60); a paid request that gets no answer is never sent again in the same run")
    .option("--state-dir <dir>", "where renewal journals, backoff.json and pending-actions.json live; keep it out of git and between runs, e.g. in a CI cache (default: env TCCERT_STATE_DIR, else ./.tccert-state)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(`tccert: ${s.replace(/^error: /, "")}`),
    })
    .showHelpAfterError(false);
}

/** What the global flags and the environment say about reaching Tencent (for the read-only probe). */
function runtimeOptions(g: Globals, io: CliIo) {
  const timeoutSeconds = parseRequestTimeout(g.requestTimeout);
  return {
    env: io.env,
    frontEnd: "cli" as const,
    ...(g.endpoint !== undefined ? { endpoint: g.endpoint } : {}),
    ...(g.site !== undefined ? { site: g.site } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

function createShell(program: Command, io: CliIo, outRef: { out: Out }, setExit: (code: ExitCode) => void): Shell {
  const globals = (): Globals => program.opts<Globals>();
  const stateDir = () => globals().stateDir ?? defaultStateDir(io.env);
  return {
    program,
    io,
    deps: (frontEnd: "cli" | "terraform" = "cli", fallbackStateDir?: string) => {
      const g = globals();
      const stateDir = g.stateDir ?? (io.env["TCCERT_STATE_DIR"] === undefined ? fallbackStateDir : undefined);
      const timeoutSeconds = parseRequestTimeout(g.requestTimeout);
      return createEngineDeps({
        env: io.env,
        frontEnd,
        ...(g.endpoint !== undefined ? { endpoint: g.endpoint } : {}),
        ...(g.site !== undefined ? { site: g.site } : {}),
        ...(stateDir !== undefined ? { stateDir } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      });
    },
    doctorDeps: () => createDoctorDeps(runtimeOptions(globals(), io)),
    withOut: () => (outRef.out = createOut(Boolean(globals().json), io.stdout, io.stderr, io.env)),
    stateDir,
    backoff: () => {
      checkStateDir(stateDir());
      return openBackoffStore(stateDir());
    },
    pending: () => openPendingActionStore(stateDir()),
    setExit,
  };
}

function registerScan(sh: Shell): void {
  const days = FIELDS.renewBeforeDays;
  sh.program
    .command("scan")
    .description("list paid certificates: expiry, due or not and why, orders in flight, pending human actions. Exit 0 nothing due, 2 something due or pending, 1 error")
    .option("--within-days <n>", "only certificates expiring within n days (default: any expiry)")
    .option("--domain <name>", "only certificates covering this domain (default: every domain)")
    .option("--ids <a,b>", "only these certificate ids; an id the account does not hold is an error (default: every paid certificate)")
    .option(`${days.cli.flag} ${days.cli.arg}`, days.cli.help, String(days.default))
    .option("--deployments", "where each certificate of every paid lineage is deployed (type, region, instance, listener/domain) and the drift: resources on a superseded, expired or soon-expiring certificate (--within-days, default 30). Exit 0 no drift, 2 drift, 1 not read")
    .option("--summary <file>", "with --deployments: append a Markdown report to file, e.g. \"$GITHUB_STEP_SUMMARY\" (default: none)")
    .option("--max-cache-minutes <n>", "with --deployments: use Tencent's cached bound-resource answers up to n minutes old, 0 to 30 (default: 30)")
    .action(async (f) => {
      const out = sh.withOut();
      sh.setExit(await scanCommand(sh.deps, f, out, { backoff: openBackoffStore(sh.stateDir()), pending: sh.pending(), stateDir: sh.stateDir }));
    });
}

function registerRenew(sh: Shell): void {
  const renew = sh.program
    .command("renew [ids...]")
    .description("renew certificates (ids, or --all-due). Exit 0 done, 2 stopped resumably (human step or wait timeout), 1 error")
    .option("--all-due", "renew every certificate that is due");
  // The engine's fields, with their flags, help and choices from the field table.
  for (const option of renewFieldOptions()) renew.addOption(option);
  for (const option of canaryOptions()) renew.addOption(option);
  renew
    .option("--ignore-backoff", "try certificates that are backed off after failing renewals (see scan's BACKOFF column)")
    .option("--out <dir>", "write cert.pem, chain.pem, fullchain.pem and privkey.pem (0600) under dir/<id>/, each certificate's as soon as it is done (default: none; a local key stays in the state dir's journal, and `tccert renew <id> --out DIR` exports it later)")
    .option("--dry-run", "explain what would be paid for, and pay nothing")
    .option("--concurrency <n>", "renewals in parallel, 1 to 64; every Tencent action stays under its rate limit whatever the value", "4")
    .action(async (ids: string[], f) => {
      const out = sh.withOut();
      sh.setExit(await renewCommand({ deps: sh.deps, backoff: sh.backoff, pending: sh.pending, stateDir: sh.stateDir, probe: sh.doctorDeps, env: sh.io.env, ...(sh.io.stdin ? { stdin: sh.io.stdin } : {}) }, ids, f, out));
    });
}

function registerDeploy(sh: Shell): void {
  sh.program
    .command("deploy [certificateId]")
    .description("deploy the newest issued renewal of a lineage to the resources bound to the certificate it replaced; or, with --drifted, move every drifted resource (see scan --deployments) onto its lineage's newest issued certificate. Exit 0 done, 2 some need a renewal first, 1 error")
    .option("--resource-types <types>", "resource types, e.g. clb,cdn (required with a certificate id)")
    .option("--region <region...>", "regions for regional resource types (default: Tencent's default for the type)")
    .option("--drifted", "move every drifted resource of the account, one result per resource (no certificate id)")
    .option("--dry-run", "with --drifted: list what would move and send nothing")
    .option("--within-days <n>", "with --drifted: a certificate expiring within n days counts as drift (default: 30)")
    .option("--ids <a,b>", "with --drifted: only the lineages holding these certificate ids (default: every paid lineage)")
    .option("--max-cache-minutes <n>", "with --drifted: use Tencent's cached bound-resource answers up to n minutes old, 0 to 30 (default: 30)")
    .action(async (id: string | undefined, f) => {
      const out = sh.withOut();
      sh.setExit(await deployCommand(sh.deps, id, f, out, sh.stateDir));
    });
}

function registerDoctor(sh: Shell): void {
  sh.program
    .command("doctor")
    .description("check, read-only, what renewing needs from this account (certificate fields, Tencent-side renewal, the renewal link, packages, DNSPod zones and values, CAM for reads, clock). Never pays or changes anything. Exit 0 all pass, 2 something unknown or risky, 1 a failure")
    .option("--certificate-id <id>", "check this certificate (default: every issued paid certificate, up to 20)")
    .option("--record <dir>", "also write every raw answer there, redacted (no keys, no credentials, account ids masked), as fixture files to send to the maintainers (default: none)")
    .action(async (f) => {
      const out = sh.withOut();
      sh.setExit(await doctorCommand(() => sh.doctorDeps(), f, out, sh.io.env));
    });
}

function registerResolve(sh: Shell): void {
  sh.program
    .command("resolve <certificateId>")
    .description("settle a paid call whose outcome is unknown, after checking the SSL console: --not-paid lets the next renew pay. Local only; exit 0 resolved, 64 nothing to resolve")
    .option("--not-paid", "the console shows no renewal of the certificate and no charge for it")
    .action(async (id: string, f) => {
      const out = sh.withOut();
      sh.setExit(await resolveCommand(sh.deps, id, f, out));
    });
}

function registerEmulatorAndDemo(sh: Shell): void {
  sh.program
    .command("emulator")
    .description("run the embedded Tencent SSL + DNSPod emulator until interrupted")
    .option("--port <port>", "TCP port (0 picks a free one)", "8443")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--seed <preset>", "seed data preset: demo (default: an empty account)")
    .option("--state-file <file>", "persist state to this JSON file across restarts (default: in memory only)")
    .option("--no-throttle", "disable the per-action rate limits (10 req/s for SSL)")
    .option("--profile <name>", "how undocumented Tencent behaviours are answered: default | pessimistic", "default")
    .action(async (f) => {
      const emu = await (await emulatorCommands()).emulatorCommand(f, sh.withOut());
      await new Promise<void>((resolve) => {
        const stop = () => void emu.close().then(resolve, resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });

  sh.program
    .command("demo")
    .description("the whole job end to end on the embedded emulator: scan, renew, deploy, a pending OV, files in ./demo-output")
    .option("--out <dir>", "where to write the files", "demo-output")
    .action(async (f) => {
      const out = sh.withOut();
      sh.setExit(await (await demoCommands()).demoCommand({ outDir: f.out }, out));
    });
}

/** A parse error from commander: it has printed the message on stderr; a pipeline asking for JSON gets it on stdout too. */
function usageError(e: CommanderError, argv: readonly string[], io: CliIo): ExitCode {
  if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.OK;
  if (argv.includes("--json")) io.stdout.write(`${JSON.stringify({ error: { kind: "InvalidInput", message: e.message.replace(/^error: /, ""), resumable: false } })}\n`);
  return EXIT.USAGE;
}

/** Run the CLI; resolves with the exit code (long-running commands resolve when they stop). */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  const outRef = { out: createOut(false, io.stdout, io.stderr, io.env) };
  const program = createProgram(io);
  const sh = createShell(program, io, outRef, (c) => (code = c));
  registerScan(sh);
  registerRenew(sh);
  registerDeploy(sh);
  registerResolve(sh);
  registerDoctor(sh);
  registerEmulatorAndDemo(sh);
  registerTerraformCommands(program, { env: io.env, stdin: io.stdin ?? process.stdin, stdout: io.stdout, stderr: io.stderr, deps: (fallbackStateDir?: string) => sh.deps("terraform", fallbackStateDir), out: sh.withOut, setExit: sh.setExit });
  try {
    await program.parseAsync(["node", "tccert", ...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return usageError(e, argv, io);
    return reportError(e, outRef.out);
  }
  return code;
}

/** Print an error the user can act on; never a stack trace, never a secret. */
export function reportError(e: unknown, out: Out): ExitCode {
  if (isRenewalError(e)) {
    if (out.json) out.line(JSON.stringify({ error: { kind: e.kind, message: e.message, resumable: e.resumable, ...(e.newCertificateId ? { newCertificateId: e.newCertificateId } : {}) } }));
    out.error(`tccert: ${e.message}`);
    // Bad input and missing credentials are found before any network call.
    if (e.kind === "InvalidInput" || (isAuthError(e) && e.code === "MissingCredentials")) return EXIT.USAGE;
    if (e.resumable && (e.kind === "PendingHumanAction" || e.kind === "TimedOut")) return EXIT.PENDING;
    return EXIT.ERROR;
  }
  const message = e instanceof Error ? e.message : String(e);
  out.error(`tccert: unexpected error: ${message}`);
  return EXIT.ERROR;
}
