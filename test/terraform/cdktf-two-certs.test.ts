/** Issue 14 acceptance: two certificates and a downstream consumer (CDKTF), plan → apply → plan on days 0, 1 and 40. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectKeyMatches, threeDays } from "./scenario";
import { API_CERT, CERTS, WEB_CERT, twoCertsCdktf } from "./stacks";
import { seed, startTfWorld, stackOf, type TfWorld } from "./world";

let world: TfWorld;
beforeAll(async () => {
  world = await startTfWorld(seed(CERTS));
});
afterAll(async () => world?.close());

describe("two certificates and a downstream consumer (CDKTF)", () => {
  it("day 0, day 1, day 40: each second plan is empty, day 40 renews each certificate once in one apply, the consumer follows in that apply", async () => {
    const { tf } = world.cdktf("two-certs", stackOf(twoCertsCdktf()));
    await threeDays(world, tf, "cdktf two-certs", 2, (day, r) => {
      const consumer = Object.keys(r.first.changes).find((k) => k.startsWith("terraform_data.consumer"))!;
      if (day === 40) {
        expect(r.first.changes[consumer], "the consumer is updated in the renewing apply").not.toBe("noop");
        expect(String(tf.output("api_certificate_id"))).not.toBe(API_CERT);
        expect(String(tf.output("web_certificate_id"))).not.toBe(WEB_CERT);
        expectKeyMatches(tf, "web_private_key_pem", "web_fullchain_pem");
        expectKeyMatches(tf, "api_private_key_pem", "api_fullchain_pem");
      }
    });
  });
});
