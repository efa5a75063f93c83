/**
 * What an index was built from, so that a stale one (the recording grew or changed, or the index
 * format moved on) or a damaged one (files missing or of the wrong size) is rebuilt, not trusted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { files } from '../../recording/layout.js';
import type { Recording } from '../../recording/recording.js';
import { CHUNK_FIELDS, CHUNKS_FILE, INDEX_VERSION, META_FILE, VALUES_FILE, callColumns, columnBytes, eventColumns, valueColumns } from './columns.js';

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
    const [segmentBytes, segmentMtime] = size(path.join(p.dir, files.segment));
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
    [VALUES_FILE, meta.valueBytes],
    [CHUNKS_FILE, meta.chunks * CHUNK_FIELDS * 8],
  ];
  for (const [file, bytes] of expect) if (size(path.join(dir, file))[0] !== bytes || !fs.existsSync(path.join(dir, file))) return `damaged (${file} has the wrong size)`;
  return null;
}
