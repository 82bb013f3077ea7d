/**
 * DescribeCertificateDetail's CertChainInfo is computed once per material record (parsing X.509 was
 * most of the cost of a detail read). The cache must not change any answer, hand out shared objects,
 * or serve a chain of other material.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainInfoOf } from "../../../../emulator/backend/views";
import { harness, str } from "./harness";

describe("CertChainInfo cache", () => {
  it("repeated detail reads answer identical documents, and mutating one answer does not leak into the next", async () => {
    const h = harness();
    const a = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    const chain = a["CertChainInfo"] as Array<Record<string, unknown>>;
    expect(chain).toHaveLength(2);
    const leaf = new X509Certificate(str(a["CertificatePublicKey"]));
    expect(chain[0]?.["Fingerprint"]).toBe(leaf.fingerprint.replace(/:/g, "").toLowerCase());
    expect(chain[0]?.["Subject"]).toBe("shop.example.com");
    const snapshot = JSON.parse(JSON.stringify(a)) as unknown;
    (chain[0] as Record<string, unknown>)["Subject"] = "tampered";
    chain.pop();
    const b = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    expect(b).toEqual(snapshot);
  });

  it("different material gets its own chain; the same material is parsed into equal, separate arrays", async () => {
    const h = harness();
    const shop = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    const blog = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoBlog" });
    const m1 = { certificatePem: str(shop["CertificatePublicKey"]), chainPem: "", rootPem: "", serialNumber: "", sha1Fingerprint: "" };
    const m2 = { certificatePem: str(blog["CertificatePublicKey"]), chainPem: "", rootPem: "", serialNumber: "", sha1Fingerprint: "" };
    const c1 = chainInfoOf(m1);
    const c1again = chainInfoOf(m1);
    expect(c1again).toEqual(c1);
    expect(c1again).not.toBe(c1);
    expect(c1again[0]).not.toBe(c1[0]);
    const c2 = chainInfoOf(m2);
    expect(c2[0]?.Subject).toBe("blog.example.com");
    expect(c1[0]?.Subject).toBe("shop.example.com");
  });

  it("a renewal issued later answers its own leaf, not the old certificate's", async () => {
    const h = harness();
    const old = await h.ssl("DescribeCertificateDetail", { CertificateId: "DemoShop" });
    const r = await h.ssl("CreateCertificateByPackage", { OldCertificateId: "DemoShop", ProductPid: 1013949, PackageIds: ["DemoPack0001"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "online" });
    const id = str(r["CertificateId"]);
    await h.ssl("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS" });
    const pending = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    const auths = (pending["DvAuthDetail"] as { DvAuths: Array<Record<string, string>> }).DvAuths;
    for (const a of auths) await h.dns("CreateRecord", { Domain: a["DvAuthDomain"], SubDomain: a["DvAuthSubDomain"], RecordType: a["DvAuthVerifyType"], RecordLine: "默认", Value: a["DvAuthValue"] });
    h.advance(61);
    const issued = await h.ssl("DescribeCertificateDetail", { CertificateId: id });
    const fp = (d: Record<string, unknown>) => (d["CertChainInfo"] as Array<Record<string, unknown>>)[0]?.["Fingerprint"];
    expect(fp(issued)).toBe(new X509Certificate(str(issued["CertificatePublicKey"])).fingerprint.replace(/:/g, "").toLowerCase());
    expect(fp(issued)).not.toBe(fp(old));
  });
});
