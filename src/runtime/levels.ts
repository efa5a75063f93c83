/**
 * The plan inside the recorded process: which level each function is compiled at, and the run-time
 * level table (one byte per site id, shared by every thread of the process) that the probes read.
 */
import { Level } from '../format/levels.js';
import type { Site } from '../format/sites.js';
import { owners } from '../format/site-owners.js';
import type { LevelOf } from '../instrument/plan-levels.js';

/** Sites a level table holds; a site beyond it records as compiled (an out-of-range read is undefined, never below a level). */
export const LEVEL_SITES = 1 << 20;

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

export { planLevels, type LevelOf, type PlanLevels } from '../instrument/plan-levels.js';

/** Level of every function when there is no plan. */
export const ALL_FULL: LevelOf = () => Level.FULL;
