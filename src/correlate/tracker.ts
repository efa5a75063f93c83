/**
 * Causal parents, computed while the index reads each thread's stream in order.
 *
 * An event's causal parent ("cause") is:
 * - its synchronous caller: the activation it happened in (the index's `parent`), when it has one;
 * - for a resume: the suspend it resumes (the `await` that ended);
 * - for an event outside any activation: the ASYNC_BEFORE of the callback it runs in, whose cause
 *   is the ASYNC_INIT of that resource, whose cause is the code that created it (so the chain goes
 *   from a callback back to the code that scheduled it);
 * - for a RECEIVE: the SEND with the same message id (this thread, another thread or another
 *   process); for a socket's 'data' chunk, the write that holds its last byte; the event right
 *   after a RECEIVE at the same level (the listener) has the RECEIVE;
 * - for an incoming HTTP request: the recorded client request whose traceparent it carries; the
 *   response phase of an exchange has its request phase;
 * - for the first event of a worker thread or child process: the PROCESS event that started it;
 * - for an ERROR right after an unhandled-rejection PROCESS event: that event, whose cause is the
 *   ASYNC_INIT of the rejected promise (the code that created it).
 *
 * Links by key (message ids, spans, process starts) can point to rows read later or in another
 * recording: they are collected in a LinkTable and resolved at the end.
 */
import { Kind } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';

/** Per-thread state. */
export class ThreadCausality {
  /** Async id of the callback running now (0: none known), and its ASYNC_BEFORE row. */
  ctxId = 0;
  ctxRow = -1;
  /** The next event at the same level as `pendParent` is caused by `pendRow`. */
  pendRow = -1;
  pendParent = -2;
  /** The last unhandled-rejection event, for the ERROR that follows it. */
  rejection = -1;
  first = true;
  readonly stack: number[] = [];
  readonly inits = new Map<number, number>();
  readonly suspends = new Map<number, number>();
  constructor(
    /** Key scope of this thread: `<pid>:<thread>`. */
    readonly scope: string,
    readonly pid: number,
    readonly thread: number,
  ) {}
}

/** Link endpoints by key: `from` rows (a send, a client request…) and rows waiting for one. */
export class LinkTable {
  readonly from = new Map<string, number>();
  /** Pairs: row, key. */
  readonly to: [number, string][] = [];
  /** Byte streams (sockets): per key, [end offset, row] of each write, and reads waiting by end offset. */
  readonly streams = new Map<string, [number, number][]>();
  readonly reads: [number, string, number][] = [];
  /** A stream written under a provisional key, then named (key → name). */
  readonly names = new Map<string, string>();

  write(key: string, end: number, row: number): void {
    let w = this.streams.get(key);
    if (!w) this.streams.set(key, (w = []));
    w.push([end, row]);
  }

  read(row: number, key: string, end: number): void {
    this.reads.push([row, key, end]);
  }

  source(key: string, row: number): void {
    if (!this.from.has(key)) this.from.set(key, row);
  }

  target(row: number, key: string): void {
    this.to.push([row, key]);
  }

  /** [row, cause] for every target whose source is known; a read's cause is the write holding its last byte. */
  resolve(): [number, number][] {
    const out: [number, number][] = [];
    for (const [row, key] of this.to) {
      const c = this.from.get(key);
      if (c !== undefined && c !== row) out.push([row, c]);
    }
    const byName = new Map<string, [number, number][]>();
    for (const [key, w] of this.streams) {
      const name = this.names.get(key) ?? key;
      const all = byName.get(name);
      if (all) all.push(...w);
      else byName.set(name, w.slice());
    }
    for (const w of byName.values()) w.sort((a, b) => a[0] - b[0]);
    for (const [row, key, end] of this.reads) {
      const w = byName.get(key);
      if (!w) continue;
      let lo = 0;
      let hi = w.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (w[mid]![0] < end) lo = mid + 1;
        else hi = mid;
      }
      if (lo < w.length) out.push([row, w[lo]![1]]);
    }
    return out;
  }

  toJSON(): { from: [string, number][]; to: [number, string][] } {
    return { from: [...this.from], to: this.to };
  }
}

/** The cause of an ordinary event (not a causality kind, not a resume). Inline-friendly. */
export function plainCause(t: ThreadCausality, parent: number): number {
  let cause = parent >= 0 ? parent : t.ctxRow;
  if (t.pendRow >= 0) {
    if (parent === t.pendParent) cause = t.pendRow;
    t.pendRow = -1;
  }
  return cause;
}

export function field(v: Value | undefined, key: string): Value | undefined {
  if (v && typeof v === 'object' && 'entries' in v && v.type === 'object') {
    for (const [k, x] of v.entries) if (k === key) return x;
  }
  return undefined;
}

export function item(v: Value | undefined, i: number): Value | undefined {
  return v && typeof v === 'object' && 'items' in v && v.type === 'list' ? v.items[i] : undefined;
}

/** The W3C traceparent's parent-id (the span of the client request that sent it). */
export function spanOf(traceparent: unknown): string | null {
  if (typeof traceparent !== 'string') return null;
  const m = /^[\da-f]{2}-[\da-f]{32}-([\da-f]{16})-[\da-f]{2}/i.exec(traceparent.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * The cause of an event of a causality kind (ASYNC_* … PROCESS, and ERROR), registering link
 * endpoints; `value` is its decoded value (only needed for SEND … PROCESS and ERROR).
 */
export function causalEvent(t: ThreadCausality, links: LinkTable, kind: number, row: number, payload: number, parent: number, value: Value | undefined): number {
  const base = plainCause(t, parent);
  switch (kind) {
    case Kind.ASYNC_INIT:
      t.inits.set(payload, row);
      return base;
    case Kind.ASYNC_BEFORE: {
      t.stack.push(t.ctxId, t.ctxRow);
      t.ctxId = payload;
      t.ctxRow = row;
      return t.inits.get(payload) ?? -1;
    }
    case Kind.ASYNC_AFTER: {
      const before = t.ctxId === payload ? t.ctxRow : -1;
      if (t.stack.length >= 2) {
        t.ctxRow = t.stack.pop()!;
        t.ctxId = t.stack.pop()!;
      } else {
        t.ctxId = 0;
        t.ctxRow = -1;
      }
      return before >= 0 ? before : base;
    }
    case Kind.ASYNC_END:
      return t.inits.get(payload) ?? base;
    case Kind.SEND: {
      const [ch, id] = [item(value, 0), item(value, 1)];
      if (ch === 'emit') links.source(`emit:${t.scope}:${String(id)}`, row);
      else if (ch === 'tcp' && typeof id === 'string') links.write(id, Number(item(value, 2)), row);
      else if (ch === 'tcp-conn' && typeof id === 'string') links.names.set(id, String(item(value, 2)));
      else if (typeof id === 'string') links.source(`msg:${id}`, row);
      return base;
    }
    case Kind.RECEIVE: {
      const [ch, id] = [item(value, 0), item(value, 1)];
      if (ch === 'emit') links.target(row, `emit:${t.scope}:${String(id)}`);
      else if (ch === 'tcp' && typeof id === 'string') links.read(row, id, Number(item(value, 2)));
      else if (typeof id === 'string') links.target(row, `msg:${id}`);
      t.pendRow = row;
      t.pendParent = parent;
      return base;
    }
    case Kind.HTTP: {
      const dir = field(value, 'dir');
      const phase = field(value, 'phase');
      const id = field(value, 'id');
      if (phase === 'request') {
        links.source(`http:${t.pid}:${dir}:${String(id)}`, row);
        if (dir === 'out') {
          const span = field(value, 'span');
          if (typeof span === 'string') links.source(`span:${span}`, row);
        } else {
          const span = spanOf(field(value, 'traceparent'));
          if (span) links.target(row, `span:${span}`);
          t.pendRow = row;
          t.pendParent = parent;
        }
      } else links.target(row, `http:${t.pid}:${dir}:${String(id)}`);
      return base;
    }
    case Kind.PROCESS: {
      const what = field(value, 'what');
      if (what === 'worker-start') links.source(`thread:${String(field(value, 'pid'))}:${String(field(value, 'threadId'))}`, row);
      else if (what === 'child-spawn') links.source(`proc:${String(field(value, 'pid'))}`, row);
      else if (what === 'unhandled-rejection') {
        t.rejection = row;
        const init = t.inits.get(Number(field(value, 'asyncId')));
        if (init !== undefined) return init;
      }
      return base;
    }
    case Kind.ERROR:
      if (parent < 0 && t.rejection >= 0) {
        const r = t.rejection;
        t.rejection = -1;
        return r;
      }
      return base;
    default:
      return base;
  }
}

/** The first event of a thread: a worker's is caused by its start, a child process's main thread by its spawn. */
export function firstEvent(t: ThreadCausality, links: LinkTable, row: number): void {
  t.first = false;
  if (t.thread !== 0) links.target(row, `thread:${t.pid}:${t.thread}`);
  else links.target(row, `proc:${t.pid}`);
}
