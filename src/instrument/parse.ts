/** Parsing with oxc-parser: language from the file name, errors as one-line TransformErrors. */
import { parseSync, rawTransferSupported } from 'oxc-parser';
import { TransformError } from './errors.js';
import type { Span } from './edits.js';
import type { Node } from './names.js';
import type { LineIndex } from '../format/line-index.js';

type Lang = 'js' | 'jsx' | 'ts' | 'tsx';

const LANG_BY_EXT: Record<string, Lang> = {
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'jsx',
  ts: 'ts',
  mts: 'ts',
  cts: 'ts',
  tsx: 'tsx',
};

/** Raw transfer (Node >= 22) deserializes the AST straight from a shared buffer: several times faster. */
const RAW = rawTransferSupported();

export function langOf(filename: string): Lang {
  const clean = filename.replace(/[?#].*$/, '');
  const dot = clean.lastIndexOf('.');
  const ext = dot < 0 ? '' : clean.slice(dot + 1).toLowerCase();
  return LANG_BY_EXT[ext] ?? 'js';
}

export function parseProgram(code: string, filename: string, module: 'esm' | 'cjs', displayName: string, lines: () => LineIndex): Node {
  return parseModule(code, filename, module, displayName, lines).program;
}

/** The program and its comments (sorted by offset; the hashbang is one with raw transfer). */
export function parseModule(
  code: string,
  filename: string,
  module: 'esm' | 'cjs',
  displayName: string,
  lines: () => LineIndex,
): { program: Node; comments: Span[] } {
  const lang = langOf(filename);
  const result = parseSync(`input.${lang}`, code, {
    lang,
    sourceType: module === 'esm' ? 'module' : 'commonjs',
    ...(RAW ? { experimentalRawTransfer: true } : {}),
  });
  const errors = result.errors;
  if (errors.length > 0) {
    const first = errors[0]!;
    const label = first.labels[0];
    let where = '';
    if (label) {
      const pos = lines().position(label.start);
      where = `:${pos.line}:${pos.column + 1}`;
    }
    throw new TransformError(`cannot parse ${displayName}${where}: ${first.message}`);
  }
  return { program: result.program, comments: result.comments };
}
