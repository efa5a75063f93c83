/**
 * Encodes chunks into segment frames. Used by the drain worker: the encoder is pure (bytes in,
 * frame out), the sink decides whether frames go to disk now (lossless, sampled) or wait in
 * memory for a dump (flight).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Frame, Segment, type CodecCode } from '../format/layout.js';
import { compressor, shuffleWords } from './codec.js';

export interface ChunkMeta {
  thread: number;
  chunkSeq: number;
  words: number;
  position: number;
  time: number;
  valueBytes: number;
}

export class FrameEncoder {
  readonly #compress: (b: Uint8Array) => Uint8Array;
  #scratch = new Uint8Array(0);

  constructor(readonly codec: CodecCode) {
    this.#compress = compressor(codec);
  }

  /** Returns one frame: header followed by the compressed words (as byte planes) and values. */
  encode(meta: ChunkMeta, words: Uint8Array, values: Uint8Array): Uint8Array {
    const raw = words.length + values.length;
    if (this.#scratch.length < raw) this.#scratch = new Uint8Array(raw * 2);
    const plain = this.#scratch.subarray(0, raw);
    shuffleWords(words, plain);
    plain.set(values, words.length);
    const payload = this.#compress(plain);
    const frame = new Uint8Array(Segment.FRAME_HEADER_BYTES + payload.length);
    const dv = new DataView(frame.buffer);
    dv.setUint32(Frame.MAGIC, Segment.FRAME_MAGIC, true);
    dv.setUint32(Frame.THREAD, meta.thread, true);
    dv.setUint32(Frame.CHUNK_SEQ, meta.chunkSeq >>> 0, true);
    dv.setUint32(Frame.WORDS, meta.words, true);
    dv.setFloat64(Frame.POSITION, meta.position, true);
    dv.setFloat64(Frame.TIME, meta.time, true);
    dv.setUint32(Frame.VALUE_BYTES, meta.valueBytes, true);
    dv.setUint32(Frame.PAYLOAD_BYTES, payload.length, true);
    frame[Frame.CODEC] = this.codec;
    frame[Frame.SHUFFLE] = 1;
    frame.set(payload, Segment.FRAME_HEADER_BYTES);
    dv.setUint32(Frame.PAYLOAD_CRC, zlib.crc32(payload), true);
    dv.setUint32(Frame.HEADER_CRC, zlib.crc32(frame.subarray(0, Frame.HEADER_CRC)), true);
    return frame;
  }
}

export function fileHeader(): Uint8Array {
  const h = new Uint8Array(Segment.FILE_HEADER_BYTES);
  h.set(Buffer.from(Segment.MAGIC, 'latin1'), 0);
  new DataView(h.buffer).setUint32(8, Segment.VERSION, true);
  return h;
}

/** Appends frames to a segment file; every frame is one write, so a kill leaves whole frames behind. */
export class SegmentFile {
  readonly #fd: number;
  bytes = 0;

  constructor(file: string) {
    this.#fd = fs.openSync(file, 'a', 0o600);
    if (fs.fstatSync(this.#fd).size === 0) this.append(fileHeader());
  }

  append(frame: Uint8Array): void {
    let off = 0;
    try {
      while (off < frame.length) off += fs.writeSync(this.#fd, frame, off, frame.length - off);
    } catch (e) {
      // A full disk can take part of a frame: cut it off, so frames written later (once there is
      // room again) follow whole frames and stay readable.
      if (off > 0) fs.ftruncateSync(this.#fd, this.bytes);
      throw e;
    }
    this.bytes += frame.length;
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}

/** The name of a process's n-th segment file: events.seg, then events.1.seg, events.2.seg, … */
export function segmentName(n: number): string {
  return n === 0 ? 'events.seg' : `events.${n}.seg`;
}

/**
 * A process's segment files under a size cap: frames go to the newest file, a new file starts
 * when one reaches `fileBytes`, and the oldest files are deleted while the total is over
 * `maxBytes` (0: no cap), their events counted as evicted.
 */
export class SegmentSet {
  #current: SegmentFile;
  #n = 0;
  readonly #files: { name: string; bytes: number; events: number }[] = [];
  #total = 0;
  evicted = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    readonly fileBytes: number,
  ) {
    this.#current = this.#open();
  }

  append(frame: Uint8Array, events: number): void {
    if (this.maxBytes > 0 && this.#current.bytes + frame.length > this.fileBytes && this.#files.at(-1)!.events > 0) {
      this.#current.close();
      this.#n++;
      this.#current = this.#open();
    }
    const before = this.#current.bytes;
    this.#current.append(frame);
    const last = this.#files.at(-1)!;
    last.bytes += this.#current.bytes - before;
    last.events += events;
    this.#total += this.#current.bytes - before;
    while (this.maxBytes > 0 && this.#total > this.maxBytes && this.#files.length > 1) {
      const old = this.#files.shift()!;
      fs.rmSync(path.join(this.dir, old.name), { force: true });
      this.#total -= old.bytes;
      this.evicted += old.events;
    }
  }

  close(): void {
    this.#current.close();
  }

  #open(): SegmentFile {
    const name = segmentName(this.#n);
    const file = new SegmentFile(path.join(this.dir, name));
    this.#files.push({ name, bytes: file.bytes, events: 0 });
    this.#total += file.bytes;
    return file;
  }
}
