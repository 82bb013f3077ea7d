// The temporary projects of the release check (run.mjs), shaped like the real templates:
// `pulumi new typescript` (CommonJS, moduleResolution node, no skipLibCheck), `cdktf init
// --template=typescript` (CommonJS, no moduleResolution: node10), and a plain Node ESM project
// ("type": "module"). Each program prints PACKAGE-CHECK-OK when it got to its end.

const strictCommon = { strict: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true };

/** `pulumi new typescript`'s tsconfig, and the same project under every other moduleResolution. */
function pulumiTsconfigs() {
  const base = { ...strictCommon, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true };
  return {
    "tsconfig.json": { compilerOptions: base, files: ["index.ts", "check.ts"] },
    "tsconfig.node16.json": { compilerOptions: { ...base, module: "node16", moduleResolution: "node16", noEmit: true }, files: ["index.ts", "check.ts"] },
    "tsconfig.nodenext.json": { compilerOptions: { ...base, module: "nodenext", moduleResolution: "nodenext", noEmit: true }, files: ["index.ts", "check.ts"] },
    "tsconfig.bundler.json": { compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler", noEmit: true }, files: ["index.ts", "check.ts"] },
  };
}

const pulumiIndex = `import * as pulumi from "@pulumi/pulumi";
import { RenewedCertificate } from "tencentcloud-cert-renewal/pulumi";

const cert = new RenewedCertificate("shop", {
  certificateId: "DemoShop",
  renewBeforeDays: 30,
  key: { source: "local", algorithm: "EC_P256" },
  validation: "dnspod",
  deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }],
});
export const certificateId: pulumi.Output<string> = cert.certificateId;
export const fullchain: pulumi.Output<string> = cert.fullchainPem;
`;

// Pulumi's own mocks stand in for the engine: the resource is constructed and its dynamic provider
// serialized exactly as \`pulumi up\` would, without a Pulumi CLI or Tencent.
const pulumiCheck = `import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS, resolveOptions } from "tencentcloud-cert-renewal";
import type { EngineDeps } from "tencentcloud-cert-renewal";
import { createEngineDeps, defaultStateDir } from "tencentcloud-cert-renewal/runtime";
import { startEmulator } from "tencentcloud-cert-renewal/emulator";

const seen: { type: string; provider: string }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      seen.push({ type: args.type, provider: String(args.inputs["__provider"] ?? "") });
      return { id: \`\${args.name}-id\`, state: { ...args.inputs, certificateId: "DemoShop" } };
    },
    call: (args) => args.inputs,
  },
  "package-check",
  "dev",
  false,
);

async function main(): Promise<void> {
  // Loaded after setMocks, as pulumi up loads the program after connecting to the engine.
  const program = require("./index") as typeof import("./index");
  const id = await new Promise<string>((resolve) => program.certificateId.apply((v) => resolve(v)));
  if (id !== "DemoShop") throw new Error(\`certificateId output: \${id}\`);
  const resource = seen.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  if (!resource || resource.provider.length < 100) throw new Error(\`the dynamic provider was not serialized: \${JSON.stringify(seen).slice(0, 300)}\`);
  const opts = resolveOptions({ certificateId: "DemoShop" });
  const deps: typeof createEngineDeps = createEngineDeps;
  const emu: typeof startEmulator = startEmulator;
  const _unused: EngineDeps | undefined = undefined;
  void [deps, emu, _unused, defaultStateDir()];
  console.log(\`PACKAGE-CHECK-OK pulumi: constructed RenewedCertificate, provider serialized (\${resource.provider.length} chars), default key \${opts.key.algorithm ?? DEFAULTS.keyAlgorithm}\`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
`;

const cdktfMain = `import { App, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import * as fs from "fs";
import * as path from "path";
import { RenewedCertificate } from "tencentcloud-cert-renewal/cdktf";

class CertificatesStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const shop = new RenewedCertificate(this, "shop", { certificateId: "DemoShop", key: { source: "local", algorithm: "EC_P256" } });
    new TerraformOutput(this, "shop_certificate_id", { value: shop.certificateId });
  }
}

const app = new App({ outdir: "cdktf.out" });
new CertificatesStack(app, "certificates");
app.synth();
const synth = fs.readFileSync(path.join("cdktf.out", "stacks", "certificates", "cdk.tf.json"), "utf8");
for (const block of ['"external"', '"tls_private_key"', '"terraform_data"', "tf-status", "tf-renew"])
  if (!synth.includes(block)) throw new Error(\`cdk.tf.json lacks \${block}\`);
console.log(\`PACKAGE-CHECK-OK cdktf: synthesized \${synth.length} bytes of cdk.tf.json\`);
`;

/** `cdktf init --template=typescript`'s tsconfig (no moduleResolution: node10 for CommonJS). */
const cdktfTsconfig = {
  compilerOptions: {
    alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ["es2018"], module: "CommonJS",
    noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true,
    noUnusedParameters: true, resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true,
    target: "ES2018", incremental: true, skipLibCheck: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

// A plain Node ESM program: the library entry points, driving a scan against its own emulator.
const esmMain = `import { scanAccount, resolveOptions, isRenewalError } from "tencentcloud-cert-renewal";
import { createEngineDeps } from "tencentcloud-cert-renewal/runtime";
import { startEmulator } from "tencentcloud-cert-renewal/emulator";

const emu = await startEmulator({ seed: "demo" });
try {
  const deps = createEngineDeps({
    endpoint: emu.url,
    credentials: { secretId: "AKIDEMULATORDEMO000000000000000000000", secretKey: "emulator-demo-secret-key-000000000000" },
  });
  const rows = await scanAccount(deps, { renewBeforeDays: 30 });
  const shop = rows.find((r) => r.certificateId === "DemoShop");
  if (!shop?.due) throw new Error(\`DemoShop is not due: \${JSON.stringify(rows.map((r) => r.certificateId))}\`);
  const opts = resolveOptions({ certificateId: "DemoShop" });
  if (isRenewalError(new Error("x"))) throw new Error("isRenewalError");
  console.log(\`PACKAGE-CHECK-OK esm: scanned \${rows.length} certificates (DemoShop due), default key \${opts.key.algorithm}\`);
} finally {
  await emu.close();
}
`;

function esmTsconfigs() {
  const base = { ...strictCommon, target: "es2022", outDir: "dist", types: ["node"] };
  return {
    "tsconfig.json": { compilerOptions: { ...base, module: "nodenext", moduleResolution: "nodenext" }, files: ["main.ts"] },
    "tsconfig.node16.json": { compilerOptions: { ...base, module: "node16", moduleResolution: "node16", noEmit: true }, files: ["main.ts"] },
    "tsconfig.bundler.json": { compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler", noEmit: true }, files: ["main.ts"] },
  };
}

export function projects({ tarball, versions: v }) {
  const at = (name) => `${name}@${v[name]}`;
  return [
    {
      name: "pulumi-typescript",
      files: { "package.json": { name: "pulumi-typescript", main: "bin/index.js", private: true }, "Pulumi.yaml": "name: package-check\nruntime: nodejs\n", "index.ts": pulumiIndex, "check.ts": pulumiCheck, ...pulumiTsconfigs() },
      install: [tarball, at("@pulumi/pulumi"), at("typescript"), at("@types/node")],
      typecheck: ["tsconfig.json", "tsconfig.node16.json", "tsconfig.nodenext.json", "tsconfig.bundler.json"],
      run: ["bin/check.js"],
    },
    {
      name: "cdktf-typescript",
      files: { "package.json": { name: "cdktf-typescript", main: "main.js", private: true }, "cdktf.json": { language: "typescript", app: "node main.js", terraformProviders: [], terraformModules: [] }, "main.ts": cdktfMain, "tsconfig.json": cdktfTsconfig },
      install: [tarball, at("cdktf"), at("constructs"), at("@cdktf/provider-tls"), at("@cdktf/provider-external"), at("typescript"), at("@types/node")],
      typecheck: ["tsconfig.json"],
      run: ["main.js"],
    },
    {
      name: "node-esm",
      files: { "package.json": { name: "node-esm", type: "module", private: true }, "main.ts": esmMain, ...esmTsconfigs() },
      install: [tarball, at("typescript"), at("@types/node")],
      typecheck: ["tsconfig.json", "tsconfig.node16.json", "tsconfig.bundler.json"],
      run: ["dist/main.js"],
    },
  ];
}
