/**
 * Causal questions over one recording's index or several recordings read as one (a Session):
 * an event's causal parent, its ancestors (why did this happen?) and descendants (what did it
 * cause?), and the async context it ran in. The causes themselves are computed while indexing
 * (src/correlate/tracker.ts); links across recordings by the Session.
 */
import { Children, ancestors, descendants, type CauseSource, type DescendantsOptions } from '../correlate/graph.js';
import { checkRow, EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';
import type { Session, SessionEvent } from './session.js';

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

export function causalAncestors(index: EventIndex, row: number, limit?: number): IndexedEvent[];
export function causalAncestors(session: Session, row: number, limit?: number): SessionEvent[];
export function causalAncestors(src: EventIndex | Session, row: number, limit?: number): IndexedEvent[] {
  if (src instanceof EventIndex) {
    checkRow(src, row);
    return ancestors(source(src), row, limit).map((r) => src.event(r));
  }
  src.locate(row);
  return ancestors(src, row, limit).map((r) => src.event(r));
}

export function causalDescendants(index: EventIndex, row: number, options?: DescendantsOptions): (IndexedEvent & { depth: number })[];
export function causalDescendants(session: Session, row: number, options?: DescendantsOptions): (SessionEvent & { depth: number })[];
export function causalDescendants(src: EventIndex | Session, row: number, options?: DescendantsOptions): (IndexedEvent & { depth: number })[] {
  if (!(src instanceof EventIndex)) {
    src.locate(row);
    return descendants(src.children(), row, options).map(({ row: r, depth }) => ({ ...src.event(r), depth }));
  }
  checkRow(src, row);
  let children = childrenOf.get(src);
  if (!children) {
    children = new Children(src.col.cause.range(0, src.rows) as Int32Array);
    childrenOf.set(src, children);
  }
  return descendants(children, row, options).map(({ row: r, depth }) => ({ ...src.event(r), depth }));
}
