#!/usr/bin/env node
// Writes a synthetic recording in the real on-disk format (manifest, process.json, sites.jsonl,
// events.seg framed by the real FrameEncoder), for index and query benchmarks.
//
//   node bench/gen-recording.mjs --events N --out DIR [--threads T] [--codec zstd|brotli|none]
//
// Workload: requests `handle(i)` (argument and result captured as values), each running a binary
// tree of `work(d)` calls 4 deep (31 calls); one request in 500 has a leaf that throws, caught by
// its parent. Each leaf writes `s.k<leaf % 8> = i` on one of 1000 state objects (object i % 1000:
// a snapshot the first time, a reference after), so the writes table and keyframes are real.
// A TIME word every 16 events, 1 µs per 10 events. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FrameEncoder, fileHeader } from '../dist/recording/segment-writer.js';
import { bestCodec } from '../dist/recording/codec.js';
import { Codec } from '../dist/format/layout.js';
import { Kind, HAS_VALUE, word } from '../dist/format/events.js';

const { values: o } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, out: { type: 'string' }, threads: { type: 'string', default: '1' }, codec: { type: 'string' } } });
if (!o.out) {
  console.error('usage: node bench/gen-recording.mjs --events N --out DIR [--threads T] [--codec zstd|brotli|none]');
  process.exit(2);
}
const total = Number(o.events);
const threads = Number(o.threads);
const codec = o.codec ? { zstd: Codec.ZSTD, brotli: Codec.BROTLI, none: Codec.NONE }[o.codec] : bestCodec;
const pid = 4242;
const dir = o.out;
const pdir = path.join(dir, 'processes', String(pid));
fs.mkdirSync(pdir, { recursive: true, mode: 0o700 });
const now = Date.now();
const sites = [
  { kind: 'function', name: 'handle', line: 1, column: 0, params: ['i'] },
  { kind: 'function', name: 'work', line: 5, column: 0, params: ['d'] },
  { kind: 'function', name: 'leaf', line: 9, column: 0, params: [] },
  { kind: 'write', name: 'work', line: 6, column: 2, target: 's.k' },
];
fs.writeFileSync(path.join(pdir, 'sites.jsonl'), JSON.stringify({ file: '/synthetic/app.js', hash: 'synthetic', sites, base: 0, pid, thread: 0 }) + '\n');
const seg = fs.openSync(path.join(pdir, 'events.seg'), 'w', 0o600);
fs.writeSync(seg, fileHeader());
const enc = new FrameEncoder(codec);
const CHUNK_WORDS = 64 * 1024;
const perThread = Math.ceil(total / threads);
let written = 0;
let frames = 0;

function thread(tid) {
  const words = new Int32Array(CHUNK_WORDS);
  const vals = new Uint8Array(512 * 1024);
  const vdv = new DataView(vals.buffer);
  let n = 0, vn = 0, pos = 0, chunkSeq = 0, chunkTime = 0, events = 0, time = 0;
  const flush = () => {
    if (n === 0) return;
    const meta = { thread: tid, chunkSeq: chunkSeq++, words: n, position: pos, time: chunkTime, valueBytes: vn };
    fs.writeSync(seg, enc.encode(meta, new Uint8Array(words.buffer, 0, n * 4), vals.subarray(0, vn)));
    frames++;
    pos += n;
    n = 0;
    vn = 0;
    chunkTime = time;
  };
  const intRecord = (v, list) => {
    const start = vn;
    vn += 2;
    if (list) (vals[vn++] = 26), (vals[vn++] = 1);
    vals[vn++] = 4;
    for (let z = v * 2; ; z = Math.floor(z / 128)) {
      if (z < 128) { vals[vn++] = z; break; }
      vals[vn++] = (z % 128) | 128;
    }
    vdv.setUint16(start, vn - start - 2, true);
  };
  const seen = new Set();
  const str = (t) => { vals[vn++] = t.length; for (let k = 0; k < t.length; k++) vals[vn++] = t.charCodeAt(k); };
  const varint = (z) => { for (;; z = Math.floor(z / 128)) { if (z < 128) { vals[vn++] = z; break; } vals[vn++] = (z % 128) | 128; } };
  /** A write record: LIST [target (OBJECT snapshot first, REF after), "kN", INT value]. */
  const writeRecord = (id, key, v) => {
    const start = vn;
    vn += 2;
    vals[vn++] = 26, vals[vn++] = 3;
    if (seen.has(id)) (vals[vn++] = 11), varint(id);
    else (seen.add(id), (vals[vn++] = 12), varint(id), str('State'), varint(0), (vals[vn++] = 0), (vals[vn++] = 0));
    vals[vn++] = 6, str(key);
    vals[vn++] = 4, varint(v * 2);
    vdv.setUint16(start, vn - start - 2, true);
  };
  let leaves = 0;
  const emitWrite = (i) => {
    if (n + 4 > CHUNK_WORDS || vn + 64 > vals.length) flush();
    const seq = pos + n;
    words[n++] = word(Kind.WRITE | HAS_VALUE, 3);
    writeRecord((i % 1000) + 1, `k${leaves++ % 8}`, i);
    events++;
    return seq;
  };
  /** Emits one event; returns its seq. */
  const emit = (kind, site, value, list) => {
    if (n + 4 > CHUNK_WORDS || vn + 32 > vals.length) flush();
    if (events % 16 === 0) {
      time = Math.floor(events / 10);
      words[n++] = word(Kind.TIME, 0);
      words[n++] = time;
    }
    const seq = pos + n;
    words[n++] = word(kind | (value !== undefined ? HAS_VALUE : 0), site);
    if (value !== undefined) intRecord(value, list);
    events++;
    return seq;
  };
  const work = (d, throws, i) => {
    emit(Kind.CALL, d === 0 ? 2 : 1);
    if (d === 0) return emitWrite(i), emit(throws ? Kind.THROW : Kind.RETURN, 2), !throws;
    work(d - 1, false, i);
    work(d - 1, throws, i);
    emit(Kind.RETURN, 1);
    return true;
  };
  for (let i = 0; events < perThread; i++) {
    emit(Kind.CALL, 0, i, true);
    work(4, i % 500 === 499, i);
    emit(Kind.RETURN, 0, i * 2, false);
  }
  flush();
  written += events;
}
for (let t = 0; t < threads; t++) thread(t);
fs.closeSync(seg);
const segBytes = fs.statSync(path.join(pdir, 'events.seg')).size;
const counters = { events: written, dropped: 0, sampledOut: 0, evicted: 0, chunks: frames, bytes: segBytes };
const info = { pid, ppid: 1, parentPid: null, argv: ['node', '/synthetic/app.js'], node: process.version, mode: 'lossless', codec: { 0: 'none', 1: 'zstd', 2: 'brotli' }[codec], timeOrigin: now, startedAt: now, endedAt: now + written / 10000, threads: [...Array(threads).keys()], complete: true, exitCode: 0, endReason: 'exit', counters, skippedFiles: 0 };
fs.writeFileSync(path.join(pdir, 'process.json'), JSON.stringify(info, null, 2));
const manifest = { format: 'execution-cinema', version: 1, id: 'synthetic', command: ['node', '/synthetic/app.js'], cwd: '/synthetic', mode: 'lossless', startedAt: now, endedAt: now + written / 10000, exitCode: 0, signal: null, complete: true, processes: [pid] };
fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
console.log(JSON.stringify({ dir, events: written, segmentBytes: segBytes }));
