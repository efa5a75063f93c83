/**
 * What an index was built from, so that a stale one (the recording grew or changed, or the index
 * format moved on) or a damaged one (files missing or of the wrong size) is rebuilt, not trusted.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { files } from '../../recording/layout.js';
import type { Recording } from '../../recording/recording.js';
import { CHUNK_FIELDS, CHUNKS_FILE, INDEX_VERSION, KEYS_FILE, META_FILE, VALUES_FILE, callColumns, columnBytes, eventColumns, objectColumns, valueColumns, writeColumns } from './columns.js';

export interface SourceFile {
  pid: number;
  segmentBytes: number;
  segmentMtime: number;
  sitesBytes: number;
  complete: boolean;
}

export interface IndexMeta {
  version: number;
  rows: number;
  calls: number;
  values: number;
  valueBytes: number;
  chunks: number;
  /** Rows of the writes table and of the keyframe (objects) table. */
  writes: number;
  objects: number;
  /** [process index, thread] of each context number used in object keys. */
  contexts: [proc: number, thread: number][];
  processes: number[];
  /** The recording was complete when indexed (an incomplete one may still grow). */
  complete: boolean;
  source: SourceFile[];
}

function size(file: string): [bytes: number, mtime: number] {
  try {
    const st = fs.statSync(file);
    return [st.size, st.mtimeMs];
  } catch {
    return [0, 0];
  }
}

export function sourceFingerprint(rec: Recording): SourceFile[] {
  return rec.processes.map((p) => {
    // Every segment file counts (a size cap rotates them): their total size and newest change.
    let segmentBytes = 0;
    let segmentMtime = 0;
    for (const f of p.segmentFiles()) {
      const [b, m] = size(f);
      segmentBytes += b;
      segmentMtime = Math.max(segmentMtime, m);
    }
    return { pid: p.pid, segmentBytes, segmentMtime, sitesBytes: size(path.join(p.dir, files.sites))[0], complete: p.info.complete };
  });
}

/** Why the index in `dir` cannot be used for `rec`, or null when it can. */
export function whyNotUsable(rec: Recording, dir: string): string | null {
  let meta: IndexMeta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(dir, META_FILE), 'utf8')) as IndexMeta;
  } catch {
    return fs.existsSync(dir) ? 'damaged (no readable meta.json)' : 'not built yet';
  }
  if (meta === null || typeof meta !== 'object' || meta.version !== INDEX_VERSION) return 'built by another version';
  if (JSON.stringify(meta.source) !== JSON.stringify(sourceFingerprint(rec))) return 'stale (the recording changed)';
  const expect: [string, number][] = [
    ...Object.values(eventColumns).map((c): [string, number] => [c.file, columnBytes(c, meta.rows)]),
    ...Object.values(callColumns).map((c): [string, number] => [c.file, columnBytes(c, meta.calls)]),
    ...Object.values(valueColumns).map((c): [string, number] => [c.file, columnBytes(c, meta.values)]),
    ...Object.values(writeColumns).map((c): [string, number] => [c.file, columnBytes(c, meta.writes)]),
    ...Object.values(objectColumns).map((c): [string, number] => [c.file, columnBytes(c, meta.objects)]),
    [VALUES_FILE, meta.valueBytes],
    [CHUNKS_FILE, meta.chunks * CHUNK_FIELDS * 8],
  ];
  if (!Array.isArray(meta.contexts)) return 'damaged (meta.json has no contexts)';
  try {
    if (!Array.isArray(JSON.parse(fs.readFileSync(path.join(dir, KEYS_FILE), 'utf8')))) return `damaged (${KEYS_FILE} is not a list)`;
  } catch {
    return `damaged (${KEYS_FILE} unreadable)`;
  }
  for (const [file, bytes] of expect) if (size(path.join(dir, file))[0] !== bytes || !fs.existsSync(path.join(dir, file))) return `damaged (${file} has the wrong size)`;
  return checksumProblem(dir);
}

/** CRC-32 of every index file, written when the index is built. */
export const CHECKSUMS_FILE = 'checksums.json';
/**
 * Up to this many index bytes every file's checksum is verified on open (~0.1 s per 256 MiB);
 * above it only the small files are, so opening a 100 M-event index stays quick.
 */
const VERIFY_ALL_BYTES = 256 << 20;
const SMALL_FILE = 1 << 20;

function crcFile(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let crc = 0;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) crc = zlib.crc32(buf.subarray(0, n), crc);
    return crc;
  } finally {
    fs.closeSync(fd);
  }
}

export function writeChecksums(dir: string): void {
  const sums: Record<string, number> = {};
  for (const f of fs.readdirSync(dir).sort()) if (f !== CHECKSUMS_FILE) sums[f] = crcFile(path.join(dir, f));
  fs.writeFileSync(path.join(dir, CHECKSUMS_FILE), JSON.stringify(sums), { mode: 0o600 });
}

/** Why the index files do not match their checksums (a bit flipped, a block swapped), or null. */
function checksumProblem(dir: string): string | null {
  let sums: Record<string, unknown>;
  try {
    sums = JSON.parse(fs.readFileSync(path.join(dir, CHECKSUMS_FILE), 'utf8')) as Record<string, unknown>;
    if (sums === null || typeof sums !== 'object') throw new Error('not an object');
  } catch {
    return `damaged (${CHECKSUMS_FILE} unreadable)`;
  }
  const names = fs.readdirSync(dir).filter((f) => f !== CHECKSUMS_FILE).sort();
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(sums).sort())) return 'damaged (files missing or added)';
  const total = names.reduce((n, f) => n + size(path.join(dir, f))[0], 0);
  for (const f of names) {
    const file = path.join(dir, f);
    if (total > VERIFY_ALL_BYTES && size(file)[0] > SMALL_FILE) continue;
    if (crcFile(file) !== sums[f]) return `damaged (${f} fails its checksum)`;
  }
  return null;
}
