/**
 * `systemAt(t)`: the whole program at one moment — every process and thread that had started,
 * what each was running (its stack) or that it was idle in the event loop, the async functions
 * waiting at an `await` (started, suspended, not yet resumed), and, when the recording has async
 * context (`--causality`), the async resources created and not yet finished.
 *
 * The moment is wall-clock time, so processes with different time origins line up. Each thread is
 * scanned from its start up to the moment (cost: the events before it).
 */
import { Kind } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';
import { checkRow, type EventIndex } from './index/event-index.js';
import { frameOf, stackAt, type Frame } from './stack.js';
import { rowAtTime } from './state.js';

export interface PendingAwait {
  /** The waiting call. */
  frame: Frame;
  /** The suspend event: where it waits. */
  suspend: number;
  file?: string;
  line?: number;
}

export interface PendingResource {
  asyncId: number;
  type: string;
  /** The event that created it. */
  created: number;
}

export interface ThreadAt {
  pid: number;
  thread: number;
  /** The thread's last event at or before the moment. */
  event: number;
  /** Running code (its stack, innermost first), or idle in the event loop. */
  state: 'running' | 'idle';
  stack: Frame[];
  awaiting: PendingAwait[];
  resources: PendingResource[];
}

export interface SystemAt {
  /** The moment: µs since the epoch. */
  wallUs: number;
  threads: ThreadAt[];
}

const EXITS = new Set<number>([Kind.RETURN, Kind.THROW, Kind.SUSPEND]);
/** Async resource types whose single callback finishes them. */
const ONE_SHOT = new Set(['Timeout', 'Immediate', 'TickObject', 'Microtask', 'FSREQCALLBACK', 'FSREQPROMISE', 'GETADDRINFOREQWRAP', 'QUERYWRAP', 'SHUTDOWNWRAP', 'WRITEWRAP', 'ZLIB']);
/** At most this many waiting calls and resources are listed per thread. */
const LIST_LIMIT = 200;

const originUs = (index: EventIndex, proc: number) => index.rec.processes[proc]!.info.timeOrigin * 1000;

/** The wall-clock moment of an event (µs since the epoch). */
export function wallTimeOf(index: EventIndex, row: number): number {
  checkRow(index, row);
  return originUs(index, index.chunkOf(row).proc) + index.col.time.get(row);
}

/**
 * The program at wall-clock moment `wallUs`. With `anchor` (an event), its own thread is shown
 * exactly at that event: many events can share one clock tick.
 */
export function systemAt(index: EventIndex, wallUs: number, anchor?: number): SystemAt {
  const threads: ThreadAt[] = [];
  const anchorChunk = anchor === undefined ? null : index.chunkOf(anchor);
  index.meta.contexts.forEach(([proc, thread], ctx) => {
    const own = anchorChunk !== null && anchorChunk.proc === proc && anchorChunk.thread === thread;
    const row = own ? anchor! : rowAtTime(index, ctx, wallUs - originUs(index, proc));
    if (row < 0) return; // not started yet
    const frames = stackAt(index, row).frames.filter((f) => !f.async);
    // After a return, throw or suspend, the frame that left is not on the stack any more.
    if (EXITS.has(index.kind(row))) frames.shift();
    const { awaiting, resources } = pendingUpTo(index, ctx, row);
    threads.push({ pid: index.pidOf(proc), thread, event: row, state: frames.length > 0 ? 'running' : 'idle', stack: frames, awaiting, resources });
  });
  return { wallUs, threads };
}

/** Async calls suspended and not resumed, and resources created and not ended, by `last`. */
function pendingUpTo(index: EventIndex, ctx: number, last: number): { awaiting: PendingAwait[]; resources: PendingResource[] } {
  const [proc, thread] = index.meta.contexts[ctx]!;
  const waiting = new Map<number, number>(); // call row → suspend row
  const live = new Map<number, number>(); // async id → init row
  for (const c of index.chunks) {
    if (c.proc !== proc || c.thread !== thread || c.firstRow > last) continue;
    const end = Math.min(c.firstRow + c.rows - 1, last);
    for (let r = c.firstRow; r <= end; r++) {
      const k = index.kind(r);
      if (k === Kind.SUSPEND) {
        const call = index.callOf(index.col.parent.get(r));
        if (call >= 0) waiting.set(call, r);
      } else if (k === Kind.RESUME) waiting.delete(index.col.link.get(r));
      else if (k === Kind.RETURN || k === Kind.THROW) waiting.delete(index.callOf(index.col.parent.get(r)));
      else if (k === Kind.ASYNC_INIT) live.set(index.col.async.get(r), r);
      else if (k === Kind.ASYNC_END) live.delete(index.col.async.get(r));
      else if (k === Kind.ASYNC_AFTER) {
        // One-shot work is done once its callback ran (only promises get an end event).
        const id = index.col.async.get(r);
        const init = live.get(id);
        if (init !== undefined && ONE_SHOT.has(resourceType(index.value(init)))) live.delete(id);
      }
    }
  }
  const awaiting = [...waiting].slice(-LIST_LIMIT).map(([call, suspend]) => {
    const info = index.site(proc, index.col.site.get(suspend));
    return { frame: frameOf(index, call), suspend, ...(info ? { file: info.file, line: info.line } : {}) };
  });
  const resources = [...live].slice(-LIST_LIMIT).map(([asyncId, created]) => ({ asyncId, type: resourceType(index.value(created)), created }));
  return { awaiting, resources };
}

function resourceType(v: Value | undefined): string {
  if (v !== null && typeof v === 'object' && v.type === 'list' && typeof v.items[0] === 'string') return v.items[0];
  return '?';
}
