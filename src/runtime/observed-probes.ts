/**
 * Events the runtime observes itself (async_hooks, diagnostics_channel, HTTP, messages, process
 * life), never called by instrumented code: one call per async resource or message, not per
 * function call, so they reach the ring through a small writer interface the probes build once.
 */
import { HAS_VALUE, KIND_SHIFT, Kind } from '../format/events.js';
import type { ValueWriter } from './value-writer.js';

const ERROR_V = (Kind.ERROR | HAS_VALUE) << KIND_SHIFT;
const MARK_V = (Kind.MARK | HAS_VALUE) << KIND_SHIFT;
const ASYNC_INIT_V = (Kind.ASYNC_INIT | HAS_VALUE) << KIND_SHIFT;
export const ASYNC_BEFORE = Kind.ASYNC_BEFORE << KIND_SHIFT;
export const ASYNC_AFTER = Kind.ASYNC_AFTER << KIND_SHIFT;
const ASYNC_END = Kind.ASYNC_END << KIND_SHIFT;

/** Event words of the causality kinds that carry a value record (site 0: the runtime observed them). */
export const CausalWord = {
  SEND: (Kind.SEND | HAS_VALUE) << KIND_SHIFT,
  RECEIVE: (Kind.RECEIVE | HAS_VALUE) << KIND_SHIFT,
  HTTP: (Kind.HTTP | HAS_VALUE) << KIND_SHIFT,
  LOG: (Kind.LOG | HAS_VALUE) << KIND_SHIFT,
  HEALTH: (Kind.HEALTH | HAS_VALUE) << KIND_SHIFT,
  PROCESS: (Kind.PROCESS | HAS_VALUE) << KIND_SHIFT,
} as const;

export interface ObservedProbes {
  /** Records a runtime-observed error (uncaught exception, unhandled rejection) with its value. */
  error(site: number, value: unknown): void;
  /** Records a user mark with a message. */
  mark(site: number, message: unknown): void;
  /** ASYNC_INIT: a resource `id` of `type` created, triggered by `trigger` (values: LIST [type, trigger]). */
  asyncInit(id: number, type: string, trigger: number): void;
  /** ASYNC_BEFORE / ASYNC_AFTER / ASYNC_END of resource `id` (one payload word, no value). */
  asyncBefore(id: number): void;
  asyncAfter(id: number): void;
  asyncEnd(id: number): void;
  /**
   * A causality event with a value record LIST [a, b, c] (the first `n` of them); `w` is one of
   * CausalWord. Layouts per kind: src/format/events.ts.
   */
  causal(w: number, n: number, a: unknown, b: unknown, c: unknown): void;
  /** A causality event whose value is one object (HTTP, PROCESS). */
  causalValue(w: number, v: unknown): void;
  /** A causality event whose value is an object of the recorder's own (ValueWriter.fields: `trusted`, `fresh`). */
  causalFields(w: number, keys: readonly string[], values: readonly unknown[], trusted: number, fresh: number): void;
  /**
   * Light causality (no async_hooks): `current` names the context the program runs in now (0:
   * none), e.g. the HTTP request an AsyncLocalStorage carries. Before each event whose context
   * differs from the last one written, an ASYNC_AFTER of the old and an ASYNC_BEFORE of the new
   * context are written, so readers see the same brackets as with async_hooks, only coarser.
   */
  followContext(current: () => number): void;
}

/** What the observed events need from a thread's probes (probes.ts builds it once). */
export interface EventWriter {
  readonly vw: ValueWriter;
  /** An event word and one payload word (a resource id); publishes the chunk when full. */
  word(w: number, id: number): void;
  /** Makes room for a value record, then writes the event word and, when `id` ≥ 0, a payload word. */
  open(w: number, id: number): void;
  /** After the value record `open` announced: publishes the chunk when full. */
  close(): void;
  /** An event word followed by the record of `v` (a failed capture leaves a marker). */
  valued(w: number, v: unknown): void;
  /** Sets the context `put` compares with before each event (followContext). */
  follow(current: () => number): void;
}

export function observedProbes(out: EventWriter): ObservedProbes {
  const vw = out.vw;
  const valued = out.valued;
  return {
    error: (s, v) => valued(ERROR_V | s, v),
    mark: (s, v) => valued(MARK_V | s, v),
    asyncInit(id, type, trigger) {
      out.open(ASYNC_INIT_V, id);
      const at = vw.pos;
      try {
        vw.list(2, type, trigger, undefined, undefined);
      } catch {
        vw.truncated(at);
      }
      out.close();
    },
    asyncBefore: (id) => out.word(ASYNC_BEFORE, id),
    asyncAfter: (id) => out.word(ASYNC_AFTER, id),
    asyncEnd: (id) => out.word(ASYNC_END, id),
    causal(w, n, a, b, d) {
      out.open(w, -1);
      const at = vw.pos;
      try {
        vw.list(n, a, b, d, undefined);
      } catch {
        vw.truncated(at);
      }
      out.close();
    },
    causalValue: valued,
    causalFields(w, keys, values, trusted, fresh) {
      out.open(w, -1);
      const at = vw.pos;
      try {
        vw.fields(keys, values, trusted, fresh);
      } catch {
        vw.truncated(at);
      }
      out.close();
    },
    followContext: out.follow,
  };
}
