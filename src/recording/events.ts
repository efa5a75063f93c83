/**
 * Walks the events of a chunk: unpacks kind and site, unwraps time, and pairs events that carry
 * values with their records in the chunk's value stream. A visitor callback keeps the scan free
 * of per-event allocation, so counting over millions of events stays fast.
 */
import { HAS_VALUE, KIND_MASK, KIND_SHIFT, Kind, MAX_KIND, SITE_MASK, hasPayload } from '../format/events.js';
import { RecordingError } from './errors.js';
import type { Chunk } from './segment-reader.js';
import { ValueReader, type Value } from './value-reader.js';

const TWO32 = 0x1_0000_0000;

/**
 * Called once per event (TIME words are folded into `time`, not reported).
 * `seq` is the event's position in its thread's stream; `payload` is the extra word (RESUME: the
 * token of the resumed call), `values` reads the event's value record when `hasValue` is true.
 */
export type EventVisitor = (kind: number, site: number, seq: number, time: number, payload: number, hasValue: boolean, values: ValueReader) => void;

export function visitChunk(chunk: Chunk, visit: EventVisitor): void {
  const data = chunk.data;
  const values = new ValueReader(chunk.values);
  let time = chunk.time;
  for (let i = 0; i < data.length; i++) {
    const w = data[i]!;
    const kb = w >>> KIND_SHIFT;
    const kind = kb & KIND_MASK;
    const site = w & SITE_MASK;
    if (kind === Kind.TIME) {
      if (i + 1 >= data.length) throw new RecordingError(`damaged chunk ${chunk.chunkSeq} of thread ${chunk.thread}: time word cut off`);
      time = unwrap(time, data[++i]! >>> 0);
      continue;
    }
    let payload = 0;
    const seq = chunk.position + i;
    if (hasPayload(kind)) {
      if (i + 1 >= data.length) throw new RecordingError(`damaged chunk ${chunk.chunkSeq} of thread ${chunk.thread}: payload word cut off`);
      payload = data[++i]!;
    }
    const hasValue = (kb & HAS_VALUE) !== 0;
    if (kind < Kind.CALL || kind > MAX_KIND) throw new RecordingError(`damaged chunk ${chunk.chunkSeq} of thread ${chunk.thread}: unknown event kind ${kind}`);
    const start = values.pos;
    visit(kind, site, seq, time, payload, hasValue, values);
    if (hasValue) {
      values.pos = start;
      values.skip();
    }
  }
}

/** The full time of a u32 clock reading that follows `previous` (µs). */
function unwrap(previous: number, u: number): number {
  const lo = previous % TWO32;
  const delta = (u - lo + TWO32) % TWO32;
  return previous + delta;
}

/** An event as the query layer and the CLI see it. */
export interface EventRow {
  pid: number;
  thread: number;
  seq: number;
  kind: string;
  site: number;
  /** µs since the process's time origin. */
  time: number;
  value?: Value;
  /** For resume events: the seq (low 30 bits) of the call that resumed. */
  token?: number;
  /** For async-init/before/after/end events: the async id. */
  asyncId?: number;
}
