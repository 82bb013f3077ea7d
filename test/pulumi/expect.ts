import * as crypto from "node:crypto";
import { expect } from "vitest";
import type { Props } from "./host";
import type { PulumiWorld } from "./world";

/** Outputs that must hold a value once a certificate is issued (and be kept by every update). */
export const ISSUED_OUTPUTS = [
  "certificateId",
  "originalCertificateId",
  "status",
  "renewalReason",
  "certificatePem",
  "chainPem",
  "fullchainPem",
  "privateKeyPem",
  "notBefore",
  "notAfter",
  "renewAfter",
  "domains",
  "serialNumber",
  "sha256Fingerprint",
];

export function expectIssued(state: Props): void {
  for (const name of ISSUED_OUTPUTS) expect(state[name], name).toBeTruthy();
  expect(state["status"]).toBe("issued");
  expect(state["pendingAction"]).toBe("");
  expect(state["pendingCertificateId"]).toBe("");
  const cert = new crypto.X509Certificate(state["certificatePem"] as string);
  expect(cert.checkPrivateKey(crypto.createPrivateKey(state["privateKeyPem"] as string))).toBe(true);
  expect(new Date(state["notAfter"] as string).getTime()).toBe(new Date(cert.validTo).getTime());
  expect(state["sha256Fingerprint"]).toBe(cert.fingerprint256);
  expect((state["fullchainPem"] as string).startsWith((state["certificatePem"] as string).trim())).toBe(true);
}

/** Runs `f` and asserts it made no API call at all (preview never pays, nor even reads). */
export async function expectNoCalls<T>(w: PulumiWorld, f: () => Promise<T>): Promise<T> {
  const before = w.totalCalls();
  const r = await f();
  expect(w.totalCalls() - before, "API calls during check/diff").toBe(0);
  return r;
}

export const MUTATING = [
  "ssl.CreateCertificateByPackage",
  "ssl.CertificateOrderSubmit",
  "ssl.CompleteCertificate",
  "ssl.CancelCertificateOrder",
  "ssl.UpdateCertificateInstance",
  "dnspod.CreateRecord",
  "dnspod.DeleteRecord",
];

export function mutatingCalls(w: PulumiWorld): number {
  const counts = w.emu.admin.calls().counts;
  return MUTATING.reduce((s, k) => s + (counts[k] ?? 0), 0);
}
