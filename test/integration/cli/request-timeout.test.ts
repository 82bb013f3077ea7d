import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLEET, seed, startCliWorld, type CliWorld } from "./harness";

describe("--request-timeout", () => {
  let w: CliWorld;
  beforeAll(async () => {
    w = await startCliWorld(seed(FLEET));
  });
  afterAll(async () => w.close());

  it("gives up on a Tencent request that does not answer in time, and says so", async () => {
    // Every DescribeCertificates answer takes 1.5 s: with the default 60 s timeout scan would succeed.
    w.emu.admin.addFault({ service: "ssl", action: "DescribeCertificates", kind: "latency", ms: 1500, times: "always" });
    try {
      const r = await w.run(["--request-timeout", "1", "scan"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/tencent: DescribeCertificates: no answer within the timeout/);
      expect(w.mutatingCalls()).toBe(0);
    } finally {
      w.emu.admin.clearFaults();
    }
  });
});
