/** `--record`: raw answers as fixtures, with every key, credential, account id and contact datum removed (issue 12). */
import { describe, expect, it } from "vitest";
import { fixturesOf, redactValue, REDACTED } from "../../../engine/doctor-record";
import type { RawAnswer } from "../../../engine/probe-port";

const PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEPLANTEDKEYMATERIAL0123456789\n-----END RSA PRIVATE KEY-----\n";
const SECRET_ID = "AKIDPLANTEDSECRETID00000000000000001";
const SECRET_KEY = "planted-secret-key-000000000000000001";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIPUBLIC\n-----END CERTIFICATE-----\n";

const planted: RawAnswer = {
  service: "ssl",
  action: "DescribeCertificateDetail",
  input: { CertificateId: "c1" },
  output: {
    CertificateId: "c1",
    OwnerUin: "100012345678",
    CertificatePrivateKey: PRIVATE_KEY,
    EncryptPrivateKey: PRIVATE_KEY,
    CertificatePublicKey: CERT,
    StatusMsg: `echo of ${SECRET_KEY} and ${SECRET_ID}`,
    SubmittedData: { AdminEmail: "admin@example.com", AdminPhoneNum: "13800000000", KeyPassword: "hunter2", ContactEmail: "c@example.com", CsrContent: "" },
    ProjectInfo: { OwnerUin: 100012345678, ProjectCreatorUin: 100012345678 },
    Nested: [{ Note: PRIVATE_KEY }],
    DvAuthDetail: { DvAuths: [{ DvAuthKey: "_dnsauth.a.example.com", DvAuthValue: "abc" }] },
    RequestId: "req-1",
  },
  error: null,
};

describe("redaction of recorded answers", () => {
  it("removes planted keys, credentials, account ids and contact data; keeps what a fixture needs", () => {
    const [f] = fixturesOf([planted], { source: "tccert doctor (redacted)", recordedAt: "2026-06-01T00:00:00.000Z" }, [SECRET_ID, SECRET_KEY]);
    const text = JSON.stringify(f);
    for (const secret of ["PLANTEDKEYMATERIAL", "PRIVATE KEY", SECRET_ID, SECRET_KEY, "100012345678", "admin@example.com", "13800000000", "hunter2", "c@example.com"])
      expect(text, secret).not.toContain(secret);
    const r = (f?.content.output.Response ?? {}) as Record<string, unknown>;
    expect(r["CertificatePrivateKey"]).toBe(REDACTED);
    expect(r["OwnerUin"]).toBe("********");
    expect((r["ProjectInfo"] as Record<string, unknown>)["OwnerUin"]).toBe(1);
    expect(r["CertificatePublicKey"]).toBe(CERT);
    expect(r["RequestId"]).toBe("req-1");
    expect(r["DvAuthDetail"]).toEqual(planted.output?.["DvAuthDetail"]);
    expect(f?.name).toBe("ssl.DescribeCertificateDetail.1.json");
  });

  it("scrubs any AKID SecretId, even one it was not told about", () => {
    expect(redactValue({ Message: "key AKIDSOMEOTHERKEY12345 refused" })).toEqual({ Message: "key AKID******** refused" });
  });

  it("numbers fixtures per action and records errors as Tencent's error envelope", () => {
    const err: RawAnswer = { service: "dnspod", action: "DescribeRecordList", input: { Domain: "example.com" }, output: null, error: { code: "AuthFailure.UnauthorizedOperation", message: "denied", requestId: "r9" } };
    const files = fixturesOf([err, err], { source: "s", recordedAt: "t" });
    expect(files.map((f) => f.name)).toEqual(["dnspod.DescribeRecordList.1.json", "dnspod.DescribeRecordList.2.json"]);
    expect(files[0]?.content.output.Response).toEqual({ Error: { Code: "AuthFailure.UnauthorizedOperation", Message: "denied" }, RequestId: "r9" });
  });
});
