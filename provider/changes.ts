/**
 * Requested changes are visible until they are real (`pendingChanges`).
 *
 * Some inputs shape only the NEXT certificate: the key's algorithm and source, the validation
 * method. Tencent lets a certificate be renewed only in its renewal window, so a change made
 * earlier cannot be applied at once. Rather than record it as if it were served (Pulumi's state
 * would then describe a certificate that does not exist), the resource lists it in `pendingChanges`
 * until a renewal applies it:
 * - `key.algorithm` is compared with the served certificate's own public key, on every create,
 *   update and refresh: the truth, not a memory;
 * - `key.source`, `key.csrPem`, `key.privateKeyPem` and `validation` leave no trace in a
 *   certificate, so the value served is remembered from the state when they change, and the entry is
 *   cleared by the next renewal (or by changing the input back).
 * While a `key.*` change is pending, `diff` reports an update on every preview and the update asks
 * the engine to renew for it: the renewal runs as soon as Tencent allows it (the engine's
 * `InputsChanged`, gated by Tencent's RenewAble), even before `renewBeforeDays`. A `validation`
 * change alone never makes a renewal: it is listed, and used by the next one.
 */
import * as crypto from "node:crypto";
import type { KeyAlgorithm } from "../engine/domain";
import type { StoredInputs } from "./inputs";

export interface PendingChange {
  /** The input, e.g. `key.algorithm`. */
  readonly input: string;
  /** What the served certificate has (or was made with). Never a secret: keys appear as "(previous key)". */
  readonly served: string;
  /** What the inputs ask for. */
  readonly requested: string;
}

/** The algorithm of a certificate's public key, or "" when it is none of ours. */
export function servedAlgorithm(certificatePem: string): KeyAlgorithm | "" {
  try {
    const key = new crypto.X509Certificate(certificatePem).publicKey;
    const d = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === "rsa") return ({ 2048: "RSA_2048", 3072: "RSA_3072", 4096: "RSA_4096" } as Record<number, KeyAlgorithm>)[d.modulusLength ?? 0] ?? "";
    if (key.asymmetricKeyType === "ec") return ({ prime256v1: "EC_P256", secp384r1: "EC_P384" } as Record<string, KeyAlgorithm>)[d.namedCurve ?? ""] ?? "";
  } catch {
    // Not a certificate we can read: nothing to compare.
  }
  return "";
}

/** The tracked inputs that leave no trace in the certificate, as shown in `pendingChanges` (secrets never shown). */
function remembered(stored: StoredInputs): Record<string, string> {
  return {
    "key.source": stored.key.source,
    "key.csrPem": stored.key.csrPem === "" ? "(none)" : `(CSR sha256 ${crypto.createHash("sha256").update(stored.key.csrPem).digest("hex").slice(0, 12)})`,
    "key.privateKeyPem": stored.key.privateKeyPemSha256 === "" ? "(none)" : `(key sha256 ${stored.key.privateKeyPemSha256.slice(0, 12)})`,
    validation: stored.validation,
  };
}

export interface PendingChangesInput {
  /** The served certificate ("" when none yet). */
  readonly certificatePem: string;
  readonly stored: StoredInputs;
  /** The inputs stored before this run (null on create). */
  readonly before: StoredInputs | null;
  /** `pendingChanges` of the previous state. */
  readonly carried: readonly PendingChange[];
  /** True when this run issued a new certificate with `stored`. */
  readonly renewed: boolean;
}

export function pendingChanges(i: PendingChangesInput): PendingChange[] {
  const out: PendingChange[] = [];
  const served = servedAlgorithm(i.certificatePem);
  const algorithmCounts = i.stored.key.source === "online" || (i.stored.key.source === "local" && i.stored.key.privateKeyPemSha256 === "");
  if (algorithmCounts && served !== "" && served !== i.stored.key.algorithm) out.push({ input: "key.algorithm", served, requested: i.stored.key.algorithm });
  if (i.renewed) return out;
  const now = remembered(i.stored);
  const then = i.before ? remembered(i.before) : now;
  for (const input of Object.keys(now)) {
    const carried = i.carried.find((c) => c.input === input);
    const servedValue = carried?.served ?? then[input] ?? "";
    if (servedValue !== now[input]) out.push({ input, served: servedValue, requested: now[input] ?? "" });
  }
  return out;
}

/** The `pendingChanges` entries found in a state (older states have none). */
export function pendingChangesOf(state: Record<string, unknown>): PendingChange[] {
  const v = state["pendingChanges"];
  if (!Array.isArray(v)) return [];
  return v
    .filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null)
    .map((x) => ({ input: String(x["input"] ?? ""), served: String(x["served"] ?? ""), requested: String(x["requested"] ?? "") }))
    .filter((x) => x.input !== "");
}

/** True when a pending change asks for a new certificate (a `key.*` input). */
export function needsRenewal(changes: readonly PendingChange[]): boolean {
  return changes.some((c) => c.input.startsWith("key."));
}

export function describeChanges(changes: readonly PendingChange[]): string {
  return changes.map((c) => `${c.input} ${c.served} → ${c.requested}`).join(", ");
}
