/**
 * Source maps: the input map (explicit or inline), composing our map with it, and mapping site
 * positions (src/format/line-index.ts) back to the original source.
 */
import remapping from '@jridgewell/remapping';
import { TraceMap, originalPositionFor, LEAST_UPPER_BOUND } from '@jridgewell/trace-mapping';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransformError } from './errors.js';
import type { Position } from '../format/line-index.js';

const INLINE_PREFIX = /^\/\/[#@] sourceMappingURL=data:application\/json(?:;charset=[\w-]+)?;base64,/;

export interface InlineMap {
  map: unknown;
  /** Offset where the `//# sourceMappingURL` comment starts. */
  start: number;
  end: number;
}

/** Finds an inline base64 source map comment on the last non-empty line. */
export function findInlineMap(code: string): InlineMap | null {
  // Only the last non-empty line can hold it: search there, not the whole text (twice) when it has none.
  let end = code.length;
  while (end > 0 && /\s/.test(code[end - 1]!)) end--;
  const lineStart = code.lastIndexOf('\n', end - 1) + 1;
  const last = code.slice(lineStart, end);
  const at = Math.max(last.lastIndexOf('//# sourceMappingURL='), last.lastIndexOf('//@ sourceMappingURL='));
  if (at < 0) return null;
  const start = lineStart + at;
  const comment = code.slice(start).trimEnd();
  const prefix = INLINE_PREFIX.exec(comment);
  if (prefix === null) return null;
  const data = comment.slice(prefix[0].length);
  if (/\s/.test(data)) return null;
  try {
    const json = Buffer.from(data, 'base64').toString('utf8');
    return { map: JSON.parse(json), start, end: start + comment.length };
  } catch {
    throw new TransformError('cannot read inline source map: invalid base64 or JSON');
  }
}

/** A site table path: file URLs become paths, relative paths become absolute; other URLs stay. */
export function toPath(file: string, base?: string): string {
  if (file.startsWith('file:')) return fileURLToPath(file);
  if (/^[a-z][a-z0-9+.-]+:/i.test(file)) return file;
  return isAbsolute(file) ? file : resolve(base ?? process.cwd(), file);
}

/** Maps generated (input-code) positions to the original source through the input map. */
export class OriginalPositions {
  private readonly trace: TraceMap;

  constructor(
    map: unknown,
    private readonly filePath: string,
  ) {
    try {
      this.trace = new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]);
    } catch (err) {
      throw new TransformError(`cannot read input source map: ${(err as Error).message}`);
    }
  }

  /** The original file the map names (the first source), as an absolute path. */
  originalFile(): string {
    const sources = this.trace.resolvedSources;
    const first = sources.find((s) => s != null);
    return first == null ? this.filePath : toPath(first, dirname(this.filePath));
  }

  original(pos: Position): Position {
    let o = originalPositionFor(this.trace, pos);
    if (o.line === null) o = originalPositionFor(this.trace, { ...pos, bias: LEAST_UPPER_BOUND });
    if (o.line === null) return pos;
    return { line: o.line, column: o.column };
  }
}

/** Our map (output → input code) composed with the input map (input code → original). */
export function composeMaps(ours: object, input: unknown): object {
  const composed = remapping([ours as never, input as never], () => null);
  return { ...composed };
}

export function inlineMapComment(map: object): string {
  const b64 = Buffer.from(JSON.stringify(map), 'utf8').toString('base64');
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64}`;
}
