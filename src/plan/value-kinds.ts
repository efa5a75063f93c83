/**
 * What a value record is made of, for the cost model: its bytes, and the host objects in it
 * named by a brief tag (Tag.BRIEF). Snapshots cost by their size (bench/plan-cost.mjs: ~45 ns a
 * byte); a brief tag costs a fixed few hundred ns, however big the object it stands for
 * (bench/host-values.mjs), so its bytes are counted apart.
 */
import { Tag } from '../format/values.js';
import type { Value, ValueReader } from '../recording/value-reader.js';

export interface ValueKinds {
  /** The whole record, its length prefix included. */
  bytes: number;
  briefs: number;
  /** Bytes of those brief tags. */
  briefBytes: number;
}

const encoder = new TextEncoder();

/** Reads the record at `values.pos` (and moves past it). */
export function valueKinds(values: ValueReader): ValueKinds {
  const at = values.pos;
  values.skip();
  const bytes = values.pos - at;
  // Most records hold no brief tag: decode only those that may (the tag byte occurs in them).
  if (values.buf.subarray(at + 2, values.pos).indexOf(Tag.BRIEF) < 0) return { bytes, briefs: 0, briefBytes: 0 };
  const end = values.pos;
  values.pos = at;
  const kinds = { bytes, briefs: 0, briefBytes: 0 };
  count(values.record(), kinds);
  values.pos = end;
  return kinds;
}

function count(v: Value, k: ValueKinds): void {
  if (v === null || typeof v !== 'object') return;
  switch (v.type) {
    case 'brief':
      k.briefs++;
      // tag, two length-prefixed strings, a varint (one to three bytes for ids up to 2^21)
      k.briefBytes += 3 + encoder.encode(v.class).length + encoder.encode(v.label).length + (v.number < 128 ? 1 : v.number < 16384 ? 2 : 3);
      return;
    case 'list':
    case 'array':
    case 'set':
      for (const x of v.items) count(x, k);
      return;
    case 'object':
      for (const [, x] of v.entries) count(x, k);
      return;
    case 'map':
      for (const [a, b] of v.entries) {
        count(a, k);
        count(b, k);
      }
      return;
  }
}
