/**
 * `npm run build` runs this after tsc: writes the generated package schema to `schema.json` at
 * the package root (shipped in the tarball; `pulumi package add ./schema.json` reads it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE } from "./config";
import { schemaJson } from "./schema";

function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name === PACKAGE) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE} above ${__dirname}`);
  }
}

const target = path.join(packageRoot(), "schema.json");
fs.writeFileSync(target, schemaJson());
console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
