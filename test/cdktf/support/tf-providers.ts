/**
 * The resource types the simulator knows, each modelled on its provider's documented schema and plan
 * behaviour. Sensitive attributes are those the provider's schema marks `Sensitive: true`; Terraform
 * shows them as "(sensitive value)" in plans, `terraform show` and `state show`
 * (https://developer.hashicorp.com/terraform/language/state/sensitive-data).
 *
 * - `terraform_data` (built in, https://developer.hashicorp.com/terraform/language/resources/terraform-data):
 *   a change of `triggers_replace` replaces it; a change of `input` updates it; `output` mirrors
 *   `input` and is unknown at plan whenever `input` is (re)set; `id` is unknown until created.
 *   (Terraform's internal/builtin/providers/terraform/resource_data.go, planDataStoreResourceChange.)
 * - `null_resource` (hashicorp/null): a change of `triggers` (map of strings) replaces it.
 * - `tls_private_key` / `tls_cert_request` (hashicorp/tls 4.x): every argument forces replacement;
 *   `private_key_pem`, `private_key_pem_pkcs8`, `private_key_openssh` are sensitive
 *   (https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key), as is
 *   `tls_cert_request.private_key_pem`.
 * - `data "external"` (hashicorp/external 2.x,
 *   https://registry.terraform.io/providers/hashicorp/external/latest/docs/data-sources/external):
 *   `program` list(string), `query` map(string) (numbers and bools converted to strings, as cty
 *   converts them), `working_dir`; `result` is map(string) and NOT sensitive.
 */
import * as crypto from "node:crypto";
import { UNKNOWN, type Value } from "./hcl";
import { TerraformError } from "./tf-expr";
import { hasUnknown } from "./tf-functions";
import { tlsCertRequest, tlsPrivateKey } from "./tls";

export type Attrs = Record<string, Value>;

export interface PlannedChange {
  readonly action: "create" | "replace" | "update" | "noop";
  readonly planned: Attrs;
}

export interface ManagedType {
  /** Attributes the provider's schema marks sensitive. */
  readonly sensitive: readonly string[];
  plan(prior: Attrs | undefined, config: Attrs, ignore: readonly string[]): PlannedChange;
  apply(prior: Attrs | undefined, config: Attrs, action: "create" | "replace" | "update"): Promise<Attrs>;
}

export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (hasUnknown(a) || hasUnknown(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function withIgnored(prior: Attrs | undefined, config: Attrs, ignore: readonly string[]): Attrs {
  if (!prior) return config;
  if (ignore.includes("all")) return { ...config, ...Object.fromEntries(Object.keys(config).map((k) => [k, prior[k] ?? null])) };
  return { ...config, ...Object.fromEntries(ignore.filter((k) => k in prior).map((k) => [k, prior[k]!])) };
}

const terraformData: ManagedType = {
  sensitive: [],
  plan(prior, config, ignore) {
    const cfg = withIgnored(prior, config, ignore);
    const input = cfg["input"] ?? null;
    const triggers = cfg["triggers_replace"] ?? null;
    const fresh = { id: UNKNOWN, input, output: input === null ? null : UNKNOWN, triggers_replace: triggers };
    if (!prior) return { action: "create", planned: fresh };
    if (!sameValue(prior["triggers_replace"] ?? null, triggers)) return { action: "replace", planned: fresh };
    if (!sameValue(prior["input"] ?? null, input)) return { action: "update", planned: { ...prior, input, output: input === null ? null : UNKNOWN } };
    return { action: "noop", planned: prior };
  },
  async apply(prior, config, action) {
    const input = config["input"] ?? null;
    if (action === "update" && prior) return { ...prior, input, output: input };
    return { id: crypto.randomUUID(), input, output: input, triggers_replace: config["triggers_replace"] ?? null };
  },
};

const nullResource: ManagedType = {
  sensitive: [],
  plan(prior, config, ignore) {
    const cfg = withIgnored(prior, config, ignore);
    if (!prior) return { action: "create", planned: { id: UNKNOWN, triggers: cfg["triggers"] ?? null } };
    if (!sameValue(prior["triggers"] ?? null, cfg["triggers"] ?? null)) return { action: "replace", planned: { id: UNKNOWN, triggers: cfg["triggers"] ?? null } };
    return { action: "noop", planned: prior };
  },
  async apply(_prior, config) {
    return { id: String(crypto.randomInt(1e15)), triggers: config["triggers"] ?? null };
  },
};

/** Every argument forces a new resource; computed attributes are unknown until created. */
function forceNew(sensitive: string[], computed: string[], create: (config: Attrs) => Promise<Attrs>): ManagedType {
  return {
    sensitive,
    plan(prior, config, ignore) {
      const cfg = withIgnored(prior, config, ignore);
      const fresh = { ...cfg, ...Object.fromEntries(computed.map((c) => [c, UNKNOWN])) };
      if (!prior) return { action: "create", planned: fresh };
      if (Object.keys(cfg).some((k) => !sameValue(prior[k] ?? null, cfg[k] ?? null))) return { action: "replace", planned: fresh };
      return { action: "noop", planned: prior };
    },
    apply: async (_prior, config) => create(config),
  };
}

const tlsKeyComputed = ["id", "private_key_pem", "private_key_pem_pkcs8", "private_key_openssh", "public_key_pem", "public_key_fingerprint_sha256"];

export const MANAGED: Readonly<Record<string, ManagedType>> = {
  terraform_data: terraformData,
  null_resource: nullResource,
  tls_private_key: forceNew(["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"], tlsKeyComputed, async (cfg) => {
    const key = tlsPrivateKey(cfg as { algorithm: string; rsa_bits?: number; ecdsa_curve?: string });
    const fp = crypto.createHash("sha256").update(crypto.createPublicKey(key.public_key_pem).export({ format: "der", type: "spki" })).digest("base64");
    return { ...cfg, id: crypto.createHash("sha1").update(key.public_key_pem).digest("hex"), ...key, private_key_openssh: "", public_key_fingerprint_sha256: `SHA256:${fp}` };
  }),
  tls_cert_request: forceNew(["private_key_pem"], ["id", "cert_request_pem", "key_algorithm"], async (cfg) => {
    const pem = await tlsCertRequest(cfg as { private_key_pem: string; dns_names?: string[]; subject?: { common_name?: string }[] });
    return { ...cfg, id: crypto.createHash("sha1").update(pem).digest("hex"), cert_request_pem: pem, key_algorithm: crypto.createPrivateKey(String(cfg["private_key_pem"])).asymmetricKeyType === "rsa" ? "RSA" : "ECDSA" };
  }),
};

export function managedType(type: string): ManagedType {
  const t = MANAGED[type];
  if (!t) throw new TerraformError(`resource type ${type} is not simulated (test/cdktf/support/tf-providers.ts)`);
  return t;
}

/** cty's conversion of a primitive to string, for map(string) / list(string) attributes. */
export function asStrings(address: string, attr: string, v: Value): Value {
  const conv = (x: Value, where: string): string => {
    if (typeof x === "string") return x;
    if (typeof x === "number" || typeof x === "boolean") return String(x);
    throw new TerraformError(`${address}: Incorrect attribute value type: ${where}: string required, got ${JSON.stringify(x)}`);
  };
  if (Array.isArray(v)) return v.map((x, i) => conv(x, `${attr}[${i}]`));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x as Value, `${attr}["${k}"]`)]));
  throw new TerraformError(`${address}: Incorrect attribute value type: ${attr} must be a ${attr === "program" ? "list" : "map"} of strings`);
}
