/** Slowest calls by site: count, p50/p95/p99 and max duration per function, from the calls table. */
import type { EventIndex } from './index/event-index.js';

export interface SiteTiming {
  pid: number;
  site: number;
  name: string;
  file?: string;
  line?: number;
  calls: number;
  totalUs: number;
  p50Us: number;
  p95Us: number;
  p99Us: number;
  maxUs: number;
  /** Event id of the slowest call. */
  slowestCall: number;
}

export interface SlowestOptions {
  top?: number;
  /** Only sites of functions with this name. */
  fn?: string;
}

const BLOCK = 1 << 20;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Durations (µs) and call rows of every finished call, grouped by site key (process × 2^24 + site). */
export function callsBySite(index: EventIndex): Map<number, { durs: number[]; rows: number[] }> {
  const groups = new Map<number, { durs: number[]; rows: number[] }>();
  const n = index.meta.calls;
  for (let from = 0; from < n; from += BLOCK) {
    const key = index.calls.key.range(from, BLOCK);
    const dur = index.calls.dur.range(from, BLOCK);
    const row = index.calls.row.range(from, BLOCK);
    for (let i = 0; i < key.length; i++) {
      let g = groups.get(key[i]!);
      if (!g) groups.set(key[i]!, (g = { durs: [], rows: [] }));
      g.durs.push(dur[i]!);
      g.rows.push(row[i]!);
    }
  }
  return groups;
}

export function slowest(index: EventIndex, options: SlowestOptions = {}): SiteTiming[] {
  const groups = new Map<number, { durs: number[]; max: number; maxRow: number }>();
  for (const [key, c] of callsBySite(index)) {
    let max = -Infinity;
    let maxRow = -1;
    for (let i = 0; i < c.durs.length; i++) {
      if (c.durs[i]! > max) {
        max = c.durs[i]!;
        maxRow = c.rows[i]!;
      }
    }
    groups.set(key, { durs: c.durs, max, maxRow });
  }
  const out: SiteTiming[] = [];
  for (const [key, g] of groups) {
    const proc = Math.floor(key / 0x100_0000);
    const site = key % 0x100_0000;
    const info = index.site(proc, site);
    const name = info?.name ?? `site ${site}`;
    if (options.fn !== undefined && name !== options.fn) continue;
    const sorted = Float64Array.from(g.durs).sort();
    let total = 0;
    for (const d of sorted) total += d;
    out.push({
      pid: index.pidOf(proc),
      site,
      name,
      ...(info ? { file: info.file, line: info.line } : {}),
      calls: sorted.length,
      totalUs: total,
      p50Us: percentile(sorted, 50),
      p95Us: percentile(sorted, 95),
      p99Us: percentile(sorted, 99),
      maxUs: g.max,
      slowestCall: g.maxRow,
    });
  }
  out.sort((a, b) => b.p95Us - a.p95Us || b.maxUs - a.maxUs);
  return out.slice(0, options.top ?? 20);
}
