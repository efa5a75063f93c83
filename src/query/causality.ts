/**
 * Causal questions over one recording's index: an event's causal parent, its ancestors (why did
 * this happen?) and descendants (what did it cause?), and the async context it ran in.
 * The causes themselves are computed while indexing (src/correlate/tracker.ts).
 */
import { Children, ancestors, descendants, type CauseSource, type DescendantsOptions } from '../correlate/graph.js';
import { checkRow, type EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';

const childrenOf = new WeakMap<EventIndex, Children>();

function source(index: EventIndex): CauseSource {
  return { rows: index.rows, cause: (r) => index.col.cause.get(r) };
}

export function causeOf(index: EventIndex, row: number): number {
  return index.col.cause.get(checkRow(index, row));
}

/** The async id the event ran in (for ASYNC_* events: the resource's id). */
export function asyncIdOf(index: EventIndex, row: number): number {
  return index.col.async.get(checkRow(index, row));
}

export function causalAncestors(index: EventIndex, row: number, limit?: number): IndexedEvent[] {
  checkRow(index, row);
  return ancestors(source(index), row, limit).map((r) => index.event(r));
}

export function causalDescendants(index: EventIndex, row: number, options?: DescendantsOptions): (IndexedEvent & { depth: number })[] {
  checkRow(index, row);
  let children = childrenOf.get(index);
  if (!children) {
    children = new Children(index.col.cause.range(0, index.rows) as Int32Array);
    childrenOf.set(index, children);
  }
  return descendants(children, row, options).map(({ row: r, depth }) => ({ ...index.event(r), depth }));
}
