/**
 * Regression: certificate ids made only of digits ("12345678") are integer-like object keys, which
 * JavaScript orders before every other key. DescribeCertificates took "newest first" from the
 * certificates map's key order, so such a certificate was listed as the oldest wherever it was
 * inserted (and a random 8-character id can be all digits). The order now comes from an insertion
 * sequence kept on each record, which also survives a snapshot and restore.
 */
import { describe, expect, it } from "vitest";
import { createTencentBackend } from "../../../../emulator/backend";
import { DEMO_ACCOUNT } from "../../../../emulator/backend";
import { harness, str } from "./harness";

const ACCOUNT = { accountId: "order", secretId: "AKIDORDER000000000000000000000000001", secretKey: "order-secret" };

function listIds(r: Record<string, unknown>): string[] {
  return (r["Certificates"] as Array<Record<string, unknown>>).map((c) => str(c["CertificateId"]));
}

describe("numeric certificate ids keep the newest-first order", () => {
  it("an all-digit id seeded in the middle is listed in the middle", async () => {
    const h = harness({});
    h.backend.admin.seed({
      accounts: [ACCOUNT],
      certificates: [
        { certificateId: "AAAA0001", domain: "a.example.com" },
        { certificateId: "12345678", domain: "n.example.com" },
        { certificateId: "BBBB0002", domain: "b.example.com" },
        { certificateId: "7", domain: "seven.example.com" },
      ],
    });
    const r = await h.call("ssl", "DescribeCertificates", {}, ACCOUNT.accountId);
    expect(listIds(r)).toEqual(["7", "BBBB0002", "12345678", "AAAA0001"]);
  });

  it("new certificates list first after numeric ones, and the order survives snapshot/restore", async () => {
    const h = harness();
    h.backend.admin.seed({ certificates: [{ accountId: DEMO_ACCOUNT.accountId, certificateId: "99999999", domain: "n.example.com" }] });
    const bought = await h.ssl("CreateCertificate", { ProductId: 48, DomainNum: 1, TimeSpan: 1 });
    const newId = str((bought["CertificateIds"] as unknown[])[0]);
    const before = listIds(await h.ssl("DescribeCertificates", { Limit: 100 }));
    expect(before.slice(0, 2)).toEqual([newId, "99999999"]);

    const restored = createTencentBackend({ now: () => h.now() });
    restored.restore(h.backend.snapshot());
    const handler = restored.actions.ssl["DescribeCertificates"];
    if (!handler) throw new Error("no DescribeCertificates");
    const after = await handler({ service: "ssl", action: "DescribeCertificates", accountId: DEMO_ACCOUNT.accountId, params: { Limit: 100 }, now: () => h.now(), baseUrl: "" });
    expect(listIds(after)).toEqual(before);
  });
});
