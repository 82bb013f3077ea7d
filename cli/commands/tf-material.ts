/**
 * `tccert tf-material`: the material read (`data "external"`), gated on the renewal step so that
 * Terraform reads it during apply, after any renewal. READ-ONLY.
 *
 * stdin:  {"certificate_id", "key_source", "csr_pem", "renew_before_days", "key_cycle", "after_renewal"}
 *         `csr_pem` is the CSR the key in Terraform state made (local) or key.csrPem (csr);
 *         `key_cycle` the stack's effective key cycle (`hold:<current>`: the certificate is adopted).
 *         `after_renewal` only orders this read after the renewal step; its value is not used.
 * stdout: see `MATERIAL_RESULT_KEYS`. NO KEY: Terraform cannot mark this result sensitive, so keys
 *         come only from tls_private_key. `key_matches` says whether the certificate is for the
 *         CSR's key; when it is not, `problem` says why and what to do, and the stack's
 *         postcondition fails the apply with it (downstream resources keep their previous values),
 *         except for a certificate the stack adopted: then the stack outputs no key (null) and
 *         `message` says until when.
 *         Nothing in it changes with the passage of time alone.
 */
import { InvalidInputError } from "../../engine/errors";
import { currentMaterial } from "../../engine/material";
import { DEFAULTS } from "../../engine/options";
import { inspectLineage } from "../../engine/renewal";
import { settledMessage } from "../../engine/settled";
import { MATERIAL_KEYS, MATERIAL_OPTIONAL_KEYS, checkCertificateId, keySourceOf, parseQuery, renewBeforeDaysOf, type MaterialResult } from "../../constructs/protocol";
import type { CliContext } from "../context";
import { keyVerdict, materialStatus } from "./tf-problem";
import { readAll, writeResult } from "./tf-io";

const COMMAND = "tf-material";

export async function tfMaterialCommand(ctx: CliContext): Promise<void> {
  const q = parseQuery(COMMAND, await readAll(COMMAND, ctx.stdin), MATERIAL_KEYS, "stdin", MATERIAL_OPTIONAL_KEYS);
  checkCertificateId(COMMAND, q.certificate_id);
  const source = keySourceOf(COMMAND, q.key_source);
  if (!q.csr_pem.includes("-----BEGIN CERTIFICATE REQUEST-----"))
    throw new InvalidInputError("csr_pem", `${COMMAND}: key_source ${JSON.stringify(source)} needs the CSR in query key "csr_pem" (a PEM starting with "-----BEGIN CERTIFICATE REQUEST-----"); got ${q.csr_pem === "" ? "nothing" : "something else"}. Synthesize the stack again.`);
  const renewBeforeDays = renewBeforeDaysOf(COMMAND, q.renew_before_days) ?? DEFAULTS.renewBeforeDays;

  const deps = ctx.deps();
  const { lineage, decision } = await inspectLineage(deps, { certificateId: q.certificate_id, renewBeforeDays, force: false });
  const m = await currentMaterial(deps, lineage, { csrPem: q.csr_pem });
  const c = m.certificate;
  const verdict = m.keyMatches ? { problem: "", message: "" } : keyVerdict(lineage, source, q.key_cycle, decision.renewAfter, deps.clock.now());
  const result: MaterialResult = {
    certificate_id: c.certificateId,
    original_certificate_id: lineage.rootId,
    certificate_pem: m.certificatePem,
    chain_pem: m.chainPem,
    fullchain_pem: m.fullchainPem,
    key_matches: String(m.keyMatches),
    problem: verdict.problem,
    status: materialStatus(lineage),
    due: String(decision.due),
    message: verdict.message !== "" ? verdict.message : settledMessage(decision, c, renewBeforeDays),
    renew_after: decision.renewAfter?.toISOString() ?? "",
    not_before: m.notBefore.toISOString(),
    not_after: m.notAfter.toISOString(),
    domains: m.domains.join(","),
    serial_number: m.serialNumber,
    sha256_fingerprint: m.sha256Fingerprint,
  };
  writeResult(ctx.stdout, result);
}
