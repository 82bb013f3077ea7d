import { afterEach, describe, expect, it } from "vitest";
import { expectIssued, expectNoCalls, ISSUED_OUTPUTS, mutatingCalls } from "./expect";
import { dv, seed, startPulumiWorld, type PulumiWorld } from "./world";

let world: PulumiWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const DAY_S = 86_400;

describe("diff is pure and decides from the stored notAfter; update renews in place", () => {
  it("diff: nothing, then due once real time passes notAfter − renewBeforeDays; the update renews (same id, new certificateId, every output kept)", async () => {
    // Honest clock: the emulator clock stays at real time (TC3 signatures must be within 5 minutes
    // of it). The certificate is seeded to expire 20 days + 25 s from now, and renewBeforeDays is 20,
    // so it becomes due ~25 real seconds after seeding (6 s was too little on a loaded 2-core machine:
    // the world's start-up and the first up could outlast it). diff reads only the stored notAfter and the
    // wall clock: no test hook, no API call.
    world = await startPulumiWorld(seed([dv("tick", 20 + 25 / DAY_S)]));
    const w = world;
    const args = { certificateId: "tick", renewBeforeDays: 20, key: { source: "local", algorithm: "RSA_2048" } };
    const created = await w.up("tick", args);
    expect(created.state["certificateId"]).toBe("tick");
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(0);

    const renewAfter = Date.parse(created.state["renewAfter"] as string);
    expect(renewAfter).toBeGreaterThan(Date.now());
    const quiet = await expectNoCalls(w, () => w.preview("tick", created.id, created.state, args));
    expect(quiet.changes).toBe("none");

    await new Promise((r) => setTimeout(r, Math.max(0, renewAfter - Date.now()) + 1200));
    const due = await expectNoCalls(w, () => w.preview("tick", created.id, created.state, args));
    expect(due.changes).toBe("some");
    expect(due.replaces).toEqual([]);
    await w.host.waitForStdout(/tccert tick: update planned: renewal due \(NearingExpiry\)/);

    const up = await w.upExisting("tick", created.id, created.state, args);
    expect(up.updated).toBe(true);
    const s = up.state;
    expectIssued(s);
    for (const name of ISSUED_OUTPUTS) expect(s[name], name).toBeTruthy();
    expect(s["certificateId"]).not.toBe("tick");
    expect(s["originalCertificateId"]).toBe("tick");
    expect(s["previousCertificateId"]).toBe("tick");
    expect(s["privateKeyPem"]).not.toBe(created.state["privateKeyPem"]);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    // The id is still the lineage root: a refresh by that id finds the renewed certificate.
    const read = await w.host.read("tick", created.id, s);
    expect(read.id).toBe("tick");
    expect(read.properties["certificateId"]).toBe(s["certificateId"]);
    // And the renewed certificate is not due: quiet again.
    expect((await expectNoCalls(w, () => w.preview("tick", "tick", read.properties, args))).changes).toBe("none");
  });

  it("changing renewalTrigger forces a renewal; changing waitTimeoutMinutes only updates state; changing pkcs12Password rebuilds pkcs12 without paying", async () => {
    world = await startPulumiWorld(seed([dv("trig", 25)]));
    const w = world;
    const base = { certificateId: "trig", renewBeforeDays: 10, renewalTrigger: "v1" };
    const created = await w.up("trig", base);
    expect(created.state["certificateId"]).toBe("trig");

    // waitTimeoutMinutes: a change of inputs (diff says so), no renewal, every output kept.
    const longer = { ...base, waitTimeoutMinutes: 45 };
    const p1 = await expectNoCalls(w, () => w.preview("trig", "trig", created.state, longer));
    expect(p1.changes).toBe("some");
    await w.host.waitForStdout(/inputs changed: waitTimeoutMinutes/);
    const u1 = await w.upExisting("trig", "trig", created.state, longer);
    expect(u1.state["certificateId"]).toBe("trig");
    expect(u1.state["waitTimeoutMinutes"]).toBe(45);
    for (const name of ["certificatePem", "chainPem", "fullchainPem", "notAfter", "serialNumber", "sha256Fingerprint"])
      expect(u1.state[name], name).toBe(created.state[name]);
    expect(mutatingCalls(w)).toBe(0);

    // renewalTrigger: forced renewal, in place.
    const forced = { ...longer, renewalTrigger: "v2" };
    const u2 = await w.upExisting("trig", "trig", u1.state, forced);
    expect(u2.updated).toBe(true);
    expectIssued(u2.state);
    expect(u2.state["certificateId"]).not.toBe("trig");
    expect(u2.state["renewalReason"]).toMatch(/renewal forced/);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);

    // pkcs12Password: the PKCS#12 output appears, built from the kept key; nothing is paid.
    const withP12 = { ...forced, pkcs12Password: "correct horse" };
    const u3 = await w.upExisting("trig", "trig", u2.state, withP12);
    expect(u3.state["certificateId"]).toBe(u2.state["certificateId"]);
    expect(u3.state["privateKeyPem"]).toBe(u2.state["privateKeyPem"]);
    expect(Buffer.from(u3.state["pkcs12"] as string, "base64").length).toBeGreaterThan(1000);
    expect(w.count("ssl.CreateCertificateByPackage")).toBe(1);
    // Quiet afterwards.
    expect((await expectNoCalls(w, () => w.preview("trig", "trig", u3.state, withP12))).changes).toBe("none");
  });

  it("changing certificateId (another lineage) is a replacement, never an update", async () => {
    world = await startPulumiWorld(seed([dv("one", 200), dv("two", 200)]));
    const w = world;
    const created = await w.up("c", { certificateId: "one" });
    const p = await expectNoCalls(w, () => w.preview("c", created.id, created.state, { certificateId: "two" }));
    expect(p.changes).toBe("some");
    expect(p.replaces).toEqual(["certificateId"]);
  });
});

describe("delete", () => {
  it("forgets by default: no mutating call, nothing revoked", async () => {
    world = await startPulumiWorld(seed([dv("keep", 200)]));
    const w = world;
    const created = await w.up("keep", { certificateId: "keep" });
    await w.host.delete("keep", created.id, created.state);
    expect(mutatingCalls(w)).toBe(0);
    await w.host.waitForStdout(/forgotten; certificate keep keeps serving .* nothing was revoked/);
    expect(w.emu.admin.inspectCertificate("keep")).toBeDefined();
  });

  it("cancelPendingOrderOnDelete: cancels a renewal still in flight, and only then", async () => {
    world = await startPulumiWorld(seed([dv("gone", 20)]));
    const w = world;
    // The current certificate expires within failWhenPendingWithinDays, so the manual-DNS stop fails the create (partial state).
    const args = { certificateId: "gone", validation: "manual-dns", waitTimeoutMinutes: 0, cancelPendingOrderOnDelete: true, failWhenPendingWithinDays: 30 };
    const failed = await w.up("gone", args).catch((e: unknown) => e);
    expect((failed as Error).message).toMatch(/The current certificate gone expires on .* \(in 20\.0 day\(s\), within failWhenPendingWithinDays=30\), so this stop fails the run instead of waiting quietly\./);
    const partial = (failed as { partial: { id: string; properties: Record<string, unknown> } | null }).partial;
    expect(partial?.id).toBe("gone");
    const pendingId = partial!.properties["pendingCertificateId"] as string;
    expect(pendingId).not.toBe("");
    expect(partial!.properties["pendingAction"]).toBe("manual-dns");
    expect((partial!.properties["dnsRecords"] as unknown[]).length).toBeGreaterThan(0);
    // The partial state carries the serialized provider, or the host could not load it for Read/Delete.
    expect(partial!.properties["__provider"]).toBe(w.providerText);
    await w.host.delete("gone", "gone", partial!.properties);
    expect(w.count("ssl.CancelCertificateOrder")).toBe(1);
    await w.host.waitForStdout(`cancelled the pending renewal ${pendingId}`);
    expect(w.emu.admin.inspectCertificate("gone")).toBeDefined();
  });

  it("cancelPendingOrderOnDelete with nothing in flight cancels nothing", async () => {
    world = await startPulumiWorld(seed([dv("calm", 200)]));
    const w = world;
    const created = await w.up("calm", { certificateId: "calm", cancelPendingOrderOnDelete: true });
    await w.host.delete("calm", created.id, created.state);
    expect(mutatingCalls(w)).toBe(0);
  });
});
