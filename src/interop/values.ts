/** Reading recorded values (src/recording/value-reader.ts) as plain data. */
import type { Value } from '../recording/value-reader.js';
import type { Plain } from './otlp.js';

export function field(v: Value | undefined, key: string): Value | undefined {
  if (v && typeof v === 'object' && v.type === 'object') for (const [k, x] of v.entries) if (k === key) return x;
  return undefined;
}

export function item(v: Value | undefined, i: number): Value | undefined {
  return v && typeof v === 'object' && v.type === 'list' ? v.items[i] : undefined;
}

/** A recorded value as plain JSON data: objects and arrays as such, the rest as readable text. */
export function plain(v: Value | undefined, depth = 0): Plain {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (depth > 16) return '…';
  switch (v.type) {
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, plain(x, depth + 1)]));
    case 'array':
    case 'list':
    case 'set':
      return v.items.map((x) => plain(x, depth + 1));
    case 'string':
      return v.value;
    case 'error':
      return `${v.name}: ${v.message}`;
    case 'undefined':
      return null;
    case 'number':
      return v.text;
    case 'bigint':
      return v.value;
    case 'function':
      return `[function ${v.name}]`;
    case 'map':
      return v.entries.map(([k, x]) => [plain(k, depth + 1), plain(x, depth + 1)]);
    case 'date':
      return Number.isFinite(v.time) ? new Date(v.time).toISOString() : 'Invalid Date';
    default:
      return `[${v.type}]`;
  }
}
