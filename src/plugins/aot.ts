/**
 * Instrumenting a file ahead of time (for `cinema instrument` and the bundler plugins): the
 * module kind from its extension and nearest package.json, its input source map (inline, or a
 * `.map` file it names), and the transform with site ids allocated at run time, so the output
 * needs no recorder to run and records with correct sites under `cinema record`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LevelName, PlanDocument } from '../format/levels.js';
import { loadPlan } from '../format/plan-schema.js';
import type { ModuleSites } from '../format/sites.js';
import { aheadOfTimeLevels, isLevelName, levelPlan } from '../instrument/plan-levels.js';
import { TransformError, transform } from '../instrument/transform.js';

export interface AotOptions {
  /** Capture argument, return and written values (default true). */
  values?: boolean;
  /**
   * A plan (`cinema plan`): its file's path or the document. Each function is compiled at its
   * plan level (`off`: no probes at all), so the output records no more than the plan says.
   */
  plan?: string | PlanDocument;
  /** One level for every function (off, boundary, calls, full); not with `plan`. */
  level?: LevelName;
}

/** Compile-time levels per file from `plan` or `level` (checked once: a bad plan or level throws one line). */
export function aotLevels(options: AotOptions, cwd = process.cwd()): (file: string) => { of: (name: string, line: number) => number; key: string } | null {
  if (options.plan !== undefined && options.level !== undefined) throw new Error('execution-cinema: give plan or level, not both');
  if (options.level !== undefined && !isLevelName(options.level)) throw new Error(`execution-cinema: level must be one of off, boundary, calls, full, not '${String(options.level)}'`);
  const plan = typeof options.plan === 'string' ? loadPlan(options.plan) : (options.plan ?? (options.level !== undefined ? levelPlan(options.level) : null));
  return aheadOfTimeLevels(plan, cwd);
}

export interface AotResult {
  /** Instrumented code without a source map comment. */
  code: string;
  /** Source map from `code` to the original source (input maps composed); sources as the transform gives them. */
  map: { sources: (string | null)[]; sourceRoot?: string; file?: string } & Record<string, unknown>;
  sites: ModuleSites;
}

const packageTypes = new Map<string, 'esm' | 'cjs'>();

/** `esm` or `cjs` by extension, else by the `type` of the nearest package.json. */
export function moduleKind(file: string): 'esm' | 'cjs' {
  if (/\.m[jt]sx?$/.test(file)) return 'esm';
  if (/\.c[jt]sx?$/.test(file)) return 'cjs';
  return packageType(path.dirname(path.resolve(file)));
}

function packageType(dir: string): 'esm' | 'cjs' {
  const hit = packageTypes.get(dir);
  if (hit) return hit;
  let kind: 'esm' | 'cjs';
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: unknown };
    kind = pkg.type === 'module' ? 'esm' : 'cjs';
  } catch (e) {
    const parent = path.dirname(dir);
    kind = (e as NodeJS.ErrnoException).code === 'ENOENT' && parent !== dir ? packageType(parent) : 'cjs';
  }
  packageTypes.set(dir, kind);
  return kind;
}

const FILE_MAP_COMMENT = /\n?\/\/[#@] sourceMappingURL=(?!data:)([^\s'"]+)\s*$/;

/** A `//# sourceMappingURL=file.map` at the end: the comment's span and the parsed map, or null. */
export function externalMap(code: string, file: string): { start: number; map: unknown } | null {
  const m = FILE_MAP_COMMENT.exec(code);
  if (m === null) return null;
  let target: string;
  try {
    target = path.resolve(path.dirname(file), decodeURIComponent(m[1]!));
  } catch {
    return null;
  }
  try {
    return { start: m.index, map: JSON.parse(fs.readFileSync(target, 'utf8')) };
  } catch {
    // a map that is missing or unreadable: positions stay those of the file itself
    return { start: m.index, map: undefined };
  }
}

/**
 * Instruments one module for running anywhere. Throws TransformError (one line) when the file
 * cannot be instrumented; callers then keep it as it is.
 */
export function instrumentSource(code: string, file: string, options: AotOptions = {}, levels = aotLevels(options)): AotResult {
  const compiled = levels(path.resolve(file));
  const external = externalMap(code, file);
  const input = external === null ? code : code.slice(0, external.start) + '\n';
  const kind = moduleKind(file);
  const run = (module: 'esm' | 'cjs') =>
    transform(input, {
      filename: file,
      module,
      values: options.values ?? true,
      siteBase: 'runtime',
      inlineMap: false,
      ...(compiled ? { levels: compiled } : {}),
      ...(external?.map !== undefined ? { inputSourceMap: external.map } : {}),
    });
  let r;
  try {
    r = run(kind);
  } catch (e) {
    // A `.js` file whose package says nothing may still be an ES module (or the other way round).
    if (!(e instanceof TransformError) || !e.message.startsWith('cannot parse') || /\.[cm][jt]sx?$/.test(file)) throw e;
    try {
      r = run(kind === 'esm' ? 'cjs' : 'esm');
    } catch {
      throw e;
    }
  }
  return { code: r.code, map: r.map as AotResult['map'], sites: r.sites };
}

/** The map with its sources made relative to `outFile`'s folder (they were relative to `inFile`'s). */
export function relocateMap(map: AotResult['map'], inFile: string, outFile: string): AotResult['map'] {
  const from = path.resolve(path.dirname(inFile), map.sourceRoot ?? '');
  const to = path.dirname(path.resolve(outFile));
  const sources = map.sources.map((s) => {
    if (s === null || /^[a-z][a-z0-9+.-]+:/i.test(s)) return s;
    return path.relative(to, path.resolve(from, s)).split(path.sep).join('/');
  });
  const { sourceRoot: _drop, ...rest } = map;
  return { ...rest, file: path.basename(outFile), sources };
}

export { TransformError };
