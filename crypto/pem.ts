/**
 * PEM text helpers shared by the crypto adapter. Nothing here logs or returns
 * the contents of a block in an error message: blocks may hold private keys.
 */

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
  /** The block as it stood, `-----BEGIN` to `-----END …-----`, line endings normalised to `\n`. */
  readonly pem: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** `\r\n` and lone `\r` become `\n`. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Every PEM block in `text`, in order. Text between blocks is ignored. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of normaliseLineEndings(text).matchAll(BLOCK)) {
    const label = match[1] ?? "";
    const body = (match[2] ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    blocks.push({ label, der: Buffer.from(body, "base64"), pem: match[0] });
  }
  return blocks;
}
