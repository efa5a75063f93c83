/**
 * One thread's events as plain arrays, for detectors that walk a thread in order. Rows are the
 * index's event ids; `parent` and `link` hold event ids too (see query/index/columns.ts), and
 * `local()` maps an id of this thread to its position here.
 */
import { Kind } from '../format/events.js';
import type { EventIndex } from '../query/index/event-index.js';

export interface ThreadView {
  ctx: number;
  proc: number;
  thread: number;
  pid: number;
  rows: Int32Array;
  kind: Uint8Array;
  parent: Int32Array;
  link: Int32Array;
  time: Float64Array;
  site: Uint32Array;
  /** Cut to the row limit. */
  truncated: boolean;
  /** Position of event id `row` in this view, or -1. */
  local(row: number): number;
  /** For each position: where its activation (a call or resume) ends, -1 when it never does. */
  activationEnd(): Int32Array;
}

export function threadViews(index: EventIndex, maxRows = 5_000_000): ThreadView[] {
  return index.meta.contexts.map(([proc, thread], ctx) => threadView(index, ctx, proc, thread, maxRows));
}

function threadView(index: EventIndex, ctx: number, proc: number, thread: number, maxRows: number): ThreadView {
  const chunks = index.chunks.filter((c) => c.proc === proc && c.thread === thread);
  let total = 0;
  for (const c of chunks) total += c.rows;
  const n = Math.min(total, maxRows);
  const rows = new Int32Array(n);
  const kind = new Uint8Array(n);
  const parent = new Int32Array(n);
  const link = new Int32Array(n);
  const time = new Float64Array(n);
  const site = new Uint32Array(n);
  let at = 0;
  for (const c of chunks) {
    if (at >= n) break;
    const m = Math.min(c.rows, n - at);
    for (let i = 0; i < m; i++) rows[at + i] = c.firstRow + i;
    kind.set(index.col.kind.range(c.firstRow, m), at);
    parent.set(index.col.parent.range(c.firstRow, m), at);
    link.set(index.col.link.range(c.firstRow, m), at);
    time.set(index.col.time.range(c.firstRow, m), at);
    site.set(index.col.site.range(c.firstRow, m), at);
    at += m;
  }
  let ends: Int32Array | null = null;
  const local = (row: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = rows[mid]!;
      if (v === row) return mid;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  return {
    ctx,
    proc,
    thread,
    pid: index.pidOf(proc),
    rows,
    kind,
    parent,
    link,
    time,
    site,
    truncated: n < total,
    local,
    activationEnd() {
      if (ends) return ends;
      ends = new Int32Array(n).fill(-1);
      for (let i = 0; i < n; i++) {
        const k = kind[i]!;
        if (k !== Kind.SUSPEND && k !== Kind.RETURN && k !== Kind.THROW) continue;
        const a = local(parent[i]!);
        if (a >= 0 && ends[a] === -1) ends[a] = i;
      }
      return ends;
    },
  };
}

/** The call (position) an activation position belongs to: itself for a call, its call for a resume. */
export function callPos(v: ThreadView, a: number): number {
  if (a < 0) return -1;
  return v.kind[a] === Kind.RESUME ? v.local(v.link[a]!) : a;
}

export interface AwaitEvents {
  /**
   * Frame `owner` (its call position) suspended at position `i`; `callee` is the last call it made
   * since it started or last suspended (what it most likely awaits), or -1.
   */
  suspend?(i: number, owner: number, callee: number): void;
  /** Frame `owner` resumed at position `i`. */
  resume?(i: number, owner: number): void;
  /** A write at position `i` made by frame `owner` after it resumed from an await. */
  writeAfterAwait?(i: number, owner: number): void;
}

/** Walks a thread's awaits in order: the scan the await detectors (pending, N+1, lost update) share. */
export function scanAwaits(v: ThreadView, on: AwaitEvents): void {
  const lastCallee = new Map<number, number>();
  for (let i = 0; i < v.rows.length; i++) {
    const k = v.kind[i]!;
    if (k === Kind.CALL) {
      const owner = callPos(v, v.local(v.parent[i]!));
      if (owner >= 0) lastCallee.set(owner, i);
    } else if (k === Kind.SUSPEND) {
      const owner = callPos(v, v.local(v.parent[i]!));
      if (owner < 0) continue;
      const callee = lastCallee.get(owner) ?? -1;
      lastCallee.delete(owner);
      on.suspend?.(i, owner, callee);
    } else if (k === Kind.RESUME) on.resume?.(i, v.local(v.link[i]!));
    else if (k === Kind.WRITE && on.writeAfterAwait) {
      const act = v.local(v.parent[i]!);
      if (act >= 0 && v.kind[act] === Kind.RESUME) on.writeAfterAwait(i, callPos(v, act));
    }
  }
}
