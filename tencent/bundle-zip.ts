/**
 * The chain from the zip that `DownloadCertificate` returns (base64). Layout (reference §4.2):
 * `Nginx/1_<domain>_bundle.crt` holds leaf + intermediates; `<domain>.pem` the same at the root.
 * Only certificate PEM blocks are read: the zip also holds the private key, which never leaves here.
 */
import { unzipSync, strFromU8 } from "fflate";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates after the leaf in the bundle, PEM, one per line block; "" when none. */
export function chainFromBundleZip(base64: string): string {
  if (base64 === "") return "";
  const files = unzipSync(Buffer.from(base64, "base64"), {
    filter: (f) => /(^|\/)(1_[^/]*_bundle\.crt|[^/]*_bundle\.(crt|pem)|[^/]*\.pem)$/i.test(f.name),
  });
  const names = Object.keys(files).sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const blocks = strFromU8(files[name]!).match(PEM_BLOCK) ?? [];
    if (blocks.length > 1) return blocks.slice(1).map((b) => `${b}\n`).join("");
  }
  return "";
}

/** Nginx bundle first, then any bundle, then a plain `.pem`. */
function rank(name: string): number {
  if (/^nginx\//i.test(name)) return 0;
  if (/_bundle\./i.test(name)) return 1;
  return 2;
}
