/**
 * Ctrl-C (SIGINT) or SIGTERM while renewals run (`tccert renew`, `tccert demo`):
 * say, for each renewal still in progress, how far it got and whether it is paid
 * (which order), and that a rerun resumes it without paying again; then exit
 * 130 (SIGINT) or 143 (SIGTERM).
 *
 * Exiting from the signal handler cannot leave a half-written file: every file
 * (journal, state files, `--out`) is written synchronously to a temporary file
 * and renamed into place (state/safe-write), and a signal handler only runs
 * between such writes, never inside one. After the handler nothing else runs,
 * so no new write starts either.
 */
import type { Phase } from "../engine/phases";
import type { ProgressSink } from "../engine/progress";

export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

/** How far one renewal got, as its progress events tell. */
export interface InFlight {
  readonly id: string;
  /** The last phase reached; null before the first. */
  phase: Phase | null;
  /** The renewal's order (new certificate id), once a payment event named it: paid, or resumed. */
  orderId: string | null;
}

/** Follows the renewals in progress through their progress events. */
export interface RenewalTracker {
  /** Wraps a renewal's sink so its events are followed too. */
  track(id: string, sink: ProgressSink): ProgressSink;
  /** The renewal ended (done, stopped or failed): no longer in progress. */
  finished(id: string): void;
  inProgress(): readonly InFlight[];
}

export function createTracker(): RenewalTracker {
  const running = new Map<string, InFlight>();
  return {
    track: (id, sink) => {
      const t: InFlight = { id, phase: null, orderId: null };
      running.set(id, t);
      return (e) => {
        if (e.type === "phase") t.phase = e.phase;
        // Every payment event names the order: "paid: …", "resuming renewal …", or the evidence of an executed paid call.
        if (e.type === "payment" && e.certificateId !== "") t.orderId = e.certificateId;
        sink(e);
      };
    },
    finished: (id) => void running.delete(id),
    inProgress: () => [...running.values()],
  };
}

/** One renewal's state, and what a rerun (`rerun`, e.g. "`tccert renew dueA`") does with it. */
export function describeInFlight(t: InFlight, rerun: string): string {
  const reached = t.phase ? `last phase: ${t.phase}` : "not started";
  if (t.orderId !== null)
    return `${t.id}: paid — renewal order ${t.orderId} exists (${reached}); ${rerun} resumes order ${t.orderId} without paying again`;
  if (t.phase === "pay")
    return `${t.id}: the paid call may be in flight (${reached}); the journal records the attempt, and ${rerun} looks for the order on Tencent before paying, so it is never paid twice`;
  return `${t.id}: nothing paid yet (${reached}); ${rerun} starts it again`;
}

export interface InterruptReport {
  readonly signal: StopSignal;
  readonly lines: readonly string[];
  readonly renewals: readonly { readonly id: string; readonly phase: Phase | null; readonly paid: boolean; readonly orderId: string | null }[];
}

/** What to print on a stop signal. @param rerun the rerun command for one id. */
export function interruptReport(signal: StopSignal, tracker: RenewalTracker, rerun: (id: string) => string): InterruptReport {
  const running = tracker.inProgress();
  const head = running.length
    ? `tccert: interrupted (${signal}) with ${running.length} renewal(s) in progress; files already written are complete, none is half-written:`
    : `tccert: interrupted (${signal}); no renewal was in progress.`;
  return {
    signal,
    lines: [head, ...running.map((t) => `  ${describeInFlight(t, rerun(t.id))}`)],
    renewals: running.map((t) => ({ id: t.id, phase: t.phase, paid: t.orderId !== null, orderId: t.orderId })),
  };
}

/**
 * Until the returned function is called, SIGINT and SIGTERM call `onSignal` instead of
 * killing the process (which is expected to exit from it, with `SIGNAL_EXIT[signal]`).
 */
export function onStopSignal(onSignal: (signal: StopSignal) => void): () => void {
  const handlers = (Object.keys(SIGNAL_EXIT) as StopSignal[]).map((signal) => {
    const handler = () => onSignal(signal);
    process.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) process.off(signal, handler);
  };
}
