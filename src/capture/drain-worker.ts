/**
 * The drain: a worker thread that takes published chunks from every ring of the process,
 * encodes them into frames and hands them to the sink — the segment file (lossless, sampled) or
 * a bounded in-memory window that is written on a dump (flight). It never blocks the program:
 * producers only wait on it in lossless mode when their ring is full.
 */
import { BroadcastChannel, parentPort, workerData } from 'node:worker_threads';
import { Ring, Shared, ringOffsets, type CodecCode, type RingGeometry } from '../format/layout.js';
import { FrameEncoder, SegmentSet } from '../recording/segment-writer.js';
import { writePrivateFile } from '../recording/layout.js';
import type { ProcessInfo } from '../recording/manifest.js';
import { countEvents } from './ring-writer.js';
import { Kind } from '../format/events.js';
import { channelName, type DrainData, type DrainRequest } from './drain-protocol.js';
import { FAULT_ENV, diskFaults } from './disk-faults.js';

const TIME_KIND = Kind.TIME;

const data = workerData as DrainData;
const shared = new Int32Array(data.shared);
const encoder = new FrameEncoder(data.codec as CodecCode);
const faults = diskFaults(process.env[FAULT_ENV]);
/** The first disk error met, kept in process.json so the recording says why events were lost. */
let diskError: string | null = null;
/** The segment files; null while the disk refuses to create them (tried again at each write). */
let file: SegmentSet | null = openSegments();

function openSegments(): SegmentSet | null {
  try {
    // With a cap, files of a quarter of it (at most 64 MiB) let the oldest data go in steps.
    return new SegmentSet(data.procDir, data.maxBytes, Math.max(1 << 20, Math.min(64 << 20, Math.floor(data.maxBytes / 4))));
  } catch (e) {
    diskError ??= (e as Error).message;
    return null;
  }
}
const TWO32 = 0x1_0000_0000;

interface RingState {
  key: number;
  geometry: RingGeometry;
  ctrl: Int32Array;
  bytes: Uint8Array;
  wordsOffset: number;
  valuesOffset: number;
  tail: number;
  /** Sequence number and stream position the ring's next chunk will have. */
  nextSeq: number;
  nextPos: number;
}

const rings = new Map<number, RingState>();
/** Rings received so far; finishing waits until every announced ring has arrived. */
let received = 0;
let nextRingKey = 0;
const RING_ARRIVAL_WAIT_MS = 3_000;
const threads = new Set<number>();
const counters = { events: 0, dropped: 0, sampledOut: 0, evicted: 0, chunks: 0, bytes: 0 };
/** Flight mode: frames kept in memory, oldest first, with their event counts. */
const window: { frame: Uint8Array; events: number }[] = [];
let windowBytes = 0;
/** Events that aged out of the flight window (the size cap's evictions are counted by the file set). */
let windowEvicted = 0;
let lastDoorbell = 0;

function addRing(sab: SharedArrayBuffer, geometry: RingGeometry): void {
  const ctrl = new Int32Array(sab, 0, Ring.CONTROL_INTS + geometry.slots * Ring.SLOT_INTS);
  const off = ringOffsets(geometry);
  const key = nextRingKey++;
  rings.set(key, { key, geometry, ctrl, bytes: new Uint8Array(sab), wordsOffset: off.words, valuesOffset: off.values, tail: Atomics.load(ctrl, Ring.TAIL), nextSeq: 0, nextPos: 0 });
  received++;
}

/** Full µs time of a chunk from the u32 clock value it started at. */
function unwrapTime(t: number): number {
  // The drain's own clock, not the shared cell: producers may be reading theirs (capture/clock.ts).
  const nowUs = Math.floor((performance.timeOrigin + performance.now() - data.info.timeOrigin) * 1000);
  const hi = Math.floor(nowUs / TWO32);
  const lo = nowUs % TWO32;
  const u = t >>> 0;
  return (u > lo && hi > 0 ? hi - 1 : hi) * TWO32 + u;
}

function drainRing(r: RingState): void {
  const { ctrl, geometry: g } = r;
  for (;;) {
    const head = Atomics.load(ctrl, Ring.HEAD);
    // A flight-mode producer may have taken chunks back: start from the ring's own tail.
    r.tail = Atomics.load(ctrl, Ring.TAIL);
    if (r.tail === head) return;
    const slot = ((r.tail % g.slots) + g.slots) % g.slots;
    const e = Ring.CONTROL_INTS + slot * Ring.SLOT_INTS;
    const words = ctrl[e + Ring.SLOT_WORDS]!;
    const valueBytes = ctrl[e + Ring.SLOT_VALUE_BYTES]!;
    const wordsStart = r.wordsOffset + slot * g.chunkWords * 4;
    const valuesStart = r.valuesOffset + slot * g.chunkValueBytes;
    // Read per chunk: a ring made by a parent thread learns its thread id once the worker exists.
    const thread = Atomics.load(ctrl, Ring.THREAD_ID);
    threads.add(thread);
    const meta = {
      thread,
      chunkSeq: ctrl[e + Ring.SLOT_CHUNK_SEQ]!,
      words,
      position: (ctrl[e + Ring.SLOT_POS_HI]! >>> 0) * TWO32 + (ctrl[e + Ring.SLOT_POS_LO]! >>> 0),
      time: unwrapTime(ctrl[e + Ring.SLOT_TIME]!),
      valueBytes,
    };
    const wordView = r.bytes.subarray(wordsStart, wordsStart + words * 4);
    const events = countEvents(new Int32Array(r.bytes.buffer, wordsStart, words), 0, words);
    const frame = encoder.encode(meta, wordView, r.bytes.subarray(valuesStart, valuesStart + valueBytes));
    // Commit only if the producer did not take this chunk back while we copied it.
    const committed = Atomics.compareExchange(ctrl, Ring.TAIL, r.tail, (r.tail + 1) | 0) === r.tail;
    Atomics.notify(ctrl, Ring.TAIL);
    if (committed) {
      r.nextSeq = meta.chunkSeq + 1;
      r.nextPos = meta.position + words;
      sink(frame, events);
    }
  }
}

function sink(frame: Uint8Array, events: number): void {
  faults?.beforeDrain();
  counters.chunks++;
  if (data.mode !== 'flight') {
    write(frame, events);
    return;
  }
  window.push({ frame, events });
  windowBytes += frame.length;
  while (windowBytes > data.flightBytes && window.length > 1) {
    const old = window.shift()!;
    windowBytes -= old.frame.length;
    windowEvicted += old.events;
    counters.evicted = windowEvicted + (file?.evicted ?? 0);
  }
}

function write(frame: Uint8Array, events: number): void {
  try {
    faults?.beforeWrite(frame.length);
    file ??= openSegments();
    if (file === null) throw new Error(diskError ?? 'no segment file');
    file.append(frame, events);
    counters.events += events;
    counters.bytes += frame.length;
    counters.evicted = windowEvicted + file.evicted;
  } catch (e) {
    // Disk full, read-only or gone: the program keeps running; the loss is counted and reported,
    // and later frames are still tried (space may come back).
    counters.dropped += events;
    diskError ??= (e as Error).message;
  }
}

function dumpWindow(): void {
  for (const { frame, events } of window) write(frame, events);
  window.length = 0;
  windowBytes = 0;
}

function drainAll(): void {
  for (const r of rings.values()) {
    drainRing(r);
    if (Atomics.load(r.ctrl, Ring.CLOSED) === 1 && r.tail === Atomics.load(r.ctrl, Ring.HEAD)) collect(r);
  }
}

/**
 * A thread ended without publishing its last chunk (terminated: no exit handlers ran). Its
 * producer mirrored, at every clock tick, how far its current chunk was whole: publish that much.
 */
function salvage(sab: SharedArrayBuffer): void {
  const r = [...rings.values()].find((x) => x.bytes.buffer === sab);
  if (!r) return;
  drainRing(r);
  const ctrl = r.ctrl;
  if (Atomics.load(ctrl, Ring.CLOSED) === 0) {
    const g = r.geometry;
    const slot = ((Atomics.load(ctrl, Ring.HEAD) % g.slots) + g.slots) % g.slots;
    const start = slot * g.chunkWords;
    const vstart = slot * g.chunkValueBytes;
    const end = Atomics.load(ctrl, Ring.MIRROR_WORDS);
    const vend = Atomics.load(ctrl, Ring.MIRROR_VALUES);
    const inSlot = end > start && end <= start + g.chunkWords && vend >= vstart && vend <= vstart + g.chunkValueBytes;
    const all = new Int32Array(r.bytes.buffer, r.wordsOffset, g.slots * g.chunkWords);
    // A chunk starts with a TIME word (the producer forces one): it gives the chunk's time.
    if (inSlot && (all[start]! >>> 24) === TIME_KIND) {
      const words = end - start;
      const wordsAt = r.wordsOffset + start * 4;
      const valuesAt = r.valuesOffset + vstart;
      const meta = { thread: Atomics.load(ctrl, Ring.THREAD_ID), chunkSeq: r.nextSeq, words, position: r.nextPos, time: unwrapTime(all[start + 1]!), valueBytes: vend - vstart };
      const events = countEvents(all, start, end);
      sink(encoder.encode(meta, r.bytes.subarray(wordsAt, wordsAt + words * 4), r.bytes.subarray(valuesAt, valuesAt + meta.valueBytes)), events);
    }
    Atomics.store(ctrl, Ring.CLOSED, 1);
  }
  collect(r);
}

/** Takes a finished ring's loss counters and forgets it. */
function collect(r: RingState): void {
  counters.dropped += Atomics.exchange(r.ctrl, Ring.DROPPED, 0);
  counters.sampledOut += Atomics.exchange(r.ctrl, Ring.SAMPLED_OUT, 0);
  rings.delete(r.key);
}

function snapshotCounters(): ProcessInfo['counters'] {
  let dropped = counters.dropped;
  let sampledOut = counters.sampledOut;
  for (const r of rings.values()) {
    dropped += Atomics.load(r.ctrl, Ring.DROPPED);
    sampledOut += Atomics.load(r.ctrl, Ring.SAMPLED_OUT);
  }
  return { ...counters, dropped, sampledOut };
}

/** A thread may have announced its ring on the channel while `finish` came over the port first. */
async function awaitAnnouncedRings(): Promise<void> {
  const deadline = Date.now() + RING_ARRIVAL_WAIT_MS;
  while (received < Atomics.load(shared, Shared.RINGS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
}

function handle(msg: DrainRequest): void {
  if (msg.type === 'finish') {
    void awaitAnnouncedRings().then(() => finish(msg));
    return;
  }
  switch (msg.type) {
    case 'ring':
      addRing(msg.sab, msg.geometry);
      break;
    case 'salvage':
      salvage(msg.sab);
      break;
    case 'flush':
      drainAll();
      if (data.mode === 'flight') dumpWindow();
      writeInfo({ endReason: 'request' });
      break;
  }
}

function finish(msg: Extract<DrainRequest, { type: 'finish' }>): void {
  drainAll();
  if (data.mode === 'flight') dumpWindow();
  for (const r of [...rings.values()]) collect(r);
  try {
    file?.close();
  } catch {
    // closing a file on a failed disk: nothing more to save
  }
  writeInfo({ complete: true, endedAt: Date.now(), endReason: msg.reason, exitCode: msg.exitCode });
  // The program's main thread is blocked until this: bump and wake it.
  Atomics.add(shared, Shared.DRAIN_DONE, 1);
  Atomics.notify(shared, Shared.DRAIN_DONE);
  process.exit(0);
}

/** Keeps process.json current: counters so far, and the ending once there is one. */
function writeInfo(update: Partial<ProcessInfo>): void {
  Object.assign(data.info, update, { counters: snapshotCounters(), threads: [...threads] }, diskError ? { diskError } : {});
  try {
    writePrivateFile(data.processFile, JSON.stringify(data.info, null, 2));
  } catch {
    // the recording directory is gone or full; the counters in memory are all we have
  }
}

parentPort!.on('message', handle);
const channel = new BroadcastChannel(channelName(data.pid));
channel.onmessage = (e) => handle((e as MessageEvent).data as DrainRequest);
channel.unref();

async function loop(): Promise<void> {
  for (;;) {
    drainAll();
    const bell = Atomics.load(shared, Shared.DOORBELL);
    if (bell === lastDoorbell) {
      const r = Atomics.waitAsync(shared, Shared.DOORBELL, bell, data.pollMs);
      if (r.async) await r.value;
    }
    lastDoorbell = Atomics.load(shared, Shared.DOORBELL);
  }
}
void loop();
Atomics.store(shared, Shared.DRAIN_READY, 1);
Atomics.notify(shared, Shared.DRAIN_READY);
