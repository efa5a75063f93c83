/**
 * Level-of-detail answers for the timeline and the flame chart: a view coarser than the pyramid
 * (src/server/lanes.ts) is answered from it; a narrow one is scanned row by row, up to a bound.
 */
import { Kind } from '../format/events.js';
import { activationOf } from '../query/stack.js';
import type { FlameResponse, LodResponse } from './api.js';
import { FINE, isEntry, isExit, type LaneData } from './lanes.js';
import type { Axis, UiModel } from './model.js';

/** A narrow view is scanned row by row only up to this many rows per lane. */
const SCAN_LIMIT = 4_000_000;

type Emit = (s: number, e: number, depth: number, row: number, flags: number) => void;

export function lodOf(m: UiModel, from: number, to: number, px: number): LodResponse {
  const w = (to - from) / px;
  const lanes = m.lanes.map((l) => {
    const counts = new Array<number>(px).fill(0);
    const depth = new Array<number>(px).fill(0);
    const errors: number[] = [];
    const err = new Uint8Array(px);
    if (w < m.fineUs && rowsIn(m, l, from, to) <= SCAN_LIMIT) scanLod(m, l, from, to, px, counts, depth, err);
    else {
      // Each fine bucket goes to the output bucket of its middle (coarse views) or is spread
      // over the output buckets it covers (a view finer than the pyramid but too dense to scan).
      const f0 = Math.max(0, Math.floor((from - m.startUs) / m.fineUs));
      const f1 = Math.min(FINE - 1, Math.floor((to - m.startUs) / m.fineUs));
      for (let f = f0; f <= f1; f++) {
        if (l.counts[f] === 0) continue;
        const fs = m.startUs + f * m.fineUs;
        const a = Math.max(0, Math.floor((fs - from) / w));
        const b = Math.min(px - 1, Math.floor((fs + m.fineUs - from) / w));
        for (let i = Math.max(a, 0); i <= b; i++) {
          counts[i]! += l.counts[f]! / (b - a + 1);
          if (l.depth[f]! > depth[i]!) depth[i] = l.depth[f]!;
          if (l.errors[f]) err[i] = 1;
        }
      }
      for (let i = 0; i < px; i++) counts[i] = Math.round(counts[i]! * 100) / 100;
    }
    err.forEach((e, i) => e && errors.push(i));
    return { lane: l.info.lane, counts, depth, errors };
  });
  return { from, to, px, lanes };
}

/** Rows of lane `l` in chunks that overlap the global range. */
function rowsIn(m: UiModel, lane: LaneData, from: number, to: number): number {
  const l = lane.async?.thread ?? lane;
  const off = m.offsetOf(l.proc);
  let n = 0;
  for (const c of l.chunks) if (c.maxTime + off >= from && c.minTime + off <= to) n += c.rows;
  return n;
}

/** Stack size while `row` happens (entries count themselves, exits too). */
function depthAt(m: UiModel, row: number): number {
  let d = 0;
  for (let a = activationOf(m.index, row); a >= 0 && d < 100_000; a = m.index.col.parent.get(a)) d++;
  return d;
}

function scanLod(m: UiModel, l: LaneData, from: number, to: number, px: number, counts: number[], depth: number[], err: Uint8Array): void {
  // An async-context lane takes the rows of its thread that ran in one of its contexts.
  const src = l.async?.thread ?? l;
  const off = m.offsetOf(src.proc);
  const w = (to - from) / px;
  let d = -1;
  for (const c of src.chunks) {
    if (c.maxTime + off < from || c.minTime + off > to) continue;
    const kind = m.index.col.kind.range(c.firstRow, c.rows);
    const time = m.index.col.time.range(c.firstRow, c.rows);
    const ctx = l.async ? m.index.col.async.range(c.firstRow, c.rows) : null;
    for (let i = 0; i < c.rows; i++) {
      const t = time[i]! + off;
      if (t < from) continue;
      if (t > to) return;
      const k = kind[i]!;
      if (d < 0) d = depthAt(m, c.firstRow + i) - (isEntry(k) ? 1 : 0);
      if (isEntry(k)) d++;
      if (!ctx || l.async!.laneOf.get(ctx[i]!) === l.info.lane) {
        const b = Math.min(px - 1, Math.floor((t - from) / w));
        counts[b]!++;
        if (d > depth[b]!) depth[b] = d;
        if (k === Kind.THROW || k === Kind.ERROR) err[b] = 1;
      }
      if (isExit(k) && d > 0) d--;
    }
  }
}

export function flameOf(m: UiModel, laneNo: number, from: number, to: number, px: number, axis: Axis, maxSpans: number): FlameResponse {
  const l = m.lane(laneNo);
  const minW = (to - from) / px;
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameOf = (row: number): number => {
    const info = m.index.site(l.proc, m.index.col.site.get(row));
    const n = info?.name ?? '?';
    let id = nameIds.get(n);
    if (id === undefined) nameIds.set(n, (id = names.push(n) - 1));
    return id;
  };
  const out: FlameResponse['spans'] = [];
  let hidden = 0;
  const emit: Emit = (s, e, depth, row, flags) => {
    if (e < from || s > to) return;
    if (e - s < minW || out.length >= maxSpans) {
      hidden++;
      return;
    }
    out.push([s, e, depth, nameOf(row), row, flags]);
  };
  const coarse = axis === 'time' ? minW >= m.fineUs || rowsIn(m, l, from, to) > SCAN_LIMIT : minW >= Math.max(1, l.info.events / FINE) || to - from > SCAN_LIMIT;
  if (coarse) {
    const g = axis === 'time' ? l.long : l.longPos;
    for (let i = 0; i < g.n; i++) emit(g.start[i]!, g.end[i]!, g.depth[i]!, g.row[i]!, g.flags[i]!);
  } else scanFlame(m, l, from, to, axis, emit);
  return { lane: laneNo, from, to, axis, names, spans: out, hidden };
}

function scanFlame(m: UiModel, l: LaneData, from: number, to: number, axis: Axis, emit: Emit): void {
  const off = m.offsetOf(l.proc);
  const idx = m.index;
  const start: number[] = [];
  const rows: number[] = [];
  let begun = false;
  let last = from;
  for (let ci = 0; ci < l.chunks.length; ci++) {
    const c = l.chunks[ci]!;
    const p0 = l.chunkPos[ci]!;
    if (axis === 'time' ? c.maxTime + off < from : p0 + c.rows <= from) continue;
    if (axis === 'time' ? c.minTime + off > to : p0 > to) break;
    const kind = idx.col.kind.range(c.firstRow, c.rows);
    const time = axis === 'time' ? idx.col.time.range(c.firstRow, c.rows) : null;
    for (let i = 0; i < c.rows; i++) {
      const t = time ? time[i]! + off : p0 + i;
      if (t < from) continue;
      const row = c.firstRow + i;
      const k = kind[i]!;
      if (!begun) {
        begun = true;
        // The activations open when the view starts, outermost first.
        const chain: number[] = [];
        for (let a = isEntry(k) ? idx.col.parent.get(row) : activationOf(idx, row); a >= 0 && chain.length < 10_000; a = idx.col.parent.get(a)) chain.push(a);
        for (const a of chain.reverse()) {
          start.push(axis === 'time' ? m.globalTime(a) : m.position(a));
          rows.push(a);
        }
      }
      if (t > to) break;
      last = t;
      if (isEntry(k)) {
        start.push(t);
        rows.push(row);
      } else if (isExit(k) && rows.length > 0) {
        const a = rows.pop()!;
        const s = start.pop()!;
        emit(s, axis === 'time' ? t : t + 1, rows.length, a, (k === Kind.THROW ? 1 : 0) | (idx.kind(a) === Kind.RESUME ? 2 : 0));
      }
    }
  }
  const end = axis === 'time' ? Math.min(to, l.info.endUs) : Math.min(to, last + 1);
  for (let d = rows.length - 1; d >= 0; d--) emit(start[d]!, end, d, rows[d]!, 4 | (idx.kind(rows[d]!) === Kind.RESUME ? 2 : 0));
}
