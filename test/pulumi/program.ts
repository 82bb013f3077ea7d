/**
 * Runs a Pulumi program (TypeScript, transpiled as Pulumi's ts-node would) in
 * this process with Pulumi's mock monitor standing in for the engine's
 * resource monitor, and forwards every dynamic resource it registers to the
 * real dynamic-provider host (Check, then Create), exactly as the engine
 * forwards them to the `pulumi-nodejs` provider. The program loads this
 * package by name from the throwaway project directory.
 *
 * It also records the raw RegisterResource requests, so tests can see what
 * `pulumi.dynamic.Resource` really sent: the type token, the serialized
 * `__provider`, and `additionalSecretOutputs`.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { projectRequire, type Host, type Props } from "./host";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const { MockMonitor } = pulumiRequire("./runtime/mocks") as { MockMonitor: new (mocks: pulumi.runtime.Mocks) => object };
const settings = pulumiRequire("./runtime/settings") as { setMockOptions(m: object, project: string, stack: string, preview: boolean): void };

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What the engine does before calling a provider that does not accept secrets: unwrap them. */
function stripSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSecrets);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return stripSecrets(o["value"]);
    return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined).map(([k, x]) => [k, stripSecrets(x)]));
  }
  return v;
}

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly additionalSecretOutputs: string[];
  readonly inputs: Props;
}

/** Installs the mock monitor; resources registered afterwards go to `host` (dynamic ones) or are echoed (others). */
export async function useHostAsEngine(host: Host | null, project: string, config: Record<string, string> = {}): Promise<{ registrations: Registration[]; failures: Promise<never> }> {
  const registrations: Registration[] = [];
  let fail: (e: unknown) => void = () => undefined;
  const failures = new Promise<never>((_, reject) => (fail = reject));
  failures.catch(() => undefined);
  const mocks: pulumi.runtime.Mocks = {
    async newResource(args) {
      try {
        const inputs = stripSecrets(args.inputs) as Props;
        if (host && args.type.startsWith("pulumi-nodejs:dynamic")) {
          const checked = await host.check(args.name, {}, inputs, args.type);
          if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
          const created = await host.create(args.name, checked.inputs, args.type);
          return { id: created.id, state: created.properties };
        }
        return { id: `${args.name}-id`, state: inputs };
      } catch (e) {
        fail(e);
        throw e;
      }
    },
    call: () => ({}),
  };
  class RecordingMonitor extends MockMonitor {
    registerResource(req: { getType(): string; getName(): string; getAdditionalsecretoutputsList(): string[]; getObject(): { toJavaScript(): Props } }, cb: unknown): unknown {
      registrations.push({
        type: req.getType(),
        name: req.getName(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        inputs: req.getObject().toJavaScript(),
      });
      return (MockMonitor.prototype as unknown as { registerResource(r: unknown, c: unknown): unknown }).registerResource.call(this, req, cb);
    }
  }
  await pulumi.runtime.setMocks(mocks, project, "dev", false);
  settings.setMockOptions(new RecordingMonitor(mocks), project, "dev", false);
  pulumi.runtime.setAllConfig(config);
  return { registrations, failures };
}

/** Transpiles a program folder into `<projectDir>/<as>/` (as Pulumi's TypeScript support does) and requires it from there. */
export function loadProgram(projectDir: string, programDir: string, as = "program"): Record<string, unknown> {
  const out = path.join(projectDir, as);
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(programDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))) {
    const js = ts.transpileModule(fs.readFileSync(path.join(programDir, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    fs.writeFileSync(path.join(out, file.replace(/\.ts$/, ".js")), js);
  }
  return projectRequire(projectDir)(`./${as}/index.js`) as Record<string, unknown>;
}

/** The values of a program's stack outputs, once every resource resolved (or the first registration failure). */
export async function stackOutputs(exports: Record<string, unknown>, failures: Promise<never>): Promise<Record<string, unknown>> {
  const all = pulumi.output(exports as Record<string, pulumi.Input<unknown>>);
  const values = new Promise<Record<string, unknown>>((resolve) => all.apply((v) => resolve(v as Record<string, unknown>)));
  return Promise.race([values, failures]);
}
