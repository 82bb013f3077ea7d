/**
 * Test scaffolding: a tiny HTTP server that answers the Tencent SDK the way
 * the real gateway can (an API error envelope, HTTP 500, a non-JSON body, JSON
 * without `Response`, a dropped socket, silence). It exists to observe the
 * REAL SDK's behaviour through our adapter; it is not a mock of our code.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  readonly action: string;
  readonly host: string;
  readonly authorization: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  /** 1-based count of requests of this action so far. */
  readonly nth: number;
}

export type Reply =
  | { readonly ok: Record<string, unknown> }
  | { readonly error: string; readonly message?: string }
  | { readonly status: number; readonly body?: string }
  | { readonly raw: string }
  | { readonly destroy: true }
  | { readonly hang: true };

export type Script = (req: SeenRequest) => Reply;

export interface ScriptedServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  count(action: string): number;
  setScript(script: Script): void;
  close(): Promise<void>;
}

export async function startScriptedServer(initial: Script = () => ({ ok: {} })): Promise<ScriptedServer> {
  let script = initial;
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = String(req.headers["x-tc-action"] ?? "");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        body = {};
      }
      const seen: SeenRequest = {
        action,
        host: String(req.headers.host ?? ""),
        authorization: String(req.headers.authorization ?? ""),
        body,
        at: Date.now(),
        nth: requests.filter((r) => r.action === action).length + 1,
      };
      requests.push(seen);
      const reply = script(seen);
      const requestId = `req-${requests.length}`;
      if ("ok" in reply) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: { ...reply.ok, RequestId: requestId } }));
      } else if ("error" in reply) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ Response: { Error: { Code: reply.error, Message: reply.message ?? `scripted ${reply.error}` }, RequestId: requestId } }));
      } else if ("status" in reply) {
        res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? "");
      } else if ("raw" in reply) {
        res.writeHead(200, { "content-type": "application/json" }).end(reply.raw);
      } else if ("destroy" in reply) {
        req.socket.destroy();
      }
      // hang: never answer
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (action) => requests.filter((r) => r.action === action).length,
    setScript: (s) => {
      script = s;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
