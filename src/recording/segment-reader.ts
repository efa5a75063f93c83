/**
 * Reads segment files back, checking everything a damaged or foreign file could get wrong.
 * A frame cut short at the end of the file is what a killed process leaves: it ends the data
 * and is reported as a truncated tail. Anything else that does not check out is damage.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Frame, MAX_FRAME_PAYLOAD, Segment, codecNames } from '../format/layout.js';
import { canDecompress, decompress, unshuffleWords } from './codec.js';
import type { ChunkMeta } from './segment-writer.js';

import { RecordingError } from './errors.js';

export { RecordingError };

export interface Chunk extends ChunkMeta {
  /** The chunk's words, in stream order (`words` is their count). */
  data: Int32Array;
  values: Uint8Array;
  /** Byte offset of the frame in its file (for messages). */
  offset: number;
}

export interface SegmentScan {
  frames: number;
  /** Bytes at the end of the file that did not form a whole frame. */
  truncatedBytes: number;
  /** Chunks a complete process wrote that are not in its segment any more (the file was cut). */
  missingChunks?: number;
}

/** Validates the file header; throws RecordingError with a one-line reason. */
export function checkFileHeader(file: string, buf: Uint8Array): void {
  if (buf.length < Segment.FILE_HEADER_BYTES) throw new RecordingError(`${file}: too short to be a segment file`);
  const magic = Buffer.from(buf.subarray(0, 8)).toString('latin1');
  if (magic !== Segment.MAGIC) throw new RecordingError(`${file}: not a segment file (bad magic)`);
  const version = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8, true);
  if (version > Segment.VERSION) {
    throw new RecordingError(`${file}: segment format version ${version} is newer than this cinema reads (${Segment.VERSION}); upgrade execution-cinema`);
  }
  if (version < 1) throw new RecordingError(`${file}: bad segment format version ${version}`);
}

/**
 * Iterates over the chunks of one segment file. `scan` receives the counts when iteration ends.
 * Throws RecordingError on damage.
 */
export function* readSegment(file: string, scan?: SegmentScan): Generator<Chunk> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new RecordingError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  checkFileHeader(file, buf);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off: number = Segment.FILE_HEADER_BYTES;
  let frames = 0;
  while (off < buf.length) {
    if (buf.length - off < Segment.FRAME_HEADER_BYTES) break;
    const where = `${file} at byte ${off}`;
    if (dv.getUint32(off + Frame.MAGIC, true) !== Segment.FRAME_MAGIC) throw new RecordingError(`${where}: damaged (no frame marker)`);
    const headerCrc = zlib.crc32(buf.subarray(off, off + Frame.HEADER_CRC));
    if (headerCrc !== dv.getUint32(off + Frame.HEADER_CRC, true)) throw new RecordingError(`${where}: damaged frame header (checksum mismatch)`);
    const payloadBytes = dv.getUint32(off + Frame.PAYLOAD_BYTES, true);
    const words = dv.getUint32(off + Frame.WORDS, true);
    const valueBytes = dv.getUint32(off + Frame.VALUE_BYTES, true);
    const codec = buf[off + Frame.CODEC]!;
    if (payloadBytes > MAX_FRAME_PAYLOAD || words * 4 + valueBytes > MAX_FRAME_PAYLOAD) throw new RecordingError(`${where}: damaged frame (impossible size)`);
    if (!(codec in codecNames)) throw new RecordingError(`${where}: unknown compression codec ${codec}`);
    const position = dv.getFloat64(off + Frame.POSITION, true);
    const time = dv.getFloat64(off + Frame.TIME, true);
    if (!Number.isSafeInteger(position) || position < 0 || !Number.isFinite(time) || time < 0) throw new RecordingError(`${where}: damaged frame (impossible position or time)`);
    const start = off + Segment.FRAME_HEADER_BYTES;
    if (start + payloadBytes > buf.length) break; // cut short by a kill: the data ends here
    const payload = buf.subarray(start, start + payloadBytes);
    if (zlib.crc32(payload) !== dv.getUint32(off + Frame.PAYLOAD_CRC, true)) throw new RecordingError(`${where}: damaged frame (checksum mismatch)`);
    if (!canDecompress(codec)) throw new RecordingError(`${file}: recorded with ${codecNames[codec]} compression, which this Node.js (${process.version}) cannot read; use Node.js 22.15 or newer`);
    let plain: Uint8Array;
    try {
      plain = decompress(codec, payload, words * 4 + valueBytes);
    } catch (e) {
      throw new RecordingError(`${where}: damaged frame (${(e as Error).message})`);
    }
    const wordBytes = new Uint8Array(words * 4);
    if (buf[off + Frame.SHUFFLE] === 1) unshuffleWords(plain.subarray(0, words * 4), wordBytes);
    else wordBytes.set(plain.subarray(0, words * 4));
    yield {
      thread: dv.getUint32(off + Frame.THREAD, true),
      chunkSeq: dv.getUint32(off + Frame.CHUNK_SEQ, true),
      words,
      data: new Int32Array(wordBytes.buffer, 0, words),
      position,
      time,
      valueBytes,
      values: plain.slice(words * 4),
      offset: off,
    };
    frames++;
    off = start + payloadBytes;
  }
  if (scan) {
    scan.frames = frames;
    scan.truncatedBytes = buf.length - off;
  }
}
