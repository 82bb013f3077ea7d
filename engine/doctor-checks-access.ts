/**
 * The doctor's access checks: CAM permission for each READ action a renewal needs, judged from the
 * answers the doctor got, and the clock skew against the server's `Date` header (TC3 signatures are
 * refused beyond 5 minutes). The paid and mutating actions cannot be checked: Tencent has no dry run.
 */
import { check, type DoctorCheck } from "./doctor-types";
import { PROBE_READ_ACTIONS, type RawAnswer, type ServerTime } from "./probe-port";

/** What a renewal calls that the doctor never sends: Tencent has no dry run for these. */
export const UNCHECKABLE_ACTIONS = [
  "ssl:CreateCertificateByPackage (PAID)",
  "ssl:CertificateOrderSubmit",
  "ssl:CompleteCertificate",
  "ssl:CancelCertificateOrder",
  "ssl:UpdateCertificateInstance",
  "dnspod:CreateRecord",
  "dnspod:DeleteRecord",
] as const;

const CAM_DENIED = /^(AuthFailure\.UnauthorizedOperation|UnauthorizedOperation|AuthFailure\.CamNoAuth|FailedOperation\.CAMAuthorizedFail|FailedOperation\.NoProjectPermission|FailedOperation\.RoleNotFoundAuthorization)/;
const CREDENTIALS = /^AuthFailure/;
const NETWORK = /^(Transport|Error)$/;
const SERVER = /^(InternalError|ServiceUnavailable|FailedOperation\.NetworkError|RequestLimitExceeded|LimitExceeded\.RateLimitExceeded|ClientError\.HttpStatusCodeError)/;

function camCheck(service: string, action: string, answer: RawAnswer | undefined): DoctorCheck {
  const id = `cam.${service}.${action}`;
  const subject = `${service}:${action}`;
  if (answer === undefined) return check(id, subject, "unknown", "not asked in this run");
  if (answer.error === null) return check(id, subject, "pass", `allowed: answered (RequestId ${JSON.stringify(answer.output?.["RequestId"] ?? "")})`);
  const { code, message, requestId } = answer.error;
  const said = `${code} (RequestId ${JSON.stringify(requestId)}): ${message}`;
  if (CAM_DENIED.test(code)) return check(id, subject, "fail", `denied: ${said}`, `Grant ${subject} to this key's CAM user or role (e.g. the QcloudSSLReadOnlyAccess / QcloudDNSPodReadOnlyAccess policies, or a custom policy).`);
  if (CREDENTIALS.test(code)) return check(id, subject, "fail", `the credentials were refused: ${said}`, "Check TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (and the session token for temporary keys), and the clock.");
  if (NETWORK.test(code)) return check(id, subject, "fail", `no answer: ${said}`, "Check the network path to Tencent (proxy, firewall, HTTPS_PROXY) and rerun.");
  if (SERVER.test(code)) return check(id, subject, "unknown", `Tencent failed to answer: ${said}`, "Rerun later.");
  return check(id, subject, "pass", `allowed: Tencent answered ${code}, about the request, not the permission`);
}

/** One CAM check per read action the renewal engine uses, from the answers of this run. */
export function camChecks(answers: readonly RawAnswer[]): DoctorCheck[] {
  // An answer that went through proves the permission; otherwise the first failure says why.
  const first = (service: string, action: string) => {
    const mine = answers.filter((a) => a.service === service && a.action === action);
    return mine.find((a) => a.error === null) ?? mine[0];
  };
  return [
    ...PROBE_READ_ACTIONS.ssl.map((a) => camCheck("ssl", a, first("ssl", a))),
    ...PROBE_READ_ACTIONS.dnspod.map((a) => camCheck("dnspod", a, first("dnspod", a))),
  ];
}

/** The note printed under every report: what could not be checked, plainly. */
export const UNCHECKABLE_NOTE =
  `CAM for the paid and mutating actions cannot be checked: Tencent has no dry run, and doctor never sends them. ` +
  `A renewal also needs ${UNCHECKABLE_ACTIONS.join(", ")}. Grant them before renewing; the first renewal (\`tccert renew <id> --canary\`) is the real test.`;

/** Seconds of skew beyond which TC3 signatures are refused (`AuthFailure.SignatureExpire`). */
const SIGNATURE_WINDOW_S = 300;
const COMFORT_S = 60;

export function clockCheck(t: ServerTime): DoctorCheck {
  if (t.serverDate === null) return check("clock.skew", t.host, "unknown", `the server's Date header could not be read: ${t.detail}`, "Make sure this machine's clock is synchronised (NTP): Tencent refuses signatures more than 5 minutes off.");
  const local = (t.sentAt.getTime() + t.receivedAt.getTime()) / 2;
  const skew = Math.round((local - t.serverDate.getTime()) / 1000);
  const evidence = `this machine is ${Math.abs(skew)} s ${skew >= 0 ? "ahead of" : "behind"} ${t.host} (Date: ${t.serverDate.toUTCString()}; round trip ${t.receivedAt.getTime() - t.sentAt.getTime()} ms)`;
  if (Math.abs(skew) >= SIGNATURE_WINDOW_S) return check("clock.skew", t.host, "fail", `${evidence}: Tencent refuses TC3 signatures more than 5 minutes off`, "Synchronise this machine's clock (NTP).");
  if (Math.abs(skew) > COMFORT_S) return check("clock.skew", t.host, "unknown", `${evidence}: within Tencent's 5-minute window, but drifting`, "Synchronise this machine's clock (NTP).");
  return check("clock.skew", t.host, "pass", evidence);
}
