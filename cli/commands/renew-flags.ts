/**
 * `tccert renew`'s flags: the options of the engine's fields, derived from the field table
 * (`FIELDS` in engine/options.ts), and their translation into engine options. Validation is the
 * engine's, in the CLI's vocabulary (flag names); nothing here rewrites an engine message.
 */
import * as fs from "node:fs";
import { Option } from "commander";
import { InvalidInputError } from "../../engine/errors";
import { DEFAULTS, FIELDS, fieldsOf, isCertificateId, resolveOptions, type FieldName, type FieldSpec, type RenewalOptions } from "../../engine/options";

export interface RenewFlags {
  readonly allDue?: boolean;
  readonly keySource?: string;
  readonly keyAlgorithm?: string;
  readonly csr?: string;
  readonly key?: string;
  readonly validation?: string;
  readonly productPid?: string;
  readonly packageId?: string[];
  readonly waitTimeoutMinutes?: string;
  readonly renewBeforeDays?: string;
  readonly force?: boolean;
  readonly ignoreBackoff?: boolean;
  readonly deploy?: string;
  readonly region?: string[];
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly concurrency?: string;
  /** `--canary`, `--yes`, `--record`, `--canary-samples`: see renew-canary.ts. */
  readonly canary?: boolean;
  readonly yes?: boolean;
  readonly record?: string;
  readonly canarySamples?: string;
}

const FLAG = {
  keySource: FIELDS["key.source"].cli.flag,
  csr: FIELDS["key.csrPem"].cli.flag,
  key: FIELDS["key.privateKeyPem"].cli.flag,
  deploy: FIELDS["deploy[].resourceType"].cli.flag,
  region: FIELDS["deploy[].regions"].cli.flag,
} as const;

/** Commander's attribute name of a flag: `--key-algorithm` → `keyAlgorithm`. */
export function flagAttribute(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** What leaving out a flag whose field has no default in the table means, for `--help`. */
const NO_DEFAULT: Readonly<Record<string, string>> = {
  "--csr": "none: the key source decides",
  "--key": "a new key per renewal",
  "--deploy": "none, no deployment",
  "--region": "Tencent's default for the type",
};

/** A flag's help with its default, from the field table (`--help` shows every default). */
export function helpWithDefault(spec: FieldSpec): string {
  const cli = spec.cli!;
  const help = cli.help ?? "";
  if (cli.arg === undefined || /\(default/.test(help)) return help;
  const fallback = NO_DEFAULT[cli.flag];
  if (spec.default !== undefined) return `${help} (default: ${String(spec.default)})`;
  return fallback !== undefined ? `${help} (default: ${fallback})` : help;
}

/** The engine fields `renew` takes as flags, as commander options (choices from the table). */
export function renewFieldOptions(): Option[] {
  return fieldsOf("cli")
    .filter(([, spec]) => spec.cli?.help !== undefined)
    .map(([, spec]) => {
      const cli = spec.cli!;
      const option = new Option(cli.arg ? `${cli.flag} ${cli.arg}` : cli.flag, helpWithDefault(spec));
      return spec.kind === "choice" && spec.choices && !cli.commaList ? option.choices(spec.choices) : option;
    });
}

/** A number flag; a value that is not a number is refused here, the range by the engine. */
export function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || v.trim() === "") throw new InvalidInputError(flag, `${flag} must be a number; got ${JSON.stringify(v)}.`);
  return n;
}

function readFileFlag(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InvalidInputError(flag, `${flag}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? "error"}). Pass a readable PEM file.`);
  }
}

/** A positional certificate id, checked with the engine's rule (deploy and renew). */
export function checkCertificateIdArgument(id: string): void {
  if (!isCertificateId(id))
    throw new InvalidInputError(FIELDS.certificateId.cli.flag, `certificate id ${JSON.stringify(id)} is not a Tencent certificate id (letters, digits, - and _, such as "a1B2c3D4"). Find ids with \`tccert scan\`.`);
}

/** A flag's value as the engine field's value. */
function fieldValue(spec: FieldSpec, value: unknown): unknown {
  const flag = spec.cli!.flag;
  if (spec.cli?.file) return readFileFlag(flag, String(value));
  if (spec.kind === "integer" || spec.kind === "number") return num(flag, String(value));
  return value;
}

function setPath(target: Record<string, unknown>, field: string, value: unknown): void {
  const [head, tail] = field.split(".") as [string, string | undefined];
  if (tail === undefined) target[head] = value;
  else target[head] = { ...(target[head] as Record<string, unknown> | undefined), [tail]: value };
}

/** Flags that conflict, or only make sense together: the CLI's own rules. */
function checkFlagCombinations(f: RenewFlags, deployTypes: readonly string[]): void {
  if (f.csr !== undefined && f.keySource !== undefined && f.keySource !== "csr")
    throw new InvalidInputError(FLAG.csr, `${FLAG.csr} conflicts with ${FLAG.keySource} ${f.keySource}: a CSR means you hold the key. Drop ${FLAG.keySource} or use ${FLAG.keySource} csr.`);
  if (f.csr !== undefined && f.key !== undefined)
    throw new InvalidInputError(FLAG.key, `${FLAG.key} and ${FLAG.csr} conflict: give your private key (we make the CSR) or your CSR (you keep the key), not both.`);
  if (f.deploy !== undefined && deployTypes.length === 0)
    throw new InvalidInputError(FLAG.deploy, `${FLAG.deploy} must list resource types such as clb,cdn; got ${JSON.stringify(f.deploy)}.`);
  if (f.region !== undefined && deployTypes.length === 0)
    throw new InvalidInputError(FLAG.region, `${FLAG.region} only applies with ${FLAG.deploy} (e.g. ${FLAG.deploy} clb ${FLAG.region} ap-guangzhou).`);
}

/** Turn flags into engine options for one certificate; validated before any network call. */
export function renewOptionsFromFlags(id: string, f: RenewFlags): RenewalOptions {
  const deployTypes = f.deploy?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  checkFlagCombinations(f, deployTypes);
  checkCertificateIdArgument(id);
  const raw: Record<string, unknown> = { certificateId: id, key: { source: f.keySource ?? (f.csr !== undefined ? "csr" : DEFAULTS.keySource) } };
  const given = f as Readonly<Record<string, unknown>>;
  for (const [field, spec] of fieldsOf("cli") as [FieldName, FieldSpec][]) {
    const value = given[flagAttribute(spec.cli!.flag)];
    // `deploy[]` fields are one list, made below; a switch left off is not an option given.
    if (spec.cli?.help === undefined || field.startsWith("deploy[") || value === undefined || value === false) continue;
    setPath(raw, field, fieldValue(spec, value));
  }
  if (deployTypes.length > 0) raw["deploy"] = deployTypes.map((resourceType) => ({ resourceType, regions: f.region ?? [] }));
  const opts = raw as unknown as RenewalOptions;
  resolveOptions(opts, "cli");
  return opts;
}
