/**
 * The canary's observation schedule (issue 12): on the engine's clock and sleep, so the real
 * 0 s / 5 s / 30 s / 5 min schedule runs in microseconds here. The probe is a port fake that answers
 * like Tencent would at each instant: the link shows on the old side only from 30 s on.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CANARY_SAMPLES, observeOrder } from "../../../engine/canary";
import type { RawObject, TencentProbe } from "../../../engine/probe-port";
import { FakeClock, fakeSleep } from "../../support/fake-clock";

function probeAt(clock: FakeClock, paidAt: number): TencentProbe & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    target: { site: "cn", sslHost: "ssl.tencentcloudapi.com", dnspodHost: "dnspod.tencentcloudapi.com", override: null, secretId: "AKID…0001" },
    async read(service, action, input) {
      sent.push(action);
      const elapsed = (clock.now().getTime() - paidAt) / 1000;
      const id = String(input["CertificateId"] ?? "");
      let output: RawObject;
      if (action === "DescribeCertificates") output = { Certificates: [{ CertificateId: "old1", HasRenewOrder: elapsed >= 30 ? "new1" : "" }, { CertificateId: "new1", HasRenewOrder: "" }] };
      else if (id === "new1")
        output = {
          Status: elapsed >= 300 ? 1 : 4, StatusMsg: elapsed >= 300 ? "" : "PENDING-DCV", VerifyType: "DNS",
          DvAuthDetail: { DvAuths: [{ DvAuthDomain: "example.com", DvAuthKey: "_dnsauth.a.example.com", DvAuthValue: "v", DvAuthVerifyType: "TXT" }] },
          CertificateExtra: { OriginCertificateId: "old1" },
        };
      else output = { CertificateExtra: { RenewOrder: elapsed >= 30 ? "new1" : null }, RenewAble: false };
      return { service, action, input, output, error: null };
    },
    async serverTime() {
      return { serverDate: clock.now(), sentAt: clock.now(), receivedAt: clock.now(), host: "ssl.tencentcloudapi.com", detail: "" };
    },
  };
}

describe("observeOrder", () => {
  it("looks at +0, +5, +30 and +300 s by default, sleeping on the engine's clock", async () => {
    const clock = new FakeClock();
    const sleep = fakeSleep(clock);
    const paidAtMs = clock.now().getTime();
    const probe = probeAt(clock, paidAtMs);
    clock.advance(400); // the paid call's answer took 0.4 s
    const o = await observeOrder({ sleep }, { probe, clock }, { oldCertificateId: "old1", newCertificateId: "new1", paidAtMs });
    expect(DEFAULT_CANARY_SAMPLES).toEqual([0, 5, 30, 300]);
    expect(o.samples.map((s) => s.atSeconds)).toEqual([0, 5, 30, 300]);
    expect(sleep.sleeps).toEqual([4600, 25_000, 270_000]);
    expect(o.samples.map((s) => s.order.status)).toEqual([4, 4, 4, 1]);
    expect(o.samples.map((s) => s.old.renewOrder)).toEqual(["", "", "new1", "new1"]);
    expect(o.samples.map((s) => s.old.hasRenewOrder)).toEqual(["", "", "new1", "new1"]);
    expect(o.samples[0]?.order).toMatchObject({ statusMsg: "PENDING-DCV", verifyType: "DNS", originCertificateId: "old1", dvAuths: [{ domain: "example.com", key: "_dnsauth.a.example.com", value: "v", type: "TXT" }] });
    expect(o.paidAt).toBe(new Date(paidAtMs).toISOString());
    // Read actions only: two details and one list per look.
    expect(new Set(probe.sent)).toEqual(new Set(["DescribeCertificateDetail", "DescribeCertificates"]));
    expect(o.answers).toHaveLength(12);
  });

  it("stops when aborted, like the engine's sleep", async () => {
    const clock = new FakeClock();
    const sleep = fakeSleep(clock);
    const controller = new AbortController();
    controller.abort(new Error("stopped"));
    const probe = probeAt(clock, clock.now().getTime());
    await expect(observeOrder({ sleep }, { probe, clock }, { oldCertificateId: "old1", newCertificateId: "new1", paidAtMs: clock.now().getTime() }, [0, 5], controller.signal)).rejects.toThrow("stopped");
  });
});
