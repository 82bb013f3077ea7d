/**
 * Live, READ-ONLY contract tests against a real Tencent Cloud account (issue 12). Skipped unless
 * `TENCENT_LIVE=1`. They run `tccert doctor`'s checks as assertions, through the same probe, which
 * refuses anything but read actions; a guard here also records every action sent and fails on any
 * that is not a read. Nothing is paid or changed: the suite costs nothing.
 *
 *   TENCENT_LIVE=1 TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... npm run test:live
 *
 * Optional: `TENCENT_LIVE_CERTIFICATE_ID` (check that certificate; default every issued paid one),
 * `TENCENTCLOUD_SITE=intl` (Tencent Cloud International), `TCCERT_ENDPOINT` (e.g. the emulator, to
 * try the suite itself).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runDoctor, type DoctorReport } from "../../engine/doctor";
import type { DoctorDeps } from "../../engine/doctor-types";
import { isInvalidInputError } from "../../engine/errors";
import { isProbeReadAction, type TencentProbe } from "../../engine/probe-port";
import { createDoctorDeps } from "../../runtime";

const LIVE = process.env["TENCENT_LIVE"] === "1";

/** The probe, with every action it is asked to send recorded (sent or refused). */
function guarded(probe: TencentProbe, asked: string[]): TencentProbe {
  return {
    target: probe.target,
    read: (service, action, input) => {
      asked.push(`${service}.${action}`);
      return probe.read(service, action, input);
    },
    serverTime: () => probe.serverTime(),
  };
}

describe.skipIf(!LIVE)("live Tencent account, read-only", () => {
  const asked: string[] = [];
  let deps: DoctorDeps;
  let report: DoctorReport;

  beforeAll(async () => {
    const base = createDoctorDeps({ frontEnd: "cli", timeoutSeconds: 30 });
    deps = { ...base, probe: guarded(base.probe, asked) };
    const id = process.env["TENCENT_LIVE_CERTIFICATE_ID"];
    report = await runDoctor(deps, id ? { certificateId: id } : {});
    for (const c of report.checks) if (c.status !== "pass") console.warn(`${c.status.toUpperCase()} ${c.id} (${c.subject}): ${c.evidence}`);
  }, 300_000);

  it("sent read actions only", () => {
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((a) => !isProbeReadAction(a.split(".")[0]!, a.split(".")[1]!))).toEqual([]);
  });

  it("the probe refuses the paid call and every mutating call before sending it", async () => {
    for (const [service, action] of [["ssl", "CreateCertificateByPackage"], ["ssl", "CertificateOrderSubmit"], ["dnspod", "CreateRecord"], ["dnspod", "DeleteRecord"]] as const) {
      const e = await deps.probe.read(service, action, {}).catch((x: unknown) => x);
      expect(isInvalidInputError(e), `${service}.${action}`).toBe(true);
    }
  });

  const families = ["clock.", "cam.", "certificate.", "packages.", "link.", "dns."];
  it.each(families)("no %s check fails", (prefix) => {
    const failed = report.checks.filter((c) => c.id.startsWith(prefix) && c.status === "fail");
    expect(failed.map((c) => `${c.id} (${c.subject}): ${c.evidence} ${c.fix}`)).toEqual([]);
  });

  it("checked at least one certificate, and Tencent's answers have the shapes the engine reads", () => {
    expect(report.certificates.length).toBeGreaterThan(0);
    const list = report.answers.find((a) => a.action === "DescribeCertificates" && a.output !== null)?.output;
    expect(typeof list?.["TotalCount"]).toBe("number");
    expect(Array.isArray(list?.["Certificates"])).toBe(true);
    const detail = report.answers.find((a) => a.action === "DescribeCertificateDetail" && a.output !== null)?.output;
    expect(typeof detail?.["CertificateExtra"]).toBe("object");
    expect(["number", "string"]).toContain(typeof detail?.["Status"]);
  });
});
