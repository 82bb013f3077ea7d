/**
 * Progress goes to the Pulumi engine (`Engine.Log`, the address Pulumi passes as the plugin's
 * first argument), with the URN of the resource whose call printed it, so `pulumi up` shows it
 * under that resource. A fake engine here is a gRPC server on Pulumi's own `EngineService`
 * definition. stdout stays the port alone; no secret is logged.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { DEMO_ACCOUNT } from "../../emulator/backend/seed";
import { reveal, secret, startPlugin, type Plugin } from "./plugin-host";

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf stubs are untyped */
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const engineRpc = pulumiRequire("./proto/engine_grpc_pb") as Record<string, any>;
const engineProto = pulumiRequire("./proto/engine_pb") as Record<string, any>;
const emptyProto = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as Record<string, any>;

interface Logged {
  readonly severity: number;
  readonly message: string;
  readonly urn: string;
}

/** A fake Pulumi engine that records `Log` calls. */
async function fakeEngine(): Promise<{ address: string; logs: Logged[]; close(): void }> {
  const logs: Logged[] = [];
  const server = new grpc.Server();
  server.addService(engineRpc["EngineService"], {
    log(call: { request: any }, cb: (e: null, r: unknown) => void) {
      logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage(), urn: call.request.getUrn() });
      cb(null, new emptyProto["Empty"]());
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { address: `127.0.0.1:${port}`, logs, close: () => server.forceShutdown() };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("progress lines go to the Pulumi engine", () => {
  it("each with the URN of the resource, as INFO; nothing on stdout but the port; no secret", async () => {
    const emu: RunningEmulator = await startEmulator({ port: 0, seed: "demo", throttle: false, log: () => undefined });
    emu.admin.setIssuanceDelay(0);
    const engine = await fakeEngine();
    const plugin: Plugin = await startPlugin({}, engine.address);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-plugin-log-"));
    cleanup = async () => {
      await plugin.close();
      engine.close();
      await emu.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    };
    await plugin.configure({ secretId: DEMO_ACCOUNT.secretId, secretKey: secret(DEMO_ACCOUNT.secretKey), endpoint: emu.url, stateDir });
    const created = await plugin.create("shop", { certificateId: "DemoShop" });
    const deadline = Date.now() + 5000;
    while (!engine.logs.some((l) => /renewed DemoShop/.test(l.message)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const urn = "urn:pulumi:test::user-stack::tencentcloud-cert-renewal:index:RenewedCertificate::shop";
    const paid = engine.logs.find((l) => /paid: renewal \w+ of DemoShop created/.test(l.message));
    expect(paid, JSON.stringify(engine.logs.slice(0, 3))).toBeDefined();
    expect(paid!.urn).toBe(urn);
    expect(paid!.severity).toBe(engineProto["LogSeverity"].INFO);
    expect(engine.logs.every((l) => l.urn === urn)).toBe(true);
    expect(plugin.stdout().trim()).toMatch(/^\d+$/);
    expect(plugin.stderr()).not.toMatch(/paid: renewal/);
    const all = engine.logs.map((l) => l.message).join("\n");
    const key = (reveal(created.properties["privateKeyPem"]) as string).split("\n")[1]!;
    expect(all).not.toContain(DEMO_ACCOUNT.secretKey);
    expect(all).not.toContain(key);
  });
});
