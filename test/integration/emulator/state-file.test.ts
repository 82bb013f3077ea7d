import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../../emulator";
import { sslClient } from "./support/sdk";
import { createTinyBackend } from "./support/tiny-backend";

describe("stateFile", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const tmp = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-emu-"));
    dirs.push(d);
    return path.join(d, "nested", "state.json");
  };

  it("state written by API calls and admin operations survives a restart, with the clock offset", async () => {
    const file = tmp();
    const first = await startEmulator({ backend: createTinyBackend, stateFile: file, throttle: false, seed: "demo", log: () => {} });
    const bought = await sslClient(first.port).CreateCertificateByPackage({ ProductPid: 1, PackageIds: ["p"], DomainCount: "1", Period: 1 });
    // Saved after the call, before close:
    const mid = JSON.parse(fs.readFileSync(file, "utf8")) as { format: string; backend: { certificates: Record<string, unknown> } };
    expect(mid.format).toBe("tccert-emulator-state");
    expect(Object.keys(mid.backend.certificates)).toContain(bought.CertificateId);
    first.admin.acceptLetter("demo0001");
    first.admin.advanceClock(10 * 86400);
    await first.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(["state.json"]); // no temp files left behind

    const second = await startEmulator({ backend: createTinyBackend, stateFile: file, throttle: false, seed: "demo", log: () => {} });
    try {
      expect(second.admin.inspectCertificate(bought.CertificateId as string)).toMatchObject({ status: 5 });
      expect(second.admin.inspectCertificate("demo0001")).toMatchObject({ status: 0 }); // not re-seeded
      expect(second.admin.now().getTime() - Date.now()).toBeGreaterThan(10 * 86400_000 - 60_000);
      const next = await (async () => {
        const { signedCall } = await import("./support/raw-client");
        return signedCall(second.port, { action: "CreateCertificateByPackage", body: { ProductPid: 1, PackageIds: ["p"], DomainCount: "1", Period: 1 } });
      })();
      expect(next.json().Response["CertificateId"]).toBe("new00002");
    } finally {
      await second.close();
    }
  });

  it("a file that is not a state file stops the start with a clear message", async () => {
    const file = tmp();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ hello: "world" }));
    await expect(startEmulator({ backend: createTinyBackend, stateFile: file, log: () => {} })).rejects.toThrow(/not an emulator state file/);
  });
});
