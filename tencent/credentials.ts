/**
 * Tencent API credentials: from explicit configuration (Pulumi config, CLI
 * flags) or from the standard environment variables. Secrets never appear in
 * messages; SecretIds are shown through `redact()` only.
 */
import { AuthError } from "../engine/errors";

export interface TencentCredentials {
  readonly secretId: string;
  /** SECRET. */
  readonly secretKey: string;
  /** Temporary credentials' token (`X-TC-Token`). SECRET. */
  readonly sessionToken?: string;
  /** SSL and DNSPod need no region; sent as `X-TC-Region` when set. */
  readonly region?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const CREDENTIAL_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  sessionToken: "TENCENTCLOUD_SESSION_TOKEN",
  region: "TENCENTCLOUD_REGION",
} as const;

const HOW_TO_SET =
  "set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SESSION_TOKEN for temporary credentials), " +
  "or the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey (`pulumi config set --secret tencentcloud:secretKey ...`)";

const clean = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t === undefined || t === "" ? undefined : t;
};

/**
 * Resolve credentials. When the explicit configuration names a SecretId or a
 * SecretKey, both (and the token) come from it: a key pair is never assembled
 * from two sources. Otherwise both come from `env`. The region comes from the
 * explicit configuration, else `TENCENTCLOUD_REGION`.
 *
 * @throws AuthError `MissingCredentials` naming what is missing and how to set it.
 */
export function resolveCredentials(explicit: Partial<TencentCredentials> = {}, env: Env = process.env): TencentCredentials {
  const fromExplicit = clean(explicit.secretId) !== undefined || clean(explicit.secretKey) !== undefined;
  const secretId = fromExplicit ? clean(explicit.secretId) : clean(env[CREDENTIAL_ENV.secretId]);
  const secretKey = fromExplicit ? clean(explicit.secretKey) : clean(env[CREDENTIAL_ENV.secretKey]);
  const sessionToken = fromExplicit ? clean(explicit.sessionToken) : clean(env[CREDENTIAL_ENV.sessionToken]);
  const region = clean(explicit.region) ?? clean(env[CREDENTIAL_ENV.region]);

  if (secretId === undefined || secretKey === undefined) {
    const missing = [
      secretId === undefined ? (fromExplicit ? "secretId (tencentcloud:secretId)" : CREDENTIAL_ENV.secretId) : "",
      secretKey === undefined ? (fromExplicit ? "secretKey (tencentcloud:secretKey)" : CREDENTIAL_ENV.secretKey) : "",
    ].filter((x) => x !== "");
    const got = secretId === undefined ? "" : ` (SecretId ${redact(secretId)} was given)`;
    throw new AuthError("MissingCredentials", `tencent: missing credentials: ${missing.join(" and ")}${got}; ${HOW_TO_SET}.`);
  }
  return {
    secretId,
    secretKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(region === undefined ? {} : { region }),
  };
}

/**
 * A SecretId safe to print: the first 4 and last 4 characters. Values of 12
 * characters or fewer are masked entirely (4 + 4 would reveal most of them).
 */
export function redact(secretId: string): string {
  if (secretId.length <= 12) return "*".repeat(Math.max(secretId.length, 4));
  return `${secretId.slice(0, 4)}…${secretId.slice(-4)}`;
}
