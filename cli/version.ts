/** The package's version, from its package.json (found from here, in the sources and in dist/). */
import * as fs from "node:fs";
import * as path from "node:path";

export const PACKAGE_NAME = "tencentcloud-cert-renewal";

/** The version in the nearest package.json named tencentcloud-cert-renewal above this file. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
