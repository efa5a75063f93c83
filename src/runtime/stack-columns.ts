/**
 * Stack frames of instrumented code at their original columns. Every insertion stays on its line,
 * so lines already match; columns after an insertion move right. Each instrumented module hands
 * `load` a function returning its column shifts (src/instrument/runtime-base.ts); they are read
 * only when a stack is formatted. A file Node has a source map for (only a file that came with
 * one gets one from us, composed; src/runtime/instrumenter.ts) is mapped by Node itself.
 */
import { findSourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';
import { P } from './primordials.js';

type ShiftsOf = () => unknown;

const pending: ShiftsOf[] = [];
const byFile = new Map<string, number[]>();

/** Keeps a module's shifts function (uncalled) for when a stack needs it. */
export function addShifts(shifts: unknown): void {
  if (typeof shifts === 'function') pending[pending.length] = shifts as ShiftsOf;
}

function drain(): void {
  for (let i = 0; i < pending.length; i++) {
    try {
      const r = P.apply(pending[i]!, undefined, []) as unknown[];
      if (!P.isArray(r) || typeof r[0] !== 'string' || !P.isArray(r[1])) continue;
      // Under both names V8 gives scripts: the path (CommonJS) and the file URL (ES modules).
      P.MapSet(byFile, r[0], r[1] as number[]);
      P.MapSet(byFile, pathToFileURL(r[0]).href, r[1] as number[]);
    } catch {
      // a module that failed before its shifts could be read keeps its generated columns
    }
  }
  pending.length = 0;
}

/** The original 1-based column of a frame at 1-based `line` and `column` of `file` (path or file URL). */
export function originalColumn(file: string, line: number, column: number): number {
  if (pending.length !== 0) drain();
  if (byFile.size === 0) return column;
  const shifts = P.MapGet(byFile, file);
  if (shifts === undefined) return column;
  // Triples sorted by line, then column: find the line's first.
  let lo = 0;
  let hi = shifts.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (shifts[mid * 3]! < line) lo = mid + 1;
    else hi = mid;
  }
  const g = column - 1;
  let s = 0;
  for (let i = lo * 3; i < shifts.length && shifts[i] === line; i += 3) {
    const c = shifts[i + 1]!;
    const d = shifts[i + 2]!;
    if (g < c + s) break;
    if (d > 0 && g < c + s + d) return c + 1; // inside inserted text: the place it was inserted at
    s += d;
  }
  return g - s + 1;
}

/** V8's CallSite methods, taken from a call site captured now, before the program runs. */
const site = ((): { toString(cs: unknown): string; file(cs: unknown): unknown; line(cs: unknown): unknown; column(cs: unknown): unknown } | null => {
  const E = P.ErrorCtor as { prepareStackTrace?: unknown };
  const d = P.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  try {
    P.defineProperty(E, 'prepareStackTrace', { value: (_: unknown, cs: unknown[]) => cs, writable: true, configurable: true });
    const cs = (new Error() as { stack?: unknown }).stack as object[];
    const proto = P.getPrototypeOf(cs[0]) as Record<string, (this: unknown) => unknown>;
    const m = (f: (this: unknown) => unknown) => (cs: unknown) => P.apply(f, cs, []);
    return { toString: m(proto.toString!) as (cs: unknown) => string, file: m(proto.getFileName!), line: m(proto.getLineNumber!), column: m(proto.getColumnNumber!) };
  } catch {
    return null;
  } finally {
    if (d) P.defineProperty(E, 'prepareStackTrace', d);
    else delete E.prepareStackTrace;
  }
})();

/** A call site's text (V8's own), its position moved to the original column. */
export function frameText(cs: unknown): string {
  const text = site!.toString(cs);
  return mapFrame(text, cs);
}

function mapFrame(text: string, cs: unknown, maps = false): string {
  const file = site!.file(cs);
  const line = site!.line(cs);
  const column = site!.column(cs);
  if (typeof file !== 'string' || typeof line !== 'number' || typeof column !== 'number') return text;
  // Node maps the frames of a file it has a source map for (a composed one) itself.
  if (maps && findSourceMap(file) !== undefined) return text;
  const original = originalColumn(file, line, column);
  if (original === column) return text;
  const at = `:${line}:${column}`;
  const end = text.length - (text.charCodeAt(text.length - 1) === 41 ? 1 : 0); // ')'
  if (P.StringSlice(text, end - at.length, end) !== at) return text;
  return `${P.StringSlice(text, 0, end - at.length)}:${line}:${original}${P.StringSlice(text, end)}`;
}

/** Whether call sites can be read here (V8's CallSite API was found at start-up). */
export const callSites = site !== null;

function sourceMapsOn(): boolean {
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
}

/**
 * Puts a function that moves frame columns in front of Node's own `Error.prepareStackTrace`, so
 * that `err.stack` and the fatal-error output show original columns. It formats nothing itself:
 * Node's text comes back with the position of each frame of instrumented code rewritten. A program that installs its own formatter gets
 * V8's generated columns from the call sites (docs/adr/0016-error-stacks.md).
 */
export function mapStackColumns(): void {
  const E = P.ErrorCtor as { prepareStackTrace?: unknown };
  const d = P.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  if (!callSites || !d || d.value !== P.NodePrepareStackTrace || typeof d.value !== 'function') return;
  const node = d.value as (error: unknown, trace: unknown) => unknown;
  const ErrorPrepareStackTrace = function (this: unknown, error: unknown, trace: unknown): unknown {
    const text = P.apply(node, this, [error, trace]);
    if (typeof text !== 'string' || !P.isArray(trace) || byFile.size + pending.length === 0) return text;
    return mapLines(text, trace, sourceMapsOn());
  };
  P.defineProperty(E, 'prepareStackTrace', { ...d, value: ErrorPrepareStackTrace });
}

/** The last `trace.length` lines of Node's text are its frames, one per call site, in order. */
function mapLines(text: string, trace: unknown[], maps: boolean): string {
  if (pending.length !== 0) drain();
  let ours = false;
  for (let k = 0; k < trace.length && !ours; k++) {
    const file = site!.file(trace[k]);
    ours = typeof file === 'string' && P.MapGet(byFile, file) !== undefined;
  }
  if (!ours) return text;
  let end = text.length;
  let out = '';
  for (let k = trace.length - 1; k >= 0; k--) {
    let nl = end - 1;
    while (nl >= 0 && P.StringCharCodeAt(text, nl) !== 10) nl--;
    if (nl < 0) return text;
    const line = P.StringSlice(text, nl + 1, end);
    out = `\n${mapFrame(line, trace[k], maps)}${out}`;
    end = nl;
  }
  return P.StringSlice(text, 0, end) + out;
}
