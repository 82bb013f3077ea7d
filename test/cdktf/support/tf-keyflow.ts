/**
 * A static walker over a loaded configuration (./tf-config.ts, either form): where can private-key
 * material flow? Sources: the attributes hashicorp/tls marks sensitive (tls_private_key
 * private_key_pem / private_key_pem_pkcs8 / private_key_openssh, tls_cert_request private_key_pem),
 * and anything computed from them (locals, module outputs, module variables given one), except
 * through a digest function. Allowed sinks: `tls_cert_request.private_key_pem` (schema-sensitive),
 * and outputs declared `sensitive = true`. Everything else is reported, in particular:
 * - `data "external"` program/query: the key would go to a program, and its result is never
 *   sensitive (the provider's schema does not mark `result`);
 * - `terraform_data` / `null_resource` arguments: `output` does not keep the input's mark
 *   (hashicorp/terraform#35609), and `triggers` are printed;
 * - provisioner arguments other than `environment` (interpreter, command: shown in error messages).
 *   A key in a local-exec `environment` is allowed: Terraform neither stores nor prints provisioner
 *   configuration, and suppresses the provisioner's output when its configuration holds a sensitive
 *   value; the scenarios check that the program never prints it;
 * - any reference to a key-named field of a `data "external"` result (a key routed through a
 *   program's result, printed by `terraform show`).
 */
import type { ModuleDef } from "./tf-config";
import { carries, referencesIn } from "./tf-expr";

const TLS_SENSITIVE: Readonly<Record<string, readonly string[]>> = {
  tls_private_key: ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"],
  tls_cert_request: ["private_key_pem"],
};
const DIGESTS = new Set(["sha256", "sha1", "sha512", "md5", "base64sha256", "base64sha512"]);

/** Attribute name at position 2 of a resource traversal, skipping an index (`tls_private_key.k[0].x` → x). */
function attributeOf(parts: string[]): string | undefined {
  const rest = parts.slice(2).filter((p) => !/^\d+$/.test(p));
  return rest[0];
}

interface Flow {
  readonly module: ModuleDef;
  readonly prefix: string;
  /** Outputs of this module that carry a key. */
  readonly keyOutputs: Set<string>;
}

function analyse(module: ModuleDef, prefix: string, keyVars: ReadonlySet<string>, out: string[]): Flow {
  const childFlows = new Map<string, Flow>();
  const keyLocals = new Set<string>();
  const isSource = (parts: string[]): boolean => {
    const [head, a, b] = parts;
    if (head === "local") return keyLocals.has(a!);
    if (head === "var") return keyVars.has(a!);
    if (head === "module") return childFlows.get(a!)?.keyOutputs.has(b!) ?? false;
    const sens = TLS_SENSITIVE[head!];
    if (sens === undefined) return false;
    // The whole resource object (no attribute named) holds the key too.
    const attr = attributeOf(parts);
    return attr === undefined || sens.includes(attr);
  };
  // Locals may refer to each other: iterate to a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, v] of Object.entries(module.locals))
      if (!keyLocals.has(name) && carries(v, isSource, DIGESTS)) {
        keyLocals.add(name);
        changed = true;
      }
  }
  for (const [name, call] of Object.entries(module.calls)) {
    const childKeyVars = new Set(Object.entries(call.args).filter(([, v]) => carries(v, isSource, DIGESTS)).map(([k]) => k));
    childFlows.set(name, analyse(call.module, `${prefix}module.${name}.`, childKeyVars, out));
  }
  for (const r of module.resources) {
    const address = `${prefix}${r.address}`;
    for (const [arg, v] of Object.entries(r.args)) {
      if (!carries(v, isSource, DIGESTS)) continue;
      if (r.type === "tls_cert_request" && arg === "private_key_pem") continue;
      out.push(`${address}.${arg} carries a private key (${r.mode === "data" ? "a data source's arguments go to its program and are shown" : `${r.type}.${arg} is not sensitive in the provider schema`})`);
    }
    for (const p of r.provisioners)
      for (const [arg, v] of Object.entries(p.config))
        if (arg !== "environment" && carries(v, isSource, DIGESTS)) out.push(`${address} provisioner ${p.type} ${arg} carries a private key`);
  }
  const keyOutputs = new Set<string>();
  for (const [name, o] of Object.entries(module.outputs)) {
    if (carries(o.value, isSource, DIGESTS)) {
      keyOutputs.add(name);
      if (!o.sensitive) out.push(`${prefix}output.${name} carries a private key and is not sensitive = true`);
    }
    if (readsKeyResult(o.value)) out.push(`${prefix}output.${name} takes a key from a data "external" result, which Terraform cannot mark sensitive`);
  }
  for (const r of module.resources)
    for (const [arg, v] of Object.entries(r.args)) if (readsKeyResult(v)) out.push(`${prefix}${r.address}.${arg} takes a key from a data "external" result, which Terraform cannot mark sensitive`);
  return { module, prefix, keyOutputs };
}

/** Does the value read a key-named field (private_key*) of a data "external" result? */
function readsKeyResult(v: unknown): boolean {
  return referencesIn(v).some((p) => p[0] === "data" && p[1] === "external" && p.slice(3).some((x) => /private_key/.test(x)));
}

/** Every place a private key can reach a non-sensitive attribute, a program, or a printed value. */
export function keyMaterialViolations(root: ModuleDef): string[] {
  const out: string[] = [];
  analyse(root, "", new Set(), out);
  return out;
}
