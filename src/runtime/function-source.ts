/**
 * `fn.toString()` of instrumented functions and classes gives their original text, as it would
 * without the recorder. `Function.prototype.toString` is replaced once per thread by a method that
 * looks native (name, length, descriptor, its own text, no prototype) and costs an uninstrumented
 * function one native call and one `includes`. Nothing is done per function creation or call: the
 * first `toString` of an instrumented function finds its site from the probe ids in its
 * instrumented text, reads the module's source (checked against the site table's content hash) and
 * slices the original range; the answer is kept in a WeakMap. Anything that does not check out
 * (source changed on disk, transformed by a loader, a one-line class) keeps the instrumented text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RESERVED_PREFIX } from '../format/probes.js';
import type { ModuleSites, Site } from '../format/sites.js';
import { LineIndex } from '../format/line-index.js';
import { madeFrom } from '../instrument/transform.js';
import { P } from './primordials.js';

interface Loaded {
  base: number;
  table: ModuleSites;
  /** The source and its line index, once read and checked; null when it cannot be used. */
  source?: { text: string; lines: LineIndex } | null;
}

const NATIVE_TEXT = 'function toString() { [native code] }';
/** Run-time ids (`__ecB+12`) and literal ones (`__ec.c(12`); the smallest in a function's text is its own site. */
const RUNTIME_ID = new RegExp(`${RESERVED_PREFIX}\\d*B\\+(\\d+)`, 'g');
const LITERAL_ID = new RegExp(`${RESERVED_PREFIX}\\d*\\)?\\.(?:c|cv|cn)\\((\\d+)`, 'g');

export interface FunctionSources {
  /** Registers a module's site table (from the `load` probe). */
  add(base: number, table: ModuleSites): void;
}

export function installFunctionSources(): FunctionSources {
  const modules: Loaded[] = [];
  const texts = new WeakMap<object, string>();
  const nativeToString = Function.prototype.toString;
  const apply = P.apply;
  const includes = Function.prototype.call.bind(String.prototype.includes) as (s: string, part: string) => boolean;
  const replacement = {
    toString(this: unknown): string {
      if (this === replacement) return NATIVE_TEXT;
      let text: string;
      try {
        text = apply(nativeToString, this, []) as string;
      } catch (e) {
        // Not a function: the native TypeError, without our frame on its stack.
        if (P.isNativeError(e)) dropOwnFrame(e as Error);
        throw e;
      }
      if (!includes(text, RESERVED_PREFIX)) return text;
      const known = texts.get(this as object);
      if (known !== undefined) return known;
      let original: string | null = null;
      try {
        original = originalText(text, modules);
      } catch {
        // never let a lookup break the program
              }
      texts.set(this as object, original ?? text);
      return original ?? text;
    },
  }.toString;
  P.defineProperty(Function.prototype, 'toString', { value: replacement, writable: true, enumerable: false, configurable: true });
  return { add: (base, table) => void modules.push({ base, table }) };
}

const OWN_FILE = new URL(import.meta.url).pathname;

/**
 * Removes the stack line of our own frame (V8 puts it right under the native one). The stack is a
 * data property on Node 20 and V8's own accessor pair on Node 22+: it keeps its kind.
 */
function dropOwnFrame(e: Error): void {
  const d = P.getOwnPropertyDescriptor(e, 'stack');
  if (d === undefined) return;
  const text: unknown = 'value' in d ? d.value : d.get && d.set ? P.apply(d.get, e, []) : undefined;
  if (typeof text !== 'string') return;
  const lines = text.split('\n');
  const k = lines.findIndex((l) => l.includes(OWN_FILE));
  if (k < 0) return;
  lines.splice(k, 1);
  if ('value' in d) P.defineProperty(e, 'stack', { ...d, value: lines.join('\n') });
  else P.apply(d.set!, e, [lines.join('\n')]);
}

/** The original text of a function or class whose instrumented text is `text`, or null. */
function originalText(text: string, modules: Loaded[]): string | null {
  const local = smallestId(text, RUNTIME_ID);
  const global = local === null ? smallestId(text, LITERAL_ID) : null;
  if (local === null && global === null) return null;
  for (const m of modules) {
    const k = local ?? global! - m.base;
    const site = m.table.sites[k];
    if (site === undefined) continue;
    const source = sourceOf(m);
    if (source === null) continue;
    const found = text.startsWith('class') ? classText(text, site, source) : functionText(text, site, source);
    if (found !== null) return found;
  }
  return null;
}

function smallestId(text: string, re: RegExp): number | null {
  let min: number | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const id = Number(m[1]);
    if (min === null || id < min) min = id;
  }
  return min;
}

function sourceOf(m: Loaded): { text: string; lines: LineIndex } | null {
  if (m.source !== undefined) return m.source;
  m.source = null;
  const file = m.table.file;
  try {
    const path = file.startsWith('file:') ? fileURLToPath(file) : file;
    let text = readFileSync(path, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (madeFrom(text, m.table.hash)) m.source = { text, lines: new LineIndex(text) };
  } catch {
    // not a readable file (a bundle's virtual module, a data: URL): keep the instrumented text
  }
  return m.source;
}

/**
 * Whether `instrumented` is `original` with our insertions: as many lines, and every word of the
 * original in order (`delete` aside: a recorded delete is rewritten).
 */
function sameHead(instrumented: string, original: string): boolean {
  if (lineCount(instrumented) !== lineCount(original)) return false;
  let at = 0;
  for (const word of original.match(WORDS) ?? []) {
    if (word === 'delete') continue;
    at = instrumented.indexOf(word, at);
    if (at < 0) return false;
    at += word.length;
  }
  return true;
}

const WORDS = /[A-Za-z_$][\w$]*/g;

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function functionText(text: string, site: Site, source: { text: string; lines: LineIndex }): string | null {
  if (site.kind !== 'function' || site.endLine === undefined || site.endColumn === undefined) return null;
  let start = source.lines.offset(site.line, site.column);
  const end = source.lines.offset(site.endLine, site.endColumn) + 1;
  if (start < 0 || end <= start) return null;
  // A static method's text starts at its name, as V8 has it.
  const m = /^static\s+/.exec(source.text.slice(start, start + 40));
  if (m !== null && !text.startsWith('static')) start += m[0].length;
  const original = source.text.slice(start, end);
  return sameHead(text, original) ? original : null;
}

/** A class: from its head (found before its first member's site) through as many lines as its text has. */
function classText(text: string, site: Site, source: { text: string; lines: LineIndex }): string | null {
  const lines = text.split('\n');
  const last = lines[lines.length - 1]!;
  if (lines.length < 2 || last.includes(RESERVED_PREFIX)) return null;
  const head = text.slice(0, text.indexOf('{') + 1);
  const at = source.lines.offset(site.line, site.column);
  if (at < 0) return null;
  const start = source.text.lastIndexOf(head, at);
  if (start < 0) return null;
  const startLine = source.lines.position(start).line;
  const lastLineStart = source.lines.offset(startLine + lines.length - 1, 0);
  if (lastLineStart < 0 || !source.text.startsWith(last, lastLineStart)) return null;
  const original = source.text.slice(start, lastLineStart + last.length);
  return sameHead(text, original) ? original : null;
}
