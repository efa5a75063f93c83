/**
 * The hot path: the functions instrumented code calls (the Probes contract in
 * src/format/probes.ts). Each event is one or two stores into this thread's ring; time comes from
 * the ticker's shared clock cell and is written only when it has moved; a chunk is published when
 * full. What a mode needs is decided here, once, not per call.
 */
import { HAS_VALUE, KIND_SHIFT, Kind } from '../format/events.js';
import { Ring, Shared } from '../format/layout.js';
import type { Probes } from '../format/probes.js';
import { Level } from '../format/levels.js';
import { TIME_WORD, type RingWriter } from '../capture/ring-writer.js';
import { originSkewUs, perfNow } from '../capture/clock.js';
import type { ValueWriter } from './value-writer.js';

const CALL = Kind.CALL << KIND_SHIFT;
const CALL_V = (Kind.CALL | HAS_VALUE) << KIND_SHIFT;
const RETURN = Kind.RETURN << KIND_SHIFT;
const RETURN_V = (Kind.RETURN | HAS_VALUE) << KIND_SHIFT;
const THROW = Kind.THROW << KIND_SHIFT;
const THROW_V = (Kind.THROW | HAS_VALUE) << KIND_SHIFT;
const SUSPEND = Kind.SUSPEND << KIND_SHIFT;
const RESUME = Kind.RESUME << KIND_SHIFT;
const ERROR_V = (Kind.ERROR | HAS_VALUE) << KIND_SHIFT;
const MARK_V = (Kind.MARK | HAS_VALUE) << KIND_SHIFT;
const WRITE_V = (Kind.WRITE | HAS_VALUE) << KIND_SHIFT;
const DELETE_V = (Kind.DELETE | HAS_VALUE) << KIND_SHIFT;
const MUTATE_V = (Kind.MUTATE | HAS_VALUE) << KIND_SHIFT;
const ASYNC_INIT_V = (Kind.ASYNC_INIT | HAS_VALUE) << KIND_SHIFT;
const ASYNC_BEFORE = Kind.ASYNC_BEFORE << KIND_SHIFT;
const ASYNC_AFTER = Kind.ASYNC_AFTER << KIND_SHIFT;
const ASYNC_END = Kind.ASYNC_END << KIND_SHIFT;
/** Event words of the causality kinds that carry a value record (site 0: the runtime observed them). */
export const CausalWord = {
  SEND: (Kind.SEND | HAS_VALUE) << KIND_SHIFT,
  RECEIVE: (Kind.RECEIVE | HAS_VALUE) << KIND_SHIFT,
  HTTP: (Kind.HTTP | HAS_VALUE) << KIND_SHIFT,
  LOG: (Kind.LOG | HAS_VALUE) << KIND_SHIFT,
  HEALTH: (Kind.HEALTH | HAS_VALUE) << KIND_SHIFT,
  PROCESS: (Kind.PROCESS | HAS_VALUE) << KIND_SHIFT,
} as const;
const TOKEN_MASK = 0x3fff_ffff;
const BOUNDARY = Level.BOUNDARY;
const CALLS = Level.CALLS;
const FULL = Level.FULL;

export interface ThreadProbes extends Probes {
  /** Publishes the current partial chunk (on idle, exit or request). */
  flush(): void;
  /** Records a runtime-observed error (uncaught exception, unhandled rejection) with its value. */
  error(site: number, value: unknown): void;
  /** Records a user mark with a message. */
  mark(site: number, message: unknown): void;
  /** ASYNC_INIT: a resource `id` of `type` created, triggered by `trigger` (values: LIST [type, trigger]). */
  asyncInit(id: number, type: string, trigger: number): void;
  /** ASYNC_BEFORE / ASYNC_AFTER / ASYNC_END of resource `id` (one payload word, no value). */
  asyncBefore(id: number): void;
  asyncAfter(id: number): void;
  asyncEnd(id: number): void;
  /**
   * A causality event with a value record LIST [a, b, c] (the first `n` of them); `w` is one of
   * CausalWord. Layouts per kind: src/format/events.ts.
   */
  causal(w: number, n: number, a: unknown, b: unknown, c: unknown): void;
  /** A causality event whose value is one object (HTTP, PROCESS). */
  causalValue(w: number, v: unknown): void;
  /** A causality event whose value is an object of the recorder's own (ValueWriter.fields). */
  causalFields(w: number, keys: readonly string[], values: readonly unknown[], trusted: number): void;
  /**
   * Light causality (no async_hooks): `current` names the context the program runs in now (0:
   * none), e.g. the HTTP request an AsyncLocalStorage carries. Before each event whose context
   * differs from the last one written, an ASYNC_AFTER of the old and an ASYNC_BEFORE of the new
   * context are written, so readers see the same brackets as with async_hooks, only coarser.
   */
  followContext(current: () => number): void;
}

export interface ProbeOptions {
  /** Capture thrown values even when the module records no other values. */
  captureThrown: boolean;
  sampled: boolean;
  /**
   * Run-time level of each site (format/levels.ts): an event is skipped when its site's level is
   * below what it needs — one typed-array read per probe. Sites beyond the table record as compiled
   * (absent: an empty table, every site as compiled).
   */
  levels?: Uint8Array;
  /** Allocates `count` site ids and records a module's site table; returns the base. */
  load(count: number, sitesJson: string, shifts?: () => [string, number[]]): number;
  /** performance.timeOrigin of the process's main thread: event times count from it. */
  origin: number;
}

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
  /** Where the last TIME event was: the words since are added to Shared.WORDS, the ticker's rate. */
  let counted = i;
  let sampledOut = 0;
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
    if (sampledOut !== 0) {
      Atomics.add(ctrl, Ring.SAMPLED_OUT, sampledOut);
      sampledOut = 0;
    }
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
    let t = shared[Shared.TICKING] !== 0 ? shared[Shared.CLOCK]! : (perfNow() * 1000 + skewUs) | 0;
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
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
    }
    if (i >= limit) flush();
  }
  const valued = (w: number) => (s: number, v: unknown): void => valuedEvent(w | s, v);
  const xv = (s: number, v: unknown): void => {
    if (lv[s]! < CALLS) x(s);
    else valuedEvent(RETURN_V | s, v);
  };
  const tv = (s: number, v: unknown): void => {
    if (lv[s]! < CALLS) tn(s);
    else valuedEvent(THROW_V | s, v);
  };
  const error = valued(ERROR_V);
  const mark = valued(MARK_V);

  function tn(s: number): void {
    if (lv[s]! < BOUNDARY) return;
    put(THROW | s);
    if (i >= limit) flush();
  }
  const t = options.captureThrown ? tv : tn;

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
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
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
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
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
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
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

  // Async context and causality: called by the runtime's hooks (async_hooks, diagnostics_channel),
  // never by instrumented code. Same pattern: one event word (+ payload word or value record).
  const asyncInit = (id: number, type: string, trigger: number): void => {
    roomForValue();
    const p = put(ASYNC_INIT_V);
    words[p + 1] = id;
    i = p + 2;
    const at = vw.pos;
    try {
      vw.list(2, type, trigger, undefined, undefined);
    } catch {
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
    }
    if (i >= limit) flush();
  };
  const asyncBefore = (id: number): void => {
    const p = put(ASYNC_BEFORE);
    words[p + 1] = id;
    i = p + 2;
    if (i >= limit) flush();
  };
  const asyncAfter = (id: number): void => {
    const p = put(ASYNC_AFTER);
    words[p + 1] = id;
    i = p + 2;
    if (i >= limit) flush();
  };
  const asyncEnd = (id: number): void => {
    const p = put(ASYNC_END);
    words[p + 1] = id;
    i = p + 2;
    if (i >= limit) flush();
  };
  const causal = (w: number, n: number, a: unknown, b: unknown, d: unknown): void => {
    roomForValue();
    put(w);
    const at = vw.pos;
    try {
      vw.list(n, a, b, d, undefined);
    } catch {
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
    }
    if (i >= limit) flush();
  };
  const causalValue = valuedEvent;
  const causalFields = (w: number, keys: readonly string[], values: readonly unknown[], trusted: number): void => {
    roomForValue();
    put(w);
    const at = vw.pos;
    try {
      vw.fields(keys, values, trusted);
    } catch {
      vw.pos = at;
      vw.value(TRUNCATED_MARK);
    }
    if (i >= limit) flush();
  };
  const followContext = (current: () => number): void => {
    follow = current;
  };


  const probes: ThreadProbes = { load: options.load, c, cv, cn, x, xv, t, s: suspend, w: resume, pw, pp, pd, bw, mu, flush, error, mark, asyncInit, asyncBefore, asyncAfter, asyncEnd, causal, causalValue, causalFields, followContext };
  if (!options.sampled) return probes;

  // Sampled mode: the ticker opens and closes the gate; events outside a burst are counted only.
  const gate = <F extends (...args: never[]) => unknown>(f: F, none: ReturnType<F>): F =>
    ((...args: never[]) => {
      if (shared[Shared.SAMPLE_ON] === 0) {
        sampledOut++;
        return none;
      }
      return f(...args);
    }) as F;
  /** Outside a burst, these return the expression value they were handed (argument `at`), unrecorded. */
  const passThrough = <T>(f: (s: number, ...rest: never[]) => T, at: number) =>
    ((...args: never[]) => (shared[Shared.SAMPLE_ON] === 0 ? (sampledOut++, args[at]) : f(...(args as unknown as [number])))) as typeof f;
  return {
    ...probes,
    c: gate(c, 0),
    cv: gate(cv, 0),
    cn: gate(cn, 0),
    x: gate(x, undefined),
    xv: gate(xv, undefined),
    t: gate(t, undefined),
    s: passThrough(suspend, 1) as Probes['s'],
    w: passThrough(resume, 2) as Probes['w'],
    pw: passThrough(pw, 3) as Probes['pw'],
    pp: passThrough(pp, 3) as Probes['pp'],
    pd: passThrough(pd, 3) as Probes['pd'],
    bw: passThrough(bw, 1) as Probes['bw'],
    mu: passThrough(mu, 3) as Probes['mu'],
  };
}

const TRUNCATED_MARK = Symbol('value capture failed');
