/**
 * Instrumentation levels and the plan document: what `cinema plan` writes, `cinema record --plan`
 * reads, and the runtime's level table holds (one byte per site; a probe compares it once).
 */

/** Higher records more; a site whose level is below what an event needs skips it. */
export const Level = {
  /** Nothing recorded. */
  OFF: 0,
  /** Entry and exit (and await/yield), no values. */
  BOUNDARY: 1,
  /** Entry and exit with argument, return and thrown values. */
  CALLS: 2,
  /** Calls with values plus state writes (properties, bindings, deletes, Map/Set/array mutations). */
  FULL: 3,
} as const;
export type Level = (typeof Level)[keyof typeof Level];

export const levelNames = ['off', 'boundary', 'calls', 'full'] as const;
export type LevelName = (typeof levelNames)[number];

export function levelOf(name: LevelName): Level {
  return levelNames.indexOf(name) as Level;
}

/** One function the plan names: by file (relative to the plan's root) and qualified name, optionally its line. */
export interface PlanFunction {
  file: string;
  name: string;
  line?: number;
  level: LevelName;
  /** Why the planner chose this level (for `--explain` and for people reading the plan). */
  why?: string[];
}

/** A glob rule: every function of the matching files (and named `function`, when given). */
export interface PlanRule {
  include: string;
  function?: string;
  level: LevelName;
}

export interface PlanDocument {
  $schema?: string;
  version: 1;
  /** Folder the files are relative to; a relative root is taken from the plan file's folder. */
  root: string;
  /** Level of a function that no entry or rule names. */
  default: LevelName;
  /**
   * `full`: every instrumented function is compiled with all probes and runs at its plan level, so
   * `cinema control` can turn anything up or down at run time (a disabled probe costs one check).
   * `plan`: each function is compiled at its plan level, the cheapest; levels can then only go down.
   */
  compile: 'full' | 'plan';
  /** Applied in order before `functions`; the last match wins. */
  rules: PlanRule[];
  /** Exact entries; they win over rules. */
  functions: PlanFunction[];
  /** What the planner estimated (informational). */
  budget?: { percent: number; estimatedPercent: number; source: string };
}
