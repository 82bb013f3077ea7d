/**
 * The common errors the HTTP front answers with (reference §6.6), with messages modelled on
 * Tencent's English ones plus the detail a user needs to fix the call.
 */
import { ApiError } from "./contract";

const q = (s: string): string => `\`${s}\``;

export const apiErrors = {
  invalidAuthorization: (why: string) =>
    new ApiError("AuthFailure.InvalidAuthorization", `The Authorization header is not a valid TC3-HMAC-SHA256 header: ${why}.`),
  secretIdNotFound: (secretId: string) =>
    new ApiError("AuthFailure.SecretIdNotFound", `The SecretId ${q(secretId)} is not found, please ensure that your SecretId is correct.`),
  signatureExpire: (timestamp: number, serverTime: number) =>
    new ApiError(
      "AuthFailure.SignatureExpire",
      `Signature expired: timestamp ${timestamp} and server time ${serverTime} differ by ${Math.abs(serverTime - timestamp)} s, more than 300 s.`,
    ),
  signatureFailure: (why: string) =>
    new ApiError("AuthFailure.SignatureFailure", `The provided credentials could not be validated: ${why}. Please check your signature is correct.`),
  tokenFailure: (why: string) => new ApiError("AuthFailure.TokenFailure", `Token failure: ${why}.`),
  invalidAction: (service: string, action: string) =>
    new ApiError("InvalidAction", `The action ${q(action)} is not found for the service ${q(service)}; check the action name and version.`),
  unsupportedAction: (service: string, action: string) =>
    new ApiError("UnsupportedOperation", `The emulator does not implement ${q(`${service}.${action}`)}; the real API has it.`),
  noSuchVersion: (service: string, version: string, expected: string) =>
    new ApiError("NoSuchVersion", `The API version ${q(version)} is not found for the service ${q(service)} (expected ${q(expected)}).`),
  noSuchProduct: (host: string) =>
    new ApiError(
      "NoSuchProduct",
      `No service could be routed for host ${q(host)}: use host \`ssl.tencentcloudapi.com\` or \`dnspod.tencentcloudapi.com\`, or send X-TC-Version 2019-12-05 / 2021-03-23.`,
    ),
  missingParameter: (name: string) => new ApiError("MissingParameter", `The request is missing a required parameter ${q(name)}.`),
  unknownParameter: (name: string) => new ApiError("UnknownParameter", `The parameter ${q(name)} is not recognized.`),
  invalidParameter: (message: string) => new ApiError("InvalidParameter", message),
  invalidRequest: (message: string) => new ApiError("InvalidRequest", message),
  requestSizeLimitExceeded: (limit: number) =>
    new ApiError("RequestSizeLimitExceeded", `The request body exceeds the size limit of ${limit} bytes.`),
  requestLimitExceeded: (service: string, action: string, rate: number) =>
    new ApiError(
      "RequestLimitExceeded",
      `Your requests to ${q(`${service}.${action}`)} exceed the frequency limit of ${rate} per second. Please reduce the frequency of calls.`,
    ),
  internalError: () => new ApiError("InternalError", "An internal error has occurred. Retry your request, but if the problem persists, contact us."),
} as const;
