/**
 * Driving a paid order to issuance: submit (status 5), validation (DNS records,
 * DNS_AUTO, manual DNS, or the OV/EV human step), and adaptive polling until
 * issued or until our own wait timeout. The order id is known before any wait.
 *
 * The loop is a handful of named steps over one small state record; the
 * actions live in `wait-steps.ts` and the polling cadence in `interval.ts`.
 */
import type { Certificate } from "./domain";
import type { EngineDeps, PollingOptions } from "./deps";
import { PendingHumanActionError, RenewalError, TimedOutError, isTransientError } from "./errors";
import { nextInterval, type IntervalPolicy } from "./interval";
import type { ProgressEvent } from "./progress";
import { acceptsCompleteCertificate, completeCertificate, recordText, submitOrder, validate, validationMessage } from "./wait-steps";
import type { WaitRequest } from "./wait-types";

export { acceptsCompleteCertificate } from "./wait-steps";
export type { WaitRequest } from "./wait-types";

/** Transient failures of mutating calls tolerated in one run before giving up (resumably). */
const MAX_TRANSIENT = 8;

/** The polling options the wait uses (the paid call's options are not its business). */
type WaitPolling = IntervalPolicy & Required<Pick<PollingOptions, "waitingEventEveryMs">>;

const POLLING_DEFAULTS: WaitPolling = {
  fastMs: 1000,
  slowMs: 60_000,
  fastWindowMs: 60_000,
  factor: 1.5,
  firstLookMs: 5_000,
  expectedIssuanceMs: [60_000, 600_000],
  waitingEventEveryMs: 30_000,
};

/** The action each poll reads, and takes from the process's poll budget. */
export const POLL_ACTION = "DescribeCertificateDetail";

/** What one wait knows from the start and never changes. */
interface WaitContext {
  readonly deps: EngineDeps;
  readonly req: WaitRequest;
  readonly poll: WaitPolling;
  /** The order's id. */
  readonly id: string;
  readonly started: number;
  readonly deadline: number;
  readonly lineage: { readonly originalCertificateId: string; readonly newCertificateId: string };
}

/** What one wait has seen and done so far. */
interface WaitState {
  cert: Certificate;
  /** When we last acted (submitted, published the records): the polling schedule starts there. */
  actedAt: number;
  /** When the order's status was last read, and the time before that. */
  readAt: number;
  previousReadAt: number;
  /** When the CA's `WAIT-ISSUE` stretch began (estimated; see `nextInterval`); null before. */
  waitIssueSince: number | null;
  /** Status reads of the order in this wait (each one a Tencent call). */
  polls: number;
  lastWaitingEvent: number;
  transientFailures: number;
  /** Each done once: `CertificateOrderSubmit`, the validation records, `CompleteCertificate`. */
  submitted: boolean;
  validated: boolean;
  completed: boolean;
}

export async function waitForIssuance(deps: EngineDeps, req: WaitRequest): Promise<Certificate> {
  const ctx = waitContext(deps, req);
  const state: WaitState = {
    cert: req.order,
    actedAt: ctx.started,
    readAt: ctx.started,
    previousReadAt: ctx.started,
    waitIssueSince: null,
    polls: 0,
    lastWaitingEvent: -Infinity,
    transientFailures: 0,
    submitted: false,
    validated: false,
    completed: false,
  };
  for (;;) {
    const { cert } = state;
    if (cert.phase === "issued") return cert;
    const stop = stoppedOrder(ctx, cert);
    if (stop) throw stop;
    if (cert.phase === "awaiting-submission" && !state.submitted) {
      // Look at the new status at once: no pause after submitting.
      await submitStep(ctx, state);
      continue;
    }
    if (cert.phase === "validating") await validationStep(ctx, state);
    await pollAgain(ctx, state);
  }
}

function waitContext(deps: EngineDeps, req: WaitRequest): WaitContext {
  const started = deps.clock.now().getTime();
  return {
    deps,
    req,
    poll: { ...POLLING_DEFAULTS, ...deps.polling },
    id: req.order.certificateId,
    started,
    deadline: started + req.waitTimeoutMs,
    lineage: { originalCertificateId: req.rootId, newCertificateId: req.order.certificateId },
  };
}

/** A transient failure of an action is tolerated (a warning) up to MAX_TRANSIENT times per run; anything else is thrown. */
function tolerate(ctx: WaitContext, state: WaitState, e: unknown, warning: (message: string) => string): void {
  if (!isTransientError(e) || ++state.transientFailures > MAX_TRANSIENT) throw e;
  ctx.req.progress({ type: "warning", message: warning((e as Error).message) });
}

/** Status 5: submit the order, then re-read it. */
async function submitStep(ctx: WaitContext, state: WaitState): Promise<void> {
  const { deps, req, id } = ctx;
  req.progress({ type: "phase", phase: "submit", certificateId: id, message: `submitting order ${id} to the CA` });
  try {
    await submitOrder(deps, id, req.validation);
    state.submitted = true;
  } catch (e) {
    // Unknown outcome: re-read the status; submit again only if it is still 5.
    tolerate(ctx, state, e, (m) => `CertificateOrderSubmit on ${id}: ${m}; checking the order's status before trying again`);
  }
  // Look at the new status at once (the records to publish appear with it); the schedule starts now.
  state.actedAt = deps.clock.now().getTime();
  await readOrder(ctx, state, false);
}

/** Validating: publish the records once, then (dnspod) ask the CA to check once. */
async function validationStep(ctx: WaitContext, state: WaitState): Promise<void> {
  const { deps, req, id } = ctx;
  const cert = state.cert;
  if (!state.validated && cert.dvAuths.length > 0) {
    req.progress({ type: "phase", phase: "validate", certificateId: id, message: validationMessage(req.validation, cert) });
    try {
      await validate(deps, req, cert);
      req.onRecords(cert.dvAuths);
      state.validated = true;
    } catch (e) {
      // Records are created idempotently (listed first), so a retry after an unknown outcome is safe.
      tolerate(ctx, state, e, (m) => `DNS validation records: ${m}; trying again`);
    }
    state.actedAt = deps.clock.now().getTime();
  }
  if (state.validated && !state.completed && req.validation === "dnspod") {
    state.completed = acceptsCompleteCertificate(cert) ? await completeCertificate(deps, req, id) : true;
  }
}

/** Stop at the deadline; otherwise say we are still waiting (throttled), sleep, and re-read the order. */
async function pollAgain(ctx: WaitContext, state: WaitState): Promise<void> {
  const { deps, poll } = ctx;
  const now = deps.clock.now().getTime();
  if (now >= ctx.deadline) throw deadlineReached(ctx, state.cert, now);
  if (now - state.lastWaitingEvent >= poll.waitingEventEveryMs) {
    state.lastWaitingEvent = now;
    ctx.req.progress(waitingEvent(ctx, state, now));
  }
  const next = nextInterval(poll, {
    now,
    deadline: ctx.deadline,
    actedAt: state.actedAt,
    previousAt: state.previousReadAt,
    statusMsg: state.cert.statusMsg,
    waitIssueSince: state.waitIssueSince,
    dv: state.cert.isDv || state.cert.dvAuths.length > 0,
  });
  state.waitIssueSince = next.waitIssueSince;
  await deps.sleep(next.sleepMs, ctx.req.signal);
  await readOrder(ctx, state, true);
}

/** Reads the order's status; a poll first takes its turn in the process's poll budget (half the action's rate limit). */
async function readOrder(ctx: WaitContext, state: WaitState, poll: boolean): Promise<void> {
  const { deps } = ctx;
  if (poll) await deps.pollBudget?.take(POLL_ACTION, deps.sleep, ctx.req.signal);
  state.polls++;
  state.cert = await deps.ssl.getCertificate(ctx.id);
  state.previousReadAt = state.readAt;
  state.readAt = deps.clock.now().getTime();
}

function statusText(cert: Certificate, separator: string): string {
  return `status ${cert.status}${cert.statusMsg ? `${separator}${cert.statusMsg}` : ""}`;
}

function waitingEvent(ctx: WaitContext, state: WaitState, now: number): ProgressEvent {
  const cert = state.cert;
  return {
    type: "waiting",
    certificateId: ctx.id,
    elapsedMs: now - ctx.started,
    status: cert.status,
    statusMsg: cert.statusMsg,
    message: `waiting for ${ctx.id} to issue: ${statusText(cert, " ")}, ${Math.round((now - ctx.started) / 1000)} s so far (${state.polls} status read(s))`,
  };
}

/** The order will not issue without a human (letter, failed review) or at all (cancelled…); null while it may. */
function stoppedOrder(ctx: WaitContext, cert: Certificate): RenewalError | null {
  const { id, req, lineage } = ctx;
  switch (cert.phase) {
    case "pending-letter":
      return new PendingHumanActionError(
        "confirmation-letter",
        `renewal ${id} of ${req.oldCertificateId} waits for its confirmation letter (status 8). Tencent accepts the letter only in the console since 2025-06.`,
        `Open the Tencent Cloud SSL console, find certificate ${id}, download the confirmation letter template, sign and stamp it, and upload it. ` +
          `Tencent then reviews the order (OV 3-5 business days, EV 5-7). Rerun afterwards: the renewal resumes from ${req.rootId} and nothing is paid again.`,
        lineage,
      );
    case "review-failed":
      return new RenewalError(
        "ReviewFailed",
        `renewal ${id} of ${req.oldCertificateId} failed review (status 2${cert.statusMsg ? `: ${cert.statusMsg}` : ""}). Fix the cause in the SSL console and resubmit it there (ModifyCertificateResubmit); the next run resumes it without paying again.`,
        lineage,
      );
    case "cancelling":
    case "cancelled":
    case "refunded":
    case "revoked":
      return new RenewalError(
        "OrderCancelled",
        `renewal ${id} of ${req.oldCertificateId} is ${cert.phase} (status ${cert.status}). It will not issue. Resubmit it in the SSL console if you still want it; this tool does not buy a second renewal while it exists.`,
        lineage,
      );
    default:
      return null;
  }
}

/** Our wait timeout passed: a human step (manual DNS) or a plain, resumable timeout. */
function deadlineReached(ctx: WaitContext, cert: Certificate, now: number): RenewalError {
  const { id, req, lineage } = ctx;
  if (req.validation === "manual-dns" && cert.dvAuths.length > 0)
    return new PendingHumanActionError(
      "manual-dns",
      `renewal ${id} waits for ${cert.dvAuths.length} DNS record(s) you publish (validation "manual-dns").`,
      `Create these records, then rerun: ${cert.dvAuths.map(recordText).join("; ")}`,
      lineage,
    );
  return new TimedOutError(
    `renewal ${id} of ${req.oldCertificateId} is not issued after ${Math.round((now - ctx.started) / 60_000)} minute(s) (${statusText(cert, " ")}). ` +
      `Nothing is lost: rerun to keep waiting; it resumes from ${req.rootId} without paying again.`,
    now - ctx.started,
    lineage,
  );
}
