/**
 * Raw answers made safe to share, in the format of the conformance fixtures
 * (`test/fixtures/tencent-api`: `{ source, input, output: { Response } }`, one file per answer,
 * named `<service>.<Action>.<n>.json`), so maintainers can turn them into fixtures and emulator
 * defaults. Redaction, before anything is written:
 * - private keys, key passwords, secret ids and keys, tokens: `"REDACTED"` (by field name, and any
 *   value holding a PEM private key, a credential given here, or an `AKID…` SecretId);
 * - account ids (`OwnerUin`, `*Uin`, `AppId`, `Owner`…): masked, numbers become `1` as in Tencent's
 *   own examples;
 * - personal contact data (names, phones, e-mails, addresses): masked.
 * Certificates (public), domains, DNS values and request ids are kept: they are what the fixture is for.
 */
import type { RawAnswer, RawObject } from "./probe-port";

export const REDACTED = "REDACTED";

const SECRET_FIELD = /(PrivateKey|KeyPass|Password|Passwd|SecretKey|SecretId|Token|Signature|Authorization|Credential)$/i;
const ACCOUNT_FIELD = /(Uin|^AppId|^Owner|AccountId|ManagerId|CreatorUin)$/i;
const PERSONAL_FIELD = /(Email|Phone|Mobile|Address|IdCard|IdNumber|FirstName|LastName|ContactName|Position|Postal|Fax|Organization|Division|City|Province)/i;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const SECRET_ID = /AKID[A-Za-z0-9]{8,}/g;

function mask(value: unknown): unknown {
  if (typeof value === "number") return 1;
  if (typeof value === "string") return value === "" ? "" : "*".repeat(Math.min(value.length, 8));
  return value === null ? null : REDACTED;
}

function redactString(value: string, secrets: readonly string[]): string {
  if (PRIVATE_KEY_PEM.test(value)) return REDACTED;
  let out = value.replace(SECRET_ID, "AKID********");
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** A deep copy of `value` with every secret, account id and personal datum removed. */
export function redactValue(value: unknown, secrets: readonly string[] = [], field = ""): unknown {
  if (field !== "" && value !== null && value !== undefined && value !== "") {
    if (SECRET_FIELD.test(field)) return REDACTED;
    if (ACCOUNT_FIELD.test(field) || PERSONAL_FIELD.test(field)) return mask(value);
  }
  if (typeof value === "string") return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets, k);
    return out;
  }
  return value;
}

export interface RecordedFixture {
  /** `ssl.DescribeCertificateDetail.3.json` */
  readonly name: string;
  readonly content: {
    readonly source: string;
    readonly recordedAt: string;
    readonly input: unknown;
    readonly output: { readonly Response: unknown };
  };
}

/** Each answer as a redacted fixture file; numbered per action in the order they were read. */
export function fixturesOf(answers: readonly RawAnswer[], meta: { readonly source: string; readonly recordedAt: string; readonly prefix?: string }, secrets: readonly string[] = []): RecordedFixture[] {
  const seen = new Map<string, number>();
  return answers.map((a) => {
    const key = `${a.service}.${a.action}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const response: RawObject = a.output ?? { Error: { Code: a.error?.code ?? "", Message: a.error?.message ?? "" }, RequestId: a.error?.requestId ?? "" };
    return {
      name: `${key}.${meta.prefix ?? ""}${n}.json`,
      content: { source: meta.source, recordedAt: meta.recordedAt, input: redactValue(a.input, secrets), output: { Response: redactValue(response, secrets) } },
    };
  });
}
