// Folder boundaries (DESIGN §3): dependencies point inward.
//   front ends (provider/, constructs/, cli/) -> engine/ <- adapters (tencent/, crypto/, state/)
//   runtime/ is the one place that wires adapters into the engine for the front ends.
//   Only state/ keeps local state files (journals, locks) and owns the atomic, link-refusing writer.
//   Only tencent/ imports tencentcloud-sdk-nodejs (emulator/ may import its *types*).
//   Only crypto/ imports node-forge and @peculiar/x509.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const sdk = { name: "tencentcloud-sdk-nodejs", message: "Only tencent/ imports the Tencent SDK." };
const sdkPattern = { group: ["tencentcloud-sdk-nodejs/*"], message: "Only tencent/ imports the Tencent SDK." };
const forge = [
  { name: "node-forge", message: "Only crypto/ imports node-forge." },
  { name: "@peculiar/x509", message: "Only crypto/ imports X.509 libraries." },
];
const frontEnds = ["**/provider/**", "**/constructs/**", "**/cli/**"];
const rel = (dirs, message) => ({ group: dirs.flatMap((d) => [`../${d}`, `../${d}/*`, `../../${d}`, `../../${d}/*`]), message });

function restrict({ paths = [], patterns = [] }) {
  return { "no-restricted-imports": ["error", { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "demo-output/**", "examples/**/node_modules/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", __dirname: "readonly", module: "writable", console: "readonly", setTimeout: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["engine/**/*.ts"],
    rules: restrict({
      paths: [sdk, ...forge, { name: "node:fs", message: "engine/ does no I/O." }, { name: "fs", message: "engine/ does no I/O." }, { name: "node:http", message: "engine/ does no I/O." }, { name: "node:child_process", message: "engine/ does no I/O." }],
      patterns: [sdkPattern, rel(["tencent", "crypto", "state", "emulator", "cli", "provider", "constructs", "runtime"], "engine/ owns the ports and imports no adapter or front end.")],
    }),
  },
  {
    files: ["tencent/**/*.ts"],
    rules: restrict({
      paths: forge,
      patterns: [rel(["crypto", "state", "emulator", "cli", "provider", "constructs", "runtime"], "tencent/ is an adapter: it may import engine/ only.")],
    }),
  },
  {
    files: ["crypto/**/*.ts"],
    rules: restrict({
      paths: [sdk],
      patterns: [sdkPattern, rel(["tencent", "state", "emulator", "cli", "provider", "constructs", "runtime"], "crypto/ is an adapter: it may import engine/ only.")],
    }),
  },
  {
    files: ["state/**/*.ts"],
    rules: restrict({
      paths: [sdk, ...forge],
      patterns: [sdkPattern, rel(["tencent", "crypto", "emulator", "cli", "provider", "constructs", "runtime"], "state/ is an adapter: it may import engine/ only.")],
    }),
  },
  {
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [{ ...sdk, allowTypeImports: true }, ...forge],
        patterns: [{ ...sdkPattern, allowTypeImports: true }, rel(["engine", "tencent", "cli", "provider", "constructs", "runtime"], "emulator/ copies Tencent's wire; it may import crypto/ and SDK types only.")],
      }],
    },
  },
  {
    files: ["runtime/**/*.ts"],
    rules: restrict({
      paths: [sdk, ...forge],
      patterns: [sdkPattern, rel(["cli", "provider", "constructs", "emulator"], "runtime/ wires adapters into the engine; it imports no front end.")],
    }),
  },
  {
    files: frontEnds,
    rules: restrict({
      paths: [sdk, ...forge],
      patterns: [sdkPattern, rel(["tencent", "crypto", "state"], "Front ends reach adapters through runtime/, never directly.")],
    }),
  },
);
