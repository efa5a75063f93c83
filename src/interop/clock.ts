/** Wall-clock time of an event, with the per-process shifts that keep causes before effects. */
import type { EventIndex } from '../query/index/event-index.js';
import { clockOffsets } from '../query/timeline.js';

export interface WallClock {
  /** µs since the epoch of `row` (in process `proc`, index order). */
  at(row: number, proc: number): number;
  /** µs since the epoch of process `proc`'s time origin, shifted. */
  origin(proc: number): number;
}

export function wallClock(index: EventIndex): WallClock {
  const shifts = clockOffsets(index);
  // Imported processes keep the times their source gave: exporting them again gives them back.
  const origins = index.rec.processes.map((p, i) => p.info.timeOrigin * 1000 + (p.info.node.startsWith('imported') ? 0 : shifts[i]!));
  return {
    at: (row, proc) => origins[proc]! + index.col.time.get(row),
    origin: (proc) => origins[proc]!,
  };
}

/** `*` any run of characters, `?` one; several patterns separated by commas. */
export function globMatcher(patterns: string): (name: string) => boolean {
  const res = patterns
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (name) => res.some((r) => r.test(name));
}
