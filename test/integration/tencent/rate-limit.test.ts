/** The client-side limiter, observed from the server's clock. Generous tolerances only. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apisFor } from "./helpers";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => ({ ok: { CertificateId: "c1", Status: 1 } }));
});
afterAll(async () => {
  await server.close();
});

describe("rate limiting", () => {
  it("30 concurrent calls of one SSL action are spread at the default 10/s", async () => {
    const apis = apisFor(server.url, { rateLimit: {} });
    await Promise.all(Array.from({ length: 30 }, () => apis.ssl.getCertificate("c1")));
    const times = server.requests.filter((r) => r.action === "DescribeCertificateDetail").map((r) => r.at);
    expect(times).toHaveLength(30);
    const first = times[0] ?? 0;
    expect((times[29] ?? 0) - first).toBeGreaterThanOrEqual(2000);
    // No one-second window saw much more than 10 requests.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(11);
  });

  it("is shared by every client of the process for the same endpoint and action", async () => {
    const before = server.requests.length;
    const a = apisFor(server.url, { rateLimit: {} });
    const b = apisFor(server.url, { rateLimit: {} });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).ssl.listPackages()));
    const times = server.requests.slice(before).map((r) => r.at);
    expect(times).toHaveLength(10);
    expect((times[9] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(700);
  });
});
