import { afterEach, describe, expect, it } from "vitest";
import { HostError, makeProjectDir, projectRequire, serializeProvider } from "./host";
import { expectIssued, mutatingCalls } from "./expect";
import { ACCOUNT, dv, pemBody, seed, startPulumiWorld, type PulumiWorld } from "./world";
import * as fs from "node:fs";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("the serialized provider", () => {
  it("is a tiny stub: no credentials, no key material, no SDK, ≤ 8 KB", async () => {
    const dir = makeProjectDir();
    const saved = { id: process.env["TENCENTCLOUD_SECRET_ID"], key: process.env["TENCENTCLOUD_SECRET_KEY"] };
    try {
      // Credentials in the program's environment must not leak into the closure.
      process.env["TENCENTCLOUD_SECRET_ID"] = ACCOUNT.secretId;
      process.env["TENCENTCLOUD_SECRET_KEY"] = ACCOUNT.secretKey;
      const pkg = projectRequire(dir)("tencentcloud-cert-renewal/pulumi") as { renewedCertificateProvider: object; SECRET_OUTPUTS: string[] };
      const { text, containsSecrets } = await serializeProvider(pkg.renewedCertificateProvider);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8 * 1024);
      expect(containsSecrets).toBe(false);
      expect(text).toContain('require(IMPL)');
      expect(text).toContain("tencentcloud-cert-renewal/pulumi/impl");
      expect(text).not.toContain(ACCOUNT.secretId);
      expect(text).not.toContain(ACCOUNT.secretKey);
      expect(text).not.toMatch(/PRIVATE KEY|tencentcloud-sdk-nodejs|node-forge|secretKey/);
      expect(pkg.SECRET_OUTPUTS).toEqual(expect.arrayContaining(["privateKeyPem", "pkcs12"]));
    } finally {
      if (saved.id === undefined) delete process.env["TENCENTCLOUD_SECRET_ID"];
      else process.env["TENCENTCLOUD_SECRET_ID"] = saved.id;
      if (saved.key === undefined) delete process.env["TENCENTCLOUD_SECRET_KEY"];
      else process.env["TENCENTCLOUD_SECRET_KEY"] = saved.key;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("configuration and secrets in the host", () => {
  it("falls back to TENCENTCLOUD_* and TCCERT_ENDPOINT when the stack config has no credentials; prints neither them nor the key", async () => {
    // The emulator URL is only known once it runs: start the world with the config, then a second host with env only.
    world = await startPulumiWorld(seed([dv("envy", 20)]), { config: () => ({ "user-stack:other": "x" }) });
    const w = world;
    const { startHost } = await import("./host");
    const host = await startHost(w.projectDir, {
      TENCENTCLOUD_SECRET_ID: ACCOUNT.secretId,
      TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey,
      TCCERT_ENDPOINT: w.emu.url,
    });
    try {
      await host.configure({ "user-stack:other": "x" });
      const checked = await host.check("envy", {}, w.news({ certificateId: "envy", pkcs12Password: "p12-password" }));
      const created = await host.create("envy", checked.inputs);
      expectIssued(created.properties);
      expect(created.properties["pkcs12"]).not.toBe("");
      await host.waitForStdout("paid: renewal");
      const printed = host.stdout() + host.stderr();
      for (const secret of [ACCOUNT.secretKey, "p12-password", pemBody(created.properties["privateKeyPem"] as string).slice(0, 64), (created.properties["pkcs12"] as string).slice(0, 64)])
        expect(printed).not.toContain(secret);
    } finally {
      await host.close();
    }
  });

  it("stack config wins over the environment, and a wrong secret key fails before paying, without printing it", async () => {
    const wrong = "wrong-secret-key-never-print-000000000001";
    world = await startPulumiWorld(seed([dv("auth", 20)]), {
      config: (url) => ({ "tencentcloud:secretId": ACCOUNT.secretId, "tencentcloud:secretKey": wrong, "tencentcloud:endpoint": url }),
      env: { TENCENTCLOUD_SECRET_KEY: ACCOUNT.secretKey },
    });
    const w = world;
    const e = await w.up("auth", { certificateId: "auth" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HostError);
    expect((e as HostError).message).toMatch(/AuthFailure\.SignatureFailure/);
    expect((e as HostError).partial).toBeNull();
    expect(mutatingCalls(w)).toBe(0);
    expect((e as HostError).message + w.host.stdout() + w.host.stderr()).not.toContain(wrong);
  });

  it("no credentials anywhere: create names the config keys and the environment variables", async () => {
    world = await startPulumiWorld(seed([dv("none", 20)]), { config: (url) => ({ "tencentcloud:endpoint": url }) });
    const e = await world.up("none", { certificateId: "none" }).catch((x: unknown) => x);
    expect((e as HostError).message).toMatch(/missing credentials: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.*tencentcloud:secretId/);
    // Pulumi's own hint (frontEnd "pulumi"): the config keys first, then the environment of `pulumi`.
    expect((e as HostError).message).toContain("set the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey");
    expect((e as HostError).message).toContain("in the environment of `pulumi`");
    expect(world.totalCalls()).toBe(0);
  });
});
