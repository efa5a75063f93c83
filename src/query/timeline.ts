/**
 * One timeline for many processes, in one recording or several (a Session). Each process stamps
 * events with its own clock (µs since its time origin); origins come from each process's wall
 * clock, which can be skewed. The merged order must still respect causality: an effect in another
 * process (an HTTP request received, a child's first event) never comes before its cause.
 * `clockOffsets` finds, per process, the smallest shift that makes every cross-process cause
 * precede its effect; `timeline` merges the threads' streams by shifted time, threads in their
 * own order, and holds back any effect whose cause is not shown yet (clocks read under load can
 * contradict each other where no shift per process satisfies every link).
 */
import type { EventIndex } from './index/event-index.js';
import { Session, type SessionEvent } from './session.js';

export interface ProcessOffset {
  pid: number;
  /** Which recording the process belongs to (position in the list given). */
  recording: number;
  /** µs added to the process's wall clock to keep causes before effects (0: none needed). */
  shiftUs: number;
}

export interface TimelineEvent extends SessionEvent {
  /** Wall-clock time after the shift, µs since the epoch. */
  atUs: number;
}

/** A cause in one process and its effect in another must be at least this far apart. */
const GAP_US = 1;

/** Processes of every recording, numbered in one list. */
function processes(s: Session): { first: number[]; count: number } {
  const first: number[] = [];
  let count = 0;
  for (const idx of s.indexes) {
    first.push(count);
    count += idx.rec.processes.length;
  }
  return { first, count };
}

const originUs = (index: EventIndex, proc: number) => index.rec.processes[proc]!.info.timeOrigin * 1000;

interface CrossEdge {
  /** Global rows of the cause and its effect in another process. */
  cause: number;
  effect: number;
  causeProc: number;
  causeUs: number;
  effectProc: number;
  effectUs: number;
}

/** Every cause in one process of an effect in another (global process numbers, wall-clock µs). */
function crossEdges(s: Session): CrossEdge[] {
  const { first } = processes(s);
  /** Global process number and wall-clock µs of a global row. */
  const where = (row: number): [number, number] => {
    const { k, index, local } = s.locate(row);
    const proc = index.chunkOf(local).proc;
    return [first[k]! + proc, originUs(index, proc) + index.col.time.get(local)];
  };
  const edges: CrossEdge[] = [];
  s.indexes.forEach((index, k) => {
    for (const c of index.chunks) {
      const causes = index.col.cause.range(c.firstRow, c.rows);
      for (let i = 0; i < c.rows; i++) {
        const cause = causes[i]!;
        if (cause < 0) continue;
        const from = index.chunkOf(cause).proc;
        if (from === c.proc) continue;
        const row = c.firstRow + i;
        const base = s.bases[k]!;
        edges.push({ cause: base + cause, effect: base + row, causeProc: first[k]! + from, causeUs: originUs(index, from) + index.col.time.get(cause), effectProc: first[k]! + c.proc, effectUs: originUs(index, c.proc) + index.col.time.get(row) });
      }
    }
  });
  for (const [row, cause] of s.cross) {
    const [causeProc, causeUs] = where(cause);
    const [effectProc, effectUs] = where(row);
    edges.push({ cause, effect: row, causeProc, causeUs, effectProc, effectUs });
  }
  return edges;
}

/** Per process (recordings in order, each in index order): the shift that puts every cross-process cause before its effect. */
export function clockOffsets(source: EventIndex | Session, edges?: CrossEdge[]): number[] {
  const s = source instanceof Session ? source : new Session([source]);
  edges ??= crossEdges(s);
  const shift = new Array<number>(processes(s).count).fill(0);
  // Push effects later until no edge is violated. Clocks read under load can contradict each other
  // (a request and its answer both "before" their causes): a cycle stops after `count` passes, and
  // the merge below keeps such effects after their causes one by one.
  for (let pass = 0; pass <= shift.length; pass++) {
    let moved = false;
    for (const e of edges) {
      const need = e.causeUs + shift[e.causeProc]! + GAP_US - (e.effectUs + shift[e.effectProc]!);
      if (need > 0) {
        shift[e.effectProc]! += need;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const least = Math.min(...shift);
  return shift.map((x) => x - least);
}

/** Events of every process and thread in one causally consistent order, after `offset`, at most `limit`. */
export function timeline(source: EventIndex | Session, options: { offset?: number; limit?: number } = {}): { offsets: ProcessOffset[]; events: TimelineEvent[] } {
  const s = source instanceof Session ? source : new Session([source]);
  const edges = crossEdges(s);
  const shift = clockOffsets(s, edges);
  const { first } = processes(s);
  const limit = options.limit ?? 100;
  let skip = options.offset ?? 0;
  // An effect whose cause is in another process waits for that cause and comes after it.
  const causeOf = new Map<number, number>();
  for (const e of edges) causeOf.set(e.effect, e.cause);
  const causes = new Set(causeOf.values());
  const placed = new Map<number, number>();
  // One cursor per thread over its rows (its chunks, in order); merge by shifted time, a thread's
  // times never going back.
  const cursors = s.indexes.flatMap((index, k) =>
    index.meta.contexts.map(([proc, thread]) => ({ index, base: s.bases[k]!, chunks: index.chunks.filter((c) => c.proc === proc && c.thread === thread), chunk: 0, row: -1, last: -Infinity, origin: originUs(index, proc) + shift[first[k]! + proc]! })),
  );
  for (const cur of cursors) cur.row = cur.chunks[0]?.firstRow ?? -1;
  /** When the cursor's event can be shown: its shifted time, after its thread's last and its cause (Infinity until the cause is shown). */
  const at = (cur: (typeof cursors)[number]): number => {
    const t = Math.max(cur.origin + cur.index.col.time.get(cur.row), cur.last);
    const cause = causeOf.get(cur.base + cur.row);
    if (cause === undefined) return t;
    const c = placed.get(cause);
    return c === undefined ? Infinity : Math.max(t, c + GAP_US);
  };
  const events: TimelineEvent[] = [];
  while (events.length < limit) {
    let best = -1;
    let bestAt = Infinity;
    for (let k = 0; k < cursors.length; k++) {
      const cur = cursors[k]!;
      if (cur.row < 0) continue;
      const t = at(cur);
      if (best < 0 || t < bestAt) {
        best = k;
        bestAt = t;
      }
    }
    if (best < 0) break;
    const cur = cursors[best]!;
    // Every waiting cursor waits on a cause not yet shown (a damaged link): show by own time.
    if (bestAt === Infinity) bestAt = Math.max(cur.origin + cur.index.col.time.get(cur.row), cur.last);
    const row = cur.base + cur.row;
    cur.last = bestAt;
    if (causes.has(row)) placed.set(row, bestAt);
    if (skip > 0) skip--;
    else events.push({ ...s.event(row), atUs: bestAt });
    const c = cur.chunks[cur.chunk]!;
    if (cur.row + 1 < c.firstRow + c.rows) cur.row++;
    else cur.row = ++cur.chunk < cur.chunks.length ? cur.chunks[cur.chunk]!.firstRow : -1;
  }
  const offsets = s.indexes.flatMap((index, k) => index.rec.processes.map((p, i) => ({ pid: p.pid, recording: k, shiftUs: shift[first[k]! + i]! })));
  return { offsets, events };
}
