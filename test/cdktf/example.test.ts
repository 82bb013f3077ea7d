/** examples/cdktf-renewal synthesizes, and runs plan → apply against the emulator's demo seed. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CertificatesStack } from "../../examples/cdktf-renewal/main";
import { Sensitive, plain } from "./support/hcl";
import { SimulatedTerraform } from "./support/tf-sim";
import { PAID, REPO, rewriteToBuild } from "./support/world";

const DEMO = { secretId: "AKIDEMULATORDEMO000000000000000000000", secretKey: "emulator-demo-secret-key-000000000000" };
let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: "demo", throttle: false, log: () => undefined });
  emu.admin.setIssuanceDelay(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-cdktf-example-"));
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("examples/cdktf-renewal", () => {
  it("synthesizes: one RenewedCertificate with a local EC key, deploy to CLB, sensitive key output", () => {
    const app = Testing.app();
    const stack = new CertificatesStack(app, "certificates");
    const json = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string; sensitive?: boolean }>; resource: Record<string, unknown> };
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "tls_private_key", { algorithm: "ECDSA", ecdsa_curve: "P256" })).toBe(true);
    expect(Testing.toHaveDataSource(JSON.stringify(json), "external")).toBe(true);
    expect(json.output["shop_private_key_pem"]).toMatchObject({ sensitive: true, value: expect.stringMatching(/^\$\{sensitive\(/) });
    expect(JSON.stringify(json)).not.toContain(REPO);
  });

  it("cdktf.json's app runs with what the example installs (tsc from typescript, then node; no ts-node) and synthesizes the stack", () => {
    const exampleDir = path.join(REPO, "examples", "cdktf-renewal");
    const app = (JSON.parse(fs.readFileSync(path.join(exampleDir, "cdktf.json"), "utf8")) as { app: string }).app;
    expect(app).not.toMatch(/ts-node/);
    expect(app).toBe("npx --no-install tsc -p tsconfig.json && node .build/examples/cdktf-renewal/main.js");
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies["typescript"]).toBeDefined();
    // The same two steps, into a private build folder so parallel runs do not collide.
    const build = `.build-test-${process.pid}`;
    const out = path.join(dir, "app-synth");
    try {
      execFileSync(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--outDir", build], { cwd: exampleDir, stdio: "pipe" });
      execFileSync(process.execPath, [path.join(build, "examples", "cdktf-renewal", "main.js")], { cwd: exampleDir, env: { ...process.env, CDKTF_OUTDIR: out }, stdio: "pipe" });
    } finally {
      fs.rmSync(path.join(exampleDir, build), { recursive: true, force: true });
    }
    const synthesized = fs.readFileSync(path.join(out, "stacks", "certificates", "cdk.tf.json"), "utf8");
    expect(synthesized).toContain("tf-renew");
  }, 120_000);

  it("cdktf deploy against the emulator: plan pays nothing, apply renews DemoShop once and deploys it", async () => {
    const app = new App({ outdir: path.join(dir, "cdktf.out") });
    new CertificatesStack(app, "certificates");
    app.synth();
    const stackDir = path.join(dir, "cdktf.out", "stacks", "certificates");
    const tf = new SimulatedTerraform({
      stackDir,
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", TENCENTCLOUD_SECRET_ID: DEMO.secretId, TENCENTCLOUD_SECRET_KEY: DEMO.secretKey, TCCERT_ENDPOINT: emu.url, TCCERT_STATE_DIR: path.join(dir, "state") },
      rewrite: rewriteToBuild,
      vars: { certificate_id: "DemoShop" },
    });
    const plan = await tf.plan();
    expect(emu.admin.calls().counts[PAID] ?? 0).toBe(0);
    expect(tf.dataResult([...tf.nodes.keys()].find((k) => k.startsWith("data.external.shop_status_"))!)["due"]).toBe("true");
    await tf.apply(plan);
    expect(emu.admin.calls().okCounts[PAID]).toBe(1);
    expect(emu.admin.calls().okCounts["ssl.UpdateCertificateInstance"] ?? 0).toBeGreaterThan(0);
    const outputs = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).output as Record<string, { value: string }>;
    expect(tf.evaluate(outputs["shop_certificate_id"]!.value)).not.toBe("DemoShop");
    const key = tf.evaluate(outputs["shop_private_key_pem"]!.value);
    expect(key).toBeInstanceOf(Sensitive);
    expect(plain(key)).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });
});
