/**
 * Messages: a SEND when a message leaves, a RECEIVE when it is handed to a listener, linked by a
 * message id (value layouts in src/format/events.ts).
 *
 * - `EventEmitter.prototype.emit` has no diagnostics channel, so it is replaced by a function
 *   that dispatches like Node's own (same listener order, same `this` and arguments, a copy of
 *   the listener array taken first) and writes SEND once and RECEIVE before each listener. Error
 *   events, emitters with no listener for the event and emitters that capture rejections go to
 *   the original emit untouched, and so do 'newListener' and 'removeListener' (bookkeeping).
 * - Worker `postMessage` and child-process IPC `send` are ordered channels: both ends count the
 *   messages of one direction, so the n-th send and the n-th receive carry the same id
 *   (`worker:<pid>:<threadId>:down|up:<n>`, `ipc:<from pid>:<to pid>:<n>`) without changing
 *   the message. Receives are seen where Node emits them ('message' on a Worker, on `process`
 *   and on a ChildProcess, and each message dispatched to a worker's `parentPort`).
 * - Net sockets: writes and 'data' chunks linked by byte offsets (socket-links.ts);
 *   MessageChannel ports: ordered channels (port-links.ts).
 */
import { EventEmitter } from 'node:events';
import { ChildProcess } from 'node:child_process';
import { Worker, isMainThread, parentPort, threadId } from 'node:worker_threads';
import { Socket } from 'node:net';
import { listen } from './channels.js';
import { captureSockets, type SocketLinks } from './socket-links.js';
import { capturePorts } from './port-links.js';
import { CausalWord } from './observed-probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { P } from './primordials.js';

const SEND = CausalWord.SEND;
const RECEIVE = CausalWord.RECEIVE;

/** Told about lifecycle events as they are emitted ('exit', 'spawn', 'unhandledRejection'), before any listener runs. */
export type LifecycleSink = (emitter: object, type: string, args: unknown[]) => void;

/** `emitters` false (light causality): only ordered channels and lifecycle events, no emit or socket links. */
export function captureMessages(probes: ThreadProbes, lifecycle: LifecycleSink, emitters = true): void {
  const { causal } = probes;
  const pid = process.pid;
  const proto = EventEmitter.prototype as unknown as Record<string, unknown> & { emit: (...args: unknown[]) => boolean };
  const original = proto.emit;
  const kCapture = P.ownKeys(proto).find((k) => typeof k === 'symbol' && k.description === 'kCapture') as symbol | undefined;
  const counts = new WeakMap<object, number>();
  const sent = new WeakMap<object, number>();
  // Workers the program starts (announced on the worker_threads channel); Node's own (the module
  // loader's hooks thread) are left alone.
  const programWorkers = new WeakSet<object>();
  listen('workerThreads', (m) => programWorkers.add((m as { worker: object }).worker));
  /** Counts per object and direction (receives in `counts`, sends in `sent`). */
  const bump = (o: object, m = counts): number => {
    const n = (m.get(o) ?? 0) + 1;
    m.set(o, n);
    return n;
  };
  let nextEmit = 0;
  const nameOf = (type: unknown): unknown => (typeof type === 'symbol' ? P.SymbolDescription(type) ?? 'symbol' : type);
  const ReflectApply = P.apply;
  let sockets: SocketLinks | null = null;
  try {
    if (emitters) sockets = captureSockets(probes);
  } catch {
    // sockets stay plain emitters
  }
  try {
    capturePorts(probes);
  } catch {
    // ports stay unlinked
  }
  const dispatch = (self: object, handler: unknown, args: unknown[]) => {
    if (typeof handler === 'function') ReflectApply(handler, self, args);
    else {
      const listeners = P.ArraySlice(handler as unknown[]);
      for (let i = 0; i < listeners.length; i++) ReflectApply(listeners[i] as Function, self, args);
    }
  };

  /** A channel message id for a 'message' event of an ordered channel, or null. */
  const orderedReceive = (self: object): string | null => {
    if (self instanceof Worker) return !programWorkers.has(self) ? null : `worker:${pid}:${self.threadId}:up:${bump(self)}`;
    if (self === process) return `ipc:${process.ppid}:${pid}:${bump(self)}`;
    if (self instanceof ChildProcess) return `ipc:${self.pid}:${pid}:${bump(self)}`;
    return null;
  };

  // `arguments`, not rest parameters: the common case (no listener) allocates nothing here.
  const emit = function emit(this: Record<PropertyKey, unknown>, type: unknown): boolean {
    if (type === 'exit' || type === 'spawn' || type === 'unhandledRejection') {
      try {
        lifecycle(this, type, P.ArraySlice(arguments as unknown as unknown[], 1));
      } catch {
        // never break the program's event
      }
    }
    const events = this._events as Record<PropertyKey, unknown> | undefined;
    const handler = events === undefined || type === 'error' || events === null ? undefined : events[type as PropertyKey];
    // Listener bookkeeping ('newListener', 'removeListener') is not a message, and the recorder
    // itself listens for 'uncaughtExceptionMonitor' (the error is recorded as ERROR).
    // Light causality links only 'message' events of ordered channels.
    if (handler === undefined || (!emitters && type !== 'message') || type === 'newListener' || type === 'removeListener' || type === 'uncaughtExceptionMonitor' || (kCapture !== undefined && this[kCapture] === true) || (typeof handler !== 'function' && !P.isArray(handler))) {
      return ReflectApply(original, this, arguments as unknown as unknown[]) as boolean;
    }
    const args = P.ArraySlice(arguments as unknown as unknown[], 1);
    const ordered = type === 'message' ? orderedReceive(this) : null;
    if (ordered !== null) {
      causal(RECEIVE, 3, ordered.slice(0, ordered.indexOf(':')), ordered, 'message');
      dispatch(this, handler, args);
      return true;
    }
    if (!emitters) return ReflectApply(original, this, arguments as unknown as unknown[]) as boolean;
    if ((type === 'data' || type === 'connect') && sockets !== null && this instanceof Socket && sockets.onEmit(this, type, args)) {
      dispatch(this, handler, args);
      return true;
    }
    const id = ++nextEmit;
    const name = nameOf(type);
    causal(SEND, 3, 'emit', id, name);
    if (typeof handler === 'function') {
      causal(RECEIVE, 3, 'emit', id, name);
      ReflectApply(handler, this, args);
    } else {
      const listeners = P.ArraySlice(handler as unknown[]);
      for (let i = 0; i < listeners.length; i++) {
        causal(RECEIVE, 3, 'emit', id, name);
        ReflectApply(listeners[i] as Function, this, args);
      }
    }
    return true;
  };
  P.defineProperty(emit, 'name', { value: 'emit' });
  if (emitters) proto.emit = emit;
  else {
    // Light: only the emitters whose events are recorded (worker and IPC messages, spawn, exit,
    // unhandledRejection) get the wrapper; every other emit (streams, sockets, HTTP: several per
    // request) stays Node's own instead of passing through a function that lets it go by.
    for (const target of [ChildProcess.prototype, Worker.prototype, process]) P.defineProperty(target, 'emit', { value: emit, writable: true, configurable: true, enumerable: false });
  }

  // Worker postMessage (parent → worker), parentPort.postMessage (worker → parent).
  const wproto = Worker.prototype as unknown as { postMessage: (...a: unknown[]) => void };
  const wpost = wproto.postMessage;
  wproto.postMessage = function postMessage(this: Worker, ...a: unknown[]) {
    if (programWorkers.has(this)) causal(SEND, 3, 'worker', `worker:${pid}:${this.threadId}:down:${bump(this, sent)}`, 'postMessage');
    return ReflectApply(wpost, this, a);
  };
  if (!isMainThread && parentPort) {
    const port = parentPort as unknown as { postMessage: (...a: unknown[]) => void; emit?: unknown };
    const ppost = port.postMessage;
    let up = 0;
    let down = 0;
    P.defineProperty(port, 'postMessage', {
      value: function postMessage(this: unknown, ...a: unknown[]) {
        causal(SEND, 3, 'worker', `worker:${pid}:${threadId}:up:${++up}`, 'postMessage');
        return ReflectApply(ppost, this, a);
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
    // parentPort is an event target: its messages are dispatched through Node's hybrid dispatch.
    const hybrid = findSymbol(parentPort, 'nodejs.internal.kHybridDispatch');
    if (hybrid) {
      const dispatch = (parentPort as unknown as Record<symbol, Function>)[hybrid]!;
      P.defineProperty(parentPort, hybrid, {
        value: function (this: unknown, ...a: unknown[]) {
          if (a[1] === 'message') causal(RECEIVE, 3, 'worker', `worker:${pid}:${threadId}:down:${++down}`, 'message');
          return ReflectApply(dispatch, this, a);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }

  // Child-process IPC: process.send (child → parent) here; ChildProcess#send (parent → child) is
  // set on each instance when its channel opens, see wrapChildSend.
  const psend = (process as { send?: (...a: unknown[]) => boolean }).send;
  if (typeof psend === 'function') {
    let n = 0;
    (process as { send?: (...a: unknown[]) => boolean }).send = function send(this: unknown, ...a: unknown[]) {
      causal(SEND, 3, 'ipc', `ipc:${pid}:${process.ppid}:${++n}`, 'send');
      return ReflectApply(psend, this, a) as boolean;
    };
  }
}

/**
 * Node assigns `child.send` when a child's IPC channel is set up, after the `child_process`
 * channel announced the child: a setter catches that assignment and keeps a recording wrapper.
 */
export function wrapChildSend(probes: ThreadProbes, child: ChildProcess): void {
  const { causal } = probes;
  let n = 0;
  const wrap = (fn: unknown) =>
    typeof fn !== 'function'
      ? fn
      : function send(this: ChildProcess, ...a: unknown[]) {
          causal(SEND, 3, 'ipc', `ipc:${process.pid}:${child.pid}:${++n}`, 'send');
          return P.apply(fn as Function, this, a) as boolean;
        };
  P.defineProperty(child, 'send', {
    configurable: true,
    enumerable: false,
    set(fn: unknown) {
      P.defineProperty(child, 'send', { value: wrap(fn), writable: true, configurable: true, enumerable: true });
    },
    get() {
      return undefined;
    },
  });
}

function findSymbol(o: object, description: string): symbol | undefined {
  for (let p: object | null = o; p !== null; p = P.getPrototypeOf(p) as object | null) {
    for (const k of P.ownKeys(p)) if (typeof k === 'symbol' && k.description === description) return k;
  }
  return undefined;
}
