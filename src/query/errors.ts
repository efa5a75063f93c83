/**
 * Errors: each exception where it was first thrown, the frames it unwound through (consecutive
 * throws up the stack), and where it ended: caught by a frame, rejected out of an async frame, or
 * uncaught (an `error` event follows). Uncaught errors the runtime saw are listed too, and so are
 * exceptions whose throw is no event (thrown by `JSON.parse` or a library that is not recorded,
 * or inside the frame that catches them) where a recorded catch clause received them.
 */
import { Kind } from '../format/events.js';
import { causalAncestors } from './causality.js';
import { objectId, type Value } from '../recording/value-reader.js';
import { diskPath } from '../recording/sources.js';
import type { EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';
import { frameOf, type Frame } from './stack.js';

export interface ErrorChain {
  /**
   * Event id of the first throw; of the `error` event for an uncaught error seen only there; of
   * the catch event for an exception whose throw is no event (kind `catch`).
   */
  id: number;
  kind: 'throw' | 'error' | 'catch';
  value?: Value;
  /**
   * Where the value was recorded: a throw event (async frames), the catch clause that received it,
   * the uncaught error event, or, for an error caught by code that is not recorded (a framework),
   * the arguments of the next recorded call it was handed to, matched by its stack (ADR 0020).
   */
  valueFrom?: 'throw' | 'catch' | 'error' | 'argument';
  /** Frames the exception left, innermost first, each with the id of its throw event. */
  unwound: (Frame & { throwId: number })[];
  /** How it ended. */
  end: 'caught' | 'uncaught' | 'rejected' | 'unknown';
  caughtBy?: Frame;
  /**
   * The catch clause that received it, where its catch event is known: the event, the clause's
   * function (MODULE_NAME at module level, where there is no frame to name) and where it is.
   */
  catchAt?: CatchAt;
  /** The `error` event, for uncaught errors. */
  error?: IndexedEvent;
  /**
   * What led to the throw, nearest first: its caller, and across `await`s, callbacks, messages,
   * HTTP and processes when the recording has causality (`cinema record --causality`).
   */
  causes: IndexedEvent[];
}

export interface CatchAt {
  /** Event id of the catch event. */
  id: number;
  name: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Causal ancestors listed with each error. */
const CAUSE_LIMIT = 20;

export function listErrors(index: EventIndex, options: { limit?: number } = {}): ErrorChain[] {
  const limit = options.limit ?? 100;
  const out: ErrorChain[] = [];
  const seen = newSeen();
  const add = (e: ErrorChain): void => {
    out.push(e);
    const key = objectKey(index, e.id, e.value);
    if (key !== undefined) seen.objects.add(key);
  };
  for (const c of index.chunks) {
    const kind = index.col.kind.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows && out.length < limit; i++) {
      const r = c.firstRow + i;
      if (kind[i] === Kind.THROW && !(i > 0 && kind[i - 1] === Kind.THROW && continues(index, r - 1, r))) add({ ...chain(index, r, seen), causes: causalAncestors(index, r, CAUSE_LIMIT) });
      else if (kind[i] === Kind.ERROR && !seen.errors.has(r)) add({ id: r, kind: 'error', ...valueFrom(index, r, 'error'), unwound: [], end: 'uncaught', error: index.event(r), causes: causalAncestors(index, r, CAUSE_LIMIT) });
      else if (kind[i] === Kind.CATCH && !seen.catches.has(r)) {
        // The same object as a listed error's value: that exception, caught again or after a rejection.
        const key = objectKey(index, r, index.value(r));
        if (key !== undefined && seen.objects.has(key)) continue;
        const act = index.col.parent.get(r);
        const e: ErrorChain = { id: r, kind: 'catch', ...valueFrom(index, r, 'catch'), unwound: [], end: 'caught', catchAt: catchAt(index, r), causes: causalAncestors(index, r, CAUSE_LIMIT) };
        if (act >= 0) e.caughtBy = frameOf(index, index.callOf(act));
        add(e);
      }
    }
  }
  return out;
}

/** What the listing has accounted for: `error` events and catch events of listed chains, and their values' objects. */
interface Seen {
  errors: Set<number>;
  catches: Set<number>;
  /** Objects (process, thread, object id) listed as an error's value. */
  objects: Set<string>;
}

const newSeen = (): Seen => ({ errors: new Set(), catches: new Set(), objects: new Set() });

/** An object value's identity within its thread, for matching the same error seen again. */
function objectKey(index: EventIndex, row: number, v: Value | undefined): string | undefined {
  const id = objectId(v);
  if (id === 0) return undefined;
  const c = index.chunkOf(row);
  return `${c.proc}:${c.thread}:${id}`;
}

/** Whether throw `next` is the same exception leaving the caller of the frame that threw `prev`. */
function continues(index: EventIndex, prev: number, next: number): boolean {
  const a = index.col.parent.get(prev);
  return a >= 0 && index.kind(a) === Kind.CALL && index.col.parent.get(a) >= 0 && index.col.parent.get(next) === index.col.parent.get(a);
}

function valueFrom(index: EventIndex, row: number, from: ErrorChain['valueFrom']): Pick<ErrorChain, 'value' | 'valueFrom'> {
  const v = index.value(row);
  return v === undefined ? {} : { value: v, valueFrom: from };
}

/** Events searched after an exception's last throw for the catch clause of the frame that caught it. */
const CATCH_SEARCH = 10_000;

/**
 * The `catch` event that received the exception whose last throw is `after`, when it is the first
 * event of the catching activation `act` (-1: module level) after the throw. Any other event of
 * `act` first (a `finally` that ran, or code after an uninstrumented catch) and the value stays
 * unknown rather than taken from a later, unrelated catch.
 */
function catchOf(index: EventIndex, act: number, after: number): number {
  let n = 0;
  for (let r = index.nextInThread(after); r >= 0 && n < CATCH_SEARCH; r = index.nextInThread(r), n++) {
    if (index.col.parent.get(r) !== act) continue;
    return index.kind(r) === Kind.CATCH ? r : -1;
  }
  return -1;
}

/**
 * An exception followed from its first throw to where it ended. Frames that leave without a catch
 * (all but async functions, ADR 0020) record their throw without a value; the value is then the
 * first one a throw of the chain carries, else what the catch clause that received it recorded,
 * else the uncaught error's.
 */
function chain(index: EventIndex, first: number, seen: Seen, frames = true): ErrorChain {
  const e: ErrorChain = { id: first, kind: 'throw', ...valueFrom(index, first, 'throw'), unwound: [], end: 'unknown', causes: [] };
  let cur = first;
  for (;;) {
    const call = index.col.link.get(cur);
    if (frames && call >= 0) e.unwound.push({ ...frameOf(index, call), throwId: cur });
    if (e.value === undefined) Object.assign(e, valueFrom(index, cur, 'throw'));
    const act = index.col.parent.get(cur);
    const next = index.nextInThread(cur);
    if (next >= 0 && index.kind(next) === Kind.THROW && continues(index, cur, next)) {
      cur = next;
      continue;
    }
    const caller = act >= 0 ? index.col.parent.get(act) : -1;
    if (act >= 0 && index.kind(act) === Kind.RESUME) e.end = 'rejected';
    else if (caller >= 0) {
      e.end = 'caught';
      if (frames) e.caughtBy = frameOf(index, index.callOf(caller));
    } else if (next >= 0 && index.kind(next) === Kind.ERROR) {
      e.end = 'uncaught';
      e.error = index.event(next);
      seen.errors.add(next);
      if (e.value === undefined) Object.assign(e, valueFrom(index, next, 'error'));
    }
    if (e.end !== 'rejected' && e.end !== 'uncaught') {
      // Caught by the caller's catch clause (or one at module level: then it ended there too).
      const caught = catchOf(index, caller, cur);
      if (caught >= 0) {
        seen.catches.add(caught);
        e.end = 'caught';
        if (frames) e.catchAt = catchAt(index, caught);
        if (e.value === undefined) Object.assign(e, valueFrom(index, caught, 'catch'));
      } else if (e.value === undefined && call >= 0) Object.assign(e, handedOn(index, first, cur, seen));
    }
    return e;
  }
}

/** The catch clause of catch event `row` (named like frameOf names a call). */
function catchAt(index: EventIndex, row: number): CatchAt {
  const info = index.site(index.chunkOf(row).proc, index.col.site.get(row));
  const at: CatchAt = { id: row, name: info?.name ?? `site ${index.col.site.get(row)}` };
  if (info?.file) Object.assign(at, { file: info.file, line: info.line, column: info.column });
  return at;
}

/** Calls searched after an exception's last throw for one it was handed to. */
const HANDED_SEARCH = 2_000;

/**
 * An error caught where its catch event is not the catching frame's next (a `finally` ran first),
 * or by code that is not recorded (Express catches a route handler's throw and calls the app's
 * error middleware with it): the first error value, in a later catch event or among the arguments
 * of a later call, whose stack's first frame with a position lies in the function that threw
 * first. Values recorded by reference (seen before) and thrown non-Errors have no stack to match.
 */
function handedOn(index: EventIndex, first: number, last: number, seen: Seen): Pick<ErrorChain, 'value' | 'valueFrom'> {
  const { proc } = index.chunkOf(first);
  const site = index.site(proc, index.col.site.get(index.col.link.get(first)));
  if (!site?.file || site.endLine === undefined) return {};
  const thrownHere = (v: Value | undefined): boolean => {
    if (v === null || typeof v !== 'object' || v.type !== 'error') return false;
    const top = topFrame(v.stack);
    return top !== null && samePath(top.file, site.file) && top.line >= site.line && top.line <= site.endLine!;
  };
  let n = 0;
  for (let r = index.nextInThread(last); r >= 0 && n < HANDED_SEARCH; r = index.nextInThread(r), n++) {
    const k = index.kind(r);
    if (k === Kind.CATCH && thrownHere(index.value(r))) {
      seen.catches.add(r);
      return valueFrom(index, r, 'catch');
    }
    if (k !== Kind.CALL) continue;
    const args = index.value(r);
    if (args === undefined || typeof args !== 'object' || args === null || args.type !== 'list') continue;
    const a = args.items.find(thrownHere);
    if (a !== undefined) return { value: a, valueFrom: 'argument' };
  }
  return {};
}

/** File and line of the first `at` line with a position in a stack. */
function topFrame(stack: string): { file: string; line: number } | null {
  const m = /^\s+at (?:.*?\()?((?:file:\/\/)?[^\s()]+?):(\d+):\d+\)?$/m.exec(stack);
  return m ? { file: m[1]!, line: Number(m[2]) } : null;
}

function samePath(a: string, b: string): boolean {
  return diskPath(a) === diskPath(b);
}

/**
 * What a throw event threw: its own value, or, for a throw recorded without one, the value found
 * where the exception ended (see `chain`). Undefined when nothing recorded it.
 */
export function thrownValue(index: EventIndex, row: number): Value | undefined {
  const own = index.value(row);
  if (own !== undefined || index.kind(row) !== Kind.THROW) return own;
  return chain(index, row, newSeen(), false).value;
}
