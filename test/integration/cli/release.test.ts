/**
 * Issue 15, the CLI as users meet it: --version, every default in --help, unknown ids named,
 * where the key is after renew, connection errors naming the endpoint given (and failing fast),
 * a port in use, --out on a kernel filesystem, and the CLI's own credential hint.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/exit-codes";
import { FLEET, ROOT, seed, startCliWorld, type CliWorld } from "./harness";

let w: CliWorld;
beforeAll(async () => {
  w = await startCliWorld(seed(FLEET));
});
afterAll(async () => w.close());

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("tccert --version", () => {
  it("prints the package version and exits 0", async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const r = await w.run(["--version"]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(`${version}\n`);
  });
});

describe("--help shows every default", () => {
  it.each([["renew"], ["scan"], ["emulator"], ["deploy"]])("tccert %s --help: every option that takes a value names its default (or says it is required)", async (command) => {
    const r = await w.run([command, "--help"]);
    expect(r.code).toBe(EXIT.OK);
    const options = r.stdout.split("\n").filter((l) => /^\s+--[a-z-]+ </.test(l));
    expect(options.length).toBeGreaterThan(1);
    // Commander wraps long help: an option's text runs until the next option line.
    const text = r.stdout.replace(/\n\s{20,}/g, " ");
    for (const line of text.split("\n").filter((l) => /^\s+--[a-z-]+ </.test(l))) expect(line, line).toMatch(/\((default: [^)]+|required(?: [^)]+)?)\)/);
  });

  it("renew --help names the default key algorithm, the engine's", async () => {
    const r = await w.run(["renew", "--help"]);
    expect(r.stdout.replace(/\s+/g, " ")).toMatch(/--key-algorithm <alg> key algorithm \(choices: .*\) ?\(default: RSA_2048\)|--key-algorithm <alg> key algorithm \(default: RSA_2048\)/);
  });

  it("the global flags name theirs", async () => {
    const r = await w.run(["--help"]);
    const text = r.stdout.replace(/\s+/g, " ");
    expect(text).toContain("(default: env TCCERT_ENDPOINT, else Tencent's public endpoints)");
    expect(text).toContain("(default: env TCCERT_STATE_DIR, else ./.tccert-state)");
    expect(text).toContain("(default: 60)");
  });
});

describe("unknown certificate ids are errors that name them", () => {
  it("scan --ids with a typo: exit 1, the id named, nothing else about it", async () => {
    const r = await w.run(["scan", "--ids", "dueA,dueAA"]);
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stdout).toContain("dueA ");
    expect(r.stderr).toBe(
      "tccert: --ids: dueAA is not among this account's current paid certificates (a typo, a free certificate, or one already replaced by its renewal), so nothing was checked for it. Run `tccert scan` without --ids to list the current ids.\n",
    );
  });

  it("scan --ids --json: the error is in the JSON too", async () => {
    const r = await w.run(["--json", "scan", "--ids", "nope1,nope2"]);
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.json<{ certificates: unknown[]; error: { kind: string; ids: string[] } }>()).toMatchObject({ certificates: [], error: { kind: "UnknownCertificateIds", ids: ["nope1", "nope2"] } });
  });

  it("renew of an unknown id: exit 1 naming it, nothing paid", async () => {
    const before = w.mutatingCalls();
    const r = await w.run(["renew", "noSuchCert"]);
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stdout).toMatch(/^noSuchCert: TencentApi: certificate noSuchCert was not found in this account \(Tencent answered [A-Za-z.]+.*\)\. Check the id with `tccert scan`; nothing was paid\.$/m);
    expect(w.mutatingCalls()).toBe(before);
  });
});

describe("renew always says where the private key is", () => {
  it("without --out: only in the journal, with the command that exports it; that command writes privkey.pem", async () => {
    const r = await w.run(["renew", "dueA", "--key-algorithm", "EC_P256"]);
    expect(r.code).toBe(EXIT.OK);
    const journal = path.join(w.stateDir, "journal", "dueA.json");
    const line = r.stdout.split("\n").find((l) => l.includes("private key:"));
    expect(line).toMatch(new RegExp(`^  private key: only in the journal ${journal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(0600\\); export it with \`tccert renew dueA --out DIR\` \\(adopts \\S+; pays nothing\\)$`));
    expect(fs.existsSync(journal)).toBe(true);

    const paid = w.count("ssl.CreateCertificateByPackage");
    const out = path.join(w.dir, "exported");
    const again = await w.run(["renew", "dueA", "--key-algorithm", "EC_P256", "--out", out]);
    expect(again.code).toBe(EXIT.OK);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(paid);
    const privkey = again.stdout.split("\n").find((l) => l.includes("private key:"))!;
    expect(privkey).toMatch(/^ {2}private key: \S+\/privkey\.pem \(0600\)$/);
    expect(fs.readFileSync(privkey.replace(/^ {2}private key: (\S+) .*$/, "$1"), "utf8")).toMatch(/PRIVATE KEY/);
  });
});

describe("connection errors name the endpoint the user gave, and fail fast", () => {
  it("nothing listening on --endpoint: exit 1 within seconds, naming the URL, not ssl.tencentcloudapi.com", async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await w.run(["--endpoint", `http://127.0.0.1:${port}`, "scan"]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toContain(`could not connect to http://127.0.0.1:${port}, the endpoint override you gave (--endpoint or TCCERT_ENDPOINT): nothing is listening there; the request was not sent.`);
    expect(r.stderr).not.toContain("tencentcloudapi.com");
  });
});

describe("tccert emulator on a port in use", () => {
  it("exit 64 with a clear message, not 'unexpected error: EADDRINUSE'", async () => {
    const port = new URL(w.emu.url).port;
    const r = await w.spawn(["emulator", "--port", port]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe(`tccert: --port ${port}: 127.0.0.1:${port} is already in use (another tccert emulator, or another server). Stop it, or pick another port with --port N (--port 0 picks a free one).\n`);
  });
});

describe("--out on a kernel filesystem", () => {
  it.runIf(fs.existsSync("/proc/self") && fs.existsSync("/sys/kernel"))("exit 64 at once, before any call", async () => {
    const before = w.totalCalls();
    const r = await w.run(["renew", "dueB", "--out", "/sys/kernel"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe('tccert: --out "/sys/kernel" is on the kernel\'s sysfs filesystem, where certificate files cannot be kept. Choose a directory on a disk, e.g. ./certs.\n');
    const proc = await w.run(["renew", "dueB", "--out", "/proc/certs"]);
    expect(proc.code).toBe(EXIT.USAGE);
    expect(proc.stderr).toMatch(/^tccert: --out "\/proc\/certs" is not a writable directory \(ENOENT\)/);
    expect(w.totalCalls()).toBe(before);
  });
});

describe("the CLI's missing-credentials hint names the environment, not Pulumi config", () => {
  it("exit 64", async () => {
    const r = await w.run(["scan"], { env: { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined } });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SESSION_TOKEN for temporary credentials) in the environment of tccert");
    expect(r.stderr).not.toContain("pulumi");
  });
});
