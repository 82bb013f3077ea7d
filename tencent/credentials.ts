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

const ENV_HOW = "set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SESSION_TOKEN for temporary credentials)";

/** Which front end asks: its missing-credentials message names only what that front end reads. */
export type CredentialFrontEnd = "any" | "cli" | "pulumi" | "terraform";

const HOW_TO_SET: Readonly<Record<CredentialFrontEnd, string>> = {
  any: `${ENV_HOW}, or the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey (\`pulumi config set --secret tencentcloud:secretKey ...\`)`,
  cli: `${ENV_HOW} in the environment of tccert, e.g. \`export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...\` (in CI, from repository secrets)`,
  pulumi: `set the Pulumi config keys tencentcloud:secretId and tencentcloud:secretKey (\`pulumi config set --secret tencentcloud:secretKey ...\`), or ${ENV_HOW.replace(/^set /, "")} in the environment of \`pulumi\``,
  terraform: `${ENV_HOW} in the environment of \`terraform\` / \`cdktf\` (the external programs and local-exec steps inherit it)`,
};

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
/** @param frontEnd names the hint of the missing-credentials message. @default "any" */
export function resolveCredentials(explicit: Partial<TencentCredentials> = {}, env: Env = process.env, frontEnd: CredentialFrontEnd = "any"): TencentCredentials {
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
    throw new AuthError("MissingCredentials", `tencent: missing credentials: ${missing.join(" and ")}${got}; ${HOW_TO_SET[frontEnd]}.`);
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
