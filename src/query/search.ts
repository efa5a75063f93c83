/**
 * Search for a string or a number in captured values (arguments, results, thrown values, marks).
 * Finds candidate records by their bytes in values.bin (a string's UTF-8 bytes, a number's tag and
 * encoding), then decodes each candidate and walks it, so every hit is a real match with a path.
 */
import { Tag } from '../format/values.js';
import type { Value } from '../recording/value-reader.js';
import type { EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';

export interface SearchHit {
  event: IndexedEvent;
  /** Where in the event's value: `args[0].name`, `result`, `thrown.message`… */
  path: string;
  match: Value;
}

const BLOCK = 16 << 20;
const rootName: Record<string, string> = { call: 'args', return: 'result', throw: 'thrown', catch: 'caught', mark: 'message', error: 'error' };

function patterns(needle: string | number): Buffer[] {
  if (typeof needle === 'string') return [Buffer.from(needle, 'utf8')];
  const out: Buffer[] = [];
  const f = Buffer.alloc(9);
  f[0] = Tag.FLOAT;
  f.writeDoubleLE(needle, 1);
  out.push(f);
  if (Number.isSafeInteger(needle)) {
    let z = needle >= 0 ? needle * 2 : -needle * 2 - 1;
    const bytes: number[] = [Tag.INT];
    while (z >= 0x80) {
      bytes.push((z % 0x80) | 0x80);
      z = Math.floor(z / 0x80);
    }
    bytes.push(z);
    out.push(Buffer.from(bytes));
  }
  return out;
}

function matches(v: Value, needle: string | number): boolean {
  if (typeof needle === 'number') return v === needle;
  if (typeof v === 'string') return v.includes(needle);
  if (v && typeof v === 'object' && (v.type === 'string' || v.type === 'error')) return v.type === 'string' ? v.value.includes(needle) : v.message.includes(needle) || v.name.includes(needle);
  return false;
}

/** Paths inside `v` whose value matches. */
function walk(v: Value, needle: string | number, path: string, out: [string, Value][]): void {
  if (matches(v, needle)) out.push([path, v]);
  if (v === null || typeof v !== 'object') return;
  switch (v.type) {
    case 'list':
    case 'array':
    case 'set':
      v.items.forEach((x, i) => walk(x, needle, `${path}[${i}]`, out));
      break;
    case 'object':
      for (const [k, x] of v.entries) walk(x, needle, `${path}.${k}`, out);
      break;
    case 'map':
      v.entries.forEach(([k, x], i) => {
        walk(k, needle, `${path}.<key ${i}>`, out);
        walk(x, needle, `${path}.<value ${i}>`, out);
      });
      break;
  }
}

/** Index of the value record that contains byte `off` (binary search over record offsets). */
function recordAt(index: EventIndex, off: number): number {
  let lo = 0;
  let hi = index.meta.values - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.values.offset.get(mid) <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function search(index: EventIndex, needle: string | number, options: { limit?: number } = {}): SearchHit[] {
  const limit = options.limit ?? 50;
  const pats = patterns(needle);
  const overlap = Math.max(...pats.map((p) => p.length));
  const seen = new Set<number>();
  const candidates: number[] = [];
  const total = index.meta.valueBytes;
  if (index.meta.values === 0 || (typeof needle === 'string' && needle.length === 0)) return [];
  const hits: SearchHit[] = [];
  for (let from = 0; from < total && hits.length < limit; from += BLOCK) {
    const buf = Buffer.from(index.valueBytes(from, BLOCK + overlap));
    candidates.length = 0;
    for (const p of pats) for (let at = buf.indexOf(p); at >= 0 && at < BLOCK; at = buf.indexOf(p, at + 1)) candidates.push(recordAt(index, from + at));
    for (const rec of [...new Set(candidates)].sort((a, b) => a - b)) {
      if (seen.has(rec) || hits.length >= limit) continue;
      seen.add(rec);
      const row = index.values.row.get(rec);
      const event = index.event(row);
      if (event.value === undefined) continue;
      const found: [string, Value][] = [];
      walk(event.value, needle, rootName[event.kind] ?? 'value', found);
      for (const [path, match] of found) if (hits.length < limit) hits.push({ event, path, match });
    }
  }
  return hits;
}
