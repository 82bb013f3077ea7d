import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { codeOf, signedCall } from "./support/raw-client";
import { createTinyBackend } from "./support/tiny-backend";

describe("per-action throttle over HTTP", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it("by default an SSL action allows a burst of 10, then answers RequestLimitExceeded; other actions are independent", async () => {
    emu = await startEmulator({ backend: createTinyBackend, log: () => {} });
    const port = emu.port;
    // 30 concurrent calls finish well within a second: 10 tokens plus whatever refilled meanwhile.
    const codes = await Promise.all(Array.from({ length: 30 }, () => signedCall(port, { action: "DescribeCertificates" }).then(codeOf)));
    const ok = codes.filter((c) => c === "ok").length;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThan(20);
    expect(codes.filter((c) => c !== "ok").every((c) => c === "RequestLimitExceeded")).toBe(true);
    expect(codeOf(await signedCall(port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } }))).toBe("ok");
  });

  it("runs on real time: advancing the emulator clock does not refill a bucket", async () => {
    emu = await startEmulator({ backend: createTinyBackend, throttle: { "ssl.DescribeCertificates": 0.01 }, log: () => {} });
    const port = emu.port;
    expect(codeOf(await signedCall(port, { action: "DescribeCertificates" }))).toBe("ok");
    expect(codeOf(await signedCall(port, { action: "DescribeCertificates" }))).toBe("RequestLimitExceeded");
    emu.admin.advanceClock(3600);
    const again = await signedCall(port, { action: "DescribeCertificates" });
    expect(codeOf(again)).toBe("RequestLimitExceeded");
    expect(again.json().Response["Error"]).toMatchObject({ Message: expect.stringContaining("ssl.DescribeCertificates") });
  });

  it("DNSPod CreateRecord allows 500/s", async () => {
    emu = await startEmulator({ backend: createTinyBackend, log: () => {} });
    const port = emu.port;
    const body = { Domain: "t.example", RecordType: "TXT", RecordLine: "默认", Value: "v" };
    const codes: string[] = [];
    for (let i = 0; i < 40; i++) codes.push(codeOf(await signedCall(port, { service: "dnspod", action: "CreateRecord", body })));
    expect(codes.every((c) => c === "ok")).toBe(true);
  });

  it("overrides per action, `throttle: false`, and setThrottle at runtime", async () => {
    emu = await startEmulator({ backend: createTinyBackend, throttle: { "ssl.DescribeCertificates": 2 }, log: () => {} });
    const port = emu.port;
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(codeOf(await signedCall(port, { action: "DescribeCertificates" })));
    expect(codes).toEqual(["ok", "ok", "RequestLimitExceeded"]);
    emu.admin.setThrottle(false);
    for (let i = 0; i < 20; i++) expect(codeOf(await signedCall(port, { action: "DescribeCertificates" }))).toBe("ok");
    emu.admin.setThrottle({ "ssl.*": 0 });
    expect(codeOf(await signedCall(port, { action: "DescribeCertificateDetail", body: { CertificateId: "cert0001" } }))).toBe("RequestLimitExceeded");
  });
});
