/**
 * The plugin's provider configuration (`pulumi config set tencentcloud-cert-renewal:<name>`, or
 * the properties of an explicit `Provider` resource): one table, read by the plugin's
 * `CheckConfig`/`Configure` and by the schema generator. Anything absent falls back, at call
 * time, to the environment of the plugin process (the variable named in `env`).
 */
import type { ProviderSettings } from "./impl";

export interface ConfigSpec {
  readonly doc: string;
  /** The environment variable read when the key is not set. @default none */
  readonly env?: string;
  /** @default false */
  readonly secret?: boolean;
  /** The `ProviderSettings` field it fills. @default none (checked, not passed on) */
  readonly setting?: keyof ProviderSettings;
  /** @default none */
  readonly default?: string;
}

/** The package name: the plugin is `pulumi-resource-<PACKAGE>`, config keys are `<PACKAGE>:<name>`. */
export const PACKAGE = "tencentcloud-cert-renewal";

/** Tencent's sites. Only the China site's API has the paid-renewal calls (the international SSL API lacks `CreateCertificateByPackage`). */
export const SITES = ["cn"] as const;

export const CONFIG = {
  secretId: { doc: "Tencent Cloud SecretId (API key id).", env: "TENCENTCLOUD_SECRET_ID", setting: "secretId" },
  secretKey: { doc: "Tencent Cloud SecretKey. Secret.", env: "TENCENTCLOUD_SECRET_KEY", secret: true, setting: "secretKey" },
  securityToken: { doc: "A temporary credential's session token (STS). Secret.", env: "TENCENTCLOUD_SESSION_TOKEN", secret: true, setting: "sessionToken" },
  region: { doc: "Tencent Cloud region; SSL and DNSPod need none.", env: "TENCENTCLOUD_REGION", setting: "region" },
  endpoint: { doc: "Endpoint override, e.g. the embedded emulator `http://127.0.0.1:8443`. Real Tencent endpoints when unset.", env: "TCCERT_ENDPOINT", setting: "endpoint" },
  site: {
    doc: "Tencent Cloud site, as `tccert --site`. Only \"cn\" (*.tencentcloudapi.com): Tencent Cloud International's SSL API (\"intl\") has no CreateCertificateByPackage, so paid renewal is impossible there.",
    default: "cn",
  },
  stateDir: { doc: "Where renewal journals (keys generated before paying) and lineage locks live.", env: "TCCERT_STATE_DIR", setting: "stateDir", default: "./.tccert-state" },
} as const satisfies Record<string, ConfigSpec>;

export type ConfigName = keyof typeof CONFIG;
export const CONFIG_NAMES = Object.keys(CONFIG) as ConfigName[];

export interface ConfigFailure {
  readonly property: string;
  readonly reason: string;
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : JSON.stringify(v));

function checkEndpoint(v: string): string {
  try {
    const u = new URL(v);
    if (u.protocol === "http:" || u.protocol === "https:") return "";
  } catch {
    // fall through
  }
  return `endpoint must be an http(s) URL such as "http://127.0.0.1:8443" (the emulator); got ${show(v)}. Leave it out for the real Tencent endpoints.`;
}

/**
 * Every problem with a provider configuration, one per key, before anything is called. Values are
 * plain (secrets unwrapped); unknown values (`isUnknown`) are skipped. Secret values are never shown.
 */
export function checkConfig(config: Record<string, unknown>, isUnknown: (v: unknown) => boolean): ConfigFailure[] {
  const failures: ConfigFailure[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || value === null || isUnknown(value)) continue;
    if (name === "version" || name.startsWith("__")) continue;
    if (!(name in CONFIG)) {
      failures.push({ property: name, reason: `${name} is not a setting of the ${PACKAGE} provider. Its settings are ${CONFIG_NAMES.join(", ")}.` });
      continue;
    }
    const spec: ConfigSpec = CONFIG[name as ConfigName];
    if (typeof value !== "string" || value.trim() === "") {
      failures.push({ property: name, reason: `${name} must be a non-empty string; got ${spec.secret === true ? "a value that is not shown" : show(value)}. Leave it out to use ${spec.env ?? "the default"}.` });
      continue;
    }
    if (name === "endpoint") {
      const why = checkEndpoint(value);
      if (why) failures.push({ property: name, reason: why });
    }
    if (name === "site" && !(SITES as readonly string[]).includes(value))
      failures.push({
        property: name,
        reason: `site must be "cn"; got ${show(value)}. Tencent Cloud International's SSL API ("intl") has no CreateCertificateByPackage, so paid certificates cannot be renewed through it. Leave site out.`,
      });
  }
  return failures;
}

/** The engine settings from a checked configuration (a value not known yet is left to the environment). */
export function settingsOf(config: Record<string, unknown>, isUnknown: (v: unknown) => boolean): ProviderSettings {
  const settings: Record<string, string> = {};
  for (const name of CONFIG_NAMES) {
    const spec: ConfigSpec = CONFIG[name];
    const v = config[name];
    if (spec.setting !== undefined && typeof v === "string" && v.trim() !== "" && !isUnknown(v)) settings[spec.setting] = v;
  }
  return settings as ProviderSettings;
}
