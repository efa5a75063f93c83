/**
 * Event listing: events of a recording in each thread's order, filtered by kind, process,
 * thread and function name, with sites resolved and values decoded. A linear scan over the
 * segments; the indexed query engine replaces it for large recordings.
 */
import { Kind, kindNames } from '../format/events.js';
import { visitChunk, type EventRow } from '../recording/events.js';
import type { Recording, SiteInfo } from '../recording/recording.js';

export interface EventFilter {
  kinds?: string[];
  pid?: number;
  thread?: number;
  /** Function name as in the site table (exact match). */
  fn?: string;
  /** Events to skip before the first one returned. */
  offset?: number;
  limit?: number;
}

export interface EventView extends EventRow {
  name?: string;
  file?: string;
  line?: number;
  column?: number;
}

export function listEvents(rec: Recording, filter: EventFilter = {}): EventView[] {
  const kinds = filter.kinds ? new Set(filter.kinds) : null;
  const limit = filter.limit ?? 100;
  let skip = filter.offset ?? 0;
  const out: EventView[] = [];
  for (const proc of rec.processes) {
    if (filter.pid !== undefined && proc.pid !== filter.pid) continue;
    const sites = proc.sites();
    const wanted = filter.fn === undefined ? null : siteIdsNamed(sites, filter.fn);
    for (const chunk of proc.chunks()) {
      if (out.length >= limit) return out;
      if (filter.thread !== undefined && chunk.thread !== filter.thread) continue;
      visitChunk(chunk, (kind, site, seq, time, payload, hasValue, values) => {
        if (out.length >= limit) return;
        const name = kindNames[kind]!;
        if (kinds && !kinds.has(name)) return;
        if (wanted && !wanted.has(site)) return;
        if (skip > 0) {
          skip--;
          return;
        }
        const info = sites.get(site);
        const row: EventView = { pid: proc.pid, thread: chunk.thread, seq, kind: name, site, time };
        if (info) Object.assign(row, { name: info.name, file: info.file, line: info.line, column: info.column });
        if (kind === Kind.RESUME) row.token = payload;
        if (hasValue) row.value = values.record();
        out.push(row);
      });
    }
  }
  return out;
}

function siteIdsNamed(sites: Map<number, SiteInfo>, name: string): Set<number> {
  const ids = new Set<number>();
  for (const [id, s] of sites) if (s.name === name) ids.add(id);
  return ids;
}
