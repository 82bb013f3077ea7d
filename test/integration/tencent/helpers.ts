import { createTencentApis, type TencentApisOptions } from "../../../tencent";

export const TEST_CREDENTIALS = { secretId: "AKIDTESTTESTTESTTESTTESTTESTTEST0001", secretKey: "test-secret-key-never-printed-0000" };

/** Adapter against a local server, with retry delays shrunk (not mocked) and rate limits out of the way. */
export function apisFor(url: string, overrides: Partial<TencentApisOptions> = {}) {
  return createTencentApis({
    credentials: TEST_CREDENTIALS,
    endpoint: url,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 },
    rateLimit: { sslPerSecond: 1000, dnspodPerSecond: 1000 },
    timeoutSeconds: 5,
    env: {},
    ...overrides,
  });
}

export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}
