/**
 * A Pulumi test world: the embedded emulator, a throwaway user project that
 * has this package installed (symlink), Pulumi's real dynamic-provider host
 * running in it, and the provider serialized from the package as a user's
 * program would load it. Helpers play the engine's part (preview = Check +
 * Diff; up = Check + Create, or Check + Diff + Update), and count emulator calls.
 */
import * as fs from "node:fs";
import { startEmulator, type RunningEmulator, type SeedCertificate, type SeedSpec } from "../../emulator";
import { makeProjectDir, projectRequire, serializeProvider, startHost, type Host, type Props } from "./host";

export const ACCOUNT = {
  accountId: "acct-pulumi",
  secretId: "AKIDPULUMITEST000000000000000000000001",
  secretKey: "pulumi-secret-key-do-not-print-00000001",
};

export function seed(certificates: SeedCertificate[], balance = 50): SeedSpec {
  return {
    accounts: [ACCOUNT],
    certificates: certificates.map((c) => ({ accountId: ACCOUNT.accountId, ...c })),
    packages: [{ accountId: ACCOUNT.accountId, packageId: "pkg-pulumi-1", total: 100, balance }],
    zones: [{ accountId: ACCOUNT.accountId, zone: "example.com" }],
  };
}

/** A DV certificate `id.example.com` + `www.id.example.com`, expiring in `days` (fractions allowed). */
export const dv = (id: string, days: number, extra: Partial<SeedCertificate> = {}): SeedCertificate => ({
  certificateId: id,
  domain: `${id}.example.com`,
  sans: [`www.${id}.example.com`],
  certType: "DV",
  expiresInDays: days,
  ...extra,
});

export interface PulumiWorld {
  readonly emu: RunningEmulator;
  readonly host: Host;
  readonly projectDir: string;
  /** The serialized `__provider`. */
  readonly providerText: string;
  /** Calls that reached the emulator so far, all actions, any outcome. */
  totalCalls(): number;
  count(key: string): number;
  /** Inputs as the program would send them: args + `__provider`. */
  news(args: Props): Props;
  /** Preview of a new resource: Check only. Returns the checked inputs. */
  previewCreate(name: string, args: Props): Promise<Props>;
  /** `pulumi up` of a new resource: Check + Create. */
  up(name: string, args: Props): Promise<{ id: string; state: Props }>;
  /** Preview of an existing resource: Check + Diff. */
  preview(name: string, id: string, state: Props, args: Props): Promise<{ inputs: Props; changes: string; replaces: string[] }>;
  /** `pulumi up` of an existing resource: Check + Diff, then Update when Diff says so. */
  upExisting(name: string, id: string, state: Props, args: Props): Promise<{ state: Props; updated: boolean }>;
  close(): Promise<void>;
}

export async function startPulumiWorld(spec: SeedSpec | string, opts: { issuanceDelaySeconds?: number; config?: (emulatorUrl: string) => Record<string, string>; env?: Record<string, string> } = {}): Promise<PulumiWorld> {
  const emu = await startEmulator({ port: 0, seed: spec, throttle: false, log: () => undefined });
  emu.admin.setIssuanceDelay(opts.issuanceDelaySeconds ?? 0);
  const projectDir = makeProjectDir();
  const pkg = projectRequire(projectDir)("tencentcloud-cert-renewal/pulumi") as { renewedCertificateProvider: object };
  const { text: providerText } = await serializeProvider(pkg.renewedCertificateProvider);
  const host = await startHost(projectDir, opts.env ?? {});
  await host.configure(
    opts.config?.(emu.url) ?? {
      "tencentcloud:secretId": ACCOUNT.secretId,
      "tencentcloud:secretKey": ACCOUNT.secretKey,
      "tencentcloud:endpoint": emu.url,
      "user-stack:unrelated": "value",
    },
  );
  const total = () => Object.values(emu.admin.calls().counts).reduce((a, b) => a + b, 0);
  const news = (args: Props): Props => ({ ...args, __provider: providerText });
  const checked = async (name: string, olds: Props, args: Props): Promise<Props> => {
    const r = await host.check(name, olds, news(args));
    if (r.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
    return r.inputs;
  };
  const world: PulumiWorld = {
    emu,
    host,
    projectDir,
    providerText,
    totalCalls: total,
    count: (key) => emu.admin.calls().okCounts[key] ?? 0,
    news,
    previewCreate: (name, args) => checked(name, {}, args),
    async up(name, args) {
      const inputs = await checked(name, {}, args);
      const r = await host.create(name, inputs);
      return { id: r.id, state: r.properties };
    },
    async preview(name, id, state, args) {
      const inputs = await checked(name, state, args);
      const d = await host.diff(name, id, state, inputs);
      return { inputs, changes: d.changes, replaces: d.replaces };
    },
    async upExisting(name, id, state, args) {
      const p = await world.preview(name, id, state, args);
      if (p.changes !== "some") return { state, updated: false };
      const r = await host.update(name, id, state, p.inputs);
      return { state: r.properties, updated: true };
    },
    async close() {
      await host.close();
      await emu.close();
      fs.rmSync(projectDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The base64 body of a PEM (what must never be printed), without the armour lines. */
export function pemBody(pem: string): string {
  return pem
    .split("\n")
    .filter((l) => l && !l.startsWith("-----"))
    .join("");
}
