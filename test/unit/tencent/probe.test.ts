/**
 * The read-only probe (issue 12): it sends read actions through the real SDK, and refuses every
 * other action before anything leaves the machine. A local HTTP server counts what arrives.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInvalidInputError } from "../../../engine/errors";
import { PROBE_READ_ACTIONS } from "../../../engine/probe-port";
import { createTencentApis } from "../../../tencent";

let server: http.Server;
const actions: string[] = [];
let url = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    actions.push(String(req.headers["x-tc-action"] ?? ""));
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ Response: { TotalCount: 0, Certificates: [], RequestId: "r-1" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const probe = () => createTencentApis({ credentials: { secretId: "AKIDPROBETEST0000000000001", secretKey: "k" }, endpoint: url, env: {} }).probe;

describe("TencentProbe", () => {
  it("lists only read actions", () => {
    const all = [...PROBE_READ_ACTIONS.ssl, ...PROBE_READ_ACTIONS.dnspod] as string[];
    expect(all.every((a) => /^(Describe|Check)/.test(a))).toBe(true);
  });

  it("sends a read and returns Tencent's raw answer", async () => {
    const a = await probe().read("ssl", "DescribeCertificates", { Offset: 0, Limit: 1 });
    expect(a.error).toBeNull();
    expect(a.output).toMatchObject({ TotalCount: 0, RequestId: "r-1" });
    expect(actions).toContain("DescribeCertificates");
  });

  it.each([
    ["ssl", "CreateCertificateByPackage"],
    ["ssl", "CertificateOrderSubmit"],
    ["ssl", "UpdateCertificateInstance"],
    ["dnspod", "CreateRecord"],
    ["dnspod", "DeleteRecord"],
    ["dnspod", "DescribeCertificates"],
  ] as const)("refuses %s.%s before sending anything", async (service, action) => {
    const before = actions.length;
    const e = await probe().read(service, action, {}).catch((x: unknown) => x);
    expect(isInvalidInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(new RegExp(`^tencent: probe: ${service}\\.${action} is not a read action, so it was not sent\\. The probe sends only ssl\\.DescribeCertificates, `));
    expect(actions.length).toBe(before);
  });

  it("reads the server's Date header without calling an action", async () => {
    const before = actions.length;
    const t = await probe().serverTime();
    expect(t.serverDate).not.toBeNull();
    expect(Math.abs((t.serverDate?.getTime() ?? 0) - Date.now())).toBeLessThan(5000);
    expect(actions.slice(before)).toEqual([""]);
  });
});
