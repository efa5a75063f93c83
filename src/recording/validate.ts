/**
 * Shape checks for the JSON documents of a recording. A document that is not what the writer
 * produces is damage: the reader says so in one line instead of failing later with a TypeError.
 */
import { RecordingError } from './errors.js';
import { FORMAT_NAME, FORMAT_VERSION } from './layout.js';
import type { Counters, Manifest, ProcessInfo } from './manifest.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e15;
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

function require(ok: boolean, file: string, field: string): void {
  if (!ok) throw new RecordingError(`${file} is damaged (bad or missing '${field}')`);
}

export function checkManifest(m: unknown, file: string, dir: string): Manifest {
  if (!isObject(m) || m.format !== FORMAT_NAME) throw new RecordingError(`${dir} is not an Execution Cinema recording (bad manifest.json)`);
  if (!Number.isInteger(m.version) || (m.version as number) < 1) throw new RecordingError(`${dir}: bad format version in manifest.json`);
  if ((m.version as number) > FORMAT_VERSION) {
    throw new RecordingError(`${dir}: recording format version ${m.version} is newer than this cinema reads (${FORMAT_VERSION}); upgrade execution-cinema`);
  }
  require(isStrings(m.command), file, 'command');
  require(isTime(m.startedAt), file, 'startedAt');
  require(orNull(isTime)(m.endedAt) && (m.endedAt === null || (m.endedAt as number) >= (m.startedAt as number)), file, 'endedAt');
  require(typeof m.complete === 'boolean', file, 'complete');
  require(typeof m.mode === 'string', file, 'mode');
  require(orNull(Number.isInteger)(m.exitCode), file, 'exitCode');
  return m as unknown as Manifest;
}

export function checkProcessInfo(p: unknown, file: string): ProcessInfo {
  require(isObject(p), file, 'document');
  const info = p as Record<string, unknown>;
  require(isCount(info.pid), file, 'pid');
  require(isCount(info.ppid), file, 'ppid');
  require(isStrings(info.argv), file, 'argv');
  require(typeof info.node === 'string', file, 'node');
  require(typeof info.mode === 'string', file, 'mode');
  require(isTime(info.timeOrigin), file, 'timeOrigin');
  require(isTime(info.startedAt), file, 'startedAt');
  require(orNull(isTime)(info.endedAt), file, 'endedAt');
  require(Array.isArray(info.threads) && info.threads.every(isCount), file, 'threads');
  require(typeof info.complete === 'boolean', file, 'complete');
  require(orNull(Number.isInteger)(info.exitCode), file, 'exitCode');
  require(isObject(info.counters), file, 'counters');
  const c = info.counters as Record<string, unknown>;
  for (const k of ['events', 'dropped', 'sampledOut', 'evicted', 'chunks', 'bytes'] satisfies (keyof Counters)[]) require(isCount(c[k]), file, `counters.${k}`);
  return p as ProcessInfo;
}

/** A line of skipped.jsonl, or null when it is not one. */
export function skippedLine(v: unknown): { file: string; reason: string } | null {
  return isObject(v) && typeof v.file === 'string' && typeof v.reason === 'string' ? { file: v.file, reason: v.reason } : null;
}
