/**
 * The size of `RenewedCertificate`'s serialized `__provider` (stored in every
 * resource's state), serialized exactly as `pulumi.dynamic.Resource` does.
 * Goal: ≤ 8 KB. Baseline, measured in the same run: the same provider written
 * the naive way, calling the engine from closures captured at module level
 * (what DESIGN warns against).
 *
 *   npm run build && node -e 'require("./dist/bench/provider").run()'
 */
import * as pulumi from "@pulumi/pulumi";
import { performance } from "node:perf_hooks";
import { ensureRenewed } from "../engine/renewal";
import { resolveOptions } from "../engine/options";
import { renewedCertificateProvider } from "../provider";
import { createEngineDeps } from "../runtime";

export const GOAL_BYTES = 8 * 1024;

export interface ProviderBenchResult {
  readonly bytes: number;
  readonly goalBytes: number;
  readonly meetsGoal: boolean;
  readonly serializeMs: number;
  /** Bytes of the naive provider; null when Pulumi refuses to serialize it at all. */
  readonly naiveBytes: number | null;
  readonly naiveError: string;
  /** bytes / naiveBytes. */
  readonly ratio: number | null;
}

async function serialize(provider: object): Promise<string> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

const naiveProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const result = await ensureRenewed(createEngineDeps(), resolveOptions(inputs));
    return { id: result.originalCertificateId, outs: { certificateId: result.certificateId } };
  },
};

export async function run(): Promise<ProviderBenchResult> {
  const start = performance.now();
  const text = await serialize(renewedCertificateProvider);
  const serializeMs = performance.now() - start;
  const bytes = Buffer.byteLength(text);
  let naiveBytes: number | null = null;
  let naiveError = "";
  try {
    naiveBytes = Buffer.byteLength(await serialize(naiveProvider));
  } catch (e) {
    naiveError = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
  }
  const result: ProviderBenchResult = {
    bytes,
    goalBytes: GOAL_BYTES,
    meetsGoal: bytes <= GOAL_BYTES,
    serializeMs,
    naiveBytes,
    naiveError,
    ratio: naiveBytes === null ? null : bytes / naiveBytes,
  };
  console.log(`__provider: ${bytes} bytes (goal ≤ ${GOAL_BYTES}: ${result.meetsGoal ? "met" : "NOT met"}), serialized in ${serializeMs.toFixed(0)} ms`);
  console.log(
    naiveBytes === null
      ? `baseline (engine captured in the closure): Pulumi could not serialize it: ${naiveError}`
      : `baseline (engine captured in the closure): ${naiveBytes} bytes; ours is ${(result.ratio ?? 0).toFixed(3)}× of it`,
  );
  return result;
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
