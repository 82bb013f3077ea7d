/**
 * Issue 12 acceptance: under the emulator's pessimistic profile (every inferred Tencent behaviour in
 * its least convenient plausible form: leaf-only CertificatePublicKey, trailing-dot CNAMEs, DNSPod's
 * index delay, DvAuthDomain naming the registrable domain, OV renewals without their data, a
 * by-id deployment refused for a key Tencent does not hold, regions required, list IsVip not
 * meaning "paid", HasRenewOrder as a flag…), `tccert renew --all-due --deploy clb,cdn --region
 * ap-guangzhou` renews and deploys the demo seed's due DV certificate, paying once, and the OV
 * certificate ends as a pending human action.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCliWorld, type CliWorld } from "./harness";

let world: CliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface Row {
  readonly id: string;
  readonly ok: boolean;
  readonly outcome?: string;
  readonly paidThisRun?: boolean;
  readonly certificateId?: string;
  readonly deployment?: { results: { resourceType: string; instanceId: string; status: string }[] };
  readonly error?: { kind: string; message: string; instructions?: string; newCertificateId?: string };
}

describe("renew --all-due under the pessimistic profile (demo seed)", () => {
  it("renews and deploys DemoShop paying once; DemoCorp (OV) ends as a pending human action", async () => {
    world = await startCliWorld("demo");
    world.emu.admin.useProfile("pessimistic");
    const out = path.join(world.dir, "out");
    const r = await world.run(["renew", "--all-due", "--deploy", "clb,cdn", "--region", "ap-guangzhou", "--out", out, "--json"]);
    const rows = r.json<{ results: Row[] }>().results;
    const byId = new Map(rows.map((x) => [x.id, x]));

    const shop = byId.get("DemoShop");
    expect(shop, r.stdout + r.stderr).toMatchObject({ ok: true, outcome: "renewed", paidThisRun: true });
    expect(shop?.deployment?.results.map((x) => `${x.resourceType}:${x.instanceId}:${x.status}`).sort()).toEqual([
      "cdn:shop.example.com:success",
      "clb:lb-demoshop:success",
    ]);
    // The fullchain is leaf + intermediate although CertificatePublicKey carried the leaf only.
    const fullchain = fs.readFileSync(path.join(out, shop!.certificateId!, "fullchain.pem"), "utf8");
    expect(fullchain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(world.count("ssl.DownloadCertificate")).toBeGreaterThan(0);
    // The zone came from the account's DNSPod domains; no record is left behind.
    expect(world.count("dnspod.DescribeDomainList")).toBeGreaterThan(0);
    expect(world.emu.admin.inspectZone("example.com", "demo").filter((x) => String(x["type"] ?? x["Type"]) !== "NS")).toEqual([]);

    const corp = byId.get("DemoCorp");
    expect(corp).toMatchObject({ ok: false, error: { kind: "PendingHumanAction" } });
    expect(corp?.error?.message).toMatch(/status 5/);
    expect(corp?.error?.instructions).toMatch(/SSL console/);

    // Paid once per due lineage (DemoShop and DemoCorp), never twice: the call log counts sent calls.
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(2);
    expect(r.code).toBe(2);

    // A rerun pays nothing: DemoShop adopts its renewal, DemoCorp still waits for the human.
    const again = await world.run(["renew", "--all-due", "--deploy", "clb,cdn", "--region", "ap-guangzhou", "--json"]);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(2);
    expect(again.json<{ results: Row[] }>().results.find((x) => x.id === "DemoCorp")).toMatchObject({ error: { kind: "PendingHumanAction" } });
  });
});

describe("tccert deploy <id> under the pessimistic profile", () => {
  it("deploys a renewal made from a local key by content, as renew --deploy does (Tencent holds no key for it)", async () => {
    world = await startCliWorld("demo");
    world.emu.admin.useProfile("pessimistic");
    const renewed = await world.run(["renew", "DemoShop", "--json"]);
    expect(renewed.code, renewed.stdout + renewed.stderr).toBe(0);
    const r = await world.run(["deploy", "DemoShop", "--resource-types", "clb,cdn", "--region", "ap-guangzhou", "--json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const body = r.json<{ from: string; results: { resourceType: string; instanceId: string; status: string }[] }>();
    expect(body.from).toBe("DemoShop");
    expect(body.results.map((x) => `${x.resourceType}:${x.instanceId}:${x.status}`).sort()).toEqual(["cdn:shop.example.com:success", "clb:lb-demoshop:success"]);
    expect(world.count("ssl.CreateCertificateByPackage")).toBe(1);
  });
});
