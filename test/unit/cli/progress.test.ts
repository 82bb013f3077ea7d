import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createReporter, isLiveTerminal } from "../../../cli/progress";

function capture(tty: boolean, columns = 80) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  if (tty) Object.assign(stream, { isTTY: true, columns });
  return { stream, text: () => text };
}

/** Replays cursor-up + clear-to-end like a terminal would, and drops cursor show/hide. */
function screen(raw: string): string {
  let lines: string[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of raw.split(/(\x1b\[\d+A\x1b\[J|\x1b\[\?25[lh])/)) {
    // eslint-disable-next-line no-control-regex
    const up = /^\x1b\[(\d+)A\x1b\[J$/.exec(part);
    if (up) lines = lines.slice(0, lines.length - Number(up[1]));
    else if (!part.startsWith("\x1b[?25")) lines.push(...part.split("\n").slice(0, -1));
  }
  return lines.join("\n");
}

describe("isLiveTerminal", () => {
  it("a TTY, unless TERM=dumb", () => {
    expect(isLiveTerminal(capture(true).stream, { TERM: "xterm" })).toBe(true);
    expect(isLiveTerminal(capture(true).stream, { TERM: "dumb" })).toBe(false);
    expect(isLiveTerminal(capture(false).stream, {})).toBe(false);
  });
});

describe("line mode", () => {
  it("prints one line per event, with the id when asked, and a mark at the end", () => {
    const c = capture(false);
    const r = createReporter({ stream: c.stream, live: false }, { prefixIds: true });
    r.sink("c1")({ type: "phase", phase: "pay", certificateId: "c1", message: "paying" });
    r.sink("c2")({ type: "warning", message: "careful" });
    r.finish("c1", "ok", "renewed → n1");
    r.finish("c2", "skipped", "backed off");
    r.stop();
    expect(c.text()).toBe("c1 [pay] paying\nc2 [warning] careful\n✔ c1: renewed → n1\n↷ c2: backed off\n");
  });
});

describe("live mode", () => {
  it("keeps one line per running certificate, scrolls lasting events above, leaves marks", () => {
    const c = capture(true);
    const r = createReporter({ stream: c.stream, live: true }, { prefixIds: true });
    r.sink("c1")({ type: "phase", phase: "pay", certificateId: "c1", message: "paying" });
    r.sink("c2")({ type: "phase", phase: "wait", certificateId: "c2", message: "waiting for the CA" });
    // Ids padded to at least 4 characters, phase names to 11.
    expect(screen(c.text())).toBe("⠋ c1    ████░░░░░░░░  4/11 pay         paying\n⠋ c2    ████████░░░░  7/11 wait        waiting for the CA");
    r.sink("c1")({ type: "dns-record", action: "created", record: { domain: "a.example.com", recordType: "CNAME", key: "_x", value: "y" } as never, message: "created CNAME _x = y" });
    r.finish("c1", "ok", "renewed → n1");
    r.finish("c2", "failed", "TencentApi: boom");
    r.stop();
    expect(screen(c.text())).toBe("  c1 [dns-record] created CNAME _x = y\n✔ c1    renewed → n1\n✘ c2    TencentApi: boom");
    expect(c.text()).not.toContain("\x1b[?25l"); // the cursor is never hidden (a Ctrl-C would leave it so)
  });

  it("fits live lines to the terminal width", () => {
    const c = capture(true, 40);
    const r = createReporter({ stream: c.stream, live: true }, { prefixIds: false });
    r.sink("c1")({ type: "phase", phase: "validate", certificateId: "c1", message: "x".repeat(200) });
    for (const line of screen(c.text()).split("\n")) expect(line.length).toBeLessThanOrEqual(39);
    r.stop();
  });

  it("history keeps a line per phase", () => {
    const c = capture(true);
    const r = createReporter({ stream: c.stream, live: true }, { prefixIds: false, history: true, indent: " " });
    r.sink("c1")({ type: "phase", phase: "preflight", certificateId: "c1", message: "reading" });
    r.sink("c1")({ type: "phase", phase: "verify", certificateId: "c1", message: "verifying" });
    r.finish("c1", "pending", "waits for a human");
    r.stop();
    expect(screen(c.text())).toBe("   [preflight] reading\n   [verify] verifying\n ⏸ c1    waits for a human");
  });
});
