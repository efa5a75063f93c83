/**
 * Source texts stored in a recording, parsed with oxc-parser, for detectors that need to look at
 * the code around an event: a catch block, the reads before an await, the loop around an await.
 * Parsing is cached per file; a file that is missing or does not parse gives null, never an error.
 */
import { parseSync } from 'oxc-parser';
import { LineIndex } from '../format/line-index.js';
import { readSource } from '../recording/sources.js';

// oxc gives ESTree nodes; detectors only need a loose shape.
export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface SourceFile {
  file: string;
  text: string;
  program: Node;
  /** Offset of a 1-based line and 0-based column. */
  offset(line: number, column: number): number;
  /** 1-based line of an offset. */
  lineOf(offset: number): number;
  textOf(n: Node): string;
}

const cache = new Map<string, SourceFile | null>();

export function sourceFile(recording: string, file: string): SourceFile | null {
  const key = `${recording}\0${file}`;
  if (cache.has(key)) return cache.get(key)!;
  let sf: SourceFile | null = null;
  try {
    const text = readSource(recording, file.startsWith('file://') ? new URL(file).pathname : file);
    if (text !== null) sf = parse(file, text);
  } catch {
    sf = null;
  }
  if (cache.size > 200) cache.clear();
  cache.set(key, sf);
  return sf;
}

function parse(file: string, text: string): SourceFile | null {
  const ext = /\.(m|c)?(ts|tsx|jsx)$/.exec(file)?.[2];
  const lang = ext === 'ts' ? 'ts' : ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : 'js';
  const result = parseSync(`input.${lang}`, text, { lang, sourceType: /\.cjs$|\.cts$/.test(file) ? 'script' : 'module' });
  if (result.errors.length > 0 && !result.program) return null;
  const lines = new LineIndex(text);
  return {
    file,
    text,
    program: result.program as unknown as Node,
    // Detectors ask with lines from the recording; one past the end is clamped, not -1.
    offset: (line, column) => lines.offset(Math.max(1, Math.min(lines.count, line)), column),
    lineOf: (offset) => lines.position(offset).line,
    textOf: (n) => text.slice(n.start, n.end),
  };
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';

export function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const k in n) {
    if (k === 'parent') continue;
    const v = n[k];
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Depth-first walk; `visit` returns false to skip a node's children. */
export function walk(n: Node, visit: (n: Node, parents: Node[]) => boolean | void, parents: Node[] = []): void {
  if (visit(n, parents) === false) return;
  parents.push(n);
  for (const c of children(n)) walk(c, visit, parents);
  parents.pop();
}

export const isFunction = (n: Node): boolean => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** The innermost function at a site's position (a method's key counts as its function). */
export function functionAt(sf: SourceFile, line: number, column: number): Node | null {
  const at = sf.offset(line, column);
  let best: Node | null = null;
  walk(sf.program, (n) => {
    if (n.end < at || n.start > at) return false;
    if (isFunction(n)) best = n;
    else if ((n.type === 'MethodDefinition' || n.type === 'Property' || n.type === 'PropertyDefinition') && isNode(n.value) && isFunction(n.value as Node) && at < (n.value as Node).start) best = n.value as Node;
    return true;
  });
  return best;
}

/** Nodes inside `fn` (not inside functions nested in it) that satisfy `pred`. */
export function ownNodes(fn: Node, pred: (n: Node, parents: Node[]) => boolean): { node: Node; parents: Node[] }[] {
  const out: { node: Node; parents: Node[] }[] = [];
  walk(fn, (n, parents) => {
    if (n !== fn && isFunction(n)) return false;
    if (pred(n, parents)) out.push({ node: n, parents: [...parents] });
    return true;
  });
  return out;
}

/** `a . b`, `a?.b`, `a["b"]` → `a.b` (for comparing a write's target with reads). */
export function normalizeTarget(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/\[(['"`])([A-Za-z_$][\w$]*)\1\]/g, '.$2');
}

const LOG_METHOD = /^(log|warn|error|info|debug|trace|fatal|verbose|report|captureException)$/i;
const LOG_OBJECT = /^(console|logger|log|logging|this\.logger|this\.log)$/i;

/** A statement that only logs (or does nothing). */
function logsOnly(sf: SourceFile, s: Node): boolean {
  if (s.type === 'EmptyStatement') return true;
  if (s.type === 'BlockStatement') return (s.body as Node[]).every((x) => logsOnly(sf, x));
  if (s.type !== 'ExpressionStatement') return false;
  let e = s.expression as Node;
  if (e.type === 'AwaitExpression' || e.type === 'UnaryExpression') e = e.argument as Node;
  if (e.type !== 'CallExpression') return false;
  const callee = e.callee as Node;
  if (callee.type === 'Identifier') return LOG_METHOD.test(callee.name as string) || /^(log|logError|warn)$/i.test(callee.name as string);
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const prop = (callee.property as Node).name as string;
    return LOG_METHOD.test(prop) && (LOG_OBJECT.test(normalizeTarget(sf.textOf(callee.object as Node))) || /log/i.test(sf.textOf(callee.object as Node)));
  }
  return false;
}

/** How a handler body treats the error: 'empty', 'log-only', or null when it does something with it. */
export function swallowKind(sf: SourceFile, body: Node): 'empty' | 'log-only' | null {
  const stmts = body.type === 'BlockStatement' ? (body.body as Node[]) : null;
  if (stmts === null) {
    // an arrow with an expression body: `() => undefined`, `(e) => console.error(e)`
    if (body.type === 'Identifier' && body.name === 'undefined') return 'empty';
    return logsOnly(sf, { type: 'ExpressionStatement', start: body.start, end: body.end, expression: body }) ? 'log-only' : null;
  }
  const real = stmts.filter((s) => s.type !== 'EmptyStatement' && !(s.type === 'ReturnStatement' && s.argument == null));
  if (real.length === 0) return 'empty';
  return real.every((s) => logsOnly(sf, s)) ? 'log-only' : null;
}
