/**
 * Breakpoints over a recording: a line breakpoint is every recorded event shown at that line (a
 * call at a function's first line, a write or await on its line, a return at the closing line, a
 * throw at the throwing line), optionally with a condition or a log message; exception breakpoints
 * stop where an error was first thrown (all of them, or those that ended uncaught or rejected).
 * Running forwards or backwards scans the events in recording order from the current one.
 */
import { Kind } from '../format/events.js';
import { listErrors } from '../query/errors.js';
import type { Replay } from './replay.js';
import { diskPath } from './replay.js';

export interface LineBreakpoint {
  id: number;
  file: string;
  line: number;
  condition?: string;
  logMessage?: string;
}

export type ExceptionFilter = 'all' | 'uncaught';

export interface Hit {
  row: number;
  reason: 'breakpoint' | 'exception';
  breakpoints: LineBreakpoint[];
}

/** What a breakpoint check needs from the session: whether a condition holds there, and where log points print. */
export interface HitCheck {
  holds(bp: LineBreakpoint, row: number): boolean;
  log(bp: LineBreakpoint, row: number): void;
}

/** Longest scan of one run (forwards or backwards) before giving up with the last event reached. */
const MAX_SCAN = 200_000_000;

export class Breakpoints {
  readonly #byFile = new Map<string, LineBreakpoint[]>();
  #nextId = 1;
  #filters = new Set<ExceptionFilter>();
  /** First throws (and uncaught errors) of the recording, with how they ended; computed on first use. */
  #errors: Map<number, string> | null = null;
  /** Per process: site id → lines of the file's breakpoints it can be shown at (null: none). */
  #sites: Map<number, Set<number> | null>[] = [];

  constructor(readonly replay: Replay) {}

  /** Replaces the breakpoints of a file; each is verified when some recorded event is shown at its line. */
  setLines(file: string, wanted: { line: number; condition?: string; logMessage?: string }[]): (LineBreakpoint & { verified: boolean; message?: string })[] {
    const f = diskPath(file);
    const lines = this.#recordedLines(f);
    const bps = wanted.map((w) => ({ id: this.#nextId++, file: f, line: w.line, ...(w.condition ? { condition: w.condition } : {}), ...(w.logMessage ? { logMessage: w.logMessage } : {}) }));
    this.#byFile.set(f, bps);
    this.#sites = [];
    return bps.map((b) => (lines.has(b.line) ? { ...b, verified: true } : { ...b, verified: false, message: 'nothing was recorded at this line' }));
  }

  setExceptions(filters: string[]): void {
    const known = filters.filter((f): f is ExceptionFilter => f === 'all' || f === 'uncaught');
    if (known.length !== filters.length) throw new Error(`unknown exception filter '${filters.find((f) => f !== 'all' && f !== 'uncaught')}' (filters: all, uncaught)`);
    this.#filters = new Set(known);
  }

  /** How the error first thrown at `row` ended ('caught', 'uncaught', …), if it is one. */
  errorEnd(row: number): string | undefined {
    return this.#errorMap().get(row);
  }

  #errorMap(): Map<number, string> {
    this.#errors ??= new Map(listErrors(this.replay.index, { limit: 1_000_000 }).map((e) => [e.id, e.end]));
    return this.#errors;
  }

  /** Lines of `file` where some site of the recording is shown. */
  #recordedLines(file: string): Set<number> {
    const out = new Set<number>();
    for (const p of this.replay.index.rec.processes) {
      for (const s of p.sites().values()) {
        if (diskPath(s.file) !== file) continue;
        // Throws can be shown at any line of a function: only its own lines are certain.
        out.add(s.line);
        if (s.kind === 'function' && s.endLine !== undefined) out.add(s.endLine);
      }
    }
    return out;
  }

  /** Per site of process `proc`: the breakpoint lines an event of it may be shown at. */
  #candidates(proc: number): Map<number, Set<number> | null> {
    let m = this.#sites[proc];
    if (m) return m;
    m = new Map();
    for (const s of this.replay.index.rec.processes[proc]?.sites().values() ?? []) {
      const bps = this.#byFile.get(diskPath(s.file));
      if (!bps?.length) continue;
      const end = s.kind === 'function' ? (s.endLine ?? s.line) : s.line;
      const lines = new Set(bps.filter((b) => b.line >= s.line && b.line <= end).map((b) => b.line));
      if (lines.size) m.set(s.id, lines);
    }
    this.#sites[proc] = m;
    return m;
  }

  /** The first event after (or before) `from` where a breakpoint or exception breakpoint stops, or null. */
  find(from: number, back: boolean, check: HitCheck): Hit | null {
    const idx = this.replay.index;
    const anyLines = [...this.#byFile.values()].some((b) => b.length > 0);
    const errors = this.#filters.size ? this.#errorMap() : null;
    if (!anyLines && !errors) return null;
    let scanned = 0;
    const chunks = idx.chunks;
    const start = from < 0 ? (back ? chunks.length - 1 : 0) : chunks.indexOf(idx.chunkOf(from));
    for (let ci = start; ci >= 0 && ci < chunks.length && scanned < MAX_SCAN; ci += back ? -1 : 1) {
      const c = chunks[ci]!;
      if (c.rows === 0) continue;
      const cand = anyLines ? this.#candidates(c.proc) : null;
      const sites = cand?.size ? idx.col.site.range(c.firstRow, c.rows) : null;
      const kinds = errors ? idx.col.kind.range(c.firstRow, c.rows) : null;
      scanned += c.rows;
      for (let i = back ? c.rows - 1 : 0; i >= 0 && i < c.rows; i += back ? -1 : 1) {
        const row = c.firstRow + i;
        if (from >= 0 && (back ? row >= from : row <= from)) continue;
        if (kinds && (kinds[i] === Kind.THROW || kinds[i] === Kind.ERROR)) {
          const end = errors!.get(row);
          if (end !== undefined && (this.#filters.has('all') || end === 'uncaught' || end === 'rejected')) return { row, reason: 'exception', breakpoints: [] };
        }
        const lines = sites ? cand!.get(sites[i]!) : undefined;
        if (!lines) continue;
        const place = this.replay.place(row);
        if (!place || !lines.has(place.line)) continue;
        const hit = (this.#byFile.get(diskPath(place.file)) ?? []).filter((b) => b.line === place.line && check.holds(b, row));
        const stops = hit.filter((b) => {
          if (b.logMessage === undefined) return true;
          check.log(b, row);
          return false;
        });
        if (stops.length) return { row, reason: 'breakpoint', breakpoints: stops };
      }
    }
    return null;
  }
}
