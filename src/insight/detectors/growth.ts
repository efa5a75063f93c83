/**
 * Growth of live objects: a collection (array, Map, Set) or a dictionary-like object that grows
 * across many separate units of work (top-level calls, resumptions of different async frames) and
 * never shrinks. A result list built inside one call grows too, but in one unit of work; what grows
 * a little with every request or event and is never trimmed is a likely leak.
 */
import { Kind } from '../../format/events.js';
import { listItems, locationOf, type Ctx } from '../context.js';
import { objectId } from '../../recording/value-reader.js';
import { displayPath } from '../../recording/sources.js';
import type { ThreadView } from '../thread-view.js';
import type { Finding } from '../types.js';

const MIN_GROWTH = 20;
const MIN_UNITS = 10;

interface Track {
  size: number;
  first: number;
  grew: number;
  shrank: boolean;
  units: Set<number>;
  sites: Map<number, number>;
  rows: number[];
  kind: string;
}

/** The root of an activation: the top-level activation it runs under (memoised). */
function rootOf(v: ThreadView, pos: number, memo: Int32Array): number {
  let a = pos;
  const path: number[] = [];
  while (a >= 0 && memo[a] === -2) {
    path.push(a);
    const p = v.parent[a]!;
    if (p < 0) break;
    a = v.local(p);
  }
  const root = a >= 0 && memo[a]! >= 0 ? memo[a]! : a;
  for (const p of path) memo[p] = root;
  return root;
}

function sizeOf(v: unknown): number {
  if (!v || typeof v !== 'object') return -1;
  const x = v as { type: string; length?: number; size?: number };
  if (x.type === 'array') return x.length!;
  if (x.type === 'map' || x.type === 'set') return x.size!;
  return -1;
}

export function growth(ctx: Ctx): Finding[] {
  const { index } = ctx;
  const out: Finding[] = [];
  for (const v of ctx.views) {
    const memo = new Int32Array(v.rows.length).fill(-2);
    const tracks = new Map<string, Track>();
    const keysSeen = new Map<number, Set<string>>();
    for (let i = 0; i < v.rows.length; i++) {
      const k = v.kind[i]!;
      if (k !== Kind.MUTATE && k !== Kind.WRITE && k !== Kind.DELETE) continue;
      const items = listItems(index.value(v.rows[i]!));
      const id = objectId(items[0]);
      if (id <= 0) continue;
      const a = v.local(v.parent[i]!);
      const unit = a >= 0 ? rootOf(v, a, memo) : -1; // module-level code is one unit
      let size: number;
      let kind: string;
      if (k === Kind.MUTATE) {
        size = sizeOf(items[2]);
        kind = (items[2] as { type?: string } | undefined)?.type ?? 'collection';
        if (size < 0) continue;
      } else {
        // Dictionary-like objects: count distinct keys added, a delete shrinks.
        if (typeof items[1] !== 'string') continue;
        let keys = keysSeen.get(id);
        if (!keys) keysSeen.set(id, (keys = new Set()));
        if (k === Kind.DELETE) {
          keys.delete(items[1] as string);
          size = keys.size;
        } else {
          if (keys.has(items[1] as string)) continue;
          keys.add(items[1] as string);
          size = keys.size;
        }
        kind = 'object';
      }
      const key = `${kind === 'object' ? 'o' : 'c'}${id}`;
      let t = tracks.get(key);
      if (!t) tracks.set(key, (t = { size, first: size, grew: 0, shrank: false, units: new Set(), sites: new Map(), rows: [], kind }));
      else {
        if (size > t.size) {
          t.grew++;
          t.units.add(unit);
          t.sites.set(v.site[i]!, (t.sites.get(v.site[i]!) ?? 0) + 1);
          if (t.rows.length < 10) t.rows.push(v.rows[i]!);
        } else if (size < t.size) t.shrank = true;
        t.size = size;
      }
    }
    for (const [key, t] of tracks) {
      if (t.shrank || t.grew < MIN_GROWTH || t.units.size < MIN_UNITS) continue;
      const [site] = [...t.sites].sort((a, b) => b[1] - a[1])[0]!;
      const info = index.site(v.proc, site);
      const what = t.kind === 'object' ? 'object used as a dictionary' : t.kind === 'array' ? 'array' : t.kind === 'map' ? 'Map' : 'Set';
      const name = info?.target ?? `#${key.slice(1)}`;
      out.push({
        id: `growth:@${t.rows[0]!}`,
        kind: 'growth',
        severity: t.size >= 10_000 ? 'high' : t.size >= 1000 ? 'medium' : 'low',
        title: `${name} (${what}) only grows: ${t.first} → ${t.size} entries over ${t.units.size} separate units of work, never trimmed`,
        explanation:
          `The ${what} ${name} grew ${t.grew} times, in ${t.units.size} different top-level calls or async continuations (requests, jobs, events), and never shrank during the recording: ` +
          `it ends with ${t.size} ${t.kind === 'object' ? 'keys' : 'entries'}. Most growth comes from ${info ? `${displayPath(info.file)}:${info.line} (${info.name})` : 'one place'}. ` +
          `If it lives as long as the process, it is a leak: bound it (an LRU, a TTL) or remove entries when their work is done.`,
        events: t.rows,
        locations: locationOf(info, `grows ${name}`),
      });
    }
  }
  return out;
}
