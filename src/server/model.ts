/**
 * What the web UI asks of a recording, answered over the event index: lanes and one global time
 * axis (level-of-detail summaries and flame spans: src/server/lod.ts, over the pyramid of
 * src/server/lanes.ts), debugger stepping forwards and backwards, the moment at the playhead, and
 * the panels' views (src/server/views.ts: state, source; src/server/find.ts: search, errors, causes).
 */
import type { Recording } from '../recording/recording.js';
import type { EventIndex } from '../query/index/event-index.js';
import { stackAt } from '../query/stack.js';
import { activationEnd, prevInThread, step } from '../query/stepping.js';
import { rowAtTime } from '../query/state.js';
import type { CausesResponse, ErrorsResponse, EventInfo, HttpSpan, MarksResponse, LastWriteResponse, MomentResponse, SearchResponse, SessionInfo, SourceResponse, StateResponse, StepResponse } from './api.js';
import { addContextLanes } from './async-lanes.js';
import { causesOf, errorsOf, searchIn } from './find.js';
import { FINE, buildPyramid, threadLanes, type LaneData } from './lanes.js';
import { marksOf } from './marks.js';
import { lastWriteOf, objectsAt, sessionOf, sourceOf, stateOf } from './views.js';

export { FINE };

export class UiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The x axis of a flame chart: global time, or event number in the lane (every event the same width). */
export type Axis = 'time' | 'events';

export class UiModel {
  readonly lanes: LaneData[];
  readonly startUs: number;
  readonly endUs: number;
  readonly fineUs: number;
  /** µs to add to a process's event time to get global µs. */
  readonly #offset: number[];
  readonly #laneOf: Map<string, number>;
  /** HTTP exchanges (recordings made with --causality). */
  readonly http: HttpSpan[];
  /** ms the pyramid took to build. */
  readonly buildMs: number;

  constructor(
    readonly rec: Recording,
    readonly index: EventIndex,
  ) {
    const t0 = performance.now();
    const origin = Math.min(...rec.processes.map((p) => p.info.timeOrigin));
    this.#offset = rec.processes.map((p) => (p.info.timeOrigin - origin) * 1000);
    const { lanes, laneOf, start, end } = threadLanes(index, this.#offset);
    this.lanes = lanes;
    this.#laneOf = laneOf;
    this.startUs = start;
    this.endUs = end;
    this.fineUs = (end - start) / FINE;
    for (const l of this.lanes) buildPyramid(l, index, this.#offset[l.proc]!, this);
    this.http = addContextLanes(index, this.lanes, (p) => this.#offset[p]!, this);
    this.buildMs = performance.now() - t0;
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

  /** µs to add to a time of process `proc` to get global µs. */
  offsetOf(proc: number): number {
    return this.#offset[proc]!;
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
    return sessionOf(this);
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

  /** The row where activation `a` ends (suspends, returns or throws), or -1 (for the causal view). */
  endOf(a: number): number {
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

  #objectsAt(row: number, event: EventInfo, frames: MomentResponse['frames']): MomentResponse['objects'] {
    return objectsAt(this, row, event, frames);
  }

  source(row: number | null, pid: number | null, file: string | null): SourceResponse {
    return sourceOf(this, row, pid, file);
  }

  // ------------------------------------------------------------------ state, search, errors, causes

  state(spec: string, at: number, prev: number | null): StateResponse {
    return stateOf(this, spec, at, prev);
  }

  lastWrite(spec: string, key: string, at: number): LastWriteResponse {
    return lastWriteOf(this, spec, key, at);
  }

  search(q: string): SearchResponse {
    return searchIn(this, q);
  }

  errors(): ErrorsResponse {
    return errorsOf(this);
  }

  causes(row: number): CausesResponse {
    return causesOf(this, row);
  }

  /** Whether `marks()` runs the insight detectors (in a worker; off for benchmarks of the UI alone). */
  insights = true;

  marks(): MarksResponse {
    return marksOf(this, this.insights);
  }
}
