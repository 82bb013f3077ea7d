/**
 * Robustness: a few hundred random, mistyped or garbage bodies per action, signed, from a seeded PRNG
 * (deterministic). The server must never crash, and every answer must be a Tencent envelope: a
 * success, or an error with a Tencent code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { SERVICE_VERSIONS, type ServiceName } from "../../../emulator/contract";
import { serviceSchema } from "../../../emulator/schema";
import { parseFieldType } from "../../../emulator/schema/types";
import { signRequest } from "../../../emulator/tc3";
import { rawRequest } from "./support/raw-client";
import { ACCOUNT, createTinyBackend } from "./support/tiny-backend";
import { prng } from "../../support/prng";


const ACTIONS: readonly [ServiceName, string][] = [
  ["ssl", "DescribeCertificateDetail"],
  ["ssl", "DescribeCertificates"],
  ["ssl", "CreateCertificateByPackage"],
  ["ssl", "CertificateInfoSubmit"],
  ["ssl", "UpdateCertificateInstance"],
  ["dnspod", "CreateRecord"],
  ["dnspod", "DescribeRecordList"],
  ["dnspod", "ModifyRecord"],
];
const PER_ACTION = 300;
const ALLOWED = new Set(["ok", "MissingParameter", "UnknownParameter", "InvalidParameter", "UnsupportedOperation", "FailedOperation.CertificateNotFound", "RequestSizeLimitExceeded"]);

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const str = (): string => pick(["", "a", "0", "12", "-1", "1.5", "true", "null", "默认", "x".repeat(int(50)), "\u0000\uffff", "__proto__", "😀".repeat(3)]);
  const scalar = (): unknown => pick<() => unknown>([str, () => int(1e6) - 5e5, () => rnd(), () => rnd() < 0.5, () => null, () => Number.MAX_SAFE_INTEGER])();
  const junk = (depth: number): unknown => {
    if (depth > 3 || rnd() < 0.5) return scalar();
    if (rnd() < 0.5) return Array.from({ length: int(4) }, () => junk(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(["a", "B", "Tags", "0", "constructor", "__proto__"]), junk(depth + 1)]));
  };
  const fieldValue = (type: string): unknown => {
    const t = parseFieldType(type);
    const r = rnd();
    if (r < 0.6) {
      // Mostly right type, sometimes wrong.
      const base = (): unknown => (t.base === "string" ? str() : t.base === "number" ? pick([int(100), String(int(100)), "abc", 1.5]) : t.base === "boolean" ? pick([true, false, "true", 1]) : junk(1));
      return t.arrayDepth > 0 ? Array.from({ length: int(3) }, base) : base();
    }
    return junk(0);
  };
  return (service: ServiceName, action: string): { body: Buffer | string; get: boolean } => {
    const fields = serviceSchema(service).actions.get(action)?.fields ?? new Map();
    const kind = int(10);
    if (kind === 0) return { body: pick(["[]", "[1,2,3]", "\"s\"", "123", "null", "true", "{", "{\"a\":", "{}}", "\u0000", ""]), get: false };
    if (kind === 1) return { body: Buffer.from(Array.from({ length: int(64) }, () => int(256))), get: false };
    if (kind === 2) {
      const deep = "[".repeat(2000 + int(3000)) + "]".repeat(int(2));
      return { body: rnd() < 0.5 ? deep : `{"A":${"{\"A\":".repeat(500)}1${"}".repeat(500)}}`, get: false };
    }
    if (kind === 3) return { body: JSON.stringify({ [pick([...fields.keys(), "SearchKey"])]: "y".repeat(50_000 + int(200_000)) }), get: false };
    const obj: Record<string, unknown> = {};
    if (kind === 5) {
      // A well-typed body: required fields only, right types (reaches the handler).
      const valid = (base: string): unknown => (base === "string" ? pick(["cert0001", "a.com", "v"]) : base === "number" ? int(100) : base === "boolean" ? true : {});
      for (const [name, type] of fields) if (type.required) obj[name] = type.arrayDepth > 0 ? [valid(type.base)] : valid(type.base);
      return { body: JSON.stringify(obj), get: false };
    }
    for (const [name, type] of fields) {
      if (rnd() < 0.7) obj[name] = fieldValue(type.base + "[]".repeat(type.arrayDepth));
    }
    if (rnd() < 0.2) obj[pick(["Unknown", "__proto__", "constructor", "toString", "hasOwnProperty"])] = junk(0);
    if (kind === 4) {
      const query = new URLSearchParams(Object.entries(obj).map(([k, v]): [string, string] => [pick([k, `${k}.0`, `${k}.x.1`, `${k}..`]), String(v)])).toString();
      return { body: query, get: true };
    }
    return { body: JSON.stringify(obj), get: false };
  };
}

describe("robustness: random and garbage bodies, signed", () => {
  let emu: RunningEmulator;
  const logs: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ backend: createTinyBackend, throttle: false, log: (m) => logs.push(m) });
  });
  afterAll(() => emu.close());

  it(`${ACTIONS.length} actions x ${PER_ACTION} bodies: every answer is a Tencent envelope with a known code`, async () => {
    const gen = generator(20240601);
    const outcomes = new Map<string, number>();
    for (const [service, action] of ACTIONS) {
      const jobs = Array.from({ length: PER_ACTION }, () => gen(service, action));
      for (let i = 0; i < jobs.length; i += 16) {
        await Promise.all(
          jobs.slice(i, i + 16).map(async ({ body, get }) => {
            const host = `${service}.tencentcloudapi.com:${emu.port}`;
            const common = { secretId: ACCOUNT.secretId, secretKey: ACCOUNT.secretKey, service, host, action, version: SERVICE_VERSIONS[service] };
            const headers = get ? signRequest({ ...common, method: "GET", query: body as string, body: "" }) : signRequest({ ...common, body });
            const res = await rawRequest(emu.port, get ? { method: "GET", path: `/?${body as string}`, headers } : { headers, body });
            expect(res.status).toBe(200);
            const parsed = JSON.parse(res.text) as { Response: { RequestId?: string; Error?: { Code: string; Message: string } } };
            expect(parsed.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
            const code = parsed.Response.Error?.Code ?? "ok";
            if (!ALLOWED.has(code)) throw new Error(`${service}.${action}: unexpected ${code} ${parsed.Response.Error?.Message ?? ""} for ${String(body).slice(0, 200)}`);
            if (code !== "ok") expect(parsed.Response.Error?.Message.length).toBeGreaterThan(0);
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          }),
        );
      }
    }
    // The generator reaches the main branches, and the server is still healthy.
    const seen = Object.fromEntries(outcomes);
    for (const code of ["ok", "MissingParameter", "UnknownParameter", "InvalidParameter", "UnsupportedOperation"]) expect(seen, code).toHaveProperty(code);
    expect(logs).toEqual([]);
    const health = await rawRequest(emu.port, { method: "GET", path: "/_emulator/health" });
    expect(JSON.parse(health.text)).toMatchObject({ ok: true });
    expect(emu.admin.calls().calls.length).toBe(ACTIONS.length * PER_ACTION);
  });
});
