/**
 * Async context: every async resource the program creates (promises, timers, I/O, ticks…) is
 * recorded with its type and trigger (ASYNC_INIT), and each run of its callback is bracketed by
 * ASYNC_BEFORE / ASYNC_AFTER, so every event in between belongs to that context and the reader
 * can walk from a callback back to the code that scheduled it. Promises end with ASYNC_END when
 * they settle; other resources are not followed to their destruction (a destroy hook makes V8
 * track every promise for garbage collection, which costs more than everything else here).
 *
 * The hook functions are created once; each call is one probe call (a few typed-array stores).
 * Resources of the recorder itself (the idle-flush timer) are skipped by id.
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import { P } from './primordials.js';
import type { ThreadProbes } from './thread-probes.js';

export interface AsyncRecorder {
  /** Ids of the recorder's own resources: their callbacks are not recorded. */
  skip(asyncId: number): void;
  disable(): void;
}

export function recordAsyncContext(probes: ThreadProbes): AsyncRecorder {
  // Up to two skipped ids compared inline (the common case: the idle-flush timer), a set beyond
  // (read through the runtime's own copies: the program may wrap Set.prototype.has).
  let skipA = -1;
  let skipB = -1;
  let extra = 0;
  const more = new Set<number>();
  const skipped = (id: number): boolean => id === skipA || id === skipB || (extra !== 0 && P.SetHas(more, id));
  const { asyncInit, asyncBefore, asyncAfter, asyncEnd } = probes;
  const hook: AsyncHook = createHook({
    init(id: number, type: string, trigger: number) {
      asyncInit(id, type, trigger);
    },
    before(id: number) {
      if (skipped(id)) return;
      asyncBefore(id);
    },
    after(id: number) {
      if (skipped(id)) return;
      asyncAfter(id);
    },
    promiseResolve(id: number) {
      asyncEnd(id);
    },
  });
  hook.enable();
  return {
    skip(id) {
      if (skipped(id)) return;
      if (skipA === -1) skipA = id;
      else if (skipB === -1) skipB = id;
      else extra = P.SetSize(P.SetAdd(more, id));
    },
    disable() {
      hook.disable();
    },
  };
}

/** The async id of a Node.js timer (Timeout objects convert to their id). */
export function timerId(t: unknown): number {
  const n = Number(t as number);
  return Number.isInteger(n) ? n : -1;
}
