/**
 * The plan inside the recorded process: which level each function is compiled at, and the run-time
 * level table (one byte per site id, shared by every thread of the process) that the probes read.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { Level, levelOf, type PlanDocument } from '../format/levels.js';
import type { Site } from '../format/sites.js';
import { owners } from '../format/site-owners.js';

/** Sites a level table holds; a site beyond it records as compiled (an out-of-range read is undefined, never below a level). */
export const LEVEL_SITES = 1 << 20;

export type LevelOf = (file: string, name: string, line: number) => Level;

export interface PlanLevels {
  /** Level a function of `file` runs at. */
  run: LevelOf;
  /** Compile-time levels for one file (null: every function at full), and a key for the transform cache. */
  compile(file: string): { of: (name: string, line: number) => number; key: string } | null;
}

/** Resolves levels from a plan; `cwd` anchors a relative root. */
export function planLevels(plan: PlanDocument, cwd: string): PlanLevels {
  const root = path.resolve(cwd, plan.root);
  const opts = { dot: true };
  const rules = plan.rules.map((r) => ({ file: picomatch(r.include, opts), fn: r.function === undefined ? null : picomatch(r.function, opts), level: levelOf(r.level) }));
  const exact = new Map<string, { line?: number; level: Level }[]>();
  for (const f of plan.functions) {
    const key = `${path.resolve(root, f.file)}\0${f.name}`;
    const list = exact.get(key) ?? [];
    list.push({ ...(f.line !== undefined ? { line: f.line } : {}), level: levelOf(f.level) });
    exact.set(key, list);
  }
  const fallback = levelOf(plan.default);
  const run: LevelOf = (file, name, line) => {
    const entries = exact.get(`${file}\0${name}`);
    if (entries) {
      const hit = entries.find((e) => e.line === line) ?? entries.find((e) => e.line === undefined) ?? (entries.length === 1 ? entries[0] : undefined);
      if (hit) return hit.level;
    }
    const rel = path.relative(root, file);
    let level = fallback;
    for (const r of rules) if ((r.file(rel) || r.file(file)) && (r.fn === null || r.fn(name))) level = r.level;
    return level;
  };
  const key = JSON.stringify([plan.default, plan.rules, plan.functions.map((f) => [f.file, f.name, f.line, f.level])]);
  return {
    run,
    compile: (file) => (plan.compile === 'full' ? null : { of: (name, line) => run(file, name, line), key }),
  };
}

/** Sets the run level of a module's sites in the table; other sites follow their function's. */
export function assignLevels(table: Uint8Array, base: number, sites: readonly Site[], levelFor: (fn: Site | null) => Level): void {
  const own = owners(sites);
  const fnLevel = new Map<number, Level>();
  const moduleLevel = levelFor(null);
  for (let k = 0; k < sites.length; k++) {
    const id = base + k;
    if (id >= table.length) return;
    const o = own[k]!;
    let level = o < 0 ? moduleLevel : fnLevel.get(o);
    if (level === undefined) {
      level = levelFor(sites[o]!);
      fnLevel.set(o, level);
    }
    table[id] = level;
  }
}

/** Level of every function when there is no plan. */
export const ALL_FULL: LevelOf = () => Level.FULL;
