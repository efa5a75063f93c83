/**
 * The whole-run level-of-detail pyramid of one lane, built in one pass: events, deepest stack and
 * errors per fine bucket, and the activations long enough to be seen at any zoom (on the time axis
 * and on the event axis). A wide view is answered from these alone, so it costs its pixels.
 */
import { Kind } from '../format/events.js';
import type { ChunkInfo, EventIndex } from '../query/index/event-index.js';
import type { Lane } from './api.js';

/** Buckets of the whole-run pyramid. Views coarser than one bucket are answered from it alone. */
export const FINE = 16_384;

import { isEntry, isExit } from '../query/stepping.js';

export { isEntry, isExit };

export interface Spans {
  start: Float64Array;
  end: Float64Array;
  depth: Uint16Array;
  row: Int32Array;
  flags: Uint8Array;
  n: number;
}

export interface LaneData {
  info: Lane;
  proc: number;
  ctx: number;
  chunks: ChunkInfo[];
  counts: Uint32Array;
  depth: Uint16Array;
  errors: Uint8Array;
  /** Lane position (event number in the lane) of each chunk's first row. */
  chunkPos: number[];
  /** Activations at least one fine bucket long: start, end (global µs), depth, row, flags. */
  long: Spans;
  /** The same on the event axis: activations at least events/FINE events long, in lane positions. */
  longPos: Spans;
  /** An async-context lane: the thread whose rows it takes, and the lane of each async id of that thread. */
  async?: { thread: LaneData; laneOf: Map<number, number> };
}

export const spans = (): Spans => ({ start: new Float64Array(64), end: new Float64Array(64), depth: new Uint16Array(64), row: new Int32Array(64), flags: new Uint8Array(64), n: 0 });

export function newLane(info: Lane, proc: number, ctx: number): LaneData {
  return { info, proc, ctx, chunks: [], chunkPos: [], counts: new Uint32Array(FINE), depth: new Uint16Array(FINE), errors: new Uint8Array(FINE), long: spans(), longPos: spans() };
}

/** The global time axis the pyramid is cut on. */
export interface Axis0 {
  startUs: number;
  fineUs: number;
}

/** One pass over a lane: events, deepest stack and errors per fine bucket, and the long activations. */
export function buildPyramid(l: LaneData, idx: EventIndex, off: number, g: Axis0): void {
  let depth = 0;
  const stackStart: number[] = [];
  const stackRow: number[] = [];
  const stackPos: number[] = [];
  const minPos = Math.max(1, l.info.events / FINE);
  let pos = 0;
  let maxDepth = 0;
  const bucket = (t: number) => Math.min(FINE - 1, Math.max(0, Math.floor((t + off - g.startUs) / g.fineUs)));
  for (const c of l.chunks) {
    const kind = idx.col.kind.range(c.firstRow, c.rows);
    const time = idx.col.time.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++, pos++) {
      const k = kind[i]!;
      const t = time[i]!;
      const b = bucket(t);
      l.counts[b]!++;
      if (isEntry(k)) {
        depth++;
        stackStart.push(t + off);
        stackRow.push(c.firstRow + i);
        stackPos.push(pos);
      }
      if (depth > l.depth[b]!) l.depth[b] = Math.min(depth, 0xffff);
      if (depth > maxDepth) maxDepth = depth;
      if (k === Kind.THROW || k === Kind.ERROR) l.errors[b] = 1;
      if (isExit(k) && depth > 0) {
        depth--;
        const s = stackStart.pop()!;
        const row = stackRow.pop()!;
        const p = stackPos.pop()!;
        const long = t + off - s >= g.fineUs;
        const longPos = pos + 1 - p >= minPos;
        if (long || longPos) {
          const flags = (k === Kind.THROW ? 1 : 0) | (idx.kind(row) === Kind.RESUME ? 2 : 0);
          if (long) addSpan(l.long, s, t + off, depth, row, flags);
          if (longPos) addSpan(l.longPos, p, pos + 1, depth, row, flags);
        }
      }
    }
  }
  // Activations still open at the end of the recording.
  for (let d = stackStart.length - 1; d >= 0; d--) {
    if (l.info.endUs - stackStart[d]! >= g.fineUs) addSpan(l.long, stackStart[d]!, l.info.endUs, d, stackRow[d]!, 4);
    if (pos - stackPos[d]! >= minPos) addSpan(l.longPos, stackPos[d]!, pos, d, stackRow[d]!, 4);
  }
  l.info.maxDepth = maxDepth;
}

export function addSpan(g: Spans, start: number, end: number, depth: number, row: number, flags: number): void {
  if (g.n === g.start.length) {
    const grow = <T extends Float64Array | Uint16Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    g.start = grow(g.start);
    g.end = grow(g.end);
    g.depth = grow(g.depth);
    g.row = grow(g.row);
    g.flags = grow(g.flags);
  }
  g.start[g.n] = start;
  g.end[g.n] = end;
  g.depth[g.n] = Math.min(depth, 0xffff);
  g.row[g.n] = row;
  g.flags[g.n] = flags;
  g.n++;
}

/** A lane per process and thread, in the order their first chunks appear, and the run's global time range. */
export function threadLanes(index: EventIndex, offset: number[]): { lanes: LaneData[]; laneOf: Map<string, number>; start: number; end: number } {
  const lanes: LaneData[] = [];
  const laneOf = new Map<string, number>();
  let start = Infinity;
  let end = -Infinity;
  for (const c of index.chunks) {
    const key = `${c.proc}/${c.thread}`;
    let lane = laneOf.get(key);
    if (lane === undefined) {
      lane = lanes.length;
      laneOf.set(key, lane);
      const pid = index.pidOf(c.proc);
      const ctx = index.meta.contexts.findIndex(([p, t]) => p === c.proc && t === c.thread);
      lanes.push(newLane({ lane, kind: 'thread', pid, thread: c.thread, label: `${pid} ${c.thread === 0 ? 'main' : `worker ${c.thread}`}`, events: 0, startUs: Infinity, endUs: -Infinity, maxDepth: 0 }, c.proc, ctx));
    }
    const l = lanes[lane]!;
    l.chunks.push(c);
    l.chunkPos.push(l.info.events);
    l.info.events += c.rows;
    if (c.rows > 0) {
      const off = offset[c.proc]!;
      l.info.startUs = Math.min(l.info.startUs, c.minTime + off);
      l.info.endUs = Math.max(l.info.endUs, c.maxTime + off);
      start = Math.min(start, c.minTime + off);
      end = Math.max(end, c.maxTime + off);
    }
  }
  if (!Number.isFinite(start)) [start, end] = [0, 1];
  if (end <= start) end = start + 1;
  return { lanes, laneOf, start, end };
}
