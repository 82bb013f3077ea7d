/**
 * `tccert tf-material`: the material read (`data "external"`), gated on the renewal step so that
 * Terraform reads it during apply, after any renewal. READ-ONLY.
 *
 * stdin:  {"certificate_id", "key_source", "csr_pem", "after_renewal"}
 *         `csr_pem` is the CSR the key in Terraform state made (local) or key.csrPem (csr); "" otherwise.
 *         `after_renewal` only orders this read after the renewal step; its value is not used.
 * stdout: see `MATERIAL_RESULT_KEYS`. `private_key_pem` is SECRET and set only when Tencent holds
 *         the key (key sources online and original) and it matches the certificate; "" otherwise.
 *         `key_matches` says whether the certificate is for the key the stack holds (local: the
 *         tls_private_key behind `csr_pem`; csr: your key; online/original: Tencent's).
 */
import { InvalidInputError } from "../../engine/errors";
import { currentMaterial } from "../../engine/material";
import { DEFAULTS } from "../../engine/options";
import { inspectLineage } from "../../engine/renewal";
import { MATERIAL_KEYS, checkCertificateId, keySourceOf, parseQuery, type MaterialResult } from "../../constructs/protocol";
import type { CliContext } from "../context";
import { readAll, writeResult } from "./tf-io";

const COMMAND = "tf-material";

export async function tfMaterialCommand(ctx: CliContext): Promise<void> {
  const q = parseQuery(COMMAND, await readAll(COMMAND, ctx.stdin), MATERIAL_KEYS);
  checkCertificateId(COMMAND, q.certificate_id);
  const source = keySourceOf(COMMAND, q.key_source);
  const usesCsr = source === "local" || source === "csr";
  if (usesCsr && !q.csr_pem.includes("-----BEGIN CERTIFICATE REQUEST-----"))
    throw new InvalidInputError("csr_pem", `${COMMAND}: key_source ${JSON.stringify(source)} needs the CSR in query key "csr_pem" (a PEM starting with "-----BEGIN CERTIFICATE REQUEST-----"); got ${q.csr_pem === "" ? "nothing" : "something else"}. Synthesize the stack again.`);
  if (!usesCsr && q.csr_pem !== "")
    throw new InvalidInputError("csr_pem", `${COMMAND}: query key "csr_pem" must be "" with key_source ${JSON.stringify(source)}. Synthesize the stack again.`);

  const deps = ctx.deps();
  const { lineage } = await inspectLineage(deps, { certificateId: q.certificate_id, renewBeforeDays: DEFAULTS.renewBeforeDays, force: false });
  // local / csr: the key is Terraform's (behind csr_pem); online / original: Tencent's, output only when it matches.
  const m = await currentMaterial(deps, lineage, usesCsr ? { csrPem: q.csr_pem } : {});
  const c = m.certificate;
  const result: MaterialResult = {
    certificate_id: c.certificateId,
    original_certificate_id: lineage.rootId,
    certificate_pem: m.certificatePem,
    chain_pem: m.chainPem,
    fullchain_pem: m.fullchainPem,
    private_key_pem: usesCsr ? "" : m.privateKeyPem,
    key_matches: String(m.keyMatches),
    not_before: m.notBefore.toISOString(),
    not_after: m.notAfter.toISOString(),
    domains: m.domains.join(","),
    serial_number: m.serialNumber,
    sha256_fingerprint: m.sha256Fingerprint,
  };
  writeResult(ctx.stdout, result);
}
