/**
 * The event model: what one word in a thread's event stream means.
 *
 * A thread writes 32-bit words into its ring. Most events are one word: the kind in the top
 * 8 bits and a site id in the low 24. A few kinds carry one payload word after them. Sequence
 * numbers are implicit (the word's position in its thread's stream), and time is written only
 * when the shared clock has moved (a TIME event), so the common case costs one store.
 */

export const KIND_SHIFT = 24;
export const SITE_MASK = 0xff_ffff;
/** Largest site id a process can hand out. */
export const MAX_SITE = SITE_MASK;

export const Kind = {
  /** Function entry. Payload: none. Values (when flagged): the arguments. */
  CALL: 1,
  /** Normal function exit. Values (when flagged): the return value. */
  RETURN: 2,
  /** Exit by exception. Values (when flagged): the thrown value. */
  THROW: 3,
  /** A function suspends at `await` / `yield` (site: the await or yield expression). */
  SUSPEND: 4,
  /** A suspended function resumes. Payload word: low 32 bits of its CALL's position. */
  RESUME: 5,
  /** The shared clock moved. Payload word: microseconds since the process's time origin (u32, wraps). */
  TIME: 6,
  /** A user mark or log line (site: the mark's site). Values: the message. */
  MARK: 7,
  /** An uncaught exception or unhandled rejection seen by the runtime. Values: the error. */
  ERROR: 8,
  /**
   * State write. Values: LIST [target, key, value after the write] for a property (the target a
   * snapshot the first time the thread sees it, a reference after), LIST [value] for a binding
   * (the site names it).
   */
  WRITE: 9,
  /** Property delete. Values: LIST [target, key]. */
  DELETE: 10,
  /**
   * A Map, Set or array changed by one of its methods (`push`, `set`, `add`, `splice`…).
   * Values: LIST [target, method name, snapshot of the target after the call].
   */
  MUTATE: 11,
  // Causality (async context, messages, HTTP, process life). Site 0 unless an instrumented site
  // is known; the event belongs to the thread's current frame and async context.
  /** An async resource was created. Payload word: its async id. Values: LIST [type, triggerAsyncId]. */
  ASYNC_INIT: 12,
  /** A callback of an async resource starts: events until the matching ASYNC_AFTER run in its context. Payload: async id. */
  ASYNC_BEFORE: 13,
  /** That callback ended. Payload: async id. */
  ASYNC_AFTER: 14,
  /** The resource is done (destroyed, or its promise settled). Payload: async id. */
  ASYNC_END: 15,
  /** A message is sent (emit, postMessage, IPC, …). Values: LIST [channel kind, message id, detail]. */
  SEND: 16,
  /** A message is received (a listener runs, a message event fires). Values: LIST [channel kind, message id, detail]. */
  RECEIVE: 17,
  /** One phase of an HTTP exchange, in or out. Values: an object (phase, direction, id, method, url, status, headers, traceparent, route…). */
  HTTP: 18,
  /** Console output. Values: LIST [level, text]. */
  LOG: 19,
  /** Event-loop delay or a GC pause. Values: LIST [what, milliseconds, detail]. */
  HEALTH: 20,
  /** A worker or child process started or ended. Values: an object (what, pid, threadId, code, signal, command…). */
  PROCESS: 21,
} as const;
export const MAX_KIND = Kind.PROCESS;
export type KindCode = (typeof Kind)[keyof typeof Kind];

/** Set in the kind byte when a value record for this event follows in the chunk's value stream. */
export const HAS_VALUE = 0x80;
export const KIND_MASK = 0x7f;

/** Kinds followed by one payload word. */
export function hasPayload(kind: number): boolean {
  return kind === Kind.RESUME || kind === Kind.TIME || (kind >= Kind.ASYNC_INIT && kind <= Kind.ASYNC_END);
}

export const kindNames: Record<number, string> = {
  [Kind.CALL]: 'call',
  [Kind.RETURN]: 'return',
  [Kind.THROW]: 'throw',
  [Kind.SUSPEND]: 'suspend',
  [Kind.RESUME]: 'resume',
  [Kind.TIME]: 'time',
  [Kind.MARK]: 'mark',
  [Kind.ERROR]: 'error',
  [Kind.WRITE]: 'write',
  [Kind.DELETE]: 'delete',
  [Kind.MUTATE]: 'mutate',
  [Kind.ASYNC_INIT]: 'async-init',
  [Kind.ASYNC_BEFORE]: 'async-before',
  [Kind.ASYNC_AFTER]: 'async-after',
  [Kind.ASYNC_END]: 'async-end',
  [Kind.SEND]: 'send',
  [Kind.RECEIVE]: 'receive',
  [Kind.HTTP]: 'http',
  [Kind.LOG]: 'log',
  [Kind.HEALTH]: 'health',
  [Kind.PROCESS]: 'process',
};

export function word(kind: number, site: number): number {
  return ((kind << KIND_SHIFT) | site) | 0;
}
