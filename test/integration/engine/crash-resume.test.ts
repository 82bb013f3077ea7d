import { spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificateInspector } from "../../../crypto";
import { ACCOUNT, seedFor, startWorld, type World } from "./world";

const CHILD = path.join(__dirname, "crash-child.js");

function runChild(world: World, certificateId: string, killAt: string, delayMs = 0): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, world.emu.url, world.stateDir, certificateId, killAt, String(delayMs)], {
      env: { PATH: process.env["PATH"] ?? "", CRASH_SECRET_ID: ACCOUNT.secretId, CRASH_SECRET_KEY: ACCOUNT.secretKey },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 1 && !stdout.includes("ERROR") ? reject(new Error(stderr)) : resolve({ code, signal, stdout })));
  });
}

// Every boundary where a crash could cost money or a key: before/after each phase, right
// after the paid call returns (before our journal records its result), after a DNS record.
const KILL_POINTS = [
  "phase:preflight",
  "decision",
  "phase:find-order",
  "phase:prepare-key",
  "phase:pay",
  "payment",
  "phase:submit",
  "phase:validate",
  "dns-record:created",
  "waiting",
  "phase:verify",
  "phase:cleanup",
  "phase:deploy",
  "deploy",
  "phase:done",
];

describe("crash-resume: SIGKILL at every phase boundary, then rerun", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(
      seedFor({
        certificates: KILL_POINTS.map((_, i) => ({
          certificateId: `crash${i}`,
          domain: `crash${i}.example.com`,
          certType: "DV" as const,
          expiresInDays: 10,
          boundResources: [{ resourceType: "clb", instanceId: `lb-${i}`, listenerId: `lbl-${i}` }],
        })),
        balance: 1000,
      }),
      { issuanceDelaySeconds: 1 },
    );
    world.emu.admin.setDeploySecondsPerResource(0.2);
  });
  afterAll(async () => world.close());

  it.each(KILL_POINTS.map((p, i) => [p, i] as const))("killed at %s: the rerun completes with exactly one payment and a key we hold", async (killAt, i) => {
    const id = `crash${i}`;
    const before = world.count("ssl.CreateCertificateByPackage");
    const crashed = await runChild(world, id, killAt);
    expect(crashed.stdout).toContain(`KILLED_AT ${killAt}`);
    expect(crashed.signal).toBe("SIGKILL");
    const rerun = await runChild(world, id, "never");
    expect(rerun.code).toBe(0);
    const line = rerun.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line).toBeDefined();
    const result = JSON.parse(line!.slice(7)) as { certificateId: string; certificatePem: string; privateKeyPem: string };
    expect(result.certificateId).not.toBe(id);
    expect(createCertificateInspector().matchesPrivateKey(result.certificatePem, result.privateKeyPem)).toBe(true);
    expect(world.count("ssl.CreateCertificateByPackage") - before).toBe(1);
  });
});

describe("crash-resume: a crash while CreateRecord is in flight", () => {
  it("regression: a validation record committed by DNSPod after the process died is still removed (the rerun adopts the issued certificate)", async () => {
    const world = await startWorld(seedFor({ certificates: [{ certificateId: "inflight", domain: "inflight.example.com", certType: "DV", expiresInDays: 10, boundResources: [{ resourceType: "clb", instanceId: "lb-x", listenerId: "lbl-x" }] }] }), { issuanceDelaySeconds: 1 });
    try {
      world.emu.admin.setDeploySecondsPerResource(0.2);
      // DNSPod answers CreateRecord after 1.5 s; the process dies 0.3 s after validation starts,
      // i.e. after the record was planned in the journal, before its id could be saved.
      world.emu.admin.addFault({ service: "dnspod", action: "CreateRecord", kind: "latency", ms: 1500 });
      const crashed = await runChild(world, "inflight", "phase:validate", 300);
      expect(crashed.signal).toBe("SIGKILL");
      // The record commits at DNSPod, the CA validates and issues (1 s) before anyone looks again.
      await new Promise((r) => setTimeout(r, 3500));
      const zoneRecords = () => world.emu.admin.inspectZone("example.com", "acct-test").filter((r) => String(r["type"] ?? r["Type"]) !== "NS");
      expect(zoneRecords().length).toBe(1);
      const rerun = await runChild(world, "inflight", "never");
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('"outcome":"adopted"');
      expect(zoneRecords()).toEqual([]);
      expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
    } finally {
      await world.close();
    }
  });
});
