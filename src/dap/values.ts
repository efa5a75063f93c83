/**
 * Recorded values as a debugger shows them: a short preview (the way VS Code previews live
 * objects), the children to expand, references resolved to the object's state at the moment, and
 * plain JavaScript data for expressions. Nothing here runs program code: values are data.
 */
import type { Value } from '../recording/value-reader.js';
import { TEXT_STYLES, valueText } from '../recording/value-text.js';
import type { EventIndex } from '../query/index/event-index.js';
import { momentIn, resolveObject, stateAt } from '../query/state.js';

/** An object reference (`<ref #N>`, or an object seen before) as the object was just after `row`. */
export function resolveRef(index: EventIndex, row: number, v: Value): Value {
  if (v === null || typeof v !== 'object' || v.type !== 'ref') return v;
  try {
    const c = index.chunkOf(row);
    const obj = resolveObject(index, `${index.pidOf(c.proc)}/${c.thread}/${v.id}`);
    const s = stateAt(index, obj, momentIn(index, obj.ctx, row));
    return s.state ?? v;
  } catch {
    return v;
  }
}

/** One line, VS Code style: `{a: 1, b: 'x'}`, `Array(3) [1, 2, 3]`, `Map(1) {'k' => 2}` (src/recording/value-text.ts). */
export const preview = (v: Value, level = 0): string => valueText(v, TEXT_STYLES.dap, level);

/** The type name a debugger shows. */
export function typeOf(v: Value): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (v.type === 'object' || v.type === 'bytes' || v.type === 'opaque' || v.type === 'brief') return v.class;
  if (v.type === 'error') return v.name;
  return v.type === 'number' ? 'number' : v.type === 'array' ? 'Array' : v.type;
}

/** What expanding a value shows. */
export function childrenOf(v: Value): [string, Value][] {
  if (v === null || typeof v !== 'object') return [];
  switch (v.type) {
    case 'object':
      return v.entries;
    case 'array':
    case 'list':
      return v.items.map((x, i) => [String(i), x]);
    case 'set':
      return v.items.map((x, i) => [String(i), x]);
    case 'map':
      return v.entries.map(([k, x], i) => [`${i}: ${preview(k, 1)}`, x]);
    case 'error':
      return [
        ['name', v.name],
        ['message', v.message],
        ['stack', v.stack],
      ];
    case 'string':
      return [['value', v.value]];
    default:
      return [];
  }
}

export const hasChildren = (v: Value): boolean => childrenOf(v).length > 0;

/**
 * Plain JavaScript data for an expression to look at (conditions, watches). References become the
 * referenced object's recorded state (via `deref`), one level at a time.
 */
export function toPlain(v: Value, deref: (v: Value) => Value, depth = 0): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (depth > 8) return undefined;
  const down = (x: Value) => toPlain(x, deref, depth + 1);
  switch (v.type) {
    case 'undefined':
      return undefined;
    case 'number':
      return Number(v.text);
    case 'bigint':
      return BigInt(v.value);
    case 'string':
      return v.value;
    case 'symbol':
      return Symbol(v.description);
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, down(x)]));
    case 'array':
    case 'list':
      return v.items.map(down);
    case 'map':
      return new Map(v.entries.map(([k, x]) => [down(k), down(x)]));
    case 'set':
      return new Set(v.items.map(down));
    case 'error':
      return Object.assign(Object.create(Error.prototype) as object, { name: v.name, message: v.message, stack: v.stack });
    case 'date':
      return new Date(v.time);
    case 'regexp':
      return new RegExp(v.source, v.flags);
    case 'ref': {
      const r = deref(v);
      return r === v ? { ref: v.id } : down(r);
    }
    default:
      return { [v.type]: 'class' in v ? v.class : true };
  }
}
