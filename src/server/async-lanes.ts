/**
 * Lanes per async context and HTTP exchanges as spans, for recordings made with --causality.
 *
 * An async context is the tree of async resources grown from one root: a resource created by
 * top-level code, or the connection a server accepted (a server's children are each their own
 * root, so every connection of an HTTP server is a context). The busiest few contexts of a thread
 * get a lane each (labelled by the first request they served, else the root's resource type);
 * the rest share one. Only threads that carry async_hooks events are looked at. With light
 * causality every incoming request is a root of its own (HTTPREQUEST, named by that request).
 */
import { Kind, contextExchangeId } from '../format/events.js';
import { field, item } from '../correlate/tracker.js';
import type { EventIndex } from '../query/index/event-index.js';
import { activationOf } from '../query/stack.js';
import type { HttpSpan } from './api.js';
import { FINE, isEntry, isExit, newLane, type Axis0, type LaneData } from './lanes.js';

/** Async-context lanes per thread (the busiest; the rest share one more). */
const MAX_CONTEXT_LANES = 8;
/** A context gets a lane of its own only with at least this share of the thread's async events (and 10 events). */
const MIN_SHARE = 0.02;
/** Threads larger than this are not split by context (the pass is a second scan of the thread). */
const MAX_ROWS = 50_000_000;
/** Resource types whose children are each a context of their own. */
const SERVERS = new Set(['TCPSERVERWRAP', 'PIPESERVERWRAP', 'HTTPSERVER', 'HTTP2SERVER']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Whether the lane's first chunks carry async_hooks events (a recording made with --causality). */
function causal(idx: EventIndex, l: LaneData): boolean {
  for (const c of l.chunks.slice(0, 4)) {
    const kind = idx.col.kind.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++) if (kind[i]! >= Kind.ASYNC_INIT && kind[i]! <= Kind.ASYNC_END) return true;
  }
  return false;
}

export interface ContextLanes {
  lanes: LaneData[];
  http: HttpSpan[];
}

/** The async-context lanes and HTTP lane of one thread lane, numbered from `next`. */
export function contextLanes(idx: EventIndex, thread: LaneData, off: number, g: Axis0, next: number): ContextLanes {
  if (thread.info.events > MAX_ROWS || !causal(idx, thread)) return { lanes: [], http: [] };
  const trigger = new Map<number, number>();
  const type = new Map<number, string>();
  const initRow = new Map<number, number>();
  const rootOf = new Map<number, number>();
  const root = (id: number): number => {
    let r = rootOf.get(id);
    if (r !== undefined) return r;
    let cur = id;
    for (let n = 0; n < 10_000; n++) {
      const t = trigger.get(cur);
      if (t === undefined || t <= 1 || !trigger.has(t) || SERVERS.has(type.get(t) ?? '')) break;
      cur = t;
    }
    rootOf.set(id, (r = cur));
    return r;
  };
  // Pass 1: the resource tree, events per context, the first request of each, the HTTP exchanges.
  const events = new Map<number, number>();
  const firstRequest = new Map<number, string>();
  /** Incoming requests by exchange id: light causality's HTTPREQUEST context has the exchange's id. */
  const exchanges = new Map<string, string>();
  const http: HttpSpan[] = [];
  const open = new Map<string, HttpSpan>();
  for (const c of thread.chunks) {
    const kind = idx.col.kind.range(c.firstRow, c.rows);
    const ctx = idx.col.async.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++) {
      const k = kind[i]!;
      const row = c.firstRow + i;
      if (k === Kind.ASYNC_INIT) {
        const v = idx.value(row);
        const t = item(v, 1);
        if (typeof t === 'number') trigger.set(ctx[i]!, t);
        type.set(ctx[i]!, str(item(v, 0)) ?? '?');
        initRow.set(ctx[i]!, row);
        continue;
      }
      const a = ctx[i]!;
      if (a > 1) {
        const r = root(a);
        events.set(r, (events.get(r) ?? 0) + 1);
      }
      if (k === Kind.HTTP)
        httpPhase(idx, row, idx.col.time.get(row) + off, thread.info.lane, thread.info.pid, open, http, (label, id) => {
          exchanges.set(id, label);
          if (a > 1 && !firstRequest.has(root(a))) firstRequest.set(root(a), label);
        });
    }
  }
  for (const s of open.values()) ((s.endUs = thread.info.endUs), (s.open = true));
  const ranked = [...events].sort((x, y) => y[1] - x[1]);
  const total = ranked.reduce((n, [, e]) => n + e, 0);
  // A request of light causality is worth its lane however small: it is the unit a person looks for.
  const top = ranked.filter(([r, e]) => e >= Math.max(10, total * MIN_SHARE) || type.get(r) === 'HTTPREQUEST').slice(0, MAX_CONTEXT_LANES);
  const rest = ranked.filter((x) => !top.includes(x));
  const laneOf = new Map<number, number>();
  const lanes: LaneData[] = [];
  const add = (label: string, asyncId: number | undefined) => {
    const info = { lane: next + lanes.length, kind: 'async' as const, parent: thread.info.lane, pid: thread.info.pid, thread: thread.info.thread, label, events: 0, startUs: Infinity, endUs: -Infinity, maxDepth: 0, ...(asyncId !== undefined ? { asyncId } : {}) };
    const l = newLane(info, thread.proc, -1);
    l.async = { thread, laneOf };
    lanes.push(l);
    return info.lane;
  };
  // A context is named by the request it served, else by its root resource and the function that made it.
  const creator = (r: number) => {
    const row = initRow.get(r);
    const a = row === undefined ? -1 : activationOf(idx, row);
    return a >= 0 ? ` from ${idx.site(thread.proc, idx.col.site.get(a))?.name ?? '?'}` : '';
  };
  // Light causality: a request's context is named by its exchange.
  const label = (r: number) => (type.get(r) === 'HTTPREQUEST' ? exchanges.get(String(contextExchangeId(r))) : firstRequest.get(r));
  for (const [r] of top) laneOf.set(r, add(label(r) ?? `${type.get(r) ?? 'async'} #${r}${creator(r)}`, r));
  if (rest.length > 0) {
    const other = add(`${rest.length} other async context${rest.length === 1 ? '' : 's'}`, undefined);
    for (const [r] of rest) laneOf.set(r, other);
  }
  if (lanes.length > 0) fillContexts(idx, thread, off, g, lanes, next, (a) => laneOf.get(root(a)));
  // The lane of every async id (not only roots), for scans of zoomed-in views.
  for (const id of rootOf.keys()) {
    const n = laneOf.get(root(id));
    if (n !== undefined) laneOf.set(id, n);
  }
  return { lanes, http };
}

/** Pass 2: buckets (events, deepest stack, errors) of each context lane. */
function fillContexts(idx: EventIndex, thread: LaneData, off: number, g: Axis0, lanes: LaneData[], first: number, laneOfCtx: (a: number) => number | undefined): void {
  let depth = 0;
  for (const c of thread.chunks) {
    const kind = idx.col.kind.range(c.firstRow, c.rows);
    const time = idx.col.time.range(c.firstRow, c.rows);
    const ctx = idx.col.async.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++) {
      const k = kind[i]!;
      if (isEntry(k)) depth++;
      const n = k === Kind.ASYNC_INIT || ctx[i]! <= 1 ? undefined : laneOfCtx(ctx[i]!);
      if (n !== undefined) {
        const l = lanes[n - first]!;
        const t = time[i]! + off;
        const b = Math.min(FINE - 1, Math.max(0, Math.floor((t - g.startUs) / g.fineUs)));
        l.counts[b]!++;
        l.info.events++;
        if (t < l.info.startUs) l.info.startUs = t;
        if (t > l.info.endUs) l.info.endUs = t;
        if (depth > l.depth[b]!) l.depth[b] = Math.min(depth, 0xffff);
        if (depth > l.info.maxDepth) l.info.maxDepth = depth;
        if (k === Kind.THROW || k === Kind.ERROR) l.errors[b] = 1;
      }
      if (isExit(k) && depth > 0) depth--;
    }
  }
}

/** One phase of an HTTP exchange: a request opens a span, its response or error closes it. */
function httpPhase(idx: EventIndex, row: number, t: number, lane: number, pid: number, open: Map<string, HttpSpan>, out: HttpSpan[], named: (label: string, id: string) => void): void {
  const v = idx.value(row);
  const phase = str(field(v, 'phase'));
  const dir = str(field(v, 'dir')) === 'in' ? 'in' : 'out';
  const key = `${dir}:${str(field(v, 'id')) ?? '?'}`;
  if (phase === 'request') {
    const id = field(v, 'id');
    const s: HttpSpan = { lane, pid, dir, method: str(field(v, 'method')) ?? 'GET', url: str(field(v, 'url')) ?? '?', ...(typeof id === 'number' ? { exchange: id } : {}), startUs: t, endUs: t, request: row, end: -1 };
    open.set(key, s);
    out.push(s);
    if (dir === 'in') named(`${s.method} ${s.url}`, str(field(v, 'id')) ?? '?');
    return;
  }
  const s = open.get(key);
  if (!s) return;
  open.delete(key);
  s.endUs = t;
  s.end = row;
  if (phase === 'response') {
    const status = field(v, 'status');
    if (typeof status === 'number') s.status = status;
    const route = str(field(v, 'route'));
    if (route) s.route = route;
  } else s.error = str(field(v, 'error')) ?? 'error';
}

/** Appends the async-context and HTTP lanes of every thread lane; returns the HTTP spans. */
export function addContextLanes(idx: EventIndex, lanes: LaneData[], offset: (proc: number) => number, g: Axis0): HttpSpan[] {
  const http: HttpSpan[] = [];
  for (const thread of lanes.filter((l) => l.info.kind === 'thread')) {
    const r = contextLanes(idx, thread, offset(thread.proc), g, lanes.length);
    lanes.push(...r.lanes);
    if (r.http.length === 0) continue;
    const t = thread.info;
    const info = { lane: lanes.length, kind: 'http' as const, parent: t.lane, pid: t.pid, thread: t.thread, label: `${t.pid} HTTP ${t.thread === 0 ? '' : `worker ${t.thread}`}`.trim(), events: r.http.length, startUs: Math.min(...r.http.map((s) => s.startUs)), endUs: Math.max(...r.http.map((s) => s.endUs)), maxDepth: 0 };
    lanes.push(newLane(info, thread.proc, -1));
    for (const s of r.http) s.lane = info.lane;
    http.push(...r.http);
  }
  return http;
}
