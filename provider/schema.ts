/**
 * The Pulumi package schema of the `tencentcloud-cert-renewal` plugin, GENERATED from the one
 * definition of each part: the engine's field table (`FIELDS`, Pulumi names), the resource's own
 * inputs (`PULUMI_INPUTS`), its outputs (`OUTPUTS`), its stored inputs (`storedInputs`) and the
 * provider configuration (`CONFIG`). The plugin serves it from `GetSchema`; the build writes it
 * to `schema.json` (scripts: `node dist/provider/write-schema.js`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fieldsOf, type FieldSpec } from "../engine/options";
import { CONFIG, CONFIG_NAMES, PACKAGE, type ConfigSpec } from "./config";
import { PULUMI_INPUTS, storedInputs, type PulumiInputSpec, type PulumiInputType } from "./inputs";
import { OUTPUTS, OUTPUT_NAMES, type OutputSpec, type OutputType } from "./state";

export const RESOURCE_TOKEN = `${PACKAGE}:index:RenewedCertificate`;
const typeToken = (name: string): string => `${PACKAGE}:index:${name}`;
const ref = (name: string): { $ref: string } => ({ $ref: `#/types/${typeToken(name)}` });

/** A property of the schema (the subset this package uses). */
export interface PropertySpec {
  readonly type?: string;
  readonly $ref?: string;
  readonly items?: PropertySpec;
  readonly oneOf?: readonly PropertySpec[];
  readonly description?: string;
  readonly default?: string | number | boolean;
  readonly secret?: boolean;
}

type Properties = Record<string, PropertySpec>;

/** Object types named by their Pulumi input path. */
const OBJECT_TYPES: Readonly<Record<string, string>> = { key: "Key", payment: "Payment", deploy: "DeployTarget" };

/** The version of this package (package.json above this file, from dist/ or from the sources). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === PACKAGE && typeof pkg.version === "string") return pkg.version;
    }
    if (path.dirname(dir) === dir) return "0.0.0";
  }
}

function fieldDescription(spec: FieldSpec): string {
  return spec.choices ? `${spec.doc} One of: ${spec.choices.join(", ")}.` : spec.doc;
}

/** One engine field as a schema property; objects and lists of objects refer to their type. */
function fieldProperty(pulumiPath: string, spec: FieldSpec): PropertySpec {
  const base = { description: fieldDescription(spec), ...(typeof spec.default !== "undefined" ? { default: spec.default } : {}), ...(spec.secret ? { secret: true } : {}) };
  const typeName = OBJECT_TYPES[pulumiPath];
  switch (spec.kind) {
    case "object":
      return { ...base, ...ref(typeName ?? pulumiPath) };
    case "list":
      return { ...base, type: "array", items: typeName ? ref(typeName) : { type: "string" } };
    case "integer":
    case "number":
    case "boolean":
      return { ...base, type: spec.kind };
    default:
      return { ...base, type: "string" };
  }
}

/** The engine's fields directly under `parent` ("" top level, "key", "deploy[]"), by Pulumi name. */
function fieldProperties(parent: string): Properties {
  const prefix = parent === "" ? "" : `${parent}.`;
  const out: Properties = {};
  for (const [, spec] of fieldsOf("pulumi")) {
    const name = spec.pulumi!;
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest.includes(".")) continue;
    out[rest] = fieldProperty(name, spec);
  }
  return out;
}

function simpleType(type: PulumiInputType | OutputType): PropertySpec {
  switch (type) {
    case "string[]":
      return { type: "array", items: { type: "string" } };
    case "string|number":
      return { oneOf: [{ type: "string" }, { type: "number" }] };
    case "DnsRecord[]":
      return { type: "array", items: ref("DnsRecord") };
    case "PendingChange[]":
      return { type: "array", items: ref("PendingChange") };
    case "BoundResource[]":
      return { type: "array", items: ref("BoundResource") };
    default:
      return { type };
  }
}

function pulumiInputProperties(): Properties {
  const out: Properties = {};
  for (const [name, spec] of Object.entries(PULUMI_INPUTS) as [string, PulumiInputSpec][])
    out[name] = { ...simpleType(spec.type), description: spec.doc, ...(spec.default !== undefined ? { default: spec.default } : {}), ...(spec.secret ? { secret: true } : {}) };
  return out;
}

/** The resource's inputs: the engine's fields by their Pulumi names, then the resource's own. */
export function inputProperties(): Properties {
  return { ...fieldProperties(""), ...pulumiInputProperties() };
}

/** The state's properties: the outputs, then the inputs as stored (normalised; the key reduced to a digest). */
export function outputProperties(): Properties {
  const out: Properties = {};
  for (const name of OUTPUT_NAMES) {
    const spec: OutputSpec = OUTPUTS[name];
    out[name] = { ...simpleType(spec.type), description: spec.doc, ...(spec.secret ? { secret: true } : {}) };
  }
  const inputs = inputProperties();
  for (const name of Object.keys(storedInputs({}))) {
    if (name in out) continue;
    const input = inputs[name];
    if (name === "key") out[name] = { ...ref("KeyState"), description: "The key settings as stored (a supplied private key is kept as its SHA-256 digest only)." };
    else if (name === "renewalTrigger") out[name] = { type: "string", description: input?.description ?? "" };
    else if (input) {
      const { default: _default, ...stored } = input;
      out[name] = stored;
    }
  }
  return out;
}

function objectType(description: string, properties: Properties, required: string[] = []): Record<string, unknown> {
  return { type: "object", description, properties, ...(required.length > 0 ? { required } : {}) };
}

function types(): Record<string, unknown> {
  const str = (description: string): PropertySpec => ({ type: "string", description });
  const keyState = { ...fieldProperties("key") };
  delete (keyState as Record<string, unknown>)["privateKeyPem"];
  return {
    [typeToken("Key")]: objectType("The new certificate's key.", fieldProperties("key")),
    [typeToken("Payment")]: objectType("How the renewal is paid.", fieldProperties("payment")),
    [typeToken("DeployTarget")]: objectType("Resources to move to each new certificate.", fieldProperties("deploy[]"), ["resourceType"]),
    [typeToken("KeyState")]: objectType("The key settings as stored.", { ...keyState, privateKeyPemSha256: str("SHA-256 of a supplied private key; \"\" when none.") }),
    [typeToken("DnsRecord")]: objectType(
      "A domain-validation record.",
      { key: str("Record name."), value: str("Record value."), zone: str("The DNS zone."), subDomain: str("The record's sub-domain."), recordType: str("TXT or CNAME.") },
      ["key", "value", "zone", "subDomain", "recordType"],
    ),
    [typeToken("PendingChange")]: objectType(
      "An input asked for but not yet served.",
      { input: str("The input, e.g. key.algorithm."), served: str("What the served certificate has."), requested: str("What the inputs ask for.") },
      ["input", "served", "requested"],
    ),
    [typeToken("BoundResource")]: objectType(
      "A cloud resource serving the certificate.",
      {
        resourceType: str("`clb`, `cdn`, `waf`, `teo`, … (lower case)."),
        region: str("The region; \"\" for global types (cdn, teo, …)."),
        instanceId: str("Load balancer id, CDN domain, …"),
        listenerId: str("The CLB listener id; \"\" for other types."),
        domain: str("The domain served, when Tencent names one; \"\"."),
      },
      ["resourceType", "region", "instanceId", "listenerId", "domain"],
    ),
  };
}

function configProperties(): Properties {
  const out: Properties = {};
  for (const name of CONFIG_NAMES) {
    const spec: ConfigSpec = CONFIG[name];
    const env = spec.env ? ` Environment: ${spec.env}.` : "";
    out[name] = { type: "string", description: `${spec.doc}${env}`, ...(spec.default !== undefined ? { default: spec.default } : {}), ...(spec.secret ? { secret: true } : {}) };
  }
  return out;
}

const RESOURCE_DOC =
  "A paid Tencent Cloud SSL certificate, renewed when due. The id is the lineage root (`certificateId` as first given); renewal is an in-place update that pays once, so dependents see a new `certificateId` and update in place. Preview, check and diff call nothing; delete forgets and never revokes.";

/** The package schema, as an object. */
export function packageSchema(version = packageVersion()): Record<string, unknown> {
  const outputs = outputProperties();
  return {
    name: PACKAGE,
    displayName: "Tencent Cloud certificate renewal",
    version,
    description: "Renew paid Tencent Cloud SSL certificates as code.",
    keywords: ["pulumi", "tencentcloud", "ssl", "certificate", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    meta: { moduleFormat: "(.*)" },
    config: { variables: configProperties() },
    provider: { description: `The ${PACKAGE} provider.`, properties: configProperties(), inputProperties: configProperties() },
    types: types(),
    resources: {
      [RESOURCE_TOKEN]: {
        description: RESOURCE_DOC,
        properties: outputs,
        required: Object.keys(outputs),
        inputProperties: inputProperties(),
        requiredInputs: ["certificateId"],
      },
    },
    language: {
      nodejs: { packageName: "@tencentcloud-cert-renewal/pulumi", packageDescription: "RenewedCertificate for Pulumi (generated SDK).", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
      python: { packageName: "pulumi_tencentcloud_cert_renewal", requires: { pulumi: ">=3.0.0,<4.0.0" } },
      go: { importBasePath: "github.com/tencentcloud-cert-renewal/pulumi-tencentcloud-cert-renewal/sdk/go/tencentcloudcertrenewal", generateResourceContainerTypes: true },
      csharp: { packageReferences: { Pulumi: "3.*" }, namespaces: { [PACKAGE]: "TencentCloudCertRenewal" } },
    },
  };
}

/** The schema as `GetSchema` returns it (JSON text). */
export function schemaJson(version?: string): string {
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}
