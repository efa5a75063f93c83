/**
 * Static analysis of a project: every source file under a folder, its module graph, and per
 * function (named exactly as the recorder names it, by running the transformer for the site table)
 * its size, loops, complexity, I/O calls, whether it is exported or a handler, and the state it writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { owners } from '../format/site-owners.js';
import { MODULE_NAME, type Site } from '../format/sites.js';
import type { Node } from '../instrument/names.js';
import { parseProgram } from '../instrument/parse.js';
import { LineIndex } from '../format/line-index.js';
import { transform } from '../instrument/transform.js';
import { exportedNames, functionMetrics, type FunctionMetrics } from './metrics.js';

export interface FunctionInfo {
  /** Relative to the analysed folder, with `/`. */
  file: string;
  name: string;
  line: number;
  endLine: number;
  async: boolean;
  lines: number;
  metrics: Omit<FunctionMetrics, 'start' | 'end' | 'locals'>;
  exported: boolean;
  /** State it writes: targets of its write, delete and mutating-call sites. */
  writes: string[];
  /** How many modules of the project import this function's module. */
  importedBy: number;
  /** Another function of the same file has the same name (the plan then needs the line). */
  ambiguous: boolean;
}

export interface Analysis {
  root: string;
  files: string[];
  /** Files that could not be parsed, with the reason (they run uninstrumented when recorded, too). */
  skipped: { file: string; reason: string }[];
  functions: FunctionInfo[];
  /** Module graph: file → project files it imports. */
  imports: Record<string, string[]>;
}

const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.cinema']);
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js'];

export function analyzeProject(root: string, exclude: string[] = []): Analysis {
  const abs = path.resolve(root);
  if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a folder: ${root}`);
  const skip = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const files = listSources(abs, abs, skip);
  const analysis: Analysis = { root: abs, files: files.map((f) => rel(abs, f)), skipped: [], functions: [], imports: {} };
  const importedBy = new Map<string, number>();
  const perFile: { file: string; functions: FunctionInfo[] }[] = [];
  for (const file of files) {
    const code = fs.readFileSync(file, 'utf8');
    let result: { sites: Site[]; program: Node } | null = null;
    let reason = '';
    for (const module of ['esm', 'cjs'] as const) {
      try {
        const sites = transform(code, { filename: file, module, siteBase: 0, values: true, writes: true, sourceMap: false }).sites.sites;
        result = { sites, program: parseProgram(code, file, module, path.basename(file), () => new LineIndex(code)) };
        break;
      } catch (e) {
        reason ||= (e as Error).message;
      }
    }
    const r = rel(abs, file);
    if (result === null) {
      analysis.skipped.push({ file: r, reason });
      continue;
    }
    const deps = moduleImports(result.program, file, abs);
    analysis.imports[r] = deps;
    for (const d of deps) importedBy.set(d, (importedBy.get(d) ?? 0) + 1);
    perFile.push({ file: r, functions: fileFunctions(r, code, result.sites, result.program) });
  }
  for (const { file, functions } of perFile) {
    for (const f of functions) f.importedBy = importedBy.get(file) ?? 0;
    analysis.functions.push(...functions);
  }
  return analysis;
}

function fileFunctions(file: string, code: string, sites: Site[], program: Node): FunctionInfo[] {
  const lines = new LineIndex(code);
  const metrics = functionMetrics(program).map((m) => ({ m, startLine: lines.position(m.start).line, endLine: lines.position(m.end - 1).line, used: false }));
  const exported = exportedNames(program);
  const own = owners(sites);
  const out: FunctionInfo[] = [];
  const byIndex = new Map<number, FunctionInfo>();
  const names = new Map<string, number>();
  const localsOf = new Map<number, Set<string>>();
  sites.forEach((s, k) => {
    if (s.kind !== 'function' || s.name === MODULE_NAME) return;
    const endLine = s.endLine ?? s.line;
    let best: (typeof metrics)[number] | null = null;
    for (const c of metrics) {
      if (c.used || c.endLine !== endLine || c.startLine > endLine) continue;
      if (best === null || Math.abs(c.startLine - s.line) < Math.abs(best.startLine - s.line)) best = c;
    }
    if (best) best.used = true;
    const { start: _s, end: _e, locals, ...m } = best?.m ?? { start: 0, end: 0, statements: 0, loops: 0, complexity: 1, calls: 0, io: [], handler: false, locals: [] };
    localsOf.set(k, new Set(locals));
    const head = s.name.split('.')[0]!;
    const info: FunctionInfo = {
      file,
      name: s.name,
      line: s.line,
      endLine,
      async: s.async === true,
      lines: endLine - s.line + 1,
      metrics: m,
      exported: exported.has(s.name) || exported.has(head),
      writes: [],
      importedBy: 0,
      ambiguous: false,
    };
    names.set(s.name, (names.get(s.name) ?? 0) + 1);
    byIndex.set(k, info);
    out.push(info);
  });
  sites.forEach((s, k) => {
    if (s.kind !== 'write' && s.kind !== 'delete' && s.kind !== 'mutate') return;
    const f = byIndex.get(own[k]!);
    // Writes through its own locals (`out.push`, `i++`) are the function's data, not the program's state.
    const root = s.target ? /^[\p{L}\p{N}_$#]+/u.exec(s.target)?.[0] : undefined;
    if (!f || !s.target || (root !== undefined && localsOf.get(own[k]!)!.has(root))) return;
    if (!f.writes.includes(s.target)) f.writes.push(s.target);
  });
  for (const f of out) f.ambiguous = names.get(f.name)! > 1;
  return out;
}

function moduleImports(program: Node, file: string, root: string): string[] {
  const specs: string[] = [];
  for (const s of program.body as Node[]) {
    if ((s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportAllDeclaration') && s.source) specs.push(s.source.value);
  }
  const out = new Set<string>();
  for (const spec of specs.concat(requires(program))) {
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const hit = EXTENSIONS.map((e) => base + e).find((c) => SOURCE.test(c) && fs.statSync(c, { throwIfNoEntry: false })?.isFile());
    if (hit) out.add(rel(root, hit));
  }
  return [...out];
}

function requires(program: Node): string[] {
  const out: string[] = [];
  const stack: Node[] = [program];
  while (stack.length) {
    const n = stack.pop();
    if (n === null || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.callee.name === 'require' && n.arguments?.[0]?.type === 'Literal' && typeof n.arguments[0].value === 'string') out.push(n.arguments[0].value);
    for (const k in n) if (k !== 'type' && typeof n[k] === 'object') stack.push(n[k]);
  }
  return out;
}

function listSources(dir: string, root: string, skip: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (ALWAYS_SKIPPED.has(e.name) || skip(rel(root, p))) continue;
    if (e.isDirectory()) out.push(...listSources(p, root, skip));
    else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
