/**
 * Process life and health: worker threads and child processes starting and ending (PROCESS),
 * unhandled rejections tied to the promise that was rejected (PROCESS 'unhandled-rejection' with
 * the promise's async id, so the reader links it to the code that created the promise), console
 * output (LOG) and event-loop delay and GC pauses (HEALTH). Value layouts: src/format/events.ts.
 *
 * Nothing here adds a listener the program could see: exits, spawns and rejections are observed
 * as they are emitted (messages.ts), workers and children through diagnostics channels.
 */
import { ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { listen } from './channels.js';
import { wrapChildSend } from './messages.js';
import { CausalWord } from './observed-probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { P } from './primordials.js';

const PROCESS = CausalWord.PROCESS;
const LOG = CausalWord.LOG;
const HEALTH = CausalWord.HEALTH;

/** Node keeps a promise's async id in an own symbol property while async hooks are on. */
function promiseAsyncId(promise: unknown): number {
  if (!P.isPromise(promise)) return -1;
  for (const k of P.ownKeys(promise as object)) {
    if (typeof k !== 'symbol' || P.SymbolDescription(k) !== 'async_id_symbol') continue;
    const d = P.getOwnPropertyDescriptor(promise, k);
    if (d && typeof d.value === 'number') return d.value;
  }
  return -1;
}

export function lifecycleSink(probes: ThreadProbes): (emitter: object, type: string, args: unknown[]) => void {
  const record = probes.causalValue;
  return (emitter, type, args) => {
    if (type === 'unhandledRejection' && emitter === process) {
      record(PROCESS, { what: 'unhandled-rejection', asyncId: promiseAsyncId(args[1]), reason: args[0] });
    } else if (emitter instanceof Worker) {
      if (type === 'exit') record(PROCESS, { what: 'worker-exit', pid: process.pid, threadId: emitter.threadId, code: args[0] });
    } else if (emitter instanceof ChildProcess) {
      const c = emitter as ChildProcess & { spawnfile?: string; spawnargs?: string[] };
      if (type === 'spawn') record(PROCESS, { what: 'child-spawn', pid: c.pid, command: c.spawnfile, args: c.spawnargs });
      else if (type === 'exit') record(PROCESS, { what: 'child-exit', pid: c.pid, code: args[0], signal: args[1] });
    }
  };
}

/** Starts, console and health; returns the recorder's own timer (for the async recorder to skip). */
export function captureProcessLife(probes: ThreadProbes, healthMs: number): NodeJS.Timeout | null {
  const record = probes.causalValue;
  const causal = probes.causal;
  listen('workerThreads', (m) => {
    const w = (m as { worker: Worker }).worker;
    record(PROCESS, { what: 'worker-start', pid: process.pid, threadId: w.threadId });
  });
  listen('childProcess', (m) => {
    const c = (m as { process: ChildProcess }).process;
    try {
      wrapChildSend(probes, c);
    } catch {
      // a child we cannot follow is still recorded by its own process
    }
  });

  // Console: the level and the arguments as values (never formatted: formatting can run program code).
  const con = console as unknown as Record<string, unknown>;
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = con[level];
    if (typeof original !== 'function') continue;
    const wrapped = {
      [level](this: unknown, ...args: unknown[]) {
        causal(LOG, 2, level, args, undefined);
        return P.apply(original as Function, this, args);
      },
    }[level]!;
    con[level] = wrapped;
  }

  if (healthMs <= 0) return null;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) causal(HEALTH, 3, 'gc', Math.round(e.duration * 1000) / 1000, (e as { detail?: { kind?: number } }).detail?.kind ?? 0);
  });
  try {
    gc.observe({ entryTypes: ['gc'] });
  } catch {
    // no GC entries on this platform
  }
  const timer = setInterval(() => {
    if (delay.count > 0) {
      causal(HEALTH, 3, 'loop-delay', Math.round(delay.max / 1000) / 1000, { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, mean: delay.mean / 1e6 });
      delay.reset();
    }
  }, healthMs);
  timer.unref();
  return timer;
}
