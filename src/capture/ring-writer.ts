/**
 * The producer side of a thread's ring: hands out chunk slots and publishes full chunks to the
 * drain. The per-event writes happen in the probes (src/runtime/probes.ts), which keep the write
 * index in their own closure and call `publish` only when a chunk is full, so publishing costs
 * one Atomics.store per chunk, not per event.
 */
import { Kind, KIND_SHIFT, hasPayload } from '../format/events.js';
import { Ring, Shared, ringByteLength, ringOffsets, type RingGeometry } from '../format/layout.js';

/**
 * What a producer does when every slot is taken: `wait` for the drain (lossless), `drop` the chunk
 * it just filled (sampled), or `steal` the oldest chunk the drain has not taken yet (flight: the
 * newest events are the ones worth keeping). Dropped and stolen events are counted.
 */
export type Backpressure = 'wait' | 'drop' | 'steal';

/** Longest the producer waits for a slot before it decides the drain is gone and drops instead. */
const DRAIN_STALL_MS = 30_000;

const { load, store, add, wait, notify } = Atomics;
// Taken at load, before the program runs: a program that replaces them cannot see or break us.
const { floor } = Math;
const now = Date.now;

export class RingWriter {
  readonly sab: SharedArrayBuffer;
  readonly ctrl: Int32Array;
  readonly words: Int32Array;
  readonly values: Uint8Array;
  readonly geometry: RingGeometry;
  /** Word index where the current chunk starts, and where it must be published. */
  start = 0;
  limit = 0;
  /** Value byte range of the current chunk. */
  vstart = 0;
  vend = 0;
  /** Stream position of the current chunk's first word. */
  position = 0;
  chunkTime = 0;
  #head = 0;
  #chunkSeq = 0;
  #drainGone = false;

  constructor(
    geometry: RingGeometry,
    readonly thread: number,
    readonly shared: Int32Array,
    readonly backpressure: Backpressure,
    /** A ring made for this thread by the thread that started it (already known to the drain). */
    sab: SharedArrayBuffer = newRingBuffer(geometry),
    /** Room kept at the end of a chunk so the largest event never crosses it. */
    readonly slackWords = 8,
    /** The producers' clock (capture/clock.ts), for the time a chunk starts at. */
    readonly clock: () => number = () => load(shared, Shared.CLOCK),
  ) {
    this.geometry = geometry;
    if (sab.byteLength !== ringByteLength(geometry)) throw new Error('ring buffer does not match the ring geometry');
    this.sab = sab;
    const off = ringOffsets(geometry);
    this.ctrl = new Int32Array(this.sab, 0, Ring.CONTROL_INTS + geometry.slots * Ring.SLOT_INTS);
    this.words = new Int32Array(this.sab, off.words, geometry.slots * geometry.chunkWords);
    this.values = new Uint8Array(this.sab, off.values, geometry.slots * geometry.chunkValueBytes);
    this.ctrl[Ring.THREAD_ID] = thread;
    this.#enterSlot();
  }

  /**
   * Publishes words [start, end) and values [vstart, vpos) as one chunk and moves to the next
   * slot. With `drop` back-pressure, a full ring discards this chunk (counted) instead of waiting.
   */
  publish(end: number, vpos: number): void {
    const words = end - this.start;
    if (words === 0 && vpos === this.vstart) return;
    const ctrl = this.ctrl;
    if (!this.#waitForSlot()) {
      add(ctrl, Ring.DROPPED, countEvents(this.words, this.start, end));
      this.#enterSlot();
      return;
    }
    const e = Ring.CONTROL_INTS + (this.#head % this.geometry.slots) * Ring.SLOT_INTS;
    ctrl[e + Ring.SLOT_WORDS] = words;
    ctrl[e + Ring.SLOT_VALUE_BYTES] = vpos - this.vstart;
    ctrl[e + Ring.SLOT_POS_LO] = this.position % 0x1_0000_0000;
    ctrl[e + Ring.SLOT_POS_HI] = floor(this.position / 0x1_0000_0000);
    ctrl[e + Ring.SLOT_TIME] = this.chunkTime;
    ctrl[e + Ring.SLOT_CHUNK_SEQ] = this.#chunkSeq++;
    this.#head = (this.#head + 1) | 0;
    store(ctrl, Ring.HEAD, this.#head);
    add(this.shared, Shared.DOORBELL, 1);
    notify(this.shared, Shared.DOORBELL);
    this.position += words;
    this.#enterSlot();
  }

  /** Marks the ring finished; the drain writes what is published and forgets it. */
  close(): void {
    store(this.ctrl, Ring.CLOSED, 1);
    add(this.shared, Shared.DOORBELL, 1);
    notify(this.shared, Shared.DOORBELL);
  }

  /** True when the slot after the current one is free for the next chunk (waiting in lossless mode). */
  #waitForSlot(): boolean {
    const ctrl = this.ctrl;
    const slots = this.geometry.slots;
    // The chunk being published takes a slot; the next chunk needs one more.
    if (((this.#head + 1 - load(ctrl, Ring.TAIL)) | 0) < slots) return true;
    if (this.backpressure === 'steal') return this.#stealOldest();
    if (this.backpressure === 'drop' || this.#drainGone) return false;
    const deadline = now() + DRAIN_STALL_MS;
    for (;;) {
      const tail = load(ctrl, Ring.TAIL);
      if (((this.#head + 1 - tail) | 0) < slots) return true;
      if (now() > deadline) {
        this.#drainGone = true;
        return false;
      }
      notify(this.shared, Shared.DOORBELL);
      wait(ctrl, Ring.TAIL, tail, 50);
    }
  }

  /**
   * Takes back the oldest published chunk. The drain commits a chunk with a compare-exchange on
   * TAIL after it has copied it, so whichever of us moves TAIL first owns the slot.
   */
  #stealOldest(): boolean {
    const ctrl = this.ctrl;
    const slots = this.geometry.slots;
    for (;;) {
      const tail = load(ctrl, Ring.TAIL);
      if (((this.#head + 1 - tail) | 0) < slots) return true;
      const slot = ((tail % slots) + slots) % slots;
      const words = ctrl[Ring.CONTROL_INTS + slot * Ring.SLOT_INTS + Ring.SLOT_WORDS]!;
      const start = slot * this.geometry.chunkWords;
      const events = countEvents(this.words, start, start + words);
      if (Atomics.compareExchange(ctrl, Ring.TAIL, tail, (tail + 1) | 0) === tail) {
        add(ctrl, Ring.DROPPED, events);
        return true;
      }
    }
  }

  #enterSlot(): void {
    const g = this.geometry;
    const slot = this.#head % g.slots;
    this.start = slot * g.chunkWords;
    this.limit = this.start + g.chunkWords - this.slackWords;
    this.vstart = slot * g.chunkValueBytes;
    this.vend = this.vstart + g.chunkValueBytes;
    this.chunkTime = this.clock();
  }
}

export function newRingBuffer(geometry: RingGeometry): SharedArrayBuffer {
  return new SharedArrayBuffer(ringByteLength(geometry));
}

/**
 * Counts events in a word range: payload words belong to the event before them, and TIME words
 * are bookkeeping, not events.
 */
export function countEvents(words: Int32Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const kind = (words[i]! >>> KIND_SHIFT) & 0x7f;
    if (kind !== Kind.TIME) n++;
    if (hasPayload(kind)) i++;
  }
  return n;
}

export const TIME_WORD = Kind.TIME << KIND_SHIFT;
