/**
 * The stack at any event: the frames the thread was in, innermost first, each with its call's
 * argument values. A frame that resumed after an await shows the frames that called it before it
 * suspended, marked `async` (what a debugger shows as the async stack).
 */
import { Kind } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';
import { checkRow, type EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';

export interface Frame {
  /** Event id of the frame's call. */
  call: number;
  name: string;
  file?: string;
  line?: number;
  column?: number;
  params?: string[];
  args?: Value;
  /** The frame is running again after an await/yield. */
  resumed?: boolean;
  /** Not on the thread's stack now: the caller this frame had before it suspended. */
  async?: boolean;
}

export interface StackAt {
  event: IndexedEvent;
  frames: Frame[];
}

const MAX_FRAMES = 10_000;

export function frameOf(index: EventIndex, call: number): Frame {
  const { proc } = index.chunkOf(call);
  const info = index.site(proc, index.col.site.get(call));
  const f: Frame = { call, name: info?.name ?? `site ${index.col.site.get(call)}` };
  if (info) Object.assign(f, { file: info.file, line: info.line, column: info.column }, info.params ? { params: info.params } : {});
  const args = index.value(call);
  if (args !== undefined) f.args = args;
  return f;
}

/** The activation an event happened in (a call or resume row), or -1. */
export function activationOf(index: EventIndex, row: number): number {
  const k = index.kind(row);
  return k === Kind.CALL || k === Kind.RESUME ? row : index.col.parent.get(row);
}

export function stackAt(index: EventIndex, row: number): StackAt {
  checkRow(index, row);
  const frames: Frame[] = [];
  let a = activationOf(index, row);
  let lastResumed = -1;
  while (a >= 0 && frames.length < MAX_FRAMES) {
    const resumed = index.kind(a) === Kind.RESUME;
    const call = resumed ? index.col.link.get(a) : a;
    if (call >= 0) frames.push(resumed ? { ...frameOf(index, call), resumed: true } : frameOf(index, call));
    lastResumed = resumed ? call : -1;
    a = index.col.parent.get(a);
  }
  // Below a resumed frame, its callers from before it suspended (as long as they are known).
  let c = lastResumed >= 0 ? index.col.parent.get(lastResumed) : -1;
  while (c >= 0 && frames.length < MAX_FRAMES) {
    const call = index.callOf(c);
    if (call < 0) break;
    frames.push({ ...frameOf(index, call), async: true });
    c = index.col.parent.get(call);
  }
  return { event: index.event(row), frames };
}
