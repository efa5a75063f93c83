/**
 * Debugger stepping over a recording, forwards and backwards, within one thread: into (the next or
 * previous event), over (skipping whole calls made from the current frame) and out (to the end of
 * the current call, or back to its start). The web UI (src/server) and the Debug Adapter Protocol
 * server (src/dap) both step with these.
 */
import { Kind } from '../format/events.js';
import type { EventIndex } from './index/event-index.js';
import { activationOf } from './stack.js';

export type StepKind = 'into' | 'over' | 'out';

/** Rows an async step-over may scan for the end of an activation. */
const STEP_SCAN = 5_000_000;

/** An event that puts an activation on top of its thread's stack (a call, a resumption). */
export const isEntry = (k: number): boolean => k === Kind.CALL || k === Kind.RESUME;
/** An event that takes it off (a return, a throw, a suspension). */
export const isExit = (k: number): boolean => k === Kind.RETURN || k === Kind.THROW || k === Kind.SUSPEND;

/** The event before `row` in the same thread, or -1. */
export function prevInThread(index: EventIndex, row: number): number {
  const c = index.chunkOf(row);
  if (row > c.firstRow) return row - 1;
  for (let i = index.chunks.indexOf(c) - 1; i >= 0; i--) {
    const p = index.chunks[i]!;
    if (p.proc === c.proc && p.thread === c.thread && p.rows > 0) return p.firstRow + p.rows - 1;
  }
  return -1;
}

/** The activation on top of the thread's stack after `row`. */
function after(index: EventIndex, row: number): number {
  const k = index.kind(row);
  if (isEntry(k)) return row;
  const a = index.col.parent.get(row);
  if (isExit(k)) return a >= 0 ? index.col.parent.get(a) : -1;
  return a;
}

/** The row where activation `a` ends (suspends, returns or throws), or -1. */
export function activationEnd(index: EventIndex, a: number): number {
  const k = index.kind(a);
  const c0 = index.chunkOf(a);
  if (k === Kind.CALL) {
    const info = index.site(c0.proc, index.col.site.get(a));
    if (!info?.async && !info?.generator) return index.col.link.get(a);
  }
  // An async activation ends at its first suspend, return or throw: scan its thread for it.
  let scanned = 0;
  for (let ci = index.chunks.indexOf(c0); ci < index.chunks.length && scanned < STEP_SCAN; ci++) {
    const c = index.chunks[ci]!;
    if (c.proc !== c0.proc || c.thread !== c0.thread) continue;
    const from = Math.max(c.firstRow, a + 1);
    const n = c.firstRow + c.rows - from;
    if (n <= 0) continue;
    const kind = index.col.kind.range(from, n);
    const parent = index.col.parent.range(from, n);
    for (let i = 0; i < n; i++) if (parent[i] === a && isExit(kind[i]!)) return from + i;
    scanned += n;
  }
  return k === Kind.CALL ? index.col.link.get(a) : -1;
}

/** Where a step from `row` lands (an event of the same thread), or -1 at the edge of the recording. */
export function step(index: EventIndex, row: number, how: StepKind, back: boolean): number {
  if (how === 'into') return back ? prevInThread(index, row) : index.nextInThread(row);
  if (how === 'over') return back ? stepOverBack(index, row) : stepOver(index, row);
  if (!back) {
    // Out: to the end of the current function (its return, with the value); from an exit, the caller's.
    let a = activationOf(index, row);
    if (isExit(index.kind(row))) a = a >= 0 ? index.col.parent.get(a) : -1;
    return a >= 0 ? index.col.link.get(index.callOf(a)) : -1;
  }
  // Back out: to the start of the current function (its call, with the arguments); from an entry, the caller's.
  let a = activationOf(index, row);
  if (a === row) a = index.col.parent.get(row);
  return a >= 0 ? index.callOf(a) : -1;
}

function stepOver(index: EventIndex, row: number): number {
  const f = after(index, row);
  let s = index.nextInThread(row);
  for (let guard = 0; s >= 0 && guard < 1_000_000; guard++) {
    if (!(isEntry(index.kind(s)) && index.col.parent.get(s) === f)) break;
    const e = activationEnd(index, s);
    if (e < 0) break;
    s = index.nextInThread(e);
  }
  return s;
}

function stepOverBack(index: EventIndex, row: number): number {
  // The activation on top of the stack before `row`.
  const f = index.col.parent.get(row);
  let s = prevInThread(index, row);
  for (let guard = 0; s >= 0 && guard < 1_000_000; guard++) {
    if (!isExit(index.kind(s))) break;
    const a = index.col.parent.get(s);
    if (a < 0 || index.col.parent.get(a) !== f) break;
    s = prevInThread(index, a);
  }
  return s;
}
