/**
 * Indexed event listing: events filtered by time range, process, thread, function or site and
 * kind, with paging. Chunks outside the filter are skipped by the chunk table (a chunk is one
 * thread's run of events with its time range); the rest are read column by column.
 */
import { kindNames } from '../format/events.js';
import type { EventView } from './events.js';
import type { EventIndex } from './index/event-index.js';

export interface EventQuery {
  kinds?: string[];
  pid?: number;
  thread?: number;
  /** Function name as in the site table (exact match). */
  fn?: string;
  site?: number;
  /** µs since the process's time origin, inclusive. */
  from?: number;
  to?: number;
  offset?: number;
  limit?: number;
}

export type IndexedEvent = EventView & { id: number };

const codeOf = new Map(Object.entries(kindNames).map(([code, name]) => [name, Number(code)]));

/** Row ids of the events matching `q`, in index order, after paging. */
export function findEvents(index: EventIndex, q: EventQuery): number[] {
  const kinds = q.kinds ? new Set(q.kinds.map((k) => codeOf.get(k) ?? -1)) : null;
  const limit = q.limit ?? 100;
  let skip = q.offset ?? 0;
  const from = q.from ?? -Infinity;
  const to = q.to ?? Infinity;
  const out: number[] = [];
  const wantedByProc = new Map<number, Set<number> | null>();
  const wanted = (proc: number): Set<number> | null => {
    if (!wantedByProc.has(proc)) {
      let ids: Set<number> | null = null;
      if (q.fn !== undefined) {
        ids = new Set();
        for (const [id, s] of index.rec.processes[proc]!.sites()) if (s.name === q.fn) ids.add(id);
      }
      if (q.site !== undefined) ids = new Set(ids ? [...ids].filter((i) => i === q.site) : [q.site]);
      wantedByProc.set(proc, ids);
    }
    return wantedByProc.get(proc)!;
  };
  for (const c of index.chunks) {
    if (out.length >= limit) break;
    if (q.pid !== undefined && index.pidOf(c.proc) !== q.pid) continue;
    if (q.thread !== undefined && c.thread !== q.thread) continue;
    if (c.maxTime < from || c.minTime > to) continue;
    const sites = wanted(c.proc);
    if (sites && sites.size === 0) continue;
    const kind = index.col.kind.range(c.firstRow, c.rows);
    const site = sites ? index.col.site.range(c.firstRow, c.rows) : null;
    const time = q.from !== undefined || q.to !== undefined ? index.col.time.range(c.firstRow, c.rows) : null;
    for (let i = 0; i < c.rows && out.length < limit; i++) {
      if (kinds && !kinds.has(kind[i]!)) continue;
      if (site && !sites!.has(site[i]!)) continue;
      if (time && (time[i]! < from || time[i]! > to)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(c.firstRow + i);
    }
  }
  return out;
}

export function queryEvents(index: EventIndex, q: EventQuery): IndexedEvent[] {
  return findEvents(index, q).map((row) => index.event(row));
}
