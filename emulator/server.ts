/**
 * The HTTP entry point: reads the body, then hands the request to the admin routes (`/_emulator/…`,
 * `admin-http.ts`) or to the API chain (everything else, `api-chain.ts`). Answers are HTTP 200 with
 * `{"Response":{...,"RequestId"}}` (errors in `Response.Error`), except for scripted transport faults.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { handleAdminRequest } from "./admin-http";
import { runApiChain } from "./api-chain";
import { ADMIN_PREFIX, type EmulatorCore } from "./core";
import { readBody, sendJson } from "./transport";

export { ADMIN_PREFIX, type EmulatorCore } from "./core";

export function createRequestListener(core: EmulatorCore): RequestListener {
  return (req, res) => {
    handle(core, req, res).catch((err: unknown) => {
      core.log(`emulator: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { code: "InternalError", message: "unexpected emulator error" } });
      else res.destroy();
    });
  };
}

async function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? "/";
  const { body, tooLarge } = await readBody(req);
  if (target.startsWith(ADMIN_PREFIX) || target === "/_emulator") {
    await handleAdminRequest(core, req, res, target, body);
    return;
  }
  await runApiChain(core, req, res, target, body, tooLarge);
}
