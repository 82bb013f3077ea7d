import { X509Certificate } from "node:crypto";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { harness, RENEW_SHOP, str } from "./harness";

describe("downloads", () => {
  it("DownloadCertificate: base64 zip in the legacy all-server layout", async () => {
    const h = harness();
    const res = await h.ssl("DownloadCertificate", { CertificateId: "DemoShop" });
    expect(res.ContentType).toBe("application/zip");
    const files = unzipSync(Buffer.from(str(res.Content), "base64"));
    expect(Object.keys(files).sort()).toEqual([
      "Apache/1_root_bundle.crt", "Apache/2_shop.example.com.crt", "Apache/3_shop.example.com.key",
      "Nginx/1_shop.example.com_bundle.crt", "Nginx/2_shop.example.com.key",
      "shop.example.com.csr", "shop.example.com.key", "shop.example.com.pem",
    ]);
    const bundle = strFromU8(files["Nginx/1_shop.example.com_bundle.crt"]!);
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(new X509Certificate(strFromU8(files["Apache/2_shop.example.com.crt"]!)).subject).toContain("shop.example.com");
    expect(strFromU8(files["shop.example.com.csr"]!)).toContain("BEGIN CERTIFICATE REQUEST");
  });

  it("refuses a certificate that is not issued", async () => {
    const h = harness();
    const id = str((await h.ssl("CreateCertificateByPackage", { ...RENEW_SHOP })).CertificateId);
    expect((await h.code("ssl", "DownloadCertificate", { CertificateId: id })).code).toBe("FailedOperation.CertificateStatusNotAllowDownload");
  });

  it("DescribeDownloadCertificateUrl: a URL the emulator serves, nginx layout by default", async () => {
    const h = harness();
    const res = await h.ssl("DescribeDownloadCertificateUrl", { CertificateId: "DemoShop" });
    expect(res.DownloadFilename).toBe("shop.example.com_nginx.zip");
    const url = str(res.DownloadCertificateUrl);
    expect(url.startsWith("http://127.0.0.1:9999/_emulator/download/")).toBe(true);
    const entry = h.backend.downloads.get(url.split("/").pop() ?? "");
    expect(entry?.contentType).toBe("application/zip");
    expect(Object.keys(unzipSync(new Uint8Array(entry!.body))).sort()).toEqual([
      "shop.example.com_nginx/shop.example.com.csr", "shop.example.com_nginx/shop.example.com.key",
      "shop.example.com_nginx/shop.example.com_bundle.crt", "shop.example.com_nginx/shop.example.com_bundle.pem",
    ]);
    const apache = await h.ssl("DescribeDownloadCertificateUrl", { CertificateId: "DemoShop", ServiceType: "apache" });
    const apacheZip = unzipSync(new Uint8Array(h.backend.downloads.get(str(apache.DownloadCertificateUrl).split("/").pop() ?? "")!.body));
    expect(Object.keys(apacheZip)).toContain("shop.example.com_apache/root_bundle.crt");
    expect((await h.code("ssl", "DescribeDownloadCertificateUrl", { CertificateId: "DemoShop", ServiceType: "jks" })).code).toBe("FailedOperation.CertificateDownloadServiceTypeNotSupport");
    expect(h.backend.downloads.get("nope")).toBeUndefined();
  });
});
