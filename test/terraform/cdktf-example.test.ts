/** Issue 14 acceptance: examples/cdktf-renewal, plan → apply → plan on days 0, 1 and 40. */
import { afterAll, beforeAll, describe, it } from "vitest";
import { CertificatesStack } from "../../examples/cdktf-renewal/main";
import { expectKeyMatches, threeDays } from "./scenario";
import { CERTS, EXAMPLE_CERT } from "./stacks";
import { seed, startTfWorld, type TfWorld } from "./world";

let world: TfWorld;
beforeAll(async () => {
  world = await startTfWorld(seed(CERTS));
});
afterAll(async () => world?.close());

describe("examples/cdktf-renewal (CDKTF), the real npx tccert of the packed tarball", () => {
  it("day 0, day 1, day 40: each second plan is empty (outputs included), day 40 renews once in one apply, no plan mutates, no key printed", async () => {
    const { tf } = world.cdktf("certificates", (app, id) => new CertificatesStack(app, id), { certificate_id: EXAMPLE_CERT });
    await threeDays(world, tf, "cdktf example", 1, (day) => {
      if (day === 40) expectKeyMatches(tf, "shop_private_key_pem", "shop_fullchain_pem");
    });
  });
});
