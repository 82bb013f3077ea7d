import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { codeOf, rawRequest, signedCall } from "./support/raw-client";
import { dnspodClient, sdkFailure, sslClient, UUID_RE } from "./support/sdk";
import { createTinyBackend } from "./support/tiny-backend";

describe("emulator transport and routing", () => {
  let emu: RunningEmulator;
  const logs: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ backend: createTinyBackend, throttle: false, log: (m) => logs.push(m) });
  });
  afterAll(() => emu.close());

  it("listens on 127.0.0.1 on a free port and names the SDK endpoints", () => {
    expect(emu.port).toBeGreaterThan(0);
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.endpoint("ssl")).toBe(`ssl.tencentcloudapi.com:${emu.port}`);
    expect(emu.endpoint("dnspod")).toBe(`dnspod.tencentcloudapi.com:${emu.port}`);
  });

  it("answers success as HTTP 200 {Response:{...,RequestId}} with a fresh UUID per call", async () => {
    const a = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    const b = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } });
    expect(a.status).toBe(200);
    expect(a.headers["content-type"]).toBe("application/json");
    expect(a.json()).toEqual({ Response: { CertificateId: "cert0001", Status: 1, RequestId: expect.stringMatching(UUID_RE) } });
    expect(b.json().Response["RequestId"]).not.toBe(a.json().Response["RequestId"]);
  });

  it("answers a handler's ApiError as HTTP 200 {Response:{Error:{Code,Message},RequestId}}", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificateDetail", body: { CertificateId: "nope" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ Response: { Error: { Code: "FailedOperation.CertificateNotFound", Message: "证书不存在。" }, RequestId: expect.stringMatching(UUID_RE) } });
  });

  it("routes DNSPod by the Host's first label (the SDK's dnspod client)", async () => {
    const created = await dnspodClient(emu.port).CreateRecord({ Domain: "example.com", RecordType: "TXT", RecordLine: "默认", Value: "v1" });
    expect(created.RecordId).toBeGreaterThan(0);
    const list = await dnspodClient(emu.port).DescribeRecordList({ Domain: "example.com" });
    expect(list.RecordList?.map((r) => r.Value)).toContain("v1");
  });

  it("falls back to X-TC-Version when the host names no service (endpoint 127.0.0.1:PORT signs scope `127`)", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificates", host: `127.0.0.1:${emu.port}`, service: "ssl" });
    expect(codeOf(res)).toBe("ok");
    const none = await signedCall(emu.port, { action: "DescribeCertificates", host: `127.0.0.1:${emu.port}`, version: "1999-01-01" });
    expect(codeOf(none)).toBe("NoSuchProduct");
  });

  it("an unknown action -> InvalidAction; a real action the backend lacks -> UnsupportedOperation", async () => {
    const f = await sdkFailure(sslClient(emu.port).request("DescribeNothing", {}));
    expect(f.code).toBe("InvalidAction");
    expect(f.message).toContain("DescribeNothing");
    const g = await sdkFailure(sslClient(emu.port).DescribeCompanies({}));
    expect(g.code).toBe("UnsupportedOperation");
    expect(g.message).toContain("ssl.DescribeCompanies");
  });

  it("the wrong X-TC-Version for the service -> NoSuchVersion; missing headers -> MissingParameter", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificates", version: "2021-03-23" });
    expect(codeOf(res)).toBe("NoSuchVersion");
    expect(res.json().Response["Error"]).toMatchObject({ Message: expect.stringContaining("2019-12-05") });
    const noAction = await signedCall(emu.port, { action: "DescribeCertificates", extraHeaders: { "X-TC-Action": "" } });
    expect(codeOf(noAction)).toBe("MissingParameter");
    const noVersion = await signedCall(emu.port, { action: "DescribeCertificates", extraHeaders: { "X-TC-Version": "" } });
    expect(codeOf(noVersion)).toBe("MissingParameter");
  });

  it("supports the SDK's GET mode (flattened query, form content type, empty payload hash)", async () => {
    const res = await sslClient(emu.port, undefined, "GET").DescribeCertificates({ Offset: 0, Limit: 5, CertificateStatus: [1, 4], Upload: 0, Tags: [{ TagKey: "k", TagValue: "v" }] });
    expect((res as unknown as { Echo: unknown }).Echo).toEqual({ Offset: 0, Limit: 5, CertificateStatus: [1, 4], Upload: 0, Tags: [{ TagKey: "k", TagValue: "v" }] });
    const dns = await dnspodClient(emu.port, undefined, "GET").CreateRecord({ Domain: "get.example", RecordType: "TXT", RecordLine: "默认", Value: "x", TTL: 600 });
    expect(dns.RecordId).toBeGreaterThan(0);
  });

  it("a JSON body that is not an object, or not JSON -> InvalidParameter", async () => {
    for (const body of ["[1,2]", "\"text\"", "{not json", "42"]) {
      const res = await signedCall(emu.port, { action: "DescribeCertificates", body });
      expect(codeOf(res)).toBe("InvalidParameter");
    }
  });

  it("a body over 10 MB -> RequestSizeLimitExceeded", async () => {
    const res = await signedCall(emu.port, { action: "DescribeCertificates", body: JSON.stringify({ SearchKey: "x".repeat(10 * 1024 * 1024 + 10) }) });
    expect(codeOf(res)).toBe("RequestSizeLimitExceeded");
  });

  it("a handler that throws a plain Error -> InternalError, logged, and the server keeps serving", async () => {
    const res = await signedCall(emu.port, { action: "EmulatorBoom" });
    expect(codeOf(res)).toBe("InternalError");
    expect(logs.some((l) => l.includes("ssl.EmulatorBoom") && l.includes("boom"))).toBe(true);
    expect(codeOf(await signedCall(emu.port, { action: "DescribeCertificates" }))).toBe("ok");
  });

  it("handlers get the emulator clock and base URL", async () => {
    emu.admin.setClock(new Date("2030-05-06T07:08:09Z"));
    const res = await signedCall(emu.port, { action: "EmulatorEcho", body: { A: 1 } });
    const r = res.json().Response;
    expect(r["Params"]).toEqual({ A: 1 });
    expect(Date.parse(r["Now"] as string) - Date.parse("2030-05-06T07:08:09Z")).toBeLessThan(5000);
    expect(r["BaseUrl"]).toBe(emu.url);
    emu.admin.setClock(new Date());
  });

  it("other paths and methods -> InvalidRequest envelopes", async () => {
    const put = await rawRequest(emu.port, { method: "PUT", headers: { Host: `ssl.tencentcloudapi.com:${emu.port}` } });
    expect(JSON.parse(put.text).Response.Error.Code).toBe("InvalidRequest");
    const other = await rawRequest(emu.port, { path: "/v2/api", headers: { Host: `ssl.tencentcloudapi.com:${emu.port}` } });
    expect(JSON.parse(other.text).Response.Error.Code).toBe("InvalidRequest");
  });

  it("survives malformed HTTP (answers 400 and keeps serving)", async () => {
    const net = await import("node:net");
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect(emu.port, "127.0.0.1", () => s.write("NOT HTTP AT ALL\r\n\r\n"));
      let data = "";
      s.on("data", (d) => (data += d.toString()));
      s.on("close", () => resolve(data));
      s.on("error", reject);
    });
    expect(reply).toContain("400");
    expect(codeOf(await signedCall(emu.port, { action: "DescribeCertificates" }))).toBe("ok");
  });
});

describe("emulator shutdown", () => {
  it("close() with a request in flight (a latency fault) ends it without crashing the process", async () => {
    const logs: string[] = [];
    const emu = await startEmulator({ backend: createTinyBackend, throttle: false, log: (m) => logs.push(m) });
    emu.admin.addFault({ action: "DescribeCertificates", kind: "latency", ms: 300 });
    const pending = signedCall(emu.port, { action: "DescribeCertificates" }).then(
      () => "answered",
      () => "connection closed",
    );
    await new Promise((r) => setTimeout(r, 50));
    await emu.close();
    expect(await pending).toBe("connection closed");
    await new Promise((r) => setTimeout(r, 400)); // the delayed handler finishes after close
    expect(logs).toEqual([]);
    await emu.close(); // idempotent
  });
});
