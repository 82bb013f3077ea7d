import { describe, expect, it } from "vitest";
import { levelFromProductName } from "../../../tencent/map-certificate";

describe("levelFromProductName", () => {
  it("reads the validation level from Tencent's product names (the list model has no CertType)", () => {
    expect(levelFromProductName("DNSPod 企业型SSL证书(C1)")).toBe("OV");
    expect(levelFromProductName("TrustAsia-增强型EV（单域名）")).toBe("EV");
    expect(levelFromProductName("GlobalSign OV SSL")).toBe("OV");
    expect(levelFromProductName("something else")).toBe("");
  });
});
