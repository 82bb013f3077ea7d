/** The doctor's vocabulary: a check, its verdict and evidence, and what the checks share. */
import type { Clock } from "./ports";
import type { ProbeService, RawAnswer, RawObject, TencentProbe } from "./probe-port";

/** `pass`: the assumption holds. `unknown`: it could not be confirmed, or a risky form was seen. `fail`: it does not hold. */
export type CheckStatus = "pass" | "unknown" | "fail";

export interface DoctorCheck {
  /** Stable id, e.g. `certificate.chain`, `cam.ssl.DescribePackages`. */
  readonly id: string;
  /** What it is about: a certificate id, a zone, an action, `account`. */
  readonly subject: string;
  readonly status: CheckStatus;
  /** What was seen, in words, with the raw values that decided. Never a key or a credential. */
  readonly evidence: string;
  /** What to do about it; "" when nothing. */
  readonly fix: string;
}

export interface DoctorDeps {
  readonly probe: TencentProbe;
  /** The tool's clock (the emulator's when the endpoint is the emulator). */
  readonly clock: Clock;
}

/** Reads made through one doctor run: every answer is kept, in order, for `--record`. */
export interface Reader {
  read(service: ProbeService, action: string, input: RawObject): Promise<RawAnswer>;
  readonly answers: readonly RawAnswer[];
}

export function recordingReader(probe: TencentProbe): Reader {
  const answers: RawAnswer[] = [];
  return {
    answers,
    async read(service, action, input) {
      const a = await probe.read(service, action, input);
      answers.push(a);
      return a;
    },
  };
}

export function check(id: string, subject: string, status: CheckStatus, evidence: string, fix = ""): DoctorCheck {
  return { id, subject, status, evidence, fix };
}

/** The worst verdict: fail > unknown > pass. */
export function worst(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("unknown")) return "unknown";
  return "pass";
}
