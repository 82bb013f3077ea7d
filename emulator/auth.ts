/**
 * TC3-HMAC-SHA256 verification, the way Tencent's gateway checks a request (reference §6.2, §6.4):
 * service and date come from the Authorization credential, the host is signed without its port, the
 * raw body bytes are hashed, and canonical headers are built for exactly the SignedHeaders listed.
 *
 * Checks, in order (first failure wins):
 * 1. header present and well formed, SignedHeaders include content-type and host -> `AuthFailure.InvalidAuthorization`
 * 2. `X-TC-Timestamp` present (`MissingParameter`) and an integer (`InvalidParameter`)
 * 3. SecretId known -> `AuthFailure.SecretIdNotFound`
 * 4. |timestamp - wall-clock now| <= 300 s -> `AuthFailure.SignatureExpire`. The wall clock, not the
 *    emulator clock: clients sign with real time, and advancing the emulator clock (to make days pass
 *    for the CA) must not lock every real client out.
 * 5. credential date = UTC date of the timestamp, credential service = routed service, signature
 *    matches -> `AuthFailure.SignatureFailure`
 * 6. accounts with a session token: `X-TC-Token` present, equal, and not expired -> `AuthFailure.TokenFailure`
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { apiErrors } from "./api-errors";
import type { SeedAccount, ServiceName } from "./contract";
import { canonicalRequest, hostWithoutPort, parseAuthorization, stringToSign, tc3Signature, utcDate } from "./tc3";
import { headerString } from "./transport";

export const MAX_SKEW_SECONDS = 300;

export interface AuthRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function authenticate(
  req: AuthRequest,
  service: ServiceName,
  now: Date,
  findAccount: (secretId: string) => SeedAccount | undefined,
): SeedAccount {
  const header = headerString(req.headers, "authorization");
  if (header === undefined || header.trim() === "") throw apiErrors.invalidAuthorization("the header is missing");
  const auth = parseAuthorization(header);
  if (!auth) {
    throw apiErrors.invalidAuthorization(
      "expected `TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/<service>/tc3_request, SignedHeaders=content-type;host, Signature=<64 hex>`",
    );
  }
  if (!auth.signedHeaders.includes("content-type") || !auth.signedHeaders.includes("host")) {
    throw apiErrors.invalidAuthorization("SignedHeaders must include content-type and host");
  }
  const tsText = headerString(req.headers, "x-tc-timestamp");
  if (tsText === undefined || tsText === "") throw apiErrors.missingParameter("X-TC-Timestamp");
  if (!/^\d{1,12}$/.test(tsText)) throw apiErrors.invalidParameter(`The header \`X-TC-Timestamp\` must be unix seconds, got ${JSON.stringify(tsText.slice(0, 40))}.`);
  const timestamp = Number(tsText);

  const account = findAccount(auth.secretId);
  if (!account) throw apiErrors.secretIdNotFound(auth.secretId);

  // Skew is against the wall clock (see above); token expiry below uses the emulator clock.
  const serverTime = Math.floor(Date.now() / 1000);
  if (Math.abs(serverTime - timestamp) > MAX_SKEW_SECONDS) throw apiErrors.signatureExpire(timestamp, serverTime);

  if (auth.date !== utcDate(timestamp)) {
    throw apiErrors.signatureFailure(`the credential date ${auth.date} is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)})`);
  }
  if (auth.service !== service) {
    throw apiErrors.signatureFailure(`the credential scope names the service \`${auth.service}\` but the request is for \`${service}\``);
  }
  const canonical = canonicalRequest({
    method: req.method,
    path: req.path,
    query: req.query,
    signedHeaders: auth.signedHeaders,
    headerValue: (name) => {
      const v = headerString(req.headers, name) ?? "";
      return name === "host" ? hostWithoutPort(v) : v;
    },
    body: req.body,
  });
  const expected = tc3Signature(account.secretKey, auth.date, auth.service, stringToSign({ timestamp, date: auth.date, service: auth.service, canonicalRequest: canonical }));
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(auth.signature, "hex"))) {
    throw apiErrors.signatureFailure("the signature does not match the request");
  }

  if (account.sessionToken !== undefined) {
    const token = headerString(req.headers, "x-tc-token");
    if (token === undefined || token === "") throw apiErrors.tokenFailure("this SecretId is a temporary credential and the X-TC-Token header is missing");
    if (token !== account.sessionToken) throw apiErrors.tokenFailure("the X-TC-Token does not belong to this SecretId");
    if (account.sessionTokenExpiresAt !== undefined) {
      const expires = Date.parse(account.sessionTokenExpiresAt);
      if (!Number.isFinite(expires) || now.getTime() >= expires) throw apiErrors.tokenFailure(`the session token expired at ${account.sessionTokenExpiresAt}`);
    }
  }
  return account;
}
