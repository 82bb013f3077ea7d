/**
 * `tccert tf-*`: the external programs of the CDKTF construct (Terraform's
 * `data "external"` protocol and the `local-exec` renewal step).
 * Registered on the program by `registerTerraformCommands`.
 */
import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerTerraformCommands(_program: Command, _ctx: CliContext): void {
  // Filled in by the CDKTF construct work (issue 5).
}
