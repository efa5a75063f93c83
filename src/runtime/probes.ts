/**
 * The hot path: the functions instrumented code calls (the Probes contract in
 * src/format/probes.ts). Each event is one or two stores into this thread's ring; time comes from
 * the ticker's shared clock cell and is written only when it has moved; a chunk is published when
 * full. What a mode needs is decided here, once, not per call.
 */
import { HAS_VALUE, KIND_SHIFT, Kind } from '../format/events.js';
import { Ring, Shared } from '../format/layout.js';
import { Level } from '../format/levels.js';
import { TIME_WORD, type RingWriter } from '../capture/ring-writer.js';
import { originSkewUs, perfNow } from '../capture/clock.js';
import type { ValueWriter } from './value-writer.js';
import { ASYNC_AFTER, ASYNC_BEFORE, observedProbes, type EventWriter } from './observed-probes.js';
import type { ProbeOptions, ThreadProbes } from './thread-probes.js';
import { sampledProbes } from './sampled-probes.js';

const CALL = Kind.CALL << KIND_SHIFT;
const CALL_V = (Kind.CALL | HAS_VALUE) << KIND_SHIFT;
const RETURN = Kind.RETURN << KIND_SHIFT;
const RETURN_V = (Kind.RETURN | HAS_VALUE) << KIND_SHIFT;
const THROW = Kind.THROW << KIND_SHIFT;
const THROW_V = (Kind.THROW | HAS_VALUE) << KIND_SHIFT;
const CATCH_V = (Kind.CATCH | HAS_VALUE) << KIND_SHIFT;
const SUSPEND = Kind.SUSPEND << KIND_SHIFT;
const RESUME = Kind.RESUME << KIND_SHIFT;
const WRITE_V = (Kind.WRITE | HAS_VALUE) << KIND_SHIFT;
const DELETE_V = (Kind.DELETE | HAS_VALUE) << KIND_SHIFT;
const MUTATE_V = (Kind.MUTATE | HAS_VALUE) << KIND_SHIFT;
const TOKEN_MASK = 0x3fff_ffff;
const BOUNDARY = Level.BOUNDARY;
const CALLS = Level.CALLS;
const FULL = Level.FULL;
const RESYNC_EVENTS = 256;

export function createProbes(ring: RingWriter, vw: ValueWriter, options: ProbeOptions): ThreadProbes {
  const words = ring.words;
  const shared = ring.shared;
  const ctrl = ring.ctrl;
  let i = ring.start;
  let limit = ring.limit;
  let tokenBase = ring.position - ring.start;
  let vlimit = ring.vend - vw.recordBytes;
  let lastT = -1;
  const skewUs = originSkewUs(options.origin);
  /** Latest time written: a thread's times never go back when the clock source switches. */
  let maxT = ring.clock();
  /** Events until the next read of this thread's own clock while the ticker ticks. */
  let resync = RESYNC_EVENTS;
  /** Where the last TIME event was: the words since are added to Shared.WORDS, the ticker's rate. */
  let counted = i;
  /** Sampled mode's count of skipped events, published with each chunk. */
  let settleSampled: (() => void) | null = null;
  const lv = options.levels ?? new Uint8Array(0);
  vw.pos = ring.vstart;

  function flush(): void {
    ring.publish(i, vw.pos);
    ctrl[Ring.MIRROR_WORDS] = ring.start;
    ctrl[Ring.MIRROR_VALUES] = ring.vstart;
    i = ring.start;
    counted = i;
    limit = ring.limit;
    tokenBase = ring.position - ring.start;
    vw.pos = ring.vstart;
    vlimit = ring.vend - vw.recordBytes;
    lastT = -1;
    if (settleSampled !== null) settleSampled();
  }

  /** The followed context (followContext), and the one the last event was written in. */
  let follow: (() => number) | null = null;
  let ctx = 0;

  /** Writes the context switch (if any), TIME if the clock moved, then the event word; returns the event's word index. */
  function put(w: number): number {
    if (follow !== null) {
      const now = follow();
      if (now !== ctx) switchContext(now);
    }
    return putRaw(w);
  }

  /** At most 6 words (TIME, ASYNC_AFTER, ASYNC_BEFORE): with the event itself, within a chunk's slack. */
  function switchContext(next: number): void {
    if (ctx !== 0) {
      const p = putRaw(ASYNC_AFTER);
      words[p + 1] = ctx;
      i = p + 2;
    }
    ctx = next;
    if (next !== 0) {
      const p = putRaw(ASYNC_BEFORE);
      words[p + 1] = next;
      i = p + 2;
    }
  }

  function putRaw(w: number): number {
    let p = i;
    // The ticker's cell while it ticks, this thread's own clock read otherwise (capture/clock.ts).
    // While it ticks, every RESYNC_EVENTS-th event reads the thread's clock too: a ticker waiting
    // for a core stops CLOCK (measured 18 ms behind on a loaded 2-core machine); this bounds how
    // far stamps trail real time by that many events (ticking means ≥ ~500 events/ms: < 0.5 ms).
    let t: number;
    if (shared[Shared.TICKING] !== 0 && --resync !== 0) t = shared[Shared.CLOCK]!;
    else {
      t = (perfNow() * 1000 + skewUs) | 0;
      resync = RESYNC_EVENTS;
    }
    // Compared as a wrapping difference: the u32 µs clock wraps every ~71 minutes.
    if (((t - maxT) | 0) < 0) t = maxT;
    else maxT = t;
    if (t !== lastT) {
      lastT = t;
      shared[Shared.WORDS] += p - counted;
      counted = p;
      // Everything before p is whole: say so, once per tick, for a thread terminated mid-chunk.
      ctrl[Ring.MIRROR_WORDS] = p;
      ctrl[Ring.MIRROR_VALUES] = vw.pos;
      words[p] = TIME_WORD;
      words[p + 1] = t;
      p += 2;
    }
    words[p] = w;
    i = p + 1;
    return p;
  }

  /** Makes room for one value record in this chunk, so an event and its value never part. */
  function roomForValue(): void {
    if (vw.pos > vlimit) flush();
  }

  // Level checks are written `lv[s] < L` so an undefined read (a site beyond the table) records.
  const c = (s: number): number => {
    if (lv[s]! < BOUNDARY) return 0;
    const p = put(CALL | s);
    const token = (tokenBase + p) & TOKEN_MASK;
    if (i >= limit) flush();
    return token;
  };

  const cv = (s: number, n: number, a?: unknown, b?: unknown, d?: unknown, e?: unknown): number => {
    if (lv[s]! < CALLS) return c(s);
    roomForValue();
    const p = put(CALL_V | s);
    const token = (tokenBase + p) & TOKEN_MASK;
    const at = vw.pos;
    try {
      vw.list(n, a, b, d, e);
    } catch {
      vw.pos = at;
      vw.list(0, undefined, undefined, undefined, undefined);
    }
    if (i >= limit) flush();
    return token;
  };

  const cn = (s: number, args: unknown[]): number => {
    if (lv[s]! < CALLS) return c(s);
    roomForValue();
    const p = put(CALL_V | s);
    const token = (tokenBase + p) & TOKEN_MASK;
    const at = vw.pos;
    try {
      vw.listArray(args);
    } catch {
      vw.pos = at;
      vw.list(0, undefined, undefined, undefined, undefined);
    }
    if (i >= limit) flush();
    return token;
  };

  const x = (s: number): void => {
    if (lv[s]! < BOUNDARY) return;
    put(RETURN | s);
    if (i >= limit) flush();
  };

  /** An event word followed by its value record; a capture that fails leaves a TRUNCATED marker. */
  function valuedEvent(word: number, v: unknown): void {
    roomForValue();
    put(word);
    const at = vw.pos;
    try {
      vw.value(v);
    } catch {
      vw.truncated(at);
    }
    if (i >= limit) flush();
  }
  const xv = (s: number, v: unknown): void => {
    if (lv[s]! < CALLS) x(s);
    else valuedEvent(RETURN_V | s, v);
  };
  const tv = (s: number, v: unknown): void => {
    if (lv[s]! < CALLS) tn(s);
    else valuedEvent(THROW_V | s, v);
  };

  function tn(s: number): void {
    if (lv[s]! < BOUNDARY) return;
    put(THROW | s);
    if (i >= limit) flush();
  }
  const t = options.captureThrown ? tv : tn;
  const k = (s: number, v: unknown): void => {
    if (lv[s]! < CALLS) return;
    valuedEvent(CATCH_V | s, v);
  };

  const suspend = <T>(s: number, v: T, pending?: number, token?: number): T => {
    // Still marked suspended: its last await rejected into a catch of its own, which resumed it
    // without passing through a resume probe. Say so before it suspends again.
    if (lv[s]! < BOUNDARY) return v;
    if (pending) resume(pending, token!, undefined);
    put(SUSPEND | s);
    if (i >= limit) flush();
    return v;
  };

  const resume = <T>(s: number, token: number, v: T): T => {
    if (lv[s]! < BOUNDARY) return v;
    const p = put(RESUME | s);
    words[p + 1] = token;
    i = p + 2;
    if (i >= limit) flush();
    return v;
  };

  // State writes: the event, then its record; each returns the expression's value unchanged.
  // Written out one by one: a shared helper taking a callback would allocate a closure per write.
  const write = (s: number, o: unknown, k: unknown, r: unknown, own: boolean): void => {
    if (lv[s]! < FULL) return;
    roomForValue();
    put(WRITE_V | s);
    const at = vw.pos;
    try {
      vw.write(o, k, r, own);
    } catch {
      vw.truncated(at);
    }
    if (i >= limit) flush();
  };
  const pw = <T>(s: number, o: unknown, k: unknown, r: T): T => {
    write(s, o, k, r, true);
    return r;
  };
  const pp = <T>(s: number, o: unknown, k: string, r: T, delta?: number): T => {
    // A postfix update's value is already numeric (number or bigint): moving it runs no program code.
    const now = delta === undefined ? r : typeof r === 'bigint' ? r + BigInt(delta) : (r as number) + delta;
    write(s, o, k, now, false);
    return r;
  };
  const pd = <T>(s: number, o: unknown, k: unknown, r: T): T => {
    if (lv[s]! < FULL) return r;
    roomForValue();
    put(DELETE_V | s);
    const at = vw.pos;
    try {
      vw.remove(o, k);
    } catch {
      vw.truncated(at);
    }
    if (i >= limit) flush();
    return r;
  };
  const bw = <T>(s: number, v: T): T => {
    if (lv[s]! < FULL) return v;
    roomForValue();
    put(WRITE_V | s);
    const at = vw.pos;
    try {
      vw.list(1, v, undefined, undefined, undefined);
    } catch {
      vw.truncated(at);
    }
    if (i >= limit) flush();
    return v;
  };

  /** After `target.method(…)`: an event only when the target really is a Map, Set or array. */
  const mu = <T>(s: number, o: unknown, method: string, r: T): T => {
    if (lv[s]! < FULL) return r;
    roomForValue();
    const at = vw.pos;
    try {
      if (vw.mutation(o, method)) {
        // The record is written; put its event word in front of it in this chunk.
        put(MUTATE_V | s);
        if (i >= limit) flush();
      }
    } catch {
      vw.pos = at;
    }
    return r;
  };

  // Runtime-observed events (observed-probes.ts): each event word goes through `put`, so context switches stay in order.
  const events: EventWriter = {
    vw,
    word(w, id) {
      const p = put(w);
      words[p + 1] = id;
      i = p + 2;
      if (i >= limit) flush();
    },
    open(w, id) {
      roomForValue();
      const p = put(w);
      if (id >= 0) {
        words[p + 1] = id;
        i = p + 2;
      }
    },
    close() {
      if (i >= limit) flush();
    },
    valued: valuedEvent,
    follow(current) {
      follow = current;
    },
  };
  const o = observedProbes(events);
  // Spelled out, not spread: one literal keeps the object instrumented code reads from in fast mode.
  const probes: ThreadProbes = { load: options.load, c, cv, cn, x, xv, t, u: tn, k, s: suspend, w: resume, pw, pp, pd, bw, mu, flush, error: o.error, mark: o.mark, asyncInit: o.asyncInit, asyncBefore: o.asyncBefore, asyncAfter: o.asyncAfter, asyncEnd: o.asyncEnd, causal: o.causal, causalValue: o.causalValue, causalFields: o.causalFields, followContext: o.followContext };
  if (!options.sampled) return probes;
  const sampled = sampledProbes(probes, shared, ctrl);
  settleSampled = sampled.settle;
  return sampled.probes;
}
