/**
 * The source transformer: parses a module with oxc-parser, wraps every function body with entry /
 * exit / throw probes (and await / yield probes in async functions and generators) using
 * an edit list (edits.ts), and returns the code with an inline source map plus the module's site table.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { INSTRUMENTED_MARK } from '../format/probes.js';
import type { ModuleSites, Site } from '../format/sites.js';
import { Edits } from './edits.js';
import { TransformError } from './errors.js';
import type { Node } from './names.js';
import { parseModule } from './parse.js';
import { LineIndex, type Position } from '../format/line-index.js';
import { OriginalPositions, composeMaps, findInlineMap, inlineMapComment, toPath } from './source-map.js';
import { columnShifts, runtimeIds, runtimePrologue } from './runtime-base.js';
import { pickNames, prologue, type Names } from './templates.js';
import { instrumentProgram, type RawSite } from './walk.js';

export { TransformError };

export interface TransformOptions {
  /** Path or file URL; the extension picks the parser language (.js .mjs .cjs .jsx .ts .mts .cts .tsx). */
  filename: string;
  /**
   * Site k of this module gets id `siteBase + k` (a literal in the output). A function is called
   * once with the module's site count and returns the base (for allocating ids from a shared counter).
   * `'runtime'`: the module registers its sites through the `load` probe when it runs and adds the
   * base it gets (ahead-of-time code, bundles, cached transforms; see runtime-base.ts).
   */
  siteBase: number | ((siteCount: number) => number) | 'runtime';
  /** Capture argument / return values (cv/cn/xv) or not (c/x). */
  values: boolean;
  /** Record state writes (pw/pp/pd/bw probes); default: the same as `values`. */
  writes?: boolean;
  /**
   * Per-function levels (format/levels.ts, 0 off … 3 full) by qualified name and 1-based line of
   * the function's start; `key` names the plan in the content hash. `values`/`writes` cap them.
   */
  levels?: { of: (name: string, line: number) => number; key: string };
  /** How the probe object is obtained. */
  module: 'esm' | 'cjs';
  /** For esm: the URL whose default export is the probe object. */
  probesImport?: string;
  /** Explicit input source map; otherwise an inline base64 `//# sourceMappingURL` at the end is used. */
  inputSourceMap?: unknown;
  /** Append the source map as an inline comment (default true). */
  inlineMap?: boolean;
  /**
   * Make a source map at all (default true); `'input'`: only when the code has an input map (load
   * time: stack columns of other files are mapped back by src/runtime/stack-columns.ts, and a file
   * Node sees no map for prints its frames as it would plain). Without one, lines still match the
   * original (every insertion stays on its line) and an input map's inline comment is left in place.
   */
  sourceMap?: boolean | 'input';
}

export interface TransformResult {
  /** Instrumented code with an inline source map comment appended. */
  code: string;
  /** Source map (v3) from the output to the original source, composed with the input map; null when not asked for. */
  map: object | null;
  /** Site table, positions in the original source. */
  sites: ModuleSites;
  /** The site base the ids were computed from. */
  base: number;
}

export function transform(code: string, options: TransformOptions): TransformResult {
  const filePath = toPath(options.filename);
  if (code.includes(INSTRUMENTED_MARK)) throw new TransformError('already instrumented');

  let lineIndex: LineIndex | null = null;
  const lines = (): LineIndex => (lineIndex ??= new LineIndex(code));
  const { ms, names, raw, head, base, comments } = instrumentAst(code, options, basename(filePath), lines);

  const inline = options.inputSourceMap === undefined ? findInlineMap(code) : null;
  const inputMap = options.inputSourceMap ?? inline?.map;
  const wantMap = options.sourceMap === 'input' ? inputMap !== undefined : options.sourceMap !== false;
  if (inline && wantMap) ms.remove(inline.start, inline.end);

  const original = inputMap === undefined ? null : new OriginalPositions(inputMap, filePath);
  const sites: ModuleSites = {
    file: original ? original.originalFile() : filePath,
    hash: contentHash(code),
    sites: resolveSites(raw, lines(), original),
  };
  if (options.siteBase === 'runtime') ms.prependLeft(head.at, head.semicolon + runtimePrologue(names, sites));
  const shifts: number[] | undefined = options.siteBase === 'runtime' ? [] : undefined;
  const rendered = ms.render(wantMap ? basename(filePath) : undefined, shifts, comments);
  const out = shifts ? rendered.code + columnShifts(names, filePath, shifts) : rendered.code;
  if (!wantMap) return { code: out, map: null, base, sites };
  const ours = rendered.map!;
  const map: object = inputMap === undefined ? ours : composeMaps({ ...ours }, inputMap);
  return { code: options.inlineMap === false ? out : `${out}\n${inlineMapComment(map)}\n`, map, base, sites };
}

/**
 * Parses and walks. Its own function so that the AST is garbage once it returns: a scavenge while
 * the rest of the transform allocates (sites, output, map) then need not copy it.
 */
function instrumentAst(code: string, options: TransformOptions, displayName: string, lines: () => LineIndex) {
  const { program, comments } = parseModule(code, options.filename, options.module, displayName, lines);
  const ms = new Edits(code);
  const names = pickNames(code);
  const raw: RawSite[] = [];
  const head = prologueOffset(program, code);
  if (options.siteBase !== 'runtime') ms.appendLeft(head.at, head.semicolon + prologue(names, options.module, options.probesImport));
  const base = walk(program, code, ms, names, options, raw, head.at);
  return { ms, names, raw, head, base, comments };
}

/**
 * Runs the instrumenting walk. With a fixed base or run-time ids, edits go straight into `ms`; with
 * a base function, they are buffered with placeholder ids until the site count is known.
 */
function walk(program: Node, code: string, ms: Edits, names: Names, options: TransformOptions, raw: RawSite[], bodyStart: number): number {
  const values = options.values;
  const writes = options.writes ?? values;
  const of = options.levels?.of;
  const index = of && new LineIndex(code);
  const level = of && ((name: string, start: number) => of(name, index!.position(start).line));
  if (typeof options.siteBase === 'number') {
    instrumentProgram(program, { code, ms, names, values, writes, base: options.siteBase, sites: raw, bodyStart, ...(level ? { level } : {}) });
    return options.siteBase;
  }
  if (options.siteBase === 'runtime') {
    const rt = runtimeIds(names);
    instrumentProgram(program, { code, ms, names: rt.names, values, writes, base: rt.prefix, sites: raw, bodyStart, ...(level ? { level } : {}) });
    return 0;
  }
  // Edits in order: an insertion on the left (end -1) or right (end -2), or an overwrite of [at, end).
  const at: number[] = [];
  const ends: number[] = [];
  const texts: string[] = [];
  const sink = {
    appendLeft(index: number, text: string) {
      at.push(index);
      ends.push(-1);
      texts.push(text);
      return ms;
    },
    appendRight(index: number, text: string) {
      at.push(index);
      ends.push(-2);
      texts.push(text);
      return ms;
    },
    overwrite(start: number, end: number, text: string) {
      at.push(start);
      ends.push(end);
      texts.push(text);
      return ms;
    },
  };
  instrumentProgram(program, { code, ms: sink, names, values, writes, base: null, sites: raw, bodyStart, ...(level ? { level } : {}) });
  const base = options.siteBase(raw.length);
  const fill = (_: string, k: string): string => String(base + Number(k));
  for (let i = 0; i < at.length; i++) {
    const text = texts[i]!.replace(PLACEHOLDER, fill);
    if (ends[i] === -1) ms.appendLeft(at[i]!, text);
    else if (ends[i] === -2) ms.appendRight(at[i]!, text);
    else ms.overwrite(at[i]!, ends[i]!, text);
  }
  return base;
}

const PLACEHOLDER = /\u0001(\d+)/g;

/** After the hashbang line and the program's directive prologue. */
function prologueOffset(program: Node, code: string): { at: number; semicolon: string } {
  let at = 0;
  let semicolon = '';
  if (program.hashbang) {
    const nl = code.indexOf('\n', program.hashbang.end);
    at = nl < 0 ? code.length : nl + 1;
  }
  const body: Node[] = program.body;
  for (let i = 0; i < body.length && body[i].directive != null; i++) {
    at = body[i].end;
    semicolon = code.charCodeAt(at - 1) === 59 ? '' : ';';
  }
  return { at, semicolon };
}

function resolveSites(raw: RawSite[], lines: LineIndex, original: OriginalPositions | null): Site[] {
  const map = (p: Position): Position => (original ? original.original(p) : p);
  const out: Site[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const pos = map(lines.position(r.start));
    if (r.kind === 'write' || r.kind === 'delete' || r.kind === 'mutate') {
      const site: Site = { kind: r.kind, name: r.name, line: pos.line, column: pos.column, target: r.target! };
      if (r.binding) site.binding = true;
      out[i] = site;
      continue;
    }
    if (r.kind !== 'function') {
      out[i] = { kind: r.kind, name: r.name, line: pos.line, column: pos.column };
      continue;
    }
    const end = map(lines.position(r.end));
    out[i] = {
      kind: 'function',
      name: r.name,
      line: pos.line,
      column: pos.column,
      endLine: end.line,
      endColumn: end.column,
      params: r.params!,
      async: r.async!,
      generator: r.generator!,
    };
  }
  return out;
}

/** Whether `code` is the source a site table was made from. */
export function madeFrom(code: string, hash: string): boolean {
  return contentHash(code) === hash;
}

/** The original source's own hash: whatever the options or plan, a table names the text it came from. */
function contentHash(code: string): string {
  return createHash('sha1').update(code).digest('hex').slice(0, 16);
}
