// The drain's per-chunk work, measured alone on real chunks: reads the chunks of a recording,
// then times what drain-worker.js does per chunk (countEvents, shuffle + compress + crc32 via
// FrameEncoder) for each codec this Node has, interleaved over rounds.
// Usage: node encode-child.mjs RECORDING_DIR [rounds]
import fs from 'node:fs';
import path from 'node:path';

const dist = new URL('../../dist/', import.meta.url);
const { readSegment } = await import(new URL('recording/segment-reader.js', dist));
const { FrameEncoder } = await import(new URL('recording/segment-writer.js', dist));
const { countEvents } = await import(new URL('capture/ring-writer.js', dist));
const { Codec } = await import(new URL('format/layout.js', dist));
const zlib = await import('node:zlib');

const [dir, roundsArg] = process.argv.slice(2);
const procs = path.join(dir, 'processes');
const seg = path.join(procs, fs.readdirSync(procs)[0], 'events.seg');
const chunks = [];
for (const c of readSegment(seg)) {
  if (c.words < 16 * 1024) continue; // full chunks only (partial ones are flushes)
  chunks.push({ meta: { thread: c.thread, chunkSeq: c.chunkSeq, words: c.words, position: c.position, time: c.time, valueBytes: c.values.length }, words: new Uint8Array(c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.words * 4)), values: c.values.slice() });
  if (chunks.length >= 60) break;
}
const codecs = { deflate1: Codec.DEFLATE, brotli4: Codec.BROTLI, ...(zlib.zstdCompressSync ? { zstd3: Codec.ZSTD } : {}), none: Codec.NONE };
const encoders = Object.fromEntries(Object.entries(codecs).map(([k, c]) => [k, new FrameEncoder(c)]));
const events = chunks.reduce((n, c) => n + countEvents(new Int32Array(c.words.buffer), 0, c.meta.words), 0);
const rawBytes = chunks.reduce((n, c) => n + c.words.length + c.values.length, 0);
const out = Object.fromEntries(Object.keys(codecs).map((k) => [k, { ms: [], bytes: 0 }]));
const names = Object.keys(codecs);
for (let r = 0; r < Number(roundsArg ?? 3); r++) {
  for (const k of names.map((_, i) => names[(i + r) % names.length])) {
    const t0 = performance.now();
    let bytes = 0;
    for (const c of chunks) {
      countEvents(new Int32Array(c.words.buffer), 0, c.meta.words);
      bytes += encoders[k].encode(c.meta, c.words, c.values).length;
    }
    out[k].ms.push(performance.now() - t0);
    out[k].bytes = bytes;
  }
}
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ chunks: chunks.length, events, rawBytes, codecs: out })}\n`);
