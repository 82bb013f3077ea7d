/**
 * Outputs never lie, requested changes never vanish, downstream is never blocked (issue 13), through
 * Pulumi's real dynamic-provider host against the emulator.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveOptions } from "../../engine/options";
import { ensureRenewed } from "../../engine/renewal";
import { createEngineDeps } from "../../runtime";
import { expectIssued, expectNoCalls } from "./expect";
import { ACCOUNT, dv, seed, startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await world?.close();
  world = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const DAY_S = 86_400;

function matches(state: Record<string, unknown>): boolean {
  const cert = new crypto.X509Certificate(state["certificatePem"] as string);
  return cert.checkPrivateKey(crypto.createPrivateKey(state["privateKeyPem"] as string));
}

describe("emulator time is the tool's time", () => {
  it("advancing the emulator clock past renewBeforeDays makes the next preview show the renewal (no API call) and the next up renews in place", async () => {
    world = await startPulumiWorld(seed([dv("clock", 60)]));
    const w = world;
    const args = { certificateId: "clock", renewBeforeDays: 30 };
    const created = await w.up("clock", args);
    expect(created.state["certificateId"]).toBe("clock");
    expect((await expectNoCalls(w, () => w.preview("clock", created.id, created.state, args))).changes).toBe("none");

    w.emu.admin.advanceClock(31 * DAY_S);
    const due = await expectNoCalls(w, () => w.preview("clock", created.id, created.state, args));
    expect(due.changes).toBe("some");
    expect(due.replaces).toEqual([]);
    await w.host.waitForStdout(/tccert clock: update planned: renewal due \(NearingExpiry\): clock expires in 2[89] day\(s\), inside renewBeforeDays=30/);

    const up = await w.upExisting("clock", created.id, created.state, args);
    expect(up.updated).toBe(true);
    expectIssued(up.state);
    expect(up.state["certificateId"]).not.toBe("clock");
    expect(up.state["originalCertificateId"]).toBe("clock");
    expect(up.state["previousCertificateId"]).toBe("clock");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("the outputs are always a matching pair", () => {
  it("after an out-of-band renewal with another state dir, refresh keeps the previous pair and says why; naming that state dir in keyJournalDirs yields the new certificate with its key", async () => {
    world = await startPulumiWorld(seed([dv("moved", 20)]));
    const w = world;
    const args = { certificateId: "moved", renewBeforeDays: 10 };
    const created = await w.up("moved", args);
    expect(created.state["certificateId"]).toBe("moved");
    expect(matches(created.state)).toBe(true);

    // `tccert renew --force` elsewhere, with its own state dir.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-other-state-"));
    dirs.push(other);
    const deps = createEngineDeps({ endpoint: w.emu.url, credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey }, stateDir: other });
    const elsewhere = await ensureRenewed(deps, resolveOptions({ certificateId: "moved", force: true }), { owner: "test: tccert renew elsewhere" });
    const newId = elsewhere.certificateId;
    expect(newId).not.toBe("moved");

    const r = await w.host.read("moved", created.id, created.state);
    const s = r.properties;
    // Never a certificate beside a missing or foreign key: the previous pair stays.
    expect(s["certificateId"]).toBe("moved");
    expect(s["certificatePem"]).toBe(created.state["certificatePem"]);
    expect(s["privateKeyPem"]).toBe(created.state["privateKeyPem"]);
    expect(matches(s)).toBe(true);
    expect(s["keyStatus"]).toMatch(
      new RegExp(`^the lineage moved on to ${newId} \\(renewed elsewhere\\), but its private key is not held here \\(looked in the renewal journal in .*\\)\\. The outputs still hold moved and its key, which match each other\\. Fix: add the state dir of the run that renewed it`),
    );
    await w.host.waitForStdout(`tccert moved: warning: the lineage moved on to ${newId} (renewed elsewhere)`);

    // The documented fix: name the other state dir.
    const fixed = { ...args, keyJournalDirs: [other] };
    const up = await w.upExisting("moved", created.id, s, fixed);
    expect(up.updated).toBe(true);
    expectIssued(up.state);
    expect(up.state["certificateId"]).toBe(newId);
    expect(up.state["privateKeyPem"]).toBe(elsewhere.privateKeyPem);
    expect(up.state["keyStatus"]).toBe("");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });

  it("create fails, naming the certificate, where its key could be and the fix, rather than output a certificate without its key", async () => {
    world = await startPulumiWorld(seed([dv("keyless", 200)]));
    const w = world;
    // Renew elsewhere first, so the lineage's newest certificate has a key held only in that state dir.
    w.emu.admin.advanceClock(175 * DAY_S);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "tccert-other-state-"));
    dirs.push(other);
    const deps = createEngineDeps({ endpoint: w.emu.url, credentials: { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey }, stateDir: other });
    const elsewhere = await ensureRenewed(deps, resolveOptions({ certificateId: "keyless", force: true }), { owner: "test" });
    const e = await w.up("keyless", { certificateId: "keyless" }).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(
      new RegExp(`RenewedCertificate keyless: the private key of certificate ${elsewhere.certificateId} is not held here \\(looked in the renewal journal in .*\\)\\. A certificate without its key would break the resources that install it, so nothing was output\\. Fix: add the state dir`),
    );
    // With the state dir named, the create outputs the pair.
    const ok = await w.up("keyless", { certificateId: "keyless", keyJournalDirs: [other] });
    expectIssued(ok.state);
    expect(ok.state["certificateId"]).toBe(elsewhere.certificateId);
    // The adoption after a renewal names the certificate it replaced.
    expect(ok.state["previousCertificateId"]).toBe("keyless");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});

describe("requested changes are visible until they are real", () => {
  it("a key-algorithm change Tencent cannot apply yet stays in pendingChanges and in every preview; once Tencent allows, the next up renews with EC, paid once", async () => {
    world = await startPulumiWorld(seed([dv("algo", 60)]));
    const w = world;
    const rsa = { certificateId: "algo", renewBeforeDays: 10, key: { source: "local", algorithm: "RSA_2048" } };
    const created = await w.up("algo", rsa);
    expect(created.state["pendingChanges"]).toEqual([]);

    const ec = { ...rsa, key: { source: "local", algorithm: "EC_P256" } };
    const first = await w.upExisting("algo", created.id, created.state, ec);
    expect(first.updated).toBe(true);
    expect(first.state["certificateId"]).toBe("algo");
    expect(first.state["pendingChanges"]).toEqual([{ input: "key.algorithm", served: "RSA_2048", requested: "EC_P256" }]);
    expect(new crypto.X509Certificate(first.state["certificatePem"] as string).publicKey.asymmetricKeyType).toBe("rsa");
    await w.host.waitForStdout("tccert algo: requested changes not yet served: key.algorithm RSA_2048 → EC_P256; the next renewal applies them.");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);

    // The next preview still reports it (no API call), and so does the next up.
    const again = await expectNoCalls(w, () => w.preview("algo", created.id, first.state, ec));
    expect(again.changes).toBe("some");
    await w.host.waitForStdout(
      "requested changes not yet served: key.algorithm RSA_2048 → EC_P256 (applied by the next renewal Tencent allows; changing renewalTrigger renews now, which pays)",
    );
    const second = await w.upExisting("algo", created.id, first.state, ec);
    expect(second.state["pendingChanges"]).toEqual([{ input: "key.algorithm", served: "RSA_2048", requested: "EC_P256" }]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);

    // Tencent's renewal window opens (30 days before expiry), before renewBeforeDays: the change is applied now.
    w.emu.admin.advanceClock(35 * DAY_S);
    const applied = await w.upExisting("algo", created.id, second.state, ec);
    expect(applied.updated).toBe(true);
    expectIssued(applied.state);
    expect(applied.state["certificateId"]).not.toBe("algo");
    expect(new crypto.X509Certificate(applied.state["certificatePem"] as string).publicKey.asymmetricKeyType).toBe("ec");
    expect(applied.state["pendingChanges"]).toEqual([]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    expect((await expectNoCalls(w, () => w.preview("algo", created.id, applied.state, ec))).changes).toBe("none");
  });
});
