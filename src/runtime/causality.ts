/**
 * Turns on everything the correlator needs inside a recorded thread: async context
 * (async_hooks), HTTP (diagnostics channels), messages (emitters, workers, IPC), process life,
 * console and health. Each part fails open: if it cannot be installed, the program runs and the
 * rest records.
 *
 * Light mode keeps HTTP, worker/IPC/port messages, process life, console and health, and drops
 * what costs most per request on a server: async_hooks (an event per promise and callback) and
 * the links of every emit and socket chunk. Async context is then one context per incoming HTTP
 * request, followed through AsyncLocalStorage (http-capture.ts, probes' followContext).
 */
import { recordAsyncContext, timerId } from './async-context.js';
import type { RuntimeConfig } from './config.js';
import { captureHttp } from './http-capture.js';
import { captureMessages } from './messages.js';
import { captureProcessLife, lifecycleSink } from './process-life.js';
import type { ThreadProbes } from './thread-probes.js';

export interface Causality {
  /** A timer of the recorder itself: its callbacks are not the program's. */
  skip(timer: NodeJS.Timeout): void;
}

const HEALTH_MS = 1000;

export function startCausality(probes: ThreadProbes, config: RuntimeConfig): Causality {
  const mode = config.causality;
  if (mode !== true && mode !== 'light') return { skip() {} };
  const light = mode === 'light';
  const ids: number[] = [];
  let skip = (id: number): void => {
    ids.push(id);
  };
  const part = (what: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      process.stderr.write(`execution-cinema: ${what} not recorded in process ${process.pid}: ${(e as Error).message}\n`);
    }
  };
  part('HTTP', () => captureHttp(probes, new RegExp(config.redact, 'i'), light));
  part('messages', () => captureMessages(probes, lifecycleSink(probes), !light));
  part('process life', () => {
    const t = captureProcessLife(probes, HEALTH_MS);
    if (t) skip(timerId(t));
  });
  if (light) return { skip() {} };
  // Last, so the recorder's own set-up above creates no async events.
  part('async context', () => {
    const rec = recordAsyncContext(probes);
    for (const id of ids) rec.skip(id);
    skip = (id): void => rec.skip(id);
  });
  return { skip: (t) => skip(timerId(t)) };
}
