/** Issue 14 acceptance: examples/terraform-hcl, plan → apply → plan on days 0, 1 and 40. */
import { afterAll, beforeAll, describe, it } from "vitest";
import { threeDays } from "./scenario";
import { CERTS, EXAMPLE_CERT } from "./stacks";
import { MODULE_IN_PACKAGE, hclFilesOf, seed, startTfWorld, type TfWorld } from "./world";

let world: TfWorld;
beforeAll(async () => {
  world = await startTfWorld(seed(CERTS));
});
afterAll(async () => world?.close());

/** The example as a user copies it next to their node_modules: a repository-relative module source becomes the installed one. */
function asUserProject(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([f, text]) => [f, text.replace(/source\s*=\s*"[^"]*terraform\/modules\/renewed-certificate"/g, `source = "./${MODULE_IN_PACKAGE}"`)]));
}

describe("examples/terraform-hcl", () => {
  it("day 0, day 1, day 40: each second plan is empty (outputs included), day 40 renews once in one apply, no plan mutates, no key printed", async () => {
    const { tf } = world.hcl("hcl-example", asUserProject(hclFilesOf("examples/terraform-hcl")), { certificate_id: EXAMPLE_CERT });
    await threeDays(world, tf, "hcl example", 1);
  });
});
