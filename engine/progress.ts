/**
 * Progress events: phase changes, throttled "still waiting" lines, DNS records,
 * warnings. They never carry secrets (no keys, no credentials, no CSRs).
 */
import type { DvAuth } from "./domain";
import type { Phase } from "./phases";

export type ProgressEvent =
  | { readonly type: "phase"; readonly phase: Phase; readonly certificateId: string; readonly message: string }
  | { readonly type: "decision"; readonly certificateId: string; readonly reason: string; readonly message: string }
  | { readonly type: "payment"; readonly certificateId: string; readonly message: string }
  | {
      readonly type: "waiting";
      readonly certificateId: string;
      readonly elapsedMs: number;
      readonly status: number;
      readonly statusMsg: string;
      readonly message: string;
    }
  | {
      readonly type: "dns-record";
      readonly action: "created" | "reused" | "deleted" | "manual";
      readonly record: DvAuth;
      readonly message: string;
    }
  | { readonly type: "deploy"; readonly message: string }
  | { readonly type: "warning"; readonly message: string };

export interface ProgressSink {
  (event: ProgressEvent): void;
}

export const silentProgress: ProgressSink = () => undefined;
