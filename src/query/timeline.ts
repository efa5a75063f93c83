/**
 * One timeline for many processes, in one recording or several (a Session). Each process stamps
 * events with its own clock (µs since its time origin); origins come from each process's wall
 * clock, which can be skewed. The merged order must still respect causality: an effect in another
 * process (an HTTP request received, a child's first event) never comes before its cause.
 * `clockOffsets` finds, per process, the smallest shift that makes every cross-process cause
 * precede its effect; `timeline` merges the threads' streams by shifted time, threads in their
 * own order.
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

/** Per process (recordings in order, each in index order): the shift that puts every cross-process cause before its effect. */
export function clockOffsets(source: EventIndex | Session): number[] {
  const s = source instanceof Session ? source : new Session([source]);
  const { first, count } = processes(s);
  /** Global process number and wall-clock µs of a global row. */
  const where = (row: number): [number, number] => {
    const { k, index, local } = s.locate(row);
    const proc = index.chunkOf(local).proc;
    return [first[k]! + proc, originUs(index, proc) + index.col.time.get(local)];
  };
  const edges: [causeProc: number, causeUs: number, effectProc: number, effectUs: number][] = [];
  s.indexes.forEach((index, k) => {
    for (const c of index.chunks) {
      const causes = index.col.cause.range(c.firstRow, c.rows);
      for (let i = 0; i < c.rows; i++) {
        const cause = causes[i]!;
        if (cause < 0) continue;
        const from = index.chunkOf(cause).proc;
        if (from === c.proc) continue;
        const row = c.firstRow + i;
        edges.push([first[k]! + from, originUs(index, from) + index.col.time.get(cause), first[k]! + c.proc, originUs(index, c.proc) + index.col.time.get(row)]);
      }
    }
  });
  for (const [row, cause] of s.cross) edges.push([...where(cause), ...where(row)]);
  const shift = new Array<number>(count).fill(0);
  // Push effects later until no edge is violated; a cycle of contradictions stops after `count` passes.
  for (let pass = 0; pass <= count; pass++) {
    let moved = false;
    for (const [cp, cu, ep, eu] of edges) {
      const need = cu + shift[cp]! + GAP_US - (eu + shift[ep]!);
      if (need > 0) {
        shift[ep]! += need;
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
  const shift = clockOffsets(s);
  const { first } = processes(s);
  const limit = options.limit ?? 100;
  let skip = options.offset ?? 0;
  // One cursor per thread over its rows (its chunks, in order); merge by shifted time.
  const cursors = s.indexes.flatMap((index, k) =>
    index.meta.contexts.map(([proc, thread]) => ({ index, base: s.bases[k]!, chunks: index.chunks.filter((c) => c.proc === proc && c.thread === thread), chunk: 0, row: -1, origin: originUs(index, proc) + shift[first[k]! + proc]! })),
  );
  for (const cur of cursors) cur.row = cur.chunks[0]?.firstRow ?? -1;
  const at = (cur: (typeof cursors)[number]) => cur.origin + cur.index.col.time.get(cur.row);
  const events: TimelineEvent[] = [];
  while (events.length < limit) {
    let best = -1;
    for (let k = 0; k < cursors.length; k++) if (cursors[k]!.row >= 0 && (best < 0 || at(cursors[k]!) < at(cursors[best]!))) best = k;
    if (best < 0) break;
    const cur = cursors[best]!;
    if (skip > 0) skip--;
    else events.push({ ...s.event(cur.base + cur.row), atUs: at(cur) });
    const c = cur.chunks[cur.chunk]!;
    if (cur.row + 1 < c.firstRow + c.rows) cur.row++;
    else cur.row = ++cur.chunk < cur.chunks.length ? cur.chunks[cur.chunk]!.firstRow : -1;
  }
  const offsets = s.indexes.flatMap((index, k) => index.rec.processes.map((p, i) => ({ pid: p.pid, recording: k, shiftUs: shift[first[k]! + i]! })));
  return { offsets, events };
}
