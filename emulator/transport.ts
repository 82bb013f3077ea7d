/** HTTP plumbing: bodies, envelopes, query/form parameters. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { apiErrors } from "./api-errors";

/** Tencent's limit for a POST body (API 3.0 docs: 10 MB). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ReadBody {
  readonly body: Buffer;
  /** The body was larger than the limit; `body` is then empty (the rest was drained). */
  readonly tooLarge: boolean;
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}

export function headerString(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : v;
}

/** Splits a raw request target into path and raw query (no decoding, as signed). */
export function splitTarget(target: string): { path: string; query: string } {
  const i = target.indexOf("?");
  return i === -1 ? { path: target, query: "" } : { path: target.slice(0, i), query: target.slice(i + 1) };
}

export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function successEnvelope(requestId: string, fields: Record<string, unknown>): { Response: Record<string, unknown> } {
  return { Response: { ...fields, RequestId: requestId } };
}

export function errorEnvelope(requestId: string, code: string, message: string): { Response: Record<string, unknown> } {
  return { Response: { Error: { Code: code, Message: message }, RequestId: requestId } };
}

type Tree = Map<string, Tree | string>;

/**
 * Parameters flattened the way the SDK's GET mode sends them (`CertificateStatus.0=1`,
 * `Tags.0.TagKey=a`) back into objects. Arrays stay objects keyed by index here; the validator turns
 * them into arrays where the model says so. Every leaf is a string.
 * @throws ApiError `InvalidParameter` for a repeated or conflicting key
 */
export function parseFlatParams(raw: string): Record<string, unknown> {
  const root: Tree = new Map();
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.split(".");
    if (parts.some((p) => p === "")) throw apiErrors.invalidParameter(`The parameter name \`${key}\` is malformed.`);
    let node: Tree = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const existing = node.get(part);
      if (i === parts.length - 1) {
        if (existing !== undefined) throw apiErrors.invalidParameter(`The parameter \`${key}\` is given more than once or conflicts with another.`);
        node.set(part, value);
      } else if (existing === undefined) {
        const child: Tree = new Map();
        node.set(part, child);
        node = child;
      } else if (typeof existing === "string") {
        throw apiErrors.invalidParameter(`The parameter \`${parts.slice(0, i + 1).join(".")}\` conflicts with \`${key}\`.`);
      } else {
        node = existing;
      }
    }
  }
  const toObject = (tree: Tree): Record<string, unknown> =>
    Object.fromEntries([...tree].map(([k, v]) => [k, typeof v === "string" ? v : toObject(v)]));
  return toObject(root);
}
