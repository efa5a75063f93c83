/**
 * Object state and value history over the state-write events.
 *
 * An object's keyframes are its first snapshot (the OBJECT/ARRAY… value with its id, taken at a call,
 * return or write the first time its thread saw it) and, for a Map, Set or array, the contents each
 * mutating call (`push`, `set`, …) left. `stateAt(object, t)` is the last keyframe before t with, for
 * each key, the last write (or delete) at or before t applied: the writes table is sorted by
 * (object, key, event), so each key costs one binary search and the answer never needs a long
 * replay, however many writes the object had (this is what periodic keyframes would buy).
 *
 * What the index knows is what instrumented code did: writes by code that is not instrumented
 * (node_modules, built-ins such as Array.prototype.push) are not seen, so a state is "as last seen".
 */
import { Kind } from '../format/events.js';
import { RecordingError } from '../recording/errors.js';
import type { Value } from '../recording/value-reader.js';
import { CTX_SHIFT, objKey } from './index/columns.js';
import { checkRow, type EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';
import { stackAt, type Frame } from './stack.js';

export interface ObjectRef {
  ctx: number;
  pid: number;
  thread: number;
  id: number;
}

export interface ObjectState {
  object: { pid: number; thread: number; id: number };
  /** The moment asked for, as an event of the object's thread (state after that event). */
  at: number;
  /** False when the object had not been seen yet at that moment. */
  seen: boolean;
  /** Event whose value holds the object's first snapshot. */
  keyframe?: number;
  /** The object as it was: the snapshot's kind and class, with its keys as they were then. */
  state?: Value;
  /** The writes applied on top of the keyframe: the last write of each key up to the moment. */
  applied: { key: string; event: number; deleted?: boolean }[];
  /** The snapshot kept fewer keys than the object had (see --keys at record time). */
  partial?: boolean;
}

export interface WriteEntry {
  event: IndexedEvent;
  key: string;
  op: 'write' | 'delete' | 'snapshot';
  /** The value after the write (absent for deletes and for writes recorded without values). */
  value?: Value;
  /** The write expression's site: where it is and what it wrote (`this.total`, `orders`). */
  site?: { file: string; line: number; column: number; target?: string };
  /** The function that wrote it, with its arguments. */
  writer?: Frame;
  /** Its stack, innermost first. */
  stack: Frame[];
  /** The outermost call that led to the write (the request, job or top-level call that caused it). */
  cause?: Frame;
}

export interface History {
  target: string;
  /** All writes to the target; `writes` holds the last `limit` of them, oldest first. */
  total: number;
  writes: WriteEntry[];
}

// ---------------------------------------------------------------- lookups in the writes table

/** First index i with (obj, key, row)_i >= (obj, key, row). */
function lowerBound(index: EventIndex, obj: number, key: number, row: number): number {
  const w = index.writes;
  let lo = 0;
  let hi = w.row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const o = w.obj.get(mid);
    let less = o < obj;
    if (o === obj) {
      const k = w.key.get(mid);
      less = k < key || (k === key && w.row.get(mid) < row);
    }
    if (less) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An object's keyframe as of event `at`: the last full snapshot at or before it (its first
 * sighting, or the contents a mutating call left), as [row, item]; null when none. Keyframes are
 * sorted by (obj, row).
 */
function keyframe(index: EventIndex, obj: number, at: number): [row: number, item: number] | null {
  const o = index.objects;
  // First entry with (obj', row') > (obj, at); the one before it is the answer when it is obj's.
  let lo = 0;
  let hi = o.obj.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = o.obj.get(mid);
    if (m < obj || (m === obj && o.row.get(mid) <= at)) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  return k >= 0 && o.obj.get(k) === obj ? [o.row.get(k), o.item.get(k)] : null;
}

/** An object's first keyframe (its first sighting). */
function firstKeyframe(index: EventIndex, obj: number): [row: number, item: number] | null {
  const o = index.objects;
  let lo = 0;
  let hi = o.obj.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (o.obj.get(mid) < obj) lo = mid + 1;
    else hi = mid;
  }
  return lo < o.obj.length && o.obj.get(lo) === obj ? [o.row.get(lo), o.item.get(lo)] : null;
}

const keyId = (index: EventIndex): Map<string, number> => {
  const cache = keyIds.get(index);
  if (cache) return cache;
  const m = new Map(index.keys.map((k, i) => [k, i]));
  keyIds.set(index, m);
  return m;
};
const keyIds = new WeakMap<EventIndex, Map<string, number>>();

function itemOf(v: Value | undefined, item: number): Value | undefined {
  if (item < 0) return v;
  return v !== null && typeof v === 'object' && v.type === 'list' ? v.items[item] : undefined;
}

/** The value after a write event (property: item 2, binding: item 0). */
function writtenValue(index: EventIndex, row: number): Value | undefined {
  const v = index.value(row);
  if (v === null || typeof v !== 'object' || v.type !== 'list') return undefined;
  return v.items.length === 1 ? v.items[0] : v.items[2];
}

// ---------------------------------------------------------------- objects and moments

/** Parses `N`, `#N` or `PID/THREAD/N` and finds the thread the object belongs to. */
export function resolveObject(index: EventIndex, spec: string): ObjectRef {
  const m = /^(?:(\d+)\/(\d+)\/)?#?(\d+)$/.exec(spec.trim());
  if (!m) throw new RecordingError(`'${spec}' is not an object id (write N, #N or PID/THREAD/N)`);
  const id = Number(m[3]);
  const found: ObjectRef[] = [];
  index.meta.contexts.forEach(([proc, thread], ctx) => {
    const pid = index.pidOf(proc);
    if (m[1] !== undefined && (Number(m[1]) !== pid || Number(m[2]) !== thread)) return;
    const obj = objKey(ctx, id);
    if (id > 0 && (firstKeyframe(index, obj) || (index.writes.row.length > 0 && lowerBound(index, obj, 0, -1) < index.writes.row.length && index.writes.obj.get(lowerBound(index, obj, 0, -1)) === obj))) found.push({ ctx, pid, thread, id });
  });
  if (found.length === 0) throw new RecordingError(`no object #${id}${m[1] !== undefined ? ` in thread ${m[2]} of process ${m[1]}` : ''} in this recording (ids are the #N of snapshots and <ref #N>)`);
  if (found.length > 1) throw new RecordingError(`object #${id} is ambiguous: ids are per thread; say which: ${found.map((f) => `${f.pid}/${f.thread}/${id}`).join(', ')}`);
  return found[0]!;
}

/** The last event of context `ctx` at or before time `us` (µs since its process started), or -1. */
export function rowAtTime(index: EventIndex, ctx: number, us: number): number {
  const [proc, thread] = index.meta.contexts[ctx]!;
  let best = -1;
  for (const c of index.chunks) {
    if (c.proc !== proc || c.thread !== thread) continue;
    if (c.minTime > us) break;
    if (c.maxTime <= us) {
      best = c.firstRow + c.rows - 1;
      continue;
    }
    let lo = c.firstRow;
    let hi = c.firstRow + c.rows - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (index.col.time.get(mid) <= us) lo = mid;
      else hi = mid - 1;
    }
    return index.col.time.get(lo) <= us ? lo : best;
  }
  return best;
}

/** The moment of event `row` as an event of context `ctx` (itself when it is that thread's). */
export function momentIn(index: EventIndex, ctx: number, row: number): number {
  checkRow(index, row);
  const c = index.chunkOf(row);
  const [proc, thread] = index.meta.contexts[ctx]!;
  if (c.proc === proc && c.thread === thread) return row;
  const origin = (p: number) => index.rec.processes[p]!.info.timeOrigin * 1000;
  return rowAtTime(index, ctx, index.col.time.get(row) + origin(c.proc) - origin(proc));
}

// ---------------------------------------------------------------- stateAt

/**
 * The state of `obj` just after event `row` (an event of the object's thread: see momentIn).
 * Members that have ids of their own (`cart.items`) are shown as they were at that moment too,
 * one level down, since their changes are recorded against them, not against `obj`.
 */
export function stateAt(index: EventIndex, obj: ObjectRef, row: number, members = true): ObjectState {
  const key = objKey(obj.ctx, obj.id);
  const out: ObjectState = { object: { pid: obj.pid, thread: obj.thread, id: obj.id }, at: row, seen: false, applied: [] };
  const kf = keyframe(index, key, row);
  if (!kf) return out;
  out.seen = true;
  out.keyframe = kf[0];
  const snap = itemOf(index.value(kf[0]), kf[1]);
  if (snap === undefined || snap === null || typeof snap !== 'object') return out;
  const entries = new Map<string, Value>();
  if (snap.type === 'object') for (const [k, v] of snap.entries) entries.set(k, v);
  else if (snap.type === 'array') snap.items.forEach((v, i) => entries.set(String(i), v));
  if ((snap.type === 'object' && snap.keys > snap.entries.length) || (snap.type === 'array' && snap.length > snap.items.length)) out.partial = true;
  // For each key the object was written at: the last write at or before `row`, after the keyframe.
  const w = index.writes;
  let i = lowerBound(index, key, 0, -1);
  while (i < w.row.length && w.obj.get(i) === key) {
    const k = w.key.get(i);
    const end = lowerBound(index, key, k + 1, -1);
    const j = lowerBound(index, key, k, row + 1) - 1;
    if (j >= i) {
      const wr = w.row.get(j);
      if (wr >= kf[0]) {
        const name = index.keys[k] ?? '?';
        if (index.kind(wr) === Kind.DELETE) {
          entries.delete(name);
          out.applied.push({ key: name, event: wr, deleted: true });
        } else {
          // A written null is a value: only a missing record is shown as truncated.
          const v = writtenValue(index, wr);
          entries.set(name, v === undefined ? { type: 'truncated' } : v);
          out.applied.push({ key: name, event: wr });
        }
      }
    }
    i = end;
  }
  out.applied.sort((a, b) => a.event - b.event);
  if (members) for (const [k, v] of entries) entries.set(k, memberAt(index, obj, v, row));
  if (snap.type === 'object') out.state = { ...snap, entries: [...entries] };
  else if (snap.type === 'array') {
    const len = Math.max(snap.length, ...[...entries.keys()].map((k) => (/^\d+$/.test(k) ? Number(k) + 1 : 0)));
    const items: Value[] = [];
    for (let n = 0; n < Math.min(len, Math.max(snap.items.length, entries.size)); n++) items.push(entries.get(String(n)) ?? { type: 'undefined' });
    out.state = { ...snap, length: len, items };
  } else out.state = snap;
  return out;
}

/** A member value with an id of its own, as it was at `row`; the value itself otherwise. */
function memberAt(index: EventIndex, owner: ObjectRef, v: Value, row: number): Value {
  if (v === null || typeof v !== 'object' || !('id' in v) || v.id <= 0 || v.id === owner.id) return v;
  if (!['object', 'array', 'map', 'set', 'ref'].includes(v.type)) return v;
  const inner = stateAt(index, { ...owner, id: v.id }, row, false);
  return inner.seen && inner.state !== undefined ? inner.state : v;
}

// ---------------------------------------------------------------- value history

function siteOf(index: EventIndex, row: number): WriteEntry['site'] {
  const info = index.site(index.chunkOf(row).proc, index.col.site.get(row));
  if (!info) return undefined;
  return { file: info.file, line: info.line, column: info.column, ...(info.target !== undefined ? { target: info.target } : {}) };
}

function entry(index: EventIndex, row: number, key: string): WriteEntry {
  const s = stackAt(index, row);
  const op = index.kind(row) === Kind.DELETE ? 'delete' : 'write';
  const e: WriteEntry = { event: index.event(row, false), key, op, stack: s.frames };
  if (op === 'write') {
    const v = writtenValue(index, row);
    if (v !== undefined) e.value = v;
  }
  const site = siteOf(index, row);
  if (site) e.site = site;
  if (s.frames[0]) e.writer = s.frames[0];
  if (s.frames.length) e.cause = s.frames[s.frames.length - 1]!;
  return e;
}

/** Rows of the writes to (obj, key id), in event order. */
function writeRows(index: EventIndex, obj: number, k: number): [from: number, to: number] {
  return [lowerBound(index, obj, k, -1), lowerBound(index, obj, k + 1, -1)];
}

/** Every write to `obj.key`, with who wrote it; the first snapshot's value comes first when it had the key. */
export function propertyHistory(index: EventIndex, obj: ObjectRef, key: string, options: { limit?: number } = {}): History {
  const target = `${obj.pid}/${obj.thread}/${obj.id}.${key}`;
  const k = keyId(index).get(key);
  const o = objKey(obj.ctx, obj.id);
  const rows: number[] = [];
  if (k !== undefined) {
    const [from, to] = writeRows(index, o, k);
    for (let i = from; i < to; i++) rows.push(index.writes.row.get(i));
  }
  const out: WriteEntry[] = [];
  const kf = firstKeyframe(index, o);
  let initial: WriteEntry | null = null;
  if (kf && !rows.includes(kf[0])) {
    const snap = itemOf(index.value(kf[0]), kf[1]);
    const had = snap && typeof snap === 'object' && snap.type === 'object' ? snap.entries.find(([n]) => n === key) : undefined;
    if (had) {
      const s = stackAt(index, kf[0]);
      initial = { event: index.event(kf[0], false), key, op: 'snapshot', value: had[1], stack: s.frames, ...(s.frames[0] ? { writer: s.frames[0] } : {}), ...(s.frames.length ? { cause: s.frames.at(-1)! } : {}) };
    }
  }
  const limit = options.limit ?? 50;
  const total = rows.length + (initial ? 1 : 0);
  if (initial && total <= limit) out.push(initial);
  for (const r of rows.slice(Math.max(0, rows.length - limit + (initial && total <= limit ? 1 : 0)))) out.push(entry(index, r, key));
  return { target, total, writes: out };
}

/** Every write to a binding (module-level, closure or global variable) named `name`, in any thread. */
export function bindingHistory(index: EventIndex, name: string, options: { limit?: number } = {}): History {
  const k = keyId(index).get(name);
  const rows: number[] = [];
  if (k !== undefined) {
    for (let ctx = 0; ctx < index.meta.contexts.length; ctx++) {
      const [from, to] = writeRows(index, ctx * CTX_SHIFT, k);
      for (let i = from; i < to; i++) rows.push(index.writes.row.get(i));
    }
  }
  rows.sort((a, b) => a - b);
  const limit = options.limit ?? 50;
  return { target: name, total: rows.length, writes: rows.slice(Math.max(0, rows.length - limit)).map((r) => entry(index, r, name)) };
}

/** The last write (or delete) of `obj.key` at or before event `row`, or -1: one binary search. */
export function lastWrite(index: EventIndex, obj: ObjectRef, key: string, row: number): number {
  const k = keyId(index).get(key);
  if (k === undefined) return -1;
  const o = objKey(obj.ctx, obj.id);
  const j = lowerBound(index, o, k, row + 1) - 1;
  return j >= 0 && index.writes.obj.get(j) === o && index.writes.key.get(j) === k ? index.writes.row.get(j) : -1;
}
