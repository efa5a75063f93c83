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
  /** Exit by exception. Values (when flagged): the thrown value (async frames only, see CATCH). */
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
  // Causality (async context, messages, HTTP, process life): written by the runtime's hooks
  // (src/runtime/causality.ts), site 0; the event belongs to the thread's current frame and async
  // context. The reader's causal parents: src/correlate/tracker.ts.
  /** An async resource was created (async_hooks init). Payload word: its async id. Values: LIST [type, triggerAsyncId]. */
  ASYNC_INIT: 12,
  /** A callback of an async resource starts: events until the matching ASYNC_AFTER run in its context. Payload: async id. */
  ASYNC_BEFORE: 13,
  /** That callback ended. Payload: async id. */
  ASYNC_AFTER: 14,
  /** A promise settled (async_hooks promiseResolve); other resources are not followed to their end. Payload: async id. */
  ASYNC_END: 15,
  /**
   * A message is sent. Values: LIST [channel, id, detail]:
   * - ['emit', n, event name]: EventEmitter#emit; n counts emits per thread, each listener gets a RECEIVE with the same n;
   * - ['worker', 'worker:<pid>:<threadId>:down|up:<n>', 'postMessage']: Worker#postMessage (down) and parentPort.postMessage (up);
   * - ['ipc', 'ipc:<from pid>:<to pid>:<n>', 'send']: ChildProcess#send and process.send;
   * - ['tcp', 'tcp:<local addr:port>><remote addr:port>' (or 'sock:<pid>:<n>' before the socket
   *   is connected), end offset]: a write on a net socket; its RECEIVE (a 'data' chunk) names the
   *   connection as the writer sees it, with the offset where the chunk ends;
   * - ['tcp-conn', 'sock:<pid>:<n>', 'tcp:…']: the connection a socket written before connecting is on;
   * - ['port', 'port:<pid>:<threadId>:<n>:1|2:<k>', 'postMessage']: the k-th message from end 1 or 2 of a MessageChannel.
   * Ordered channels number the messages of one direction on both ends, so the n-th send and the
   * n-th receive carry the same id.
   */
  SEND: 16,
  /** A message is handed to a listener (the listener's events follow). Values: LIST [channel, id, detail] as SEND ('message' for worker and ipc). */
  RECEIVE: 17,
  /**
   * One phase of an HTTP exchange. Values: an object {phase: 'request'|'response'|'error', dir:
   * 'in'|'out', id (per process: pairs the phases of one exchange), api: 'http'|'undici', method,
   * url (secret query values and user-info passwords redacted), headers (secret names redacted by
   * the value writer), traceparent (sent or received), trace (the W3C trace id), span (out: the
   * parent-id our traceparent carries; in: the server's own span), parent (out: the span of the
   * server request being handled when it was sent), status, route (Express/Fastify, when known),
   * ms (since the request phase), error}.
   */
  HTTP: 18,
  /** Console output. Values: LIST [level, LIST of the arguments as values] (never formatted: formatting can run program code). */
  LOG: 19,
  /** Values: LIST ['gc', pause ms, GC kind] or LIST ['loop-delay', max ms over the last second, {p50, p99, mean}]. */
  HEALTH: 20,
  /**
   * Process life. Values: an object {what: 'worker-start'|'worker-exit'|'child-spawn'|'child-exit'|
   * 'unhandled-rejection', pid, threadId, code, signal, command, args, asyncId (the rejected promise), reason}.
   */
  PROCESS: 21,
  /**
   * An instrumented `catch` clause received an exception (site: the clause). Values: the caught
   * value. Frames that leave without a catch (all but async functions, ADR 0020) record THROW
   * without a value: this, or the uncaught ERROR, is where the value is.
   */
  CATCH: 22,
} as const;
export const MAX_KIND = Kind.CATCH;
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
  [Kind.CATCH]: 'catch',
};

export function word(kind: number, site: number): number {
  return ((kind << KIND_SHIFT) | site) | 0;
}

/**
 * Light causality's async id for an HTTP exchange (the runtime writes it, readers name lanes by
 * it): the exchange id + 1, because async ids 0 and 1 mean "no context" and the bootstrap in
 * async_hooks' numbering.
 */
export const exchangeContextId = (exchange: number): number => exchange + 1;
export const contextExchangeId = (asyncId: number): number => asyncId - 1;
