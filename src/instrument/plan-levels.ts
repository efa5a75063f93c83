/**
 * A plan's levels per function: what the runtime runs each function at, and what a transform
 * compiles it at — in the recorded process (runtime/levels.ts) and ahead of time (`cinema
 * instrument --plan/--level`, the esbuild and Vite plugins), which compile each function at its
 * plan level.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { Level, levelNames, levelOf, type LevelName, type PlanDocument } from '../format/levels.js';

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


/** The plan `--level L` stands for: every function at L (compiled with every probe, for `cinema control`). */
export function levelPlan(level: LevelName): PlanDocument {
  return { version: 1, root: '.', default: level, compile: 'full', rules: [], functions: [] };
}

export function isLevelName(s: string): s is LevelName {
  return (levelNames as readonly string[]).includes(s);
}

/**
 * Compile-time levels of one file for instrumenting ahead of time: every function at its plan
 * level whatever the plan's `compile` says (the output is fixed once written: levels can only go
 * down at run time). Null: every function at full.
 */
export function aheadOfTimeLevels(plan: PlanDocument | null, cwd: string): ((file: string) => { of: (name: string, line: number) => number; key: string } | null) {
  if (plan === null) return () => null;
  const levels = planLevels({ ...plan, compile: 'plan' }, cwd);
  return (file) => levels.compile(file);
}
