/**
 * What the web UI asks of a recording, answered over the event index: lanes and one global time
 * axis, level-of-detail summaries (a fixed-resolution pyramid built in one pass, so a wide view
 * costs its pixels, not its events), flame-chart spans, debugger stepping forwards and backwards,
 * the moment at the playhead, object state with its changes, and the causal links of an event.
 */
import { Kind, kindNames } from '../format/events.js';
import type { Recording } from '../recording/recording.js';
import { readSource } from '../recording/sources.js';
import type { Value } from '../recording/value-reader.js';
import { listErrors } from '../query/errors.js';
import type { ChunkInfo, EventIndex } from '../query/index/event-index.js';
import { findEvents } from '../query/scan.js';
import { search } from '../query/search.js';
import { activationOf, stackAt } from '../query/stack.js';
import { activationEnd, prevInThread, step } from '../query/stepping.js';
import { momentIn, propertyHistory, resolveObject, rowAtTime, stateAt, type ObjectRef } from '../query/state.js';
import type { CausesResponse, ErrorsResponse, EventInfo, FlameResponse, Lane, LastWriteResponse, LodResponse, MomentResponse, SearchResponse, SessionInfo, SourceResponse, StateResponse, StepResponse } from './api.js';

/** Buckets of the whole-run pyramid. Views coarser than one bucket are answered from it alone. */
export const FINE = 16_384;
/** A narrow view is scanned row by row only up to this many rows per lane. */
const SCAN_LIMIT = 4_000_000;

const isEntry = (k: number) => k === Kind.CALL || k === Kind.RESUME;
const isExit = (k: number) => k === Kind.RETURN || k === Kind.THROW || k === Kind.SUSPEND;

export class UiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface LaneData {
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
}

interface Spans {
  start: Float64Array;
  end: Float64Array;
  depth: Uint16Array;
  row: Int32Array;
  flags: Uint8Array;
  n: number;
}

const spans = (): Spans => ({ start: new Float64Array(64), end: new Float64Array(64), depth: new Uint16Array(64), row: new Int32Array(64), flags: new Uint8Array(64), n: 0 });

/** The x axis of a flame chart: global time, or event number in the lane (every event the same width). */
export type Axis = 'time' | 'events';

export class UiModel {
  readonly lanes: LaneData[] = [];
  readonly startUs: number;
  readonly endUs: number;
  readonly fineUs: number;
  /** µs to add to a process's event time to get global µs. */
  readonly #offset: number[];
  readonly #laneOf = new Map<string, number>();
  /** ms the pyramid took to build. */
  readonly buildMs: number;

  constructor(
    readonly rec: Recording,
    readonly index: EventIndex,
  ) {
    const t0 = performance.now();
    const origin = Math.min(...rec.processes.map((p) => p.info.timeOrigin));
    this.#offset = rec.processes.map((p) => (p.info.timeOrigin - origin) * 1000);
    let start = Infinity;
    let end = -Infinity;
    for (const c of index.chunks) {
      const key = `${c.proc}/${c.thread}`;
      let lane = this.#laneOf.get(key);
      if (lane === undefined) {
        lane = this.lanes.length;
        this.#laneOf.set(key, lane);
        const pid = index.pidOf(c.proc);
        const ctx = index.meta.contexts.findIndex(([p, t]) => p === c.proc && t === c.thread);
        this.lanes.push({
          info: { lane, kind: 'thread', pid, thread: c.thread, label: `${pid} ${c.thread === 0 ? 'main' : `worker ${c.thread}`}`, events: 0, startUs: Infinity, endUs: -Infinity, maxDepth: 0 },
          proc: c.proc,
          ctx,
          chunks: [],
          chunkPos: [],
          counts: new Uint32Array(FINE),
          depth: new Uint16Array(FINE),
          errors: new Uint8Array(FINE),
          long: spans(),
          longPos: spans(),
        });
      }
      const l = this.lanes[lane]!;
      l.chunks.push(c);
      l.chunkPos.push(l.info.events);
      l.info.events += c.rows;
      if (c.rows > 0) {
        const off = this.#offset[c.proc]!;
        l.info.startUs = Math.min(l.info.startUs, c.minTime + off);
        l.info.endUs = Math.max(l.info.endUs, c.maxTime + off);
        start = Math.min(start, c.minTime + off);
        end = Math.max(end, c.maxTime + off);
      }
    }
    if (!Number.isFinite(start)) [start, end] = [0, 1];
    if (end <= start) end = start + 1;
    this.startUs = start;
    this.endUs = end;
    this.fineUs = (end - start) / FINE;
    for (const l of this.lanes) this.#pyramid(l);
    this.buildMs = performance.now() - t0;
  }

  /** One pass over a lane: events, deepest stack and errors per fine bucket, and the long activations. */
  #pyramid(l: LaneData): void {
    const off = this.#offset[l.proc]!;
    const idx = this.index;
    let depth = 0;
    const stackStart: number[] = [];
    const stackRow: number[] = [];
    const stackPos: number[] = [];
    const minPos = Math.max(1, l.info.events / FINE);
    let pos = 0;
    let maxDepth = 0;
    const bucket = (t: number) => Math.min(FINE - 1, Math.max(0, Math.floor((t + off - this.startUs) / this.fineUs)));
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
          const long = t + off - s >= this.fineUs;
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
      if (l.info.endUs - stackStart[d]! >= this.fineUs) addSpan(l.long, stackStart[d]!, l.info.endUs, d, stackRow[d]!, 4);
      if (pos - stackPos[d]! >= minPos) addSpan(l.longPos, stackPos[d]!, pos, d, stackRow[d]!, 4);
    }
    l.info.maxDepth = maxDepth;
  }

  // ------------------------------------------------------------------ basics

  lane(n: number): LaneData {
    const l = this.lanes[n];
    if (!l) throw new UiError(`no lane ${n}`, 404);
    return l;
  }

  laneOfRow(row: number): LaneData {
    const c = this.index.chunkOf(row);
    return this.lanes[this.#laneOf.get(`${c.proc}/${c.thread}`)!]!;
  }

  globalTime(row: number): number {
    return this.index.col.time.get(row) + this.#offset[this.index.chunkOf(row).proc]!;
  }

  checkRow(row: number): number {
    if (!Number.isInteger(row) || row < 0 || row >= this.index.rows) throw new UiError(`no event #${row}`, 404);
    return row;
  }

  eventInfo(row: number, withValue = true): EventInfo {
    const e = this.index.event(row, withValue);
    const c = this.index.chunkOf(row);
    const info: EventInfo = { id: row, pid: e.pid, thread: e.thread, lane: this.laneOfRow(row).info.lane, kind: e.kind, timeUs: e.time + this.#offset[c.proc]!, pos: this.position(row), seq: e.seq, site: e.site };
    if (e.name !== undefined) info.name = e.name;
    if (e.file !== undefined) Object.assign(info, { file: e.file, line: e.line, column: e.column });
    if (e.value !== undefined) info.value = e.value;
    const site = this.index.site(c.proc, e.site);
    if (site?.target !== undefined && (e.kind === 'write' || e.kind === 'delete' || e.kind === 'mutate')) info.target = site.target;
    return info;
  }

  session(): SessionInfo {
    const m = this.rec.manifest;
    return {
      recording: { name: this.rec.dir.split(/[/\\]/).pop() ?? '', command: m.command, complete: this.rec.complete, mode: m.mode, startedAt: m.startedAt },
      events: this.index.rows,
      startUs: this.startUs,
      endUs: this.endUs,
      lanes: this.lanes.map((l) => l.info),
      kinds: kindNames,
      processes: this.rec.processes.map((p) => ({ pid: p.pid, parentPid: p.info.parentPid, argv: p.info.argv, threads: p.info.threads })),
    };
  }

  // ------------------------------------------------------------------ level of detail

  lod(from: number, to: number, px: number): LodResponse {
    const w = (to - from) / px;
    const lanes = this.lanes.map((l) => {
      const counts = new Array<number>(px).fill(0);
      const depth = new Array<number>(px).fill(0);
      const errors: number[] = [];
      const err = new Uint8Array(px);
      const rows = this.#rowsIn(l, from, to);
      if (w < this.fineUs && rows <= SCAN_LIMIT) this.#scanLod(l, from, to, px, counts, depth, err);
      else {
        // Each fine bucket goes to the output bucket of its middle (coarse views) or is spread
        // over the output buckets it covers (a view finer than the pyramid but too dense to scan).
        const f0 = Math.max(0, Math.floor((from - this.startUs) / this.fineUs));
        const f1 = Math.min(FINE - 1, Math.floor((to - this.startUs) / this.fineUs));
        for (let f = f0; f <= f1; f++) {
          if (l.counts[f] === 0) continue;
          const fs = this.startUs + f * this.fineUs;
          const a = Math.max(0, Math.floor((fs - from) / w));
          const b = Math.min(px - 1, Math.floor((fs + this.fineUs - from) / w));
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
  #rowsIn(l: LaneData, from: number, to: number): number {
    const off = this.#offset[l.proc]!;
    let n = 0;
    for (const c of l.chunks) if (c.maxTime + off >= from && c.minTime + off <= to) n += c.rows;
    return n;
  }

  /** Stack size while `row` happens (entries count themselves, exits too). */
  #depthAt(row: number): number {
    let d = 0;
    for (let a = activationOf(this.index, row); a >= 0 && d < 100_000; a = this.index.col.parent.get(a)) d++;
    return d;
  }

  #scanLod(l: LaneData, from: number, to: number, px: number, counts: number[], depth: number[], err: Uint8Array): void {
    const off = this.#offset[l.proc]!;
    const w = (to - from) / px;
    let d = -1;
    for (const c of l.chunks) {
      if (c.maxTime + off < from || c.minTime + off > to) continue;
      const kind = this.index.col.kind.range(c.firstRow, c.rows);
      const time = this.index.col.time.range(c.firstRow, c.rows);
      for (let i = 0; i < c.rows; i++) {
        const t = time[i]! + off;
        if (t < from) continue;
        if (t > to) return;
        const k = kind[i]!;
        if (d < 0) d = this.#depthAt(c.firstRow + i) - (isEntry(k) ? 1 : 0);
        if (isEntry(k)) d++;
        const b = Math.min(px - 1, Math.floor((t - from) / w));
        counts[b]!++;
        if (d > depth[b]!) depth[b] = d;
        if (k === Kind.THROW || k === Kind.ERROR) err[b] = 1;
        if (isExit(k) && d > 0) d--;
      }
    }
  }

  // ------------------------------------------------------------------ flame chart

  flame(laneNo: number, from: number, to: number, px: number, axis: Axis = 'time', maxSpans = 20_000): FlameResponse {
    const l = this.lane(laneNo);
    const minW = (to - from) / px;
    const names: string[] = [];
    const nameIds = new Map<string, number>();
    const nameOf = (row: number): number => {
      const info = this.index.site(l.proc, this.index.col.site.get(row));
      const n = info?.name ?? '?';
      let id = nameIds.get(n);
      if (id === undefined) nameIds.set(n, (id = names.push(n) - 1));
      return id;
    };
    const out: FlameResponse['spans'] = [];
    let hidden = 0;
    const emit = (s: number, e: number, depth: number, row: number, flags: number) => {
      if (e < from || s > to) return;
      if (e - s < minW || out.length >= maxSpans) {
        hidden++;
        return;
      }
      out.push([s, e, depth, nameOf(row), row, flags]);
    };
    const coarse = axis === 'time' ? minW >= this.fineUs || this.#rowsIn(l, from, to) > SCAN_LIMIT : minW >= Math.max(1, l.info.events / FINE) || to - from > SCAN_LIMIT;
    if (coarse) {
      const g = axis === 'time' ? l.long : l.longPos;
      for (let i = 0; i < g.n; i++) emit(g.start[i]!, g.end[i]!, g.depth[i]!, g.row[i]!, g.flags[i]!);
    } else this.#scanFlame(l, from, to, axis, emit);
    return { lane: laneNo, from, to, axis, names, spans: out, hidden };
  }

  #scanFlame(l: LaneData, from: number, to: number, axis: Axis, emit: (s: number, e: number, depth: number, row: number, flags: number) => void): void {
    const off = this.#offset[l.proc]!;
    const idx = this.index;
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
            start.push(axis === 'time' ? this.globalTime(a) : this.position(a));
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

  /** Event number of `row` in its lane. */
  position(row: number): number {
    const c = this.index.chunkOf(row);
    const l = this.laneOfRow(row);
    return l.chunkPos[l.chunks.indexOf(c)]! + (row - c.firstRow);
  }

  /** The row at event number `pos` of a lane (clamped). */
  rowAtPosition(laneNo: number, pos: number): number {
    const l = this.lane(laneNo);
    if (l.info.events === 0) return -1;
    const p = Math.min(Math.max(0, Math.floor(pos)), l.info.events - 1);
    let lo = 0;
    let hi = l.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (l.chunkPos[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty chunks at this position.
    while (l.chunks[lo]!.rows === 0) lo++;
    return l.chunks[lo]!.firstRow + (p - l.chunkPos[lo]!);
  }

  // ------------------------------------------------------------------ moving through the run

  next(row: number): number {
    return this.index.nextInThread(row);
  }

  prev(row: number): number {
    return prevInThread(this.index, row);
  }

  /** The last event of a lane at or before global time `t` (its first event when `t` is before it). */
  at(laneNo: number, t: number): number {
    const l = this.lane(laneNo);
    if (l.ctx < 0) throw new UiError(`lane ${laneNo} has no context`, 404);
    const row = rowAtTime(this.index, l.ctx, t - this.#offset[l.proc]!);
    if (row >= 0) return row;
    const first = l.chunks.find((c) => c.rows > 0);
    return first ? first.firstRow : -1;
  }

  /** The row where activation `a` ends (suspends, returns or throws), or -1. */
  #endOf(a: number): number {
    return activationEnd(this.index, a);
  }

  step(row: number, how: 'into' | 'over' | 'out', back: boolean): StepResponse {
    this.checkRow(row);
    return { from: row, to: step(this.index, row, how, back) };
  }

  // ------------------------------------------------------------------ the moment

  moment(row: number): MomentResponse {
    this.checkRow(row);
    const event = this.eventInfo(row);
    const s = stackAt(this.index, row);
    const frames = s.frames.map((f) => {
      const o: MomentResponse['frames'][number] = { call: f.call, name: f.name };
      if (f.file !== undefined) Object.assign(o, { file: f.file, line: f.line });
      if (f.params) o.params = f.params;
      if (f.args !== undefined) o.args = f.args;
      if (f.resumed) o.resumed = true;
      if (f.async) o.async = true;
      return o;
    });
    const objects = this.#objectsAt(row, event, frames);
    const m: MomentResponse = { event, frames, objects, prev: this.prev(row), next: this.next(row) };
    if (event.file !== undefined && event.line !== undefined) m.source = { file: event.file, line: event.line };
    else if (frames[0]?.file !== undefined) m.source = { file: frames[0].file, line: frames[0].line ?? 1 };
    return m;
  }

  /** Objects with an id captured around the moment: the event's value, the frames' arguments, and targets written in the current activation. */
  #objectsAt(row: number, event: EventInfo, frames: MomentResponse['frames']): MomentResponse['objects'] {
    const out = new Map<string, string>();
    const base = `${event.pid}/${event.thread}/`;
    const take = (v: Value | undefined, label: string) => {
      if (v === null || typeof v !== 'object' || out.size >= 12) return;
      if ('id' in v && typeof v.id === 'number' && v.id > 0 && (v.type === 'object' || v.type === 'array' || v.type === 'map' || v.type === 'set' || v.type === 'ref')) {
        const spec = base + v.id;
        if (!out.has(spec)) out.set(spec, label);
      }
    };
    const walkList = (v: Value | undefined, names: string[] | undefined, prefix: string) => {
      if (v && typeof v === 'object' && v.type === 'list') v.items.forEach((x, i) => take(x, `${prefix}${names?.[i] ?? `arg${i}`}`));
      else take(v, prefix || 'value');
    };
    if (event.kind === 'write' || event.kind === 'delete' || event.kind === 'mutate') walkList(event.value, [(event.kind === 'mutate' ? event.target : event.target?.replace(/\.[^.]*$|\[.*$/, '')) ?? 'target', 'key', 'value'], '');
    else if (event.kind === 'return') take(event.value, 'result');
    else walkList(event.value, frames[0]?.params, '');
    // Targets written by the current activation so far (how `this` of a method is seen).
    const idx = this.index;
    const a = activationOf(idx, row);
    if (a >= 0) {
      const n = Math.min(row - a, 2000);
      if (n > 0) {
        const kind = idx.col.kind.range(a + 1, n);
        const parent = idx.col.parent.range(a + 1, n);
        for (let i = 0; i < n; i++) {
          if (parent[i] !== a || (kind[i] !== Kind.WRITE && kind[i] !== Kind.DELETE && kind[i] !== Kind.MUTATE)) continue;
          const v = idx.value(a + 1 + i);
          const site = idx.site(idx.chunkOf(a).proc, idx.col.site.get(a + 1 + i));
          const label = (kind[i] === Kind.MUTATE ? site?.target : site?.target?.replace(/\.[^.]*$|\[.*$/, '')) ?? 'target';
          if (v && typeof v === 'object' && v.type === 'list' && v.items.length === 3) take(v.items[0], label);
        }
      }
    }
    frames.slice(0, 3).forEach((f, i) => walkList(f.args, f.params, i === 0 ? '' : `${f.name}: `));
    const result: MomentResponse['objects'] = [];
    for (const [spec, label] of out) {
      try {
        resolveObject(idx, spec);
        result.push({ spec, label });
      } catch {
        // never snapshotted (seen only as a reference to an object of another run of the thread)
      }
    }
    return result;
  }

  source(row: number | null, pid: number | null, file: string | null): SourceResponse {
    let proc: number;
    if (row !== null) {
      this.checkRow(row);
      const c = this.index.chunkOf(row);
      proc = c.proc;
      const site = this.index.site(proc, this.index.col.site.get(row));
      if (!site) throw new UiError(`event #${row} has no source location`, 404);
      file = site.file;
    } else {
      proc = this.index.meta.processes.indexOf(pid ?? -1);
      if (proc < 0 || file === null) throw new UiError('give id=N, or pid=P and file=F', 400);
    }
    // Only files named by the recording's own site tables are ever read.
    const sites = [...(this.rec.processes[proc]?.sites().values() ?? [])].filter((s) => s.file === file);
    if (sites.length === 0) throw new UiError('no such source file in this recording', 404);
    const lines = [...new Set(sites.filter((s) => s.kind === 'function').map((s) => s.line))].sort((a, b) => a - b);
    return { file, text: readSource(this.rec.dir, file), functionLines: lines };
  }

  // ------------------------------------------------------------------ state

  #object(spec: string): ObjectRef {
    try {
      return resolveObject(this.index, spec);
    } catch (e) {
      throw new UiError((e as Error).message, 404);
    }
  }

  state(spec: string, at: number, prev: number | null): StateResponse {
    this.checkRow(at);
    const obj = this.#object(spec);
    const row = momentIn(this.index, obj.ctx, at);
    const s = stateAt(this.index, obj, row);
    const out: StateResponse = { spec: `${obj.pid}/${obj.thread}/${obj.id}`, at, seen: s.seen, writers: {}, changed: [] };
    if (s.state !== undefined) out.state = s.state;
    if (s.partial) out.partial = true;
    if (s.keyframe !== undefined) for (const k of entriesOf(s.state).keys()) out.writers[k] = s.keyframe;
    for (const a of s.applied) if (!a.deleted) out.writers[a.key] = a.event;
    if (prev !== null && prev !== at) {
      this.checkRow(prev);
      const p = stateAt(this.index, obj, momentIn(this.index, obj.ctx, prev));
      const now = entriesOf(s.state);
      const before = entriesOf(p.state);
      for (const [k, v] of now) {
        if (!before.has(k)) out.changed.push({ key: k, added: true });
        else if (JSON.stringify(before.get(k)) !== JSON.stringify(v)) out.changed.push({ key: k, before: before.get(k)! });
      }
      for (const [k, v] of before) if (!now.has(k)) out.changed.push({ key: k, before: v, deleted: true });
    }
    return out;
  }

  lastWrite(spec: string, key: string, at: number): LastWriteResponse {
    this.checkRow(at);
    const obj = this.#object(spec);
    const h = propertyHistory(this.index, obj, key, { limit: 200 });
    const row = momentIn(this.index, obj.ctx, at);
    let write = -1;
    let snapshot: number | undefined;
    for (const w of h.writes) {
      if (w.event.id > row) break;
      if (w.op === 'snapshot') snapshot = w.event.id;
      else write = w.event.id;
    }
    const res: LastWriteResponse = {
      write,
      history: h.writes.map((w) => ({ id: w.event.id, timeUs: this.globalTime(w.event.id), op: w.op, ...(w.value !== undefined ? { value: w.value } : {}), ...(w.writer ? { writer: w.writer.name } : {}), ...(w.site ? { line: w.site.line } : {}) })),
    };
    if (write < 0 && snapshot !== undefined) res.snapshot = snapshot;
    return res;
  }

  // ------------------------------------------------------------------ search, errors, causes

  search(q: string): SearchResponse {
    const needle = q.toLowerCase();
    const functions: SearchResponse['functions'] = [];
    const seen = new Set<string>();
    for (const p of this.rec.processes) {
      for (const s of p.sites().values()) {
        if (s.kind !== 'function' || !s.name.toLowerCase().includes(needle) || functions.length >= 20) continue;
        const key = `${p.pid}/${s.name}/${s.file}/${s.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const [first] = findEvents(this.index, { pid: p.pid, site: s.id, kinds: ['call'], limit: 1 });
        if (first === undefined) continue;
        functions.push({ name: s.name, pid: p.pid, file: s.file, line: s.line, calls: -1, first });
      }
    }
    const num = /^-?\d+(\.\d+)?$/.test(q.trim()) ? Number(q) : null;
    const hits = [...search(this.index, q, { limit: 30 }), ...(num !== null ? search(this.index, num, { limit: 30 }) : [])];
    const values = hits.slice(0, 50).map((h) => ({ id: h.event.id, path: h.path, match: h.match, event: this.eventInfo(h.event.id, false) }));
    return { functions, values };
  }

  errors(): ErrorsResponse {
    return {
      errors: listErrors(this.index, { limit: 500 }).map((e) => {
        const v = e.value;
        const message = v && typeof v === 'object' && v.type === 'error' ? `${v.name}: ${v.message}` : v === undefined ? '(value not recorded)' : JSON.stringify(v).slice(0, 200);
        const first = e.unwound[0];
        const o: ErrorsResponse['errors'][number] = { id: e.id, kind: e.kind, end: e.end, message, timeUs: this.globalTime(e.id) };
        if (first) o.where = `${first.name}${first.line ? `:${first.line}` : ''}`;
        if (e.caughtBy) o.caughtBy = e.caughtBy.name;
        return o;
      }),
    };
  }

  causes(row: number): CausesResponse {
    this.checkRow(row);
    const idx = this.index;
    const nodes = new Map<number, CausesResponse['nodes'][number]>();
    const edges: CausesResponse['edges'] = [];
    const node = (r: number) => {
      if (nodes.has(r)) return;
      const e = this.eventInfo(r, false);
      nodes.set(r, { id: r, label: `${e.kind === 'call' || e.kind === 'resume' ? '' : `${e.kind} `}${e.name ?? e.kind}${e.target ? ` ${e.target}` : ''}`, kind: e.kind, pid: e.pid, thread: e.thread, timeUs: e.timeUs });
    };
    node(row);
    // Up: the activation the event is in, who called it, and for a resumed frame the call that suspended.
    let cur = activationOf(idx, row);
    if (cur >= 0 && cur !== row) {
      node(cur);
      edges.push({ from: cur, to: row, kind: 'event' });
    }
    for (let n = 0; cur >= 0 && n < 40; n++) {
      let caller: number;
      if (idx.kind(cur) === Kind.RESUME) {
        const call = idx.col.link.get(cur);
        if (call < 0) break;
        node(call);
        edges.push({ from: call, to: cur, kind: 'resume' });
        caller = idx.col.parent.get(call);
        cur = call;
      } else caller = idx.col.parent.get(cur);
      if (caller < 0) break;
      node(caller);
      edges.push({ from: caller, to: cur, kind: 'call' });
      cur = caller;
    }
    // Down: calls made directly by the focused call.
    if (idx.kind(row) === Kind.CALL) {
      const end = idx.col.link.get(row);
      let s = this.next(row);
      for (let n = 0; s >= 0 && n < 30 && (end < 0 || s < end); n++) {
        if (!isEntry(idx.kind(s)) || idx.col.parent.get(s) !== row) {
          s = this.next(s);
          continue;
        }
        node(s);
        edges.push({ from: row, to: s, kind: idx.kind(s) === Kind.RESUME ? 'resume' : 'call' });
        const e = this.#endOf(s);
        if (e < 0) break;
        s = this.next(e);
      }
    }
    return { focus: row, nodes: [...nodes.values()], edges };
  }
}

function addSpan(g: Spans, start: number, end: number, depth: number, row: number, flags: number): void {
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

function entriesOf(v: Value | undefined): Map<string, Value> {
  const m = new Map<string, Value>();
  if (v && typeof v === 'object') {
    if (v.type === 'object') for (const [k, x] of v.entries) m.set(k, x);
    else if (v.type === 'array') v.items.forEach((x, i) => m.set(String(i), x));
    else if (v.type === 'map') v.entries.forEach(([k, x]) => m.set(typeof k === 'string' || typeof k === 'number' ? String(k) : JSON.stringify(k), x));
  }
  return m;
}
