/**
 * Live progress on stderr. On a TTY: one redrawn line per certificate with a
 * spinner, a bar over the renewal's phases (engine/phases.ts) and the latest
 * step, while lasting events (DNS records, deploy results, warnings) scroll
 * above. Otherwise: one plain line per event, for logs and pipes. stdout is
 * never touched, so --json stays clean. Events carry no secrets (engine/progress.ts).
 *
 * No dependency: a dozen lines of ANSI (cursor up, clear to end) do what we need,
 * and they keep working in the CommonJS build.
 */
import { PHASES, type Phase } from "../engine/phases";
import type { ProgressEvent, ProgressSink } from "../engine/progress";

export interface ProgressTarget {
  readonly stream: NodeJS.WritableStream;
  /** Redraw in place (a TTY) or print lines. */
  readonly live: boolean;
}

export interface Reporter {
  /** The engine's progress sink for one certificate. */
  sink(certificateId: string): ProgressSink;
  /** A lasting line, printed above the live area. */
  log(text: string): void;
  /** Marks a certificate finished: ✔ (ok), ⏸ (pending), ✘ (failed), ↷ (skipped). */
  finish(certificateId: string, state: "ok" | "pending" | "failed" | "skipped", text: string): void;
  /** Stops redrawing and leaves the final lines. Idempotent. */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const MARK = { ok: "✔", pending: "⏸", failed: "✘", skipped: "↷" } as const;
const BAR = 12;

interface Task {
  readonly id: string;
  phase: Phase;
  detail: string;
  done: keyof typeof MARK | null;
  doneText: string;
}

/** Whether a stream should get live redraws: a TTY, and not TERM=dumb. */
export function isLiveTerminal(stream: NodeJS.WritableStream, env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean((stream as NodeJS.WriteStream).isTTY) && env["TERM"] !== "dumb";
}

/** Lasting events get their own line even on a TTY; the rest only update the task's line. */
function lasting(e: ProgressEvent): boolean {
  return e.type === "dns-record" || e.type === "deploy" || e.type === "warning" || e.type === "payment";
}

function tag(e: ProgressEvent): string {
  return e.type === "phase" ? e.phase : e.type;
}

export interface ReporterOptions {
  /** Put the certificate id before each plain line (several certificates at once). */
  readonly prefixIds: boolean;
  /** @default "" */
  readonly indent?: string;
  /** On a TTY, also keep a line per phase reached (one certificate: the whole story stays on screen). @default false */
  readonly history?: boolean;
}

export function createReporter(target: ProgressTarget, options: ReporterOptions = { prefixIds: true }): Reporter {
  const indent = options.indent ?? "";
  const write = (s: string) => void target.stream.write(s);
  if (!target.live) {
    return {
      sink: (id) => (e) => write(`${indent}${options.prefixIds ? `${id} ` : ""}[${tag(e)}] ${e.message}\n`),
      log: (t) => write(`${indent}${t}\n`),
      finish: (id, state, t) => write(`${indent}${MARK[state]} ${id}: ${t}\n`),
      stop: () => undefined,
    };
  }

  const tasks: Task[] = [];
  let drawn = 0;
  let frame = 0;
  let stopped = false;
  // A pty without a size reports 0 columns: assume 100 then.
  const columns = () => {
    const c = (target.stream as NodeJS.WriteStream).columns;
    return c !== undefined && c >= 40 ? c : 100;
  };
  const fit = (s: string) => (s.length > columns() - 1 ? `${s.slice(0, columns() - 2)}…` : s);
  const idWidth = () => Math.max(...tasks.map((t) => t.id.length), 4);

  const render = (t: Task): string => {
    if (t.done) return fit(`${indent}${MARK[t.done]} ${t.id.padEnd(idWidth())}  ${t.doneText}`);
    const step = PHASES.indexOf(t.phase) + 1;
    const filled = Math.round((step / PHASES.length) * BAR);
    const bar = `${"█".repeat(filled)}${"░".repeat(BAR - filled)}`;
    return fit(`${indent}${FRAMES[frame % FRAMES.length]} ${t.id.padEnd(idWidth())}  ${bar} ${String(step).padStart(2)}/${PHASES.length} ${t.phase.padEnd(11)} ${t.detail}`);
  };
  const clear = () => {
    if (drawn > 0) write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    // Finished tasks scroll up as lasting lines; the live area keeps the running ones.
    const finished = tasks.filter((t) => t.done);
    const running = tasks.filter((t) => !t.done);
    const lines = [...finished.map(render), ...running.map(render)];
    clear();
    for (const t of finished) tasks.splice(tasks.indexOf(t), 1);
    if (lines.length > 0) write(`${lines.join("\n")}\n`);
    drawn = running.length;
  };
  const timer = setInterval(() => {
    frame++;
    if (tasks.length > 0) draw();
  }, 100);
  timer.unref();
  // The cursor stays visible: hiding it would leave it hidden after a Ctrl-C.

  const task = (id: string): Task => {
    let t = tasks.find((x) => x.id === id);
    if (!t) {
      t = { id, phase: "preflight", detail: "", done: null, doneText: "" };
      tasks.push(t);
    }
    return t;
  };
  const log = (text: string) => {
    if (stopped) return void write(`${indent}${text}\n`);
    clear();
    // Lasting lines may wrap: they are not redrawn, so they need no fitting.
    write(`${indent}${text}\n`);
    draw();
  };
  return {
    sink: (id) => (e) => {
      const t = task(id);
      if (e.type === "phase") t.phase = e.phase;
      t.detail = e.message;
      if (lasting(e) || (options.history && e.type === "phase")) log(`  ${options.prefixIds ? `${id} ` : ""}[${tag(e)}] ${e.message}`);
      else if (!stopped) draw();
    },
    log,
    finish: (id, state, text) => {
      const t = task(id);
      t.done = state;
      t.doneText = text;
      if (!stopped) draw();
      else write(`${render(t)}\n`);
    },
    stop: () => {
      if (stopped) return;
      clearInterval(timer);
      draw();
      stopped = true;
    },
  };
}
