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
  return target.live ? liveReporter(target, options, indent) : plainReporter(target, options, indent);
}

/** Logs and pipes: one line per event, nothing redrawn. */
function plainReporter(target: ProgressTarget, options: ReporterOptions, indent: string): Reporter {
  const write = (s: string) => void target.stream.write(s);
  return {
    sink: (id) => (e) => write(`${indent}${options.prefixIds ? `${id} ` : ""}[${tag(e)}] ${e.message}\n`),
    log: (t) => write(`${indent}${t}\n`),
    finish: (id, state, t) => write(`${indent}${MARK[state]} ${id}: ${t}\n`),
    stop: () => undefined,
  };
}

/** A TTY's live area: the running tasks, and how many lines were drawn for them last time. */
interface LiveArea {
  readonly stream: NodeJS.WritableStream;
  readonly indent: string;
  readonly tasks: Task[];
  drawn: number;
  frame: number;
  stopped: boolean;
}

function write(area: LiveArea, s: string): void {
  void area.stream.write(s);
}

/** A pty without a size reports 0 columns: assume 100 then. */
function columns(stream: NodeJS.WritableStream): number {
  const c = (stream as NodeJS.WriteStream).columns;
  return c !== undefined && c >= 40 ? c : 100;
}

/** Cuts a redrawn line to the terminal's width, so redrawing never has to count wrapped lines. */
function fit(area: LiveArea, s: string): string {
  const width = columns(area.stream);
  return s.length > width - 1 ? `${s.slice(0, width - 2)}…` : s;
}

function progressBar(phase: Phase): { readonly step: number; readonly bar: string } {
  const step = PHASES.indexOf(phase) + 1;
  const filled = Math.round((step / PHASES.length) * BAR);
  return { step, bar: `${"█".repeat(filled)}${"░".repeat(BAR - filled)}` };
}

function render(area: LiveArea, t: Task): string {
  const id = t.id.padEnd(Math.max(...area.tasks.map((x) => x.id.length), 4));
  if (t.done) return fit(area, `${area.indent}${MARK[t.done]} ${id}  ${t.doneText}`);
  const { step, bar } = progressBar(t.phase);
  const spinner = FRAMES[area.frame % FRAMES.length];
  return fit(area, `${area.indent}${spinner} ${id}  ${bar} ${String(step).padStart(2)}/${PHASES.length} ${t.phase.padEnd(11)} ${t.detail}`);
}

function clear(area: LiveArea): void {
  if (area.drawn > 0) write(area, `\x1b[${area.drawn}A\x1b[J`);
  area.drawn = 0;
}

function draw(area: LiveArea): void {
  // Finished tasks scroll up as lasting lines; the live area keeps the running ones.
  const finished = area.tasks.filter((t) => t.done);
  const running = area.tasks.filter((t) => !t.done);
  const lines = [...finished, ...running].map((t) => render(area, t));
  clear(area);
  for (const t of finished) area.tasks.splice(area.tasks.indexOf(t), 1);
  if (lines.length > 0) write(area, `${lines.join("\n")}\n`);
  area.drawn = running.length;
}

function taskOf(area: LiveArea, id: string): Task {
  let t = area.tasks.find((x) => x.id === id);
  if (!t) {
    t = { id, phase: "preflight", detail: "", done: null, doneText: "" };
    area.tasks.push(t);
  }
  return t;
}

function logLine(area: LiveArea, text: string): void {
  if (area.stopped) return write(area, `${area.indent}${text}\n`);
  clear(area);
  // Lasting lines may wrap: they are not redrawn, so they need no fitting.
  write(area, `${area.indent}${text}\n`);
  draw(area);
}

/** A TTY: a spinner line per certificate, redrawn every 100 ms, with lasting lines above. */
function liveReporter(target: ProgressTarget, options: ReporterOptions, indent: string): Reporter {
  const area: LiveArea = { stream: target.stream, indent, tasks: [], drawn: 0, frame: 0, stopped: false };
  const timer = setInterval(() => {
    area.frame++;
    if (area.tasks.length > 0) draw(area);
  }, 100);
  timer.unref();
  // The cursor stays visible: hiding it would leave it hidden after a Ctrl-C.
  return {
    sink: (id) => (e) => {
      const t = taskOf(area, id);
      if (e.type === "phase") t.phase = e.phase;
      t.detail = e.message;
      if (lasting(e) || (options.history && e.type === "phase")) logLine(area, `  ${options.prefixIds ? `${id} ` : ""}[${tag(e)}] ${e.message}`);
      else if (!area.stopped) draw(area);
    },
    log: (text) => logLine(area, text),
    finish: (id, state, text) => {
      const t = taskOf(area, id);
      t.done = state;
      t.doneText = text;
      if (!area.stopped) draw(area);
      else write(area, `${render(area, t)}\n`);
    },
    stop: () => {
      if (area.stopped) return;
      clearInterval(timer);
      draw(area);
      area.stopped = true;
    },
  };
}
