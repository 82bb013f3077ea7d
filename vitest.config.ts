import { defineConfig } from "vitest/config";

// Two projects, layered by cost: pure unit tests, and integration tests that
// talk to the embedded emulator over HTTP with the real Tencent SDK.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "cdktf",
          include: ["test/cdktf/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        // Issue #14: plan → apply → plan over days 0, 1 and 40 for the CDKTF stacks and the HCL module,
        // the real `npx tccert` of a project that installed the packed tarball (packed once, cached).
        test: {
          name: "terraform",
          include: ["test/terraform/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 900_000,
          pool: "forks",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/conformance/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        // The Pulumi provider through Pulumi's real dynamic-provider host (gRPC), against the emulator.
        test: {
          name: "pulumi",
          include: ["test/pulumi/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        // Issue #16: the provider plugin executable (bin/, built dist/) driven over gRPC like the Pulumi engine, against the emulator.
        test: {
          name: "plugin",
          include: ["test/plugin/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        // Issue #12: read-only contract tests against a real Tencent account; skipped unless
        // TENCENT_LIVE=1 (`npm run test:live`). They never send a paid or mutating call.
        test: {
          name: "live",
          include: ["test/live/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: "forks",
        },
      },
      {
        // Issue #7: fault matrix, crash matrix, bad-input catalogue, secret-leak scan, auth failures.
        // Minutes, not seconds: run by `npm run test:reliability` (and .ci/run), not by `npm test`.
        test: {
          name: "reliability",
          include: ["test/reliability/**/*.test.ts"],
          environment: "node",
          testTimeout: 900_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});
