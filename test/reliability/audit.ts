/**
 * The two figures issue 11 asks of every reliability matrix, under both emulator profiles:
 * - paid calls SENT per lineage: every `CreateCertificateByPackage` the account sent, whatever
 *   its outcome (refused, failed after commit, cut off), from the emulator's call log; and
 * - issued certificates whose key we do not hold: every issued certificate of the account other
 *   than the seeded one must match a private key found in a state dir (journal entries and their
 *   history) or in what the runs output (`--out` files, Pulumi state, a CSR's key we made).
 * One lineage per emulator account, so the account's calls and certificates are the lineage's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { keyMatchesCsr } from "../../crypto/csr";
import { createTencentApis } from "../../tencent";
import type { CellAccount } from "./support";

export const PROFILES = ["default", "pessimistic"] as const;
export type Profile = (typeof PROFILES)[number];

const PAID = "CreateCertificateByPackage";
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/** Every PEM private key in the files under `dirs` (JSON strings unescaped first). */
export function privateKeysUnder(dirs: readonly string[]): string[] {
  const keys = new Set<string>();
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    else if (st.isFile()) for (const k of privateKeysIn(fs.readFileSync(p, "utf8"))) keys.add(k);
  };
  for (const d of dirs) walk(d);
  return [...keys];
}

/** The PEM private keys in `text` (raw, or inside JSON strings with `\n` escapes). */
export function privateKeysIn(text: string): string[] {
  const unescaped = text.replace(/\\n/g, "\n");
  return [...new Set([...(text.match(PRIVATE_KEY) ?? []), ...(unescaped.match(PRIVATE_KEY) ?? [])])].filter((k) => !k.includes("\\n"));
}

/** How the audit reads the emulator: in process (`RunningEmulator.admin`) or over HTTP. */
export interface AuditSource {
  readonly url: string;
  inspectCertificate(certificateId: string): Promise<Record<string, unknown> | undefined>;
  calls(accountId: string): Promise<{ action: string; outcome: string }[]>;
}

export interface LineageAudit {
  /** `CreateCertificateByPackage` calls the account sent, any outcome. */
  readonly paidSent: number;
  /** Of which answered ok. */
  readonly paidOk: number;
  /** Issued certificates of the account besides the seeded one. */
  readonly issued: readonly string[];
  /** Those whose key (CSR's public key, or the CA-made key) matches no key we hold. */
  readonly keyless: readonly string[];
  /** Renewals of the account in any status (what the paid calls created). */
  readonly created: readonly string[];
  /** Renewals created per seeded certificate (Tencent's truth: the record's OriginCertificateId). */
  readonly createdFor: ReadonlyMap<string, number>;
}

function holds(record: Record<string, unknown>, keys: readonly string[]): boolean {
  const key = (record["key"] ?? {}) as { csrPem?: string | null; privateKeyPem?: string | null };
  if (key.csrPem) return keys.some((k) => keyMatchesCsr(k, key.csrPem!));
  // A key the CA made (online) is ours only once we hold the same key.
  if (key.privateKeyPem) return keys.some((k) => k.trim() === key.privateKeyPem!.trim());
  return false;
}

/** Audits the lineage of `oldId`: the account's only seeded certificate, or its seeded certificates. */
export async function auditLineage(src: AuditSource, account: CellAccount, oldId: string | readonly string[], heldKeys: readonly string[]): Promise<LineageAudit> {
  const seeded = new Set(typeof oldId === "string" ? [oldId] : oldId);
  const calls = (await src.calls(account.accountId)).filter((c) => c.action === PAID);
  const { ssl } = createTencentApis({ credentials: { secretId: account.secretId, secretKey: account.secretKey }, endpoint: src.url, env: {}, retry: { retries: 5, baseDelayMs: 20, maxDelayMs: 200 } });
  const page = await ssl.listCertificates({ offset: 0, limit: 1000 });
  const created: string[] = [];
  const issued: string[] = [];
  const keyless: string[] = [];
  const createdFor = new Map<string, number>();
  for (const c of page.certificates) {
    if (seeded.has(c.certificateId)) continue;
    created.push(c.certificateId);
    const record = await src.inspectCertificate(c.certificateId);
    const origin = String(record?.["originCertificateId"] ?? "");
    createdFor.set(origin, (createdFor.get(origin) ?? 0) + 1);
    if (!record || Number(record["status"]) !== 1) continue;
    issued.push(c.certificateId);
    if (!holds(record, heldKeys)) keyless.push(c.certificateId);
  }
  return { paidSent: calls.length, paidOk: calls.filter((c) => c.outcome === "ok").length, issued, keyless, created, createdFor };
}
