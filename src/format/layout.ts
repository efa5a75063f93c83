/**
 * Byte layouts shared by the writer side (capture) and the reader side (recording):
 * the per-thread ring in shared memory, the process-wide control cells, and segment frames on disk.
 */

/** Per-thread ring: control cells, a slot table, then word and value areas, one slot per chunk. */
export const Ring = {
  /** Int32 control cells at the start of the ring's buffer. */
  CONTROL_INTS: 8,
  /** Chunks published by the producer (wrapping int32 counter). */
  HEAD: 0,
  /** Chunks taken by the drain (wrapping int32 counter). */
  TAIL: 1,
  THREAD_ID: 2,
  /** Set to 1 when the producer's thread has flushed for the last time. */
  CLOSED: 3,
  /** Events the producer dropped because no slot was free (flight and sampled modes). */
  DROPPED: 4,
  /** Events left out by sampling. */
  SAMPLED_OUT: 5,
  /**
   * Where the producer's write index and value position were at its last clock tick (a plain
   * store once per tick, not per event): what can be saved of a thread that is terminated
   * without running its exit handlers (`worker.terminate()`).
   */
  MIRROR_WORDS: 6,
  MIRROR_VALUES: 7,
  /** Int32 cells per slot-table entry. */
  SLOT_INTS: 6,
  SLOT_WORDS: 0,
  SLOT_VALUE_BYTES: 1,
  /** Stream position (in words) of the chunk's first word, as two uint32 halves. */
  SLOT_POS_LO: 2,
  SLOT_POS_HI: 3,
  /** Time of the chunk's first event (µs since the process's time origin, u32). */
  SLOT_TIME: 4,
  SLOT_CHUNK_SEQ: 5,
} as const;

export interface RingGeometry {
  slots: number;
  chunkWords: number;
  chunkValueBytes: number;
}

/** 16 slots of 64 Ki words absorb ~40 ms of a call-heavy burst while the drain catches up. */
export const defaultGeometry: RingGeometry = { slots: 16, chunkWords: 64 * 1024, chunkValueBytes: 256 * 1024 };

export function ringByteLength(g: RingGeometry): number {
  const table = (Ring.CONTROL_INTS + g.slots * Ring.SLOT_INTS) * 4;
  return table + g.slots * g.chunkWords * 4 + g.slots * g.chunkValueBytes;
}

export function ringOffsets(g: RingGeometry): { words: number; values: number } {
  const words = (Ring.CONTROL_INTS + g.slots * Ring.SLOT_INTS) * 4;
  return { words, values: words + g.slots * g.chunkWords * 4 };
}

/** Process-wide Int32 cells shared by every thread of a recorded process. */
export const Shared = {
  INTS: 12,
  /**
   * Microseconds since the process's time origin, kept current by the ticker: every `tickMs`
   * while TICKING is 1, every `idleTickMs` otherwise (then producers read the time themselves).
   */
  CLOCK: 0,
  /** 1 while sampled mode records, 0 while it skips. */
  SAMPLE_ON: 1,
  /** Next free site id (Atomics.add). */
  NEXT_SITE: 2,
  /** Set to 1 to stop the ticker. */
  STOP: 3,
  /** Bumped by producers after publishing a chunk; the drain sleeps on it. */
  DOORBELL: 7,
  /** How many times CLOCK has wrapped past 2^32 µs (about 71 minutes). */
  CLOCK_HI: 6,
  /** Rings announced to the drain (each thread adds one before it sends its ring). */
  RINGS: 8,
  /**
   * Words producers wrote since the ticker last looked (added at each TIME event, without atomics:
   * a lost update only blurs the rate the ticker decides on).
   */
  WORDS: 9,
  /**
   * 1 while the ticker keeps CLOCK at tick resolution: the event rate is high enough that one
   * load per event beats reading a clock per event (runtime/clock.ts, capture/ticker-worker.ts).
   */
  TICKING: 10,
  /**
   * Set to 1 by the drain once it listens: the program starts only then (bounded), so a process
   * killed early still leaves what it recorded on disk.
   */
  DRAIN_READY: 11,
  /** Bumped when the drain has finished a requested flush. */
  DRAIN_DONE: 4,
  /** Bumped to ask the drain to flush now (and, in flight mode, dump). */
  DRAIN_REQUEST: 5,
} as const;

/** Segment files: a file header, then self-describing frames, one per chunk. */
export const Segment = {
  MAGIC: 'ECSEGMNT',
  VERSION: 1,
  FILE_HEADER_BYTES: 16,
  FRAME_MAGIC: 0x52464345, // 'ECFR' little endian
  FRAME_HEADER_BYTES: 52,
} as const;

export const Codec = { NONE: 0, ZSTD: 1, BROTLI: 2, DEFLATE: 3 } as const;
export type CodecCode = (typeof Codec)[keyof typeof Codec];
export const codecNames: Record<number, string> = { 0: 'none', 1: 'zstd', 2: 'brotli', 3: 'deflate' };

/**
 * Frame header fields (little endian):
 *  0 u32 FRAME_MAGIC
 *  4 u32 thread id
 *  8 u32 chunk sequence number within the thread
 * 12 u32 word count
 * 16 f64 stream position of the first word
 * 24 f64 time of the first event (µs since the process's time origin)
 * 32 u32 value byte count
 * 36 u32 payload byte length (compressed)
 * 40 u8  codec, u8 shuffle (1: word bytes stored as four byte planes), u16 reserved
 * 44 u32 crc32 of the payload
 * 48 u32 crc32 of bytes 0..47
 */
export const Frame = {
  MAGIC: 0,
  THREAD: 4,
  CHUNK_SEQ: 8,
  WORDS: 12,
  POSITION: 16,
  TIME: 24,
  VALUE_BYTES: 32,
  PAYLOAD_BYTES: 36,
  CODEC: 40,
  SHUFFLE: 41,
  PAYLOAD_CRC: 44,
  HEADER_CRC: 48,
} as const;

/** Largest chunk a reader accepts, so a damaged length can never make it allocate without bound. */
export const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;
