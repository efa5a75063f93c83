/**
 * Site tables: the static facts about instrumented code, written once per module load and never
 * per event. Transformed code numbers its sites 0..n-1 and adds the base the runtime hands it.
 */

export type SiteKind = 'function' | 'await' | 'yield' | 'write' | 'delete' | 'mutate' | 'catch';

/** The name sites of module-level code carry (a catch, a write or top-level awaits outside any function). */
export const MODULE_NAME = '<module>';

/** One site as stored in the recording (positions are 1-based lines, 0-based columns, in the original source). */
export interface Site {
  kind: SiteKind;
  /** Function name as a person would say it: `f`, `Cart.add`, `<anonymous>`; for await/yield/catch, the enclosing function's. */
  name: string;
  line: number;
  column: number;
  /** For functions: where the body ends. */
  endLine?: number;
  /** For functions: the column of the body's last character (its `}`, or a concise body's last). */
  endColumn?: number;
  /** For functions: parameter names (destructured parameters contribute their bound names). */
  params?: string[];
  async?: boolean;
  generator?: boolean;
  /** For writes, deletes and mutating calls: the target as written (`cart.total`, `items[i]`, `count`). */
  target?: string;
  /** For writes: true when the target is a binding (module-level, closure or global), not a property. */
  binding?: boolean;
}

/**
 * What a transform hands the runtime for one module (JSON, as a string literal in the transformed code).
 * Compact on purpose: the runtime appends it to the recording without parsing it.
 */
export interface ModuleSites {
  /** Original source path or URL (after source maps). */
  file: string;
  /** Content hash of the original source (transform options and plans aside). */
  hash: string;
  sites: Site[];
}

/** One line of `sites.jsonl`: a module as loaded by one process. */
export interface LoadedModule extends ModuleSites {
  base: number;
  pid: number;
  thread: number;
}
