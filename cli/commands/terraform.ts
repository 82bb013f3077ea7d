/**
 * `tccert tf-*`: the external programs of the CDKTF construct (`tencentcloud-cert-renewal/cdktf`).
 * Terraform runs them from its working directory (the root module; CDKTF: the synthesized stack
 * directory), with the credentials of its own environment (TENCENTCLOUD_*, TCCERT_ENDPOINT,
 * TCCERT_STATE_DIR; the state dir defaults to the project's, see `projectStateDir`):
 * - `tf-status`   plan-time status read (data "external"), read-only;
 * - `tf-renew`    the renewal step (terraform_data + local-exec), during apply;
 * - `tf-material` the material read (data "external"), gated on the renewal step, read-only.
 * The protocol (query keys, result keys, environment) is in `constructs/protocol.ts`.
 */
import type { Command } from "commander";
import type { EngineDeps } from "../../engine/deps";
import type { CliContext } from "../context";
import { projectStateDir } from "./tf-io";
import { tfMaterialCommand } from "./tf-material";
import { tfRenewCommand } from "./tf-renew";
import { tfStatusCommand } from "./tf-status";

/** The shell's context, whose deps take the state dir to use when neither --state-dir nor TCCERT_STATE_DIR is set. */
export interface TerraformContext extends Omit<CliContext, "deps"> {
  deps(fallbackStateDir?: string): EngineDeps;
}

export function registerTerraformCommands(program: Command, shell: TerraformContext): void {
  const ctx: CliContext = { ...shell, deps: () => shell.deps(projectStateDir(process.cwd())) };
  program
    .command("tf-status")
    .description("CDKTF: plan-time status read for Terraform's external data source (JSON object of strings on stdin and stdout); read-only")
    .action(async () => {
      ctx.out();
      await tfStatusCommand(ctx);
    });

  program
    .command("tf-renew")
    .description("CDKTF: the renewal step run by local-exec during apply; options from TCCERT_TF_QUERY and TCCERT_CSR_PEM")
    .option("--certificate-id <id>", "the certificate being renewed (must match TCCERT_TF_QUERY)")
    .action(async (f: { certificateId?: string }) => {
      ctx.out();
      await tfRenewCommand(ctx, f.certificateId !== undefined ? { certificateId: f.certificateId } : {});
    });

  program
    .command("tf-material")
    .description("CDKTF: apply-time material read for Terraform's external data source (certificate, chain, ids); read-only")
    .action(async () => {
      ctx.out();
      await tfMaterialCommand(ctx);
    });
}
