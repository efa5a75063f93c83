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
import { diskPath } from '../recording/sources.js';

export interface LineBreakpoint {
  id: number;
  file: string;
  line: number;
  condition?: string;
  logMessage?: string;
}

/** A function breakpoint: every call of functions of that name (`add`, or `Cart.add`). */
export interface FunctionBreakpoint {
  id: number;
  name: string;
  condition?: string;
}

export type ExceptionFilter = 'all' | 'uncaught';

/** What the events of one site may hit: breakpoint lines of its file in its range, function breakpoints on its calls. */
interface SiteHits {
  lines: Set<number>;
  functions: FunctionBreakpoint[];
}

export interface Hit {
  row: number;
  reason: 'breakpoint' | 'exception';
  breakpoints: (LineBreakpoint | FunctionBreakpoint)[];
}

/** What a breakpoint check needs from the session: whether a condition holds there, and where log points print. */
export interface HitCheck {
  holds(bp: LineBreakpoint | FunctionBreakpoint, row: number): boolean;
  log(bp: LineBreakpoint, row: number): void;
}

/** Longest scan of one run (forwards or backwards) before giving up with the last event reached. */
const MAX_SCAN = 200_000_000;

export class Breakpoints {
  readonly #byFile = new Map<string, LineBreakpoint[]>();
  #nextId = 1;
  #functions: FunctionBreakpoint[] = [];
  #filters = new Set<ExceptionFilter>();
  /** First throws (and uncaught errors) of the recording, with how they ended; computed on first use. */
  #errors: Map<number, string> | null = null;
  /** Per process: site id → the breakpoints its events may hit. */
  #sites: Map<number, SiteHits>[] = [];

  constructor(readonly replay: Replay) {}

  /** Replaces the breakpoints of a file; each is verified when some recorded event is shown at its line. */
  setLines(file: string, wanted: { line: number; condition?: string; logMessage?: string }[]): (LineBreakpoint & { verified: boolean; message?: string })[] {
    const f = diskPath(file);
    const lines = this.#recordedLines(f);
    const bps = wanted.map((w) => ({ id: this.#nextId++, file: f, line: w.line, ...(w.condition ? { condition: w.condition } : {}), ...(w.logMessage ? { logMessage: w.logMessage } : {}) }));
    this.#byFile.set(f, bps);
    this.#sites = [];
    const sorted = [...lines].sort((a, b) => a - b);
    const near = (line: number) => sorted.filter((l) => Math.abs(l - line) <= 10).slice(0, 6);
    return bps.map((b) => (lines.has(b.line) ? { ...b, verified: true } : { ...b, verified: false, message: `nothing was recorded at this line${near(b.line).length ? ` (events are shown at lines ${near(b.line).join(', ')})` : ''}` }));
  }

  /** Replaces the function breakpoints; each is verified when a function of that name was recorded. */
  setFunctions(wanted: { name: string; condition?: string }[]): (FunctionBreakpoint & { verified: boolean; message?: string })[] {
    const names = new Set<string>();
    for (const p of this.replay.index.rec.processes) for (const s of p.sites().values()) if (s.kind === 'function') names.add(s.name);
    this.#functions = wanted.map((w) => ({ id: this.#nextId++, name: String(w.name), ...(w.condition ? { condition: w.condition } : {}) }));
    this.#sites = [];
    return this.#functions.map((f) => ([...names].some((n) => nameMatches(n, f.name)) ? { ...f, verified: true } : { ...f, verified: false, message: 'no function of this name was recorded' }));
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

  /** Per site of process `proc`: the breakpoints its events may hit. */
  #candidates(proc: number): Map<number, SiteHits> {
    let m = this.#sites[proc];
    if (m) return m;
    m = new Map();
    for (const s of this.replay.index.rec.processes[proc]?.sites().values() ?? []) {
      const bps = this.#byFile.get(diskPath(s.file)) ?? [];
      const end = s.kind === 'function' ? (s.endLine ?? s.line) : s.line;
      const lines = new Set(bps.filter((b) => b.line >= s.line && b.line <= end).map((b) => b.line));
      const functions = s.kind === 'function' ? this.#functions.filter((f) => nameMatches(s.name, f.name)) : [];
      if (lines.size || functions.length) m.set(s.id, { lines, functions });
    }
    this.#sites[proc] = m;
    return m;
  }

  /** The first event after (or before) `from`, and before `until` when given, where a breakpoint or exception breakpoint stops, or null. */
  find(from: number, back: boolean, check: HitCheck, until?: number): Hit | null {
    const idx = this.replay.index;
    const anyLines = this.#functions.length > 0 || [...this.#byFile.values()].some((b) => b.length > 0);
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
        if (until !== undefined && (back ? row <= until : row >= until)) return null;
        // A catch event stops only when the errors listing has it as an entry (its throw is no event).
        if (kinds && (kinds[i] === Kind.THROW || kinds[i] === Kind.ERROR || kinds[i] === Kind.CATCH)) {
          const end = errors!.get(row);
          if (end !== undefined && (this.#filters.has('all') || end === 'uncaught' || end === 'rejected')) return { row, reason: 'exception', breakpoints: [] };
        }
        const hits = sites ? cand!.get(sites[i]!) : undefined;
        if (!hits) continue;
        const hit: (LineBreakpoint | FunctionBreakpoint)[] = hits.functions.length && idx.kind(row) === Kind.CALL ? hits.functions.filter((f) => check.holds(f, row)) : [];
        const place = hits.lines.size ? this.replay.place(row) : undefined;
        if (place && hits.lines.has(place.line)) hit.push(...(this.#byFile.get(diskPath(place.file)) ?? []).filter((b) => b.line === place.line && check.holds(b, row)));
        const stops = hit.filter((b) => {
          if (!('logMessage' in b) || b.logMessage === undefined) return true;
          check.log(b, row);
          return false;
        });
        if (stops.length) return { row, reason: 'breakpoint', breakpoints: stops };
      }
    }
    return null;
  }
}

/** `add` names `add` and every method `X.add`; a dotted name must match whole. */
function nameMatches(recorded: string, wanted: string): boolean {
  return recorded === wanted || (!wanted.includes('.') && recorded.endsWith(`.${wanted}`));
}
