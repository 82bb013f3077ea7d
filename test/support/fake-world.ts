/**
 * One in-memory world for engine unit tests: the fake SSL and DNSPod sharing a
 * call log, a memory journal, a fake clock whose sleep returns at once, the
 * real crypto adapter, and the progress events. Polling keeps its real shape,
 * shrunk (and free: sleeping only moves the fake clock).
 */
import { createCertificateInspector, createKeyFactory } from "../../crypto";
import type { EngineDeps, PollingOptions } from "../../engine/deps";
import { resolveOptions, type RenewalOptions, type ResolvedOptions } from "../../engine/options";
import type { ProgressEvent } from "../../engine/progress";
import { FakeCalls } from "./fake-calls";
import { FakeClock, fakeSleep, type FakeSleep } from "./fake-clock";
import { FakeDns } from "./fake-dns";
import { FakeSsl } from "./fake-ssl";
import { MemoryJournal } from "./memory-journal";

export const FAKE_POLLING: PollingOptions = { fastMs: 1000, slowMs: 30_000, fastWindowMs: 60_000, factor: 1.5, waitingEventEveryMs: 30_000, paidCallGraceMs: 30_000 };

export interface FakeWorld {
  readonly clock: FakeClock;
  readonly sleep: FakeSleep;
  readonly calls: FakeCalls;
  readonly ssl: FakeSsl;
  readonly dns: FakeDns;
  readonly journal: MemoryJournal;
  readonly events: ProgressEvent[];
  deps(overrides?: Partial<EngineDeps>): EngineDeps;
  /** Resolved options; EC P-256 keys by default (fast), 30 minutes' wait. */
  options(o: Partial<RenewalOptions> & { certificateId: string }): ResolvedOptions;
}

export function fakeWorld(opts: { zones?: readonly string[] } = {}): FakeWorld {
  const clock = new FakeClock();
  const calls = new FakeCalls();
  const dns = new FakeDns(calls, opts.zones ?? ["example.com"]);
  const ssl = new FakeSsl(clock, calls, dns);
  const journal = new MemoryJournal();
  const sleep = fakeSleep(clock);
  const events: ProgressEvent[] = [];
  const keys = createKeyFactory();
  const inspector = createCertificateInspector();
  return {
    clock,
    sleep,
    calls,
    ssl,
    dns,
    journal,
    events,
    deps: (overrides = {}) => ({ ssl, dns, keys, inspector, journal, clock, sleep, progress: (e) => events.push(e), polling: FAKE_POLLING, ...overrides }),
    options: (o) => resolveOptions({ key: { source: "local", algorithm: "EC_P256" }, ...o }),
  };
}
