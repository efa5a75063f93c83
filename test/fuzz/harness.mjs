/**
 * Fuzz harness for the recording readers, shared by test/fuzz/readers.test.ts (a short fixed-seed
 * run in `npm test`) and bench/fuzz.mjs (long runs).
 *
 * It starts from real recordings (made by the CLI), derives multi-frame variants of them, and
 * applies one mutation per case: bit flips, truncations, frame swaps/duplicates/removals, header
 * fields rewritten with valid checksums, re-encoded frames with garbage words or values, value
 * records that are valid or hostile, and damaged JSON documents. Each case is written to a scratch
 * directory and read back with the library readers (Recording.open, computeStats, listEvents and
 * the CLI's text printer). The oracle: the read returns (with the expected answer, where one is
 * known) or throws a RecordingError with a one-line message. Anything else is an "other".
 *
 * Plain JS on purpose: the test imports it through vitest, the bench through plain Node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

export const FIXTURES = ['fib.mjs', 'values.mjs', 'workers.mjs', 'async.mjs'];

const FILE_HEADER = 16;
const FRAME_HEADER = 52;
const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;
const F = { MAGIC: 0, THREAD: 4, CHUNK_SEQ: 8, WORDS: 12, POSITION: 16, TIME: 24, VALUE_BYTES: 32, PAYLOAD_BYTES: 36, CODEC: 40, SHUFFLE: 41, PAYLOAD_CRC: 44, HEADER_CRC: 48 };
const K = { CALL: 1, RETURN: 2, THROW: 3, SUSPEND: 4, RESUME: 5, TIME: 6, MARK: 7, ERROR: 8 };
const HAS_VALUE = 0x80;
const TWO32 = 0x1_0000_0000;

// ───────────────────────────── library and recordings ─────────────────────────────

/** The compiled readers (run `npm run build` first). */
export async function loadLib(root) {
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const [recording, stats, events, writer, reader, layout, cli] = await Promise.all([
    imp('recording/recording.js'),
    imp('query/stats.js'),
    imp('query/events.js'),
    imp('recording/segment-writer.js'),
    imp('recording/segment-reader.js'),
    imp('format/layout.js'),
    imp('cli/commands/stats.js'),
  ]);
  return {
    Recording: recording.Recording,
    computeStats: stats.computeStats,
    listEvents: events.listEvents,
    FrameEncoder: writer.FrameEncoder,
    fileHeader: writer.fileHeader,
    readSegment: reader.readSegment,
    Codec: layout.Codec,
    printStats: cli.printStats,
  };
}

/** Records the fixtures with the real CLI into `outDir/<name>`; returns the directories. */
export function recordFixtures(root, outDir, fixtures = FIXTURES) {
  const dirs = [];
  for (const f of fixtures) {
    const dir = path.join(outDir, f.replace(/\.\w+$/, ''));
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'cinema.js'), 'record', '--quiet', '--out', dir, '--', process.execPath, path.join(root, 'test', 'fixtures', f)], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0 || !fs.existsSync(path.join(dir, 'manifest.json'))) throw new Error(`recording ${f} failed (${r.status}): ${r.stderr}`);
    dirs.push(dir);
  }
  return dirs;
}

function readTree(dir) {
  const files = new Map();
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else files.set(r, fs.readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  for (const k of [...files.keys()]) if (k.startsWith('sources/')) files.delete(k);
  return files;
}

/** Splits a segment buffer into its file header and frames (the file must be valid). */
function parseFrames(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames = [];
  let off = FILE_HEADER;
  while (off + FRAME_HEADER <= buf.length) {
    const payload = dv.getUint32(off + F.PAYLOAD_BYTES, true);
    const end = off + FRAME_HEADER + payload;
    if (end > buf.length) break;
    frames.push({
      start: off,
      end,
      thread: dv.getUint32(off + F.THREAD, true),
      chunkSeq: dv.getUint32(off + F.CHUNK_SEQ, true),
      words: dv.getUint32(off + F.WORDS, true),
      position: dv.getFloat64(off + F.POSITION, true),
    });
    off = end;
  }
  return frames;
}

function unwrap(previous, u) {
  const lo = previous % TWO32;
  return previous + ((u - lo + TWO32) % TWO32);
}

/** Cuts a chunk into pieces of at most `maxEvents` events, at event boundaries. */
function splitChunk(chunk, maxEvents) {
  const { data, values } = chunk;
  const pieces = [];
  let w0 = 0;
  let v0 = 0;
  let t0 = chunk.time;
  let time = chunk.time;
  let vpos = 0;
  let n = 0;
  for (let i = 0; i < data.length; ) {
    if (n >= maxEvents) {
      pieces.push({ w0, w1: i, v0, v1: vpos, time: t0 });
      w0 = i;
      v0 = vpos;
      t0 = time;
      n = 0;
    }
    const kb = data[i] >>> 24;
    const kind = kb & 0x7f;
    if (kind === K.TIME) {
      time = unwrap(time, data[i + 1] >>> 0);
      i += 2;
      continue;
    }
    i += kind === K.RESUME ? 2 : 1;
    if (kb & HAS_VALUE) vpos += 2 + (values[vpos] | (values[vpos + 1] << 8));
    n++;
  }
  pieces.push({ w0, w1: data.length, v0, v1: vpos, time: t0 });
  return pieces
    .filter((p) => p.w1 > p.w0)
    .map((p) => ({
      thread: chunk.thread,
      position: chunk.position + p.w0,
      time: p.time,
      words: new Uint8Array(data.buffer, data.byteOffset + p.w0 * 4, (p.w1 - p.w0) * 4).slice(),
      values: values.slice(p.v0, p.v1),
    }));
}

function encodeFrame(lib, codec, meta, words, values) {
  return Buffer.from(new lib.FrameEncoder(codec).encode({ chunkSeq: 0, ...meta, words: words.length / 4, valueBytes: values.length }, words, values));
}

const CODECS = (lib) => [lib.Codec.NONE, lib.Codec.DEFLATE, lib.Codec.BROTLI, ...(zlib.zstdCompressSync ? [lib.Codec.ZSTD] : [])];

/** A copy of `files` whose segments hold each chunk cut into frames of at most `maxEvents` events. */
function splitRecording(lib, files, maxEvents) {
  const out = new Map(files);
  const codecs = CODECS(lib);
  let c = 0;
  for (const [rel, buf] of files) {
    if (!rel.endsWith('/events.seg')) continue;
    const tmp = path.join(makeScratch('cinema-split-'), 'events.seg');
    fs.writeFileSync(tmp, buf);
    const parts = [Buffer.from(lib.fileHeader())];
    const seqs = new Map();
    for (const chunk of lib.readSegment(tmp)) {
      for (const p of splitChunk(chunk, maxEvents)) {
        const seq = seqs.get(p.thread) ?? 0;
        seqs.set(p.thread, seq + 1);
        parts.push(encodeFrame(lib, codecs[c++ % codecs.length], { thread: p.thread, chunkSeq: seq, position: p.position, time: p.time }, p.words, p.values));
      }
    }
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    out.set(rel, Buffer.concat(parts));
    // The process document counts the chunks its segment holds: keep it true to the new framing.
    const infoRel = rel.replace(/events\.seg$/, 'process.json');
    if (out.has(infoRel)) {
      const info = JSON.parse(out.get(infoRel).toString('utf8'));
      info.counters.chunks = parts.length - 1;
      out.set(infoRel, Buffer.from(JSON.stringify(info)));
    }
  }
  return out;
}

/** What a successful read answers: per-process event counts and every event row. */
function answer(lib, dir) {
  const rec = lib.Recording.open(dir);
  const stats = lib.computeStats(rec);
  const rows = lib.listEvents(rec, { limit: Infinity });
  const lines = [];
  lib.printStats(stats, { out: (l) => lines.push(l), err: () => {}, help: () => 0 });
  return { stats, rows };
}

/** Everything a case needs to know about one base recording. */
function describe(lib, name, files, scratch) {
  const dir = writeCase(scratch, files);
  const { stats, rows } = answer(lib, dir);
  const procs = [];
  let r = 0;
  for (const p of stats.processes) {
    const segRel = `processes/${p.pid}/events.seg`;
    const seg = files.get(segRel);
    const frames = seg ? parseFrames(seg) : [];
    for (const f of frames) {
      f.rows = [];
      while (r < rows.length && rows[r].pid === p.pid && rows[r].thread === f.thread && rows[r].seq < f.position + f.words) f.rows.push(JSON.stringify(rows[r++]));
    }
    if (frames.reduce((n, f) => n + f.rows.length, 0) !== p.events) throw new Error(`${name}: could not map events of pid ${p.pid} to frames`);
    procs.push({ pid: p.pid, segRel, frames, segBytes: seg?.length ?? 0 });
  }
  if (r !== rows.length) throw new Error(`${name}: ${rows.length - r} events not mapped to frames`);
  return { name, files, procs, rows: rows.map((x) => JSON.stringify(x)), perProc: stats.processes.map((p) => [p.pid, p.events]) };
}

/**
 * The base recordings: the originals and variants with every chunk cut into small frames, so
 * that truncation and frame operations have many frames to work on. A variant must read back
 * exactly the events of its original (checked here).
 */
export function makeCorpus(lib, recDirs, scratch) {
  const corpus = [];
  for (const dir of recDirs) {
    const files = readTree(dir);
    const name = path.basename(dir);
    const base = describe(lib, name, files, scratch);
    corpus.push(base);
    // small frames, but not so many that a case gets slow (every case reads every frame)
    const events = base.rows.length;
    for (const maxEvents of [Math.max(5, Math.ceil(events / 40)), Math.max(40, Math.ceil(events / 8))]) {
      const split = describe(lib, `${name}/split${maxEvents}`, splitRecording(lib, files, maxEvents), scratch);
      if (JSON.stringify(split.rows) !== JSON.stringify(base.rows)) throw new Error(`${name}: split into frames of ${maxEvents} events reads back different events`);
      corpus.push(split);
    }
  }
  return corpus;
}

// ───────────────────────────── writing a case ─────────────────────────────

/** A fresh scratch directory, in memory (/dev/shm) where there is one: cases write many small files. */
export function makeScratch(prefix = 'cinema-fuzz-') {
  let root = os.tmpdir();
  try {
    if (fs.statSync('/dev/shm').isDirectory()) {
      fs.accessSync('/dev/shm', fs.constants.W_OK);
      root = '/dev/shm';
    }
  } catch {
    // no /dev/shm: the temp directory
  }
  return fs.mkdtempSync(path.join(root, prefix));
}

/** Writes a case's files (Buffer: a file, 'dir': a directory, null: left out) to a fresh directory. */
export function writeCase(scratch, files) {
  const dir = path.join(scratch, 'rec');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, data] of files) {
    if (data === null) continue;
    const p = path.join(dir, rel);
    if (data === 'dir') {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  }
  return dir;
}

// ───────────────────────────── value records ─────────────────────────────

class Bytes {
  a = [];
  byte(b) {
    this.a.push(b & 0xff);
  }
  u16(n) {
    this.a.push(n & 0xff, (n >>> 8) & 0xff);
  }
  varint(n) {
    while (n >= 128) {
      this.a.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    this.a.push(n);
  }
  raw(b) {
    for (const x of b) this.a.push(x);
  }
  str(s) {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.raw(b);
  }
  f64(x) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    this.raw(b);
  }
}

const num = (n) => (Number.isFinite(n) && !Object.is(n, -0) ? n : { type: 'number', text: Object.is(n, -0) ? '-0' : String(n) });

/** Encodes a value spec (see valueSpec) as the writer would, and returns what the reader must decode. */
export function encodeValue(spec, out) {
  const [t, ...a] = spec;
  switch (t) {
    case 'undefined':
      out.byte(0);
      return { type: 'undefined' };
    case 'null':
      out.byte(1);
      return null;
    case 'bool':
      out.byte(a[0] ? 2 : 3);
      return a[0];
    case 'int':
      out.byte(4);
      out.varint(a[0] >= 0 ? a[0] * 2 : -a[0] * 2 - 1);
      return a[0];
    case 'float':
      out.byte(5);
      out.f64(a[0]);
      return num(a[0]);
    case 'string':
      out.byte(6);
      out.str(a[0]);
      return a[0];
    case 'strtrunc':
      out.byte(7);
      out.varint(a[0]);
      out.str(a[1]);
      return { type: 'string', value: a[1], length: a[0], truncated: true };
    case 'bigint':
      out.byte(8);
      out.str(a[0]);
      return { type: 'bigint', value: a[0] };
    case 'symbol':
      out.byte(9);
      out.str(a[0]);
      return { type: 'symbol', description: a[0] };
    case 'function':
      out.byte(10);
      out.varint(a[0]);
      out.str(a[1]);
      return { type: 'function', id: a[0], name: a[1] };
    case 'ref':
      out.byte(11);
      out.varint(a[0]);
      return { type: 'ref', id: a[0] };
    case 'object': {
      out.byte(12);
      out.varint(a[0]);
      out.str(a[1]);
      out.varint(a[2]);
      out.u16(a[3].length);
      const entries = a[3].map(([k, v]) => (out.str(k), [k, encodeValue(v, out)]));
      return { type: 'object', id: a[0], class: a[1], keys: a[2], entries };
    }
    case 'array': {
      out.byte(13);
      out.varint(a[0]);
      out.varint(a[1]);
      out.u16(a[2].length);
      return { type: 'array', id: a[0], length: a[1], items: a[2].map((v) => encodeValue(v, out)) };
    }
    case 'error':
      out.byte(14);
      out.varint(a[0]);
      out.str(a[1]);
      out.str(a[2]);
      out.str(a[3]);
      return { type: 'error', id: a[0], name: a[1], message: a[2], stack: a[3] };
    case 'map': {
      out.byte(15);
      out.varint(a[0]);
      out.varint(a[1]);
      out.u16(a[2].length);
      return { type: 'map', id: a[0], size: a[1], entries: a[2].map(([k, v]) => [encodeValue(k, out), encodeValue(v, out)]) };
    }
    case 'set': {
      out.byte(16);
      out.varint(a[0]);
      out.varint(a[1]);
      out.u16(a[2].length);
      return { type: 'set', id: a[0], size: a[1], items: a[2].map((v) => encodeValue(v, out)) };
    }
    case 'date':
      out.byte(17);
      out.f64(a[0]);
      return { type: 'date', time: a[0] };
    case 'bytes':
      out.byte(18);
      out.varint(a[0]);
      out.str(a[1]);
      out.varint(a[2]);
      out.varint(a[3].length);
      out.raw(a[3]);
      return { type: 'bytes', id: a[0], class: a[1], length: a[2], hex: Buffer.from(a[3]).toString('hex') };
    case 'proxy':
      out.byte(19);
      out.varint(a[0]);
      return { type: 'proxy', id: a[0] };
    case 'accessor':
      out.byte(20);
      out.byte(a[0]);
      return { type: 'accessor', get: (a[0] & 1) !== 0, set: (a[0] & 2) !== 0 };
    case 'depth':
      out.byte(21);
      out.str(a[0]);
      return { type: 'depth-limit', class: a[0] };
    case 'redacted':
      out.byte(22);
      return { type: 'redacted' };
    case 'truncated':
      out.byte(23);
      return { type: 'truncated' };
    case 'regexp':
      out.byte(24);
      out.str(a[0]);
      out.str(a[1]);
      return { type: 'regexp', source: a[0], flags: a[1] };
    case 'opaque':
      out.byte(25);
      out.varint(a[0]);
      out.str(a[1]);
      return { type: 'opaque', id: a[0], class: a[1] };
    case 'list':
      out.byte(26);
      out.varint(a[0].length);
      return { type: 'list', items: a[0].map((v) => encodeValue(v, out)) };
    default:
      throw new Error(`unknown spec ${t}`);
  }
}

/** Arbitrary value specs (valid values as the writer encodes them). */
export function valueSpec(fc) {
  const id = fc.nat({ max: 2 ** 40 });
  const s = fc.string({ unit: 'grapheme', maxLength: 12 });
  const f64 = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 2 ** 53, 5e-324));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(['undefined']),
      fc.constant(['null']),
      fc.tuple(fc.constant('bool'), fc.boolean()),
      fc.tuple(fc.constant('int'), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
      fc.tuple(fc.constant('float'), f64),
      fc.tuple(fc.constant('string'), s),
      fc.tuple(fc.constant('strtrunc'), fc.nat({ max: 2 ** 31 }), s),
      fc.tuple(fc.constant('bigint'), fc.bigInt().map(String)),
      fc.tuple(fc.constant('symbol'), s),
      fc.tuple(fc.constant('function'), id, s),
      fc.tuple(fc.constant('ref'), id),
      fc.tuple(fc.constant('object'), id, s, fc.nat({ max: 1000 }), fc.array(fc.tuple(s, tie('value')), { maxLength: 4 })),
      fc.tuple(fc.constant('array'), id, fc.nat({ max: 2 ** 32 }), fc.array(tie('value'), { maxLength: 4 })),
      fc.tuple(fc.constant('error'), id, s, s, s),
      fc.tuple(fc.constant('map'), id, fc.nat(), fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 })),
      fc.tuple(fc.constant('set'), id, fc.nat(), fc.array(tie('value'), { maxLength: 3 })),
      fc.tuple(fc.constant('date'), f64),
      fc.tuple(fc.constant('bytes'), id, s, fc.nat(), fc.uint8Array({ maxLength: 16 })),
      fc.tuple(fc.constant('proxy'), id),
      fc.tuple(fc.constant('accessor'), fc.nat({ max: 3 })),
      fc.tuple(fc.constant('depth'), s),
      fc.constant(['redacted']),
      fc.constant(['truncated']),
      fc.tuple(fc.constant('regexp'), s, fc.constantFrom('', 'g', 'gimsuy')),
      fc.tuple(fc.constant('opaque'), id, s),
      fc.tuple(fc.constant('list'), fc.array(tie('value'), { maxLength: 4 })),
    ),
  }));
  return value;
}

/** Hostile value records: each must be refused (a RecordingError), never crash or allocate much. */
export const HOSTILE_VALUES = [
  ['nesting too deep', () => {
    const b = new Bytes();
    for (let i = 0; i < 200; i++) b.raw([26, 1]); // list of one list of one list…
    b.byte(1);
    return b.a;
  }],
  ['list count huge', () => [26, 0xff, 0xff, 0xff, 0xff, 0x0f]],
  ['object kept count 65535, no bytes', () => [12, 0, 0, 0, 0xff, 0xff]],
  ['array kept count 65535, no bytes', () => [13, 0, 0, 0xff, 0xff]],
  ['map kept count 65535, no bytes', () => [15, 0, 0, 0xff, 0xff]],
  ['set kept count 65535 of nulls cut', () => [16, 0, 0, 0xff, 0xff, 1, 1, 1]],
  ['varint of 9 bytes', () => [11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
  ['string length 2^40', () => [6, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x61]],
  ['string length 2^53', () => [6, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]],
  ['typed array bytes 2^31', () => [18, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08]],
  ['float cut short', () => [5, 0, 0, 0]],
  ['tag 27', () => [27]],
  ['tag 255', () => [255]],
  ['empty record', () => []],
  ['object key cut', () => [12, 0, 0, 1, 1, 0, 5, 0x61]],
];

// ───────────────────────────── cases ─────────────────────────────

export const FAMILIES = ['bitflip', 'truncate', 'fileHeader', 'frameOps', 'headerField', 'garbageWords', 'garbageValues', 'valueRoundTrip', 'hostileValue', 'manifest', 'processJson', 'sitesJsonl', 'structure'];

const jsonValue = (fc) => fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 6 }), fc.constant([]), fc.constant({}), fc.constant([1, 'x']), fc.constant({ a: null }));

/** Arbitrary cases of one family (or of all families when none is given). */
export function caseArb(fc, family) {
  const n = fc.nat();
  const arbs = {
    bitflip: fc.record({ family: fc.constant('bitflip'), rec: n, proc: n, flips: fc.array(n, { minLength: 1, maxLength: 3 }), burst: fc.option(fc.tuple(n, fc.uint8Array({ minLength: 1, maxLength: 8 }))) }),
    truncate: fc.record({
      family: fc.constant('truncate'),
      rec: n,
      proc: n,
      where: fc.constantFrom('frameEnd', 'inFrameHeader', 'frameHeaderEnd', 'inPayload', 'inFileHeader', 'anywhere'),
      frame: n,
      r: n,
    }),
    fileHeader: fc.record({
      family: fc.constant('fileHeader'),
      rec: n,
      proc: n,
      version: fc.oneof(fc.integer({ min: 2, max: 0xffffffff }), fc.constantFrom(0, 2, 0xffffffff, 0x80000000)),
      magic: fc.boolean(),
    }),
    frameOps: fc.record({ family: fc.constant('frameOps'), rec: n, proc: n, op: fc.constantFrom('swap', 'dup', 'remove'), i: n, j: n }),
    headerField: fc.record({
      family: fc.constant('headerField'),
      rec: n,
      proc: n,
      frame: n,
      field: fc.constantFrom('THREAD', 'CHUNK_SEQ', 'WORDS', 'POSITION', 'TIME', 'VALUE_BYTES', 'PAYLOAD_BYTES', 'CODEC', 'SHUFFLE', 'RESERVED'),
      u32: fc.oneof(fc.nat(), fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 0x80000000, MAX_FRAME_PAYLOAD, MAX_FRAME_PAYLOAD + 1, MAX_FRAME_PAYLOAD / 4), fc.nat({ max: 64 })),
      delta: fc.integer({ min: -8, max: 8 }),
      useDelta: fc.boolean(),
      f64: fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 2 ** 53, 2 ** 60, 0.5, -0)),
    }),
    garbageWords: fc.record({
      family: fc.constant('garbageWords'),
      rec: n,
      proc: n,
      frame: n,
      mode: fc.constantFrom('replace', 'poke', 'append', 'drop'),
      words: fc.array(
        fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.tuple(fc.nat({ max: 9 }), fc.boolean(), fc.nat({ max: 0xffffff })).map(([k, v, s]) => ((k | (v ? HAS_VALUE : 0)) << 24) | s)),
        { maxLength: 40 },
      ),
      at: n,
    }),
    garbageValues: fc.record({
      family: fc.constant('garbageValues'),
      rec: n,
      proc: n,
      frame: n,
      mode: fc.constantFrom('replace', 'flip', 'cut', 'append', 'lengths'),
      bytes: fc.uint8Array({ maxLength: 300 }),
      at: n,
    }),
    valueRoundTrip: fc.record({ family: fc.constant('valueRoundTrip'), rec: n, values: fc.array(valueSpec(fc), { minLength: 1, maxLength: 4 }), codec: n }),
    hostileValue: fc.record({ family: fc.constant('hostileValue'), rec: n, which: fc.nat({ max: HOSTILE_VALUES.length - 1 }), wrap: fc.boolean() }),
    manifest: fc.record({
      family: fc.constant('manifest'),
      rec: n,
      mode: fc.constantFrom('version', 'badVersion', 'field', 'cut', 'garbage', 'missing', 'notObject'),
      version: fc.integer({ min: 2, max: 2 ** 31 }),
      bad: fc.constantFrom(0, -1, 1.5, '1', null, true, [], {}, NaN),
      field: fc.constantFrom('format', 'id', 'command', 'cwd', 'mode', 'startedAt', 'endedAt', 'exitCode', 'signal', 'complete', 'processes'),
      value: jsonValue(fc),
      cut: n,
      garbage: fc.uint8Array({ maxLength: 40 }),
    }),
    processJson: fc.record({
      family: fc.constant('processJson'),
      rec: n,
      proc: n,
      mode: fc.constantFrom('field', 'delete', 'cut', 'garbage', 'missing', 'notObject', 'counters'),
      field: fc.constantFrom('pid', 'ppid', 'parentPid', 'argv', 'node', 'mode', 'codec', 'timeOrigin', 'startedAt', 'endedAt', 'threads', 'complete', 'exitCode', 'endReason', 'counters', 'skippedFiles'),
      value: jsonValue(fc),
      cut: n,
      garbage: fc.uint8Array({ maxLength: 40 }),
    }),
    sitesJsonl: fc.record({
      family: fc.constant('sitesJsonl'),
      rec: n,
      proc: n,
      mode: fc.constantFrom('line', 'cut', 'garbage', 'missing', 'siteField', 'moduleField'),
      line: jsonValue(fc),
      field: fc.constantFrom('base', 'file', 'sites', 'name', 'line', 'column', 'kind'),
      value: jsonValue(fc),
      cut: n,
      garbage: fc.uint8Array({ maxLength: 40 }),
    }),
    structure: fc.record({
      family: fc.constant('structure'),
      rec: n,
      proc: n,
      what: fc.constantFrom('segIsDir', 'processJsonIsDir', 'manifestIsDir', 'processesIsFile', 'procDirIsFile', 'noProcesses', 'emptySeg', 'sitesIsDir', 'skippedGarbage', 'extraProcDir'),
    }),
  };
  if (family) return arbs[family];
  return fc.oneof(...FAMILIES.map((f) => arbs[f]));
}

const pick = (arr, i) => arr[i % arr.length];

function parses(buf) {
  try {
    JSON.parse(buf.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function withHeaderCrc(buf, start) {
  buf.writeUInt32LE(zlib.crc32(buf.subarray(start, start + F.HEADER_CRC)) >>> 0, start + F.HEADER_CRC);
}

function rowsOf(base, keep) {
  // keep: Map pid -> frame list (in file order) or undefined (all)
  const out = [];
  for (const p of base.procs) for (const f of keep.get(p.pid) ?? p.frames) out.push(...f.rows);
  return out;
}

function frameData(lib, base, segBuf, f) {
  // decode one frame of a valid segment with the real reader
  const tmp = makeScratch('cinema-frame-');
  try {
    const file = path.join(tmp, 'events.seg');
    fs.writeFileSync(file, Buffer.concat([segBuf.subarray(0, FILE_HEADER), segBuf.subarray(f.start, f.end)]));
    const [chunk] = lib.readSegment(file);
    return chunk;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const chunkCache = new WeakMap();
function chunkOf(lib, base, proc, f) {
  let c = chunkCache.get(f);
  if (!c) {
    c = frameData(lib, base, base.files.get(proc.segRel), f);
    chunkCache.set(f, c);
  }
  return c;
}

function reencode(lib, base, proc, f, words, values) {
  const seg = base.files.get(proc.segRel);
  const frame = encodeFrame(lib, lib.Codec.DEFLATE, { thread: f.thread, chunkSeq: f.chunkSeq, position: f.position, time: chunkOf(lib, base, proc, f).time }, words, values);
  return Buffer.concat([seg.subarray(0, f.start), frame, seg.subarray(f.end)]);
}

const wordBytes = (chunk) => new Uint8Array(chunk.data.buffer, chunk.data.byteOffset, chunk.data.length * 4).slice();

/**
 * Resolves a case against the corpus: the files to write and what the read must give.
 * expect: { kind: 'same' } (the base answer, or a RecordingError), { kind: 'exact', rows, truncated }
 * (that answer; no error), { kind: 'error', mention } (a RecordingError naming `mention`),
 * { kind: 'any' } (an answer or a RecordingError), { kind: 'values', values } (those decoded values).
 */
export function applyCase(lib, corpus, c) {
  const base = pick(corpus, c.rec);
  const files = new Map(base.files);
  const procsWithSeg = base.procs.filter((p) => files.has(p.segRel));
  const proc = pick(procsWithSeg.length ? procsWithSeg : base.procs, c.proc ?? 0);
  const seg = files.get(proc.segRel);
  const json = (rel) => JSON.parse(files.get(rel).toString('utf8'));
  const setJson = (rel, v) => files.set(rel, Buffer.from(JSON.stringify(v)));
  const procRel = `processes/${proc.pid}/process.json`;
  const sitesRel = `processes/${proc.pid}/sites.jsonl`;
  const frames = proc.frames;

  switch (c.family) {
    case 'bitflip': {
      const b = Buffer.from(seg);
      for (const bit of c.flips) {
        const i = bit % (b.length * 8);
        b[i >> 3] ^= 1 << (i & 7);
      }
      if (c.burst) {
        const at = c.burst[0] % b.length;
        b.set(c.burst[1].subarray(0, b.length - at), at);
      }
      files.set(proc.segRel, b);
      const same = b.equals(seg) || b.subarray(0, 12).equals(seg.subarray(0, 12)) && b.subarray(16).equals(seg.subarray(16));
      return { files, expect: same ? { kind: 'exact', rows: base.rows } : { kind: 'same' }, base };
    }
    case 'truncate': {
      let at;
      const f = frames.length ? pick(frames, c.frame) : null;
      switch (f ? c.where : 'inFileHeader') {
        case 'frameEnd':
          at = f.end;
          break;
        case 'inFrameHeader':
          at = f.start + 1 + (c.r % (FRAME_HEADER - 1));
          break;
        case 'frameHeaderEnd':
          at = f.start + FRAME_HEADER;
          break;
        case 'inPayload':
          at = f.start + FRAME_HEADER + (c.r % Math.max(1, f.end - f.start - FRAME_HEADER));
          break;
        case 'inFileHeader':
          at = c.r % (FILE_HEADER + 1);
          break;
        default:
          at = c.r % (seg.length + 1);
      }
      files.set(proc.segRel, seg.subarray(0, at));
      if (at < FILE_HEADER) {
        // a file without its header: refuse, or read nothing from it
        const keep = new Map([[proc.pid, []]]);
        return { files, expect: { kind: 'exact', rows: rowsOf(base, keep), orError: true }, base };
      }
      const kept = frames.filter((x) => x.end <= at);
      const lastEnd = kept.length ? kept[kept.length - 1].end : FILE_HEADER;
      return { files, expect: { kind: 'exact', rows: rowsOf(base, new Map([[proc.pid, kept]])), truncated: [proc.pid, at - lastEnd] }, base };
    }
    case 'fileHeader': {
      const b = Buffer.from(seg);
      if (c.magic) {
        b[c.version % 8] ^= 0x20;
        files.set(proc.segRel, b);
        return { files, expect: { kind: 'error', mention: 'magic' }, base };
      }
      b.writeUInt32LE(c.version >>> 0, 8);
      files.set(proc.segRel, b);
      return { files, expect: { kind: 'error', mention: String(c.version >>> 0) }, base };
    }
    case 'frameOps': {
      if (frames.length === 0) return { files, expect: { kind: 'exact', rows: base.rows }, base };
      const i = c.i % frames.length;
      const j = c.j % frames.length;
      const order = frames.map((_, k) => k);
      if (c.op === 'swap') [order[i], order[j]] = [order[j], order[i]];
      else if (c.op === 'dup') order.splice(j, 0, i);
      else order.splice(i, 1);
      const parts = [seg.subarray(0, FILE_HEADER), ...order.map((k) => seg.subarray(frames[k].start, frames[k].end))];
      files.set(proc.segRel, Buffer.concat(parts));
      const reordered = order.map((k) => frames[k]);
      // Per thread, the frames must still be in stream order with nothing repeated or missing,
      // otherwise the reader must notice: the answer is the base's (up to the interleaving of
      // threads), or a RecordingError.
      const byThread = (list) => {
        const m = new Map();
        for (const f of list) {
          if (!m.has(f.thread)) m.set(f.thread, []);
          m.get(f.thread).push(f);
        }
        return m;
      };
      const before = byThread(frames);
      const after = byThread(reordered);
      let intact = true;
      let tailLoss = true; // only the last frames of threads went missing (indistinguishable from a kill)
      for (const [t, list] of before) {
        const now = after.get(t) ?? [];
        if (now.length !== list.length || now.some((f, k) => f !== list[k])) intact = false;
        if (!(now.length <= list.length && now.every((f, k) => f === list[k]))) tailLoss = false;
      }
      if (intact) return { files, expect: { kind: 'exact', rows: rowsOf(base, new Map([[proc.pid, reordered]])) }, base };
      if (tailLoss) return { files, expect: { kind: 'exact', rows: rowsOf(base, new Map([[proc.pid, reordered]])), orError: true }, base };
      return { files, expect: { kind: 'same', perThread: true }, base };
    }
    case 'headerField': {
      if (frames.length === 0) return { files, expect: { kind: 'exact', rows: base.rows }, base };
      const f = pick(frames, c.frame);
      const b = Buffer.from(seg);
      const o = f.start;
      const cur = (field) => b.readUInt32LE(o + F[field]);
      const u32 = (field) => (c.useDelta ? (cur(field) + c.delta) >>> 0 : c.u32 >>> 0);
      let expect = { kind: 'any', sane: true };
      switch (c.field) {
        case 'POSITION':
        case 'TIME':
          b.writeDoubleLE(c.f64, o + F[c.field]);
          break;
        case 'CODEC':
        case 'SHUFFLE': {
          const v = (c.useDelta ? b[o + F[c.field]] + c.delta : c.u32) & 0xff;
          b[o + F[c.field]] = v;
          if (c.field === 'CODEC' && v > 3) expect = { kind: 'error', mention: 'codec' };
          break;
        }
        case 'RESERVED':
          b.writeUInt16LE(u32('CODEC') & 0xffff, o + 42);
          expect = { kind: 'exact', rows: base.rows };
          break;
        default: {
          const v = u32(c.field);
          b.writeUInt32LE(v, o + F[c.field]);
          if (c.field === 'PAYLOAD_BYTES' && v > MAX_FRAME_PAYLOAD) expect = { kind: 'error' };
          if ((c.field === 'WORDS' || c.field === 'VALUE_BYTES') && cur('WORDS') * 4 + cur('VALUE_BYTES') > MAX_FRAME_PAYLOAD) expect = { kind: 'error' };
          if (c.field === 'PAYLOAD_BYTES' && v !== f.end - f.start - FRAME_HEADER && v <= MAX_FRAME_PAYLOAD) {
            // longer than the file: reads as a cut-short tail; otherwise the payload checksum fails
            if (o + FRAME_HEADER + v > b.length) {
              const kept = frames.filter((x) => x.end <= o);
              expect = { kind: 'exact', rows: rowsOf(base, new Map([[proc.pid, kept]])), truncated: [proc.pid, b.length - o], orError: true };
            } else expect = { kind: 'error' };
          }
        }
      }
      withHeaderCrc(b, o);
      files.set(proc.segRel, b);
      return { files, expect, base };
    }
    case 'garbageWords': {
      if (frames.length === 0) return { files, expect: { kind: 'exact', rows: base.rows }, base };
      const f = pick(frames, c.frame);
      const chunk = chunkOf(lib, base, proc, f);
      let words = Array.from(chunk.data);
      const g = c.words.length ? c.words : [0];
      if (c.mode === 'replace') words = g;
      else if (c.mode === 'poke') for (let k = 0; k < g.length && words.length; k++) words[(c.at + k * 7) % words.length] = g[k];
      else if (c.mode === 'append') words.splice(c.at % (words.length + 1), 0, ...g);
      else words.splice(c.at % Math.max(1, words.length), 1 + (g.length % 4));
      const wb = new Uint8Array(Int32Array.from(words).buffer);
      files.set(proc.segRel, reencode(lib, base, proc, f, wb, chunk.values));
      return { files, expect: { kind: 'any', sane: true }, base };
    }
    case 'garbageValues': {
      if (frames.length === 0) return { files, expect: { kind: 'exact', rows: base.rows }, base };
      // prefer a frame that has values
      const withValues = frames.filter((x) => chunkOf(lib, base, proc, x).values.length > 0);
      const f = pick(withValues.length ? withValues : frames, c.frame);
      const chunk = chunkOf(lib, base, proc, f);
      let v = Buffer.from(chunk.values);
      const g = Buffer.from(c.bytes);
      switch (c.mode) {
        case 'replace':
          v = g;
          break;
        case 'flip':
          if (v.length) for (let k = 0; k < Math.max(1, g.length % 5); k++) v[(c.at + (g[k] ?? 0) * 31) % v.length] ^= 1 << (k & 7);
          break;
        case 'cut':
          v = v.subarray(0, c.at % (v.length + 1));
          break;
        case 'append':
          v = Buffer.concat([v, g]);
          break;
        case 'lengths': {
          // rewrite the u16 record lengths (the reader must stay within the chunk)
          let p = 0;
          let k = 0;
          while (p + 2 <= v.length) {
            const len = v.readUInt16LE(p);
            if (k++ === c.at % 8) v.writeUInt16LE(g.length >= 2 ? g.readUInt16LE(0) : 0xffff - (g[0] ?? 0), p);
            p += 2 + len;
          }
        }
      }
      files.set(proc.segRel, reencode(lib, base, proc, f, wordBytes(chunk), v));
      return { files, expect: { kind: 'any', sane: true }, base };
    }
    case 'valueRoundTrip':
    case 'hostileValue': {
      const out = new Bytes();
      const words = [];
      const expected = [];
      const specs = c.family === 'valueRoundTrip' ? c.values : [null];
      for (const spec of specs) {
        const rec = new Bytes();
        if (spec) expected.push(encodeValue(spec, rec));
        else {
          const bytes = HOSTILE_VALUES[c.which][1]();
          if (c.wrap) rec.raw([26, 1]);
          rec.raw(bytes);
        }
        if (rec.a.length > 0xffff) return applyCase(lib, corpus, { ...c, values: specs.slice(0, 1).map(() => ['null']) });
        out.u16(rec.a.length);
        out.raw(rec.a);
        words.push(((K.MARK | HAS_VALUE) << 24) | 1);
      }
      const wb = new Uint8Array(Int32Array.from(words).buffer);
      const codecs = CODECS(lib);
      const frame = encodeFrame(lib, c.family === 'valueRoundTrip' ? pick(codecs, c.codec) : lib.Codec.NONE, { thread: 0, chunkSeq: 0, position: 0, time: 0 }, wb, Uint8Array.from(out.a));
      for (const p of base.procs) files.set(p.segRel, Buffer.alloc(FILE_HEADER)); // replaced below
      for (const p of base.procs) files.set(p.segRel, Buffer.from(lib.fileHeader()));
      files.set(base.procs[0].segRel, Buffer.concat([Buffer.from(lib.fileHeader()), frame]));
      if (c.family === 'hostileValue') return { files, expect: { kind: 'error' }, base };
      return { files, expect: { kind: 'values', values: expected }, base };
    }
    case 'manifest': {
      const m = json('manifest.json');
      switch (c.mode) {
        case 'version':
          setJson('manifest.json', { ...m, version: c.version });
          return { files, expect: { kind: 'error', mention: `version ${c.version}` }, base };
        case 'badVersion':
          setJson('manifest.json', { ...m, version: c.bad });
          return { files, expect: { kind: 'error' }, base };
        case 'field':
          setJson('manifest.json', { ...m, [c.field]: c.value });
          return { files, expect: c.field === 'format' && c.value !== 'execution-cinema' ? { kind: 'error' } : { kind: 'any' }, base };
        case 'cut': {
          const t = files.get('manifest.json');
          files.set('manifest.json', t.subarray(0, c.cut % t.length));
          return { files, expect: parses(files.get('manifest.json')) ? { kind: 'any' } : { kind: 'error' }, base };
        }
        case 'garbage':
          files.set('manifest.json', Buffer.from(c.garbage));
          return { files, expect: { kind: 'error' }, base };
        case 'missing':
          files.set('manifest.json', null);
          return { files, expect: { kind: 'error' }, base };
        default:
          files.set('manifest.json', Buffer.from(JSON.stringify(c.value === null || typeof c.value !== 'object' || Array.isArray(c.value) ? c.value : [c.value])));
          return { files, expect: { kind: 'error' }, base };
      }
    }
    case 'processJson': {
      const p = json(procRel);
      switch (c.mode) {
        case 'field':
          setJson(procRel, { ...p, [c.field]: c.value });
          break;
        case 'delete': {
          const q = { ...p };
          delete q[c.field];
          setJson(procRel, q);
          break;
        }
        case 'counters':
          setJson(procRel, { ...p, counters: { ...p.counters, [pick(Object.keys(p.counters), c.cut)]: c.value } });
          break;
        case 'cut': {
          const t = files.get(procRel);
          files.set(procRel, t.subarray(0, c.cut % t.length));
          return { files, expect: parses(files.get(procRel)) ? { kind: 'any' } : { kind: 'error' }, base };
        }
        case 'garbage':
          files.set(procRel, Buffer.from(c.garbage));
          return { files, expect: { kind: 'any' }, base };
        case 'missing':
          files.set(procRel, null);
          return { files, expect: { kind: 'any' }, base };
        default:
          files.set(procRel, Buffer.from(JSON.stringify(c.value)));
      }
      return { files, expect: { kind: 'any' }, base };
    }
    case 'sitesJsonl': {
      const text = files.get(sitesRel)?.toString('utf8') ?? '';
      const lines = text.split('\n').filter(Boolean);
      switch (c.mode) {
        case 'line':
          lines.splice(c.cut % (lines.length + 1), 0, JSON.stringify(c.line));
          files.set(sitesRel, Buffer.from(lines.join('\n') + '\n'));
          break;
        case 'cut':
          files.set(sitesRel, Buffer.from(text).subarray(0, c.cut % (text.length + 1)));
          break;
        case 'garbage':
          files.set(sitesRel, Buffer.concat([Buffer.from(text), Buffer.from(c.garbage)]));
          break;
        case 'missing':
          files.set(sitesRel, null);
          break;
        case 'moduleField': {
          if (!lines.length) break;
          const k = c.cut % lines.length;
          lines[k] = JSON.stringify({ ...JSON.parse(lines[k]), [c.field]: c.value });
          files.set(sitesRel, Buffer.from(lines.join('\n') + '\n'));
          break;
        }
        default: {
          if (!lines.length) break;
          const k = c.cut % lines.length;
          const mod = JSON.parse(lines[k]);
          if (Array.isArray(mod.sites) && mod.sites.length) {
            const s = c.cut % mod.sites.length;
            mod.sites[s] = c.field === 'kind' && c.value === null ? null : { ...mod.sites[s], [c.field]: c.value };
          }
          lines[k] = JSON.stringify(mod);
          files.set(sitesRel, Buffer.from(lines.join('\n') + '\n'));
        }
      }
      return { files, expect: { kind: 'any' }, base };
    }
    case 'structure': {
      const pdir = `processes/${proc.pid}`;
      switch (c.what) {
        case 'segIsDir':
          files.set(proc.segRel, 'dir');
          break;
        case 'processJsonIsDir':
          files.set(procRel, 'dir');
          break;
        case 'manifestIsDir':
          files.set('manifest.json', 'dir');
          return { files, expect: { kind: 'error' }, base };
        case 'processesIsFile':
          for (const k of [...files.keys()]) if (k.startsWith('processes/')) files.delete(k);
          files.set('processes', Buffer.from('not a directory'));
          break;
        case 'procDirIsFile':
          for (const k of [...files.keys()]) if (k.startsWith(`${pdir}/`)) files.delete(k);
          files.set(pdir, Buffer.from('x'));
          break;
        case 'noProcesses':
          for (const k of [...files.keys()]) if (k.startsWith('processes/')) files.delete(k);
          return { files, expect: { kind: 'exact', rows: [], orError: true }, base };
        case 'emptySeg':
          files.set(proc.segRel, Buffer.alloc(0));
          break;
        case 'sitesIsDir':
          files.set(sitesRel, 'dir');
          break;
        case 'skippedGarbage':
          files.set(`${pdir}/skipped.jsonl`, Buffer.from('null\n5\n"x"\n{"file":7}\n'));
          break;
        case 'extraProcDir':
          files.set('processes/999999999/process.json', Buffer.from('{}'));
          break;
      }
      return { files, expect: { kind: 'any' }, base };
    }
    default:
      throw new Error(`unknown family ${c.family}`);
  }
}

// ───────────────────────────── running a case ─────────────────────────────

function oneLine(msg) {
  return typeof msg === 'string' && msg.length > 0 && !/[\r\n]/.test(msg);
}

function insane(stats, rows) {
  for (const r of rows) {
    if (!Number.isSafeInteger(r.seq) || r.seq < 0) return `event seq ${r.seq}`;
    if (!Number.isFinite(r.time)) return `event time ${r.time}`;
  }
  if (!Number.isFinite(stats.durationMs)) return `durationMs ${stats.durationMs}`;
  return null;
}

function perThread(rows) {
  const m = new Map();
  for (const r of rows) {
    const o = JSON.parse(r);
    const k = `${o.pid}/${o.thread}`;
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return JSON.stringify([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Runs one case: writes it, reads it, judges the outcome.
 * Returns { outcome: 'ok' | 'recording-error' | 'other', detail, ms }.
 */
export function runCase(lib, corpus, c, scratch, timeBoundMs = 5000) {
  const { files, expect, base } = applyCase(lib, corpus, c);
  const dir = writeCase(scratch, files);
  const t0 = performance.now();
  let result;
  let error;
  try {
    const { stats, rows } = answer(lib, dir);
    result = { stats, rows };
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  const judged = judge(expect, base, result, error);
  if (judged.outcome !== 'other' && ms > timeBoundMs) return { outcome: 'other', detail: `slow: ${ms.toFixed(0)} ms`, ms };
  return { ...judged, ms };
}

function judge(expect, base, result, error) {
  if (error) {
    const isRecErr = error && error.name === 'RecordingError';
    if (!isRecErr) return { outcome: 'other', detail: `crash: ${error?.name}: ${error?.message}`.split('\n')[0], error };
    if (!oneLine(error.message)) return { outcome: 'other', detail: `RecordingError message is not one line: ${JSON.stringify(error.message)}` };
    if (expect.kind === 'exact' && !expect.orError) return { outcome: 'other', detail: `expected an answer, got RecordingError: ${error.message}` };
    if (expect.kind === 'values') return { outcome: 'other', detail: `valid values refused: ${error.message}` };
    if (expect.mention && !error.message.includes(expect.mention)) return { outcome: 'other', detail: `error does not name "${expect.mention}": ${error.message}` };
    return { outcome: 'recording-error', detail: error.message };
  }
  const { stats, rows } = result;
  const bad = insane(stats, rows);
  if (bad) return { outcome: 'other', detail: `nonsense in the answer: ${bad}` };
  const got = rows.map((r) => JSON.stringify(r));
  switch (expect.kind) {
    case 'error':
      return { outcome: 'other', detail: `expected a RecordingError${expect.mention ? ` naming "${expect.mention}"` : ''}, read ${rows.length} events` };
    case 'same': {
      const same = expect.perThread ? perThread(got) === perThread(base.rows) : JSON.stringify(got) === JSON.stringify(base.rows);
      if (!same) return { outcome: 'other', detail: `damage not noticed: read ${rows.length} events (${stats.events} counted), the intact recording has ${base.rows.length}${diffHint(got, base.rows)}` };
      break;
    }
    case 'exact': {
      if (JSON.stringify(got) !== JSON.stringify(expect.rows)) return { outcome: 'other', detail: `wrong answer: read ${rows.length} events, expected ${expect.rows.length}${diffHint(got, expect.rows)}` };
      if (stats.events !== expect.rows.length) return { outcome: 'other', detail: `stats counts ${stats.events} events, listEvents ${expect.rows.length}` };
      if (expect.truncated) {
        const [pid, bytes] = expect.truncated;
        const p = stats.processes.find((x) => x.pid === pid);
        if (p && p.truncatedBytes !== bytes) return { outcome: 'other', detail: `truncatedBytes ${p.truncatedBytes}, expected ${bytes}` };
      }
      break;
    }
    case 'values': {
      const vals = rows.map((r) => r.value);
      if (JSON.stringify(vals) !== JSON.stringify(expect.values)) return { outcome: 'other', detail: `values decoded wrong: ${JSON.stringify(vals).slice(0, 300)} vs ${JSON.stringify(expect.values).slice(0, 300)}` };
      break;
    }
  }
  return { outcome: 'ok', detail: `${rows.length} events` };
}

function diffHint(got, want) {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  if (i === got.length && i === want.length) return '';
  return `; first difference at #${i}: ${got[i]?.slice(0, 160) ?? '(none)'} vs ${want[i]?.slice(0, 160) ?? '(none)'}`;
}

/** A short, JSON-able description of a case for reports (Uint8Arrays as hex). */
export function showCase(c) {
  return JSON.stringify(c, (_k, v) => (v instanceof Uint8Array ? `hex:${Buffer.from(v).toString('hex')}` : typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v));
}

// ───────────────────────────── known bugs ─────────────────────────────

/**
 * Reader bugs found by this harness and reported, not yet fixed. A case whose "other" matches one
 * is counted under the bug's label instead of failing the run as new. Remove an entry once the
 * bug is fixed (the matching it.fails test in readers.test.ts then starts to fail as a reminder).
 */
/** Reader bugs the fuzzer has found and that are not fixed yet (all fixed so far). */
export const KNOWN_BUGS = [];

/** The label of the known bug an "other" result is, or null (a new problem). */
export function knownBug(c, r) {
  if (r.outcome !== 'other') return null;
  return KNOWN_BUGS.find((b) => b.match(c, r))?.label ?? null;
}
