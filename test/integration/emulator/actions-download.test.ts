/**
 * Downloads through the real SDK: DownloadCertificate (base64 zip, legacy layout) and
 * DescribeDownloadCertificateUrl (a URL the emulator serves over HTTP).
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTencentError, httpGet, parseCertificates, startActionsEmulator, type ActionsEnv } from "./support/actions";

const C = { rsa: "DownRsa1", ec: "DownEcc1", wild: "DownWild", pending: "DownPend" } as const;

let env: ActionsEnv;

function files(zip: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(zip))) out[name] = strFromU8(data);
  return out;
}

beforeAll(async () => {
  env = await startActionsEmulator({
    zones: [{ zone: "example.com" }],
    certificates: [
      { certificateId: C.rsa, domain: "dl.example.com", sans: ["www.dl.example.com"], expiresInDays: 90 },
      { certificateId: C.ec, domain: "ec.example.com", keyAlgorithm: "EC_P256", expiresInDays: 90 },
      { certificateId: C.wild, domain: "*.wild.example.com", expiresInDays: 90 },
      { certificateId: C.pending, domain: "pending.example.com", status: 4 },
    ],
  });
});

afterAll(async () => {
  await env?.close();
});

describe("DownloadCertificate", () => {
  it("answers a base64 zip with the legacy layout; every PEM parses and fits together", async () => {
    const r = await env.ssl.DownloadCertificate({ CertificateId: C.rsa });
    expect(r.ContentType).toBe("application/zip");
    const f = files(Buffer.from(r.Content ?? "", "base64"));
    const d = "dl.example.com";
    expect(Object.keys(f).sort()).toEqual([
      "Apache/1_root_bundle.crt", `Apache/2_${d}.crt`, `Apache/3_${d}.key`, `Nginx/1_${d}_bundle.crt`, `Nginx/2_${d}.key`, `${d}.csr`, `${d}.key`, `${d}.pem`,
    ].sort());
    const [leaf, inter] = parseCertificates(f[`Nginx/1_${d}_bundle.crt`] ?? "");
    expect(leaf?.subject).toContain(`CN=${d}`);
    expect(leaf?.subjectAltName).toBe(`DNS:${d}, DNS:www.${d}`);
    expect(inter && leaf?.checkIssued(inter)).toBe(true);
    expect(new X509Certificate(f[`Apache/2_${d}.crt`] ?? "").fingerprint256).toBe(leaf?.fingerprint256);
    const [chainInter, root] = parseCertificates(f["Apache/1_root_bundle.crt"] ?? "");
    expect(chainInter?.fingerprint256).toBe(inter?.fingerprint256);
    expect(root && root.subject === root.issuer && root.checkIssued(root)).toBe(true);
    for (const k of [`${d}.key`, `Nginx/2_${d}.key`, `Apache/3_${d}.key`]) {
      expect(f[k]).toContain("BEGIN RSA PRIVATE KEY");
      expect(leaf?.checkPrivateKey(createPrivateKey(f[k] ?? ""))).toBe(true);
    }
    expect(f[`${d}.csr`]).toContain("BEGIN CERTIFICATE REQUEST");
    expect(f[`${d}.pem`]).toBe(f[`Nginx/1_${d}_bundle.crt`]);
    // The zip holds what DescribeCertificateDetail answers.
    const detail = await env.ssl.DescribeCertificateDetail({ CertificateId: C.rsa });
    expect(f[`${d}.pem`]).toBe(detail.CertificatePublicKey);
  });

  it("an EC certificate ships an EC key; a wildcard's files use _ for *", async () => {
    const ec = files(Buffer.from((await env.ssl.DownloadCertificate({ CertificateId: C.ec })).Content ?? "", "base64"));
    expect(ec["ec.example.com.key"]).toContain("BEGIN EC PRIVATE KEY");
    const [leaf] = parseCertificates(ec["Apache/2_ec.example.com.crt"] ?? "");
    expect(leaf?.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(leaf?.checkPrivateKey(createPrivateKey(ec["ec.example.com.key"] ?? ""))).toBe(true);
    const wild = files(Buffer.from((await env.ssl.DownloadCertificate({ CertificateId: C.wild })).Content ?? "", "base64"));
    expect(Object.keys(wild)).toContain("Nginx/1__.wild.example.com_bundle.crt");
    expect(parseCertificates(wild["_.wild.example.com.pem"] ?? "")[0]?.subjectAltName).toBe("DNS:*.wild.example.com");
  });

  it("before issuance -> CertificateStatusNotAllowDownload; unknown -> CertificateNotFound", async () => {
    await expectTencentError(env.ssl.DownloadCertificate({ CertificateId: C.pending }), "FailedOperation.CertificateStatusNotAllowDownload");
    await expectTencentError(env.ssl.DownloadCertificate({ CertificateId: "Nope0000" }), "FailedOperation.CertificateNotFound");
  });
});

describe("DescribeDownloadCertificateUrl", () => {
  it("nginx (default): a URL served over HTTP as a zip with the nginx layout", async () => {
    const r = await env.ssl.DescribeDownloadCertificateUrl({ CertificateId: C.rsa });
    expect(r.DownloadFilename).toBe("dl.example.com_nginx.zip");
    expect(r.DownloadCertificateUrl?.startsWith(`${env.emu.url}/_emulator/download/`)).toBe(true);
    const got = await httpGet(r.DownloadCertificateUrl ?? "");
    expect(got.status).toBe(200);
    expect(got.type).toBe("application/zip");
    expect(got.body.subarray(0, 4).toString("hex")).toBe("504b0304"); // "PK\3\4"
    const f = files(new Uint8Array(got.body));
    const dir = "dl.example.com_nginx/";
    expect(Object.keys(f).sort()).toEqual([`${dir}dl.example.com.csr`, `${dir}dl.example.com.key`, `${dir}dl.example.com_bundle.crt`, `${dir}dl.example.com_bundle.pem`]);
    const [leaf] = parseCertificates(f[`${dir}dl.example.com_bundle.crt`] ?? "");
    expect(leaf?.checkPrivateKey(createPrivateKey(f[`${dir}dl.example.com.key`] ?? ""))).toBe(true);
  });

  it("apache, other and root layouts", async () => {
    const layouts: Record<string, string[]> = {
      apache: ["root_bundle.crt", "ec.example.com.crt", "ec.example.com.key", "ec.example.com.csr"],
      other: ["ec.example.com.pem", "ec.example.com.key", "ec.example.com.csr"],
      root: ["root_bundle.crt"],
    };
    for (const [type, names] of Object.entries(layouts)) {
      const r = await env.ssl.DescribeDownloadCertificateUrl({ CertificateId: C.ec, ServiceType: type });
      expect(r.DownloadFilename).toBe(`ec.example.com_${type}.zip`);
      const got = await httpGet(r.DownloadCertificateUrl ?? "");
      expect(got.status).toBe(200);
      expect(Object.keys(files(new Uint8Array(got.body))).sort()).toEqual(names.map((n) => `ec.example.com_${type}/${n}`).sort());
    }
  });

  it("tomcat/iis/jks -> CertificateDownloadServiceTypeNotSupport; pending -> CertificateStatusNotAllowDownload; a made-up token is 404", async () => {
    for (const t of ["tomcat", "iis", "jks"]) {
      await expectTencentError(env.ssl.DescribeDownloadCertificateUrl({ CertificateId: C.rsa, ServiceType: t }), "FailedOperation.CertificateDownloadServiceTypeNotSupport");
    }
    await expectTencentError(env.ssl.DescribeDownloadCertificateUrl({ CertificateId: C.pending, ServiceType: "nginx" }), "FailedOperation.CertificateStatusNotAllowDownload");
    expect((await httpGet(`${env.emu.url}/_emulator/download/0123456789abcdef0123456789abcdef`)).status).toBe(404);
  });
});
