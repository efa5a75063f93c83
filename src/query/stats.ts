/** Summary numbers of a recording: what `cinema stats` prints. */
import fs from 'node:fs';
import { Kind, MAX_KIND, kindNames } from '../format/events.js';
import type { Recording } from '../recording/recording.js';
import { visitChunk } from '../recording/events.js';
import type { SegmentScan } from '../recording/segment-reader.js';

export interface ProcessStats {
  pid: number;
  parentPid: number | null;
  argv: string[];
  events: number;
  threads: number[];
  complete: boolean;
  exitCode: number | null;
  endReason: string | null;
  /** Bytes at the end of the segment file that did not form a whole chunk (a killed process). */
  truncatedBytes: number;
  /** Chunks the process wrote that its segment file no longer holds (cut after the fact). */
  missingChunks: number;
  skippedFiles: { file: string; reason: string }[];
  /** Events of this process lost to the disk or to full rings, and the disk's first error. */
  dropped: number;
  diskError: string | null;
}

export interface HotSite {
  site: number;
  pid: number;
  name: string;
  location: string;
  calls: number;
}

export interface Stats {
  recording: string;
  command: string[];
  mode: string;
  complete: boolean;
  exitCode: number | null;
  events: number;
  byKind: Record<string, number>;
  /** Distinct function sites entered. */
  functions: number;
  durationMs: number;
  dropped: number;
  sampledOut: number;
  evicted: number;
  bytesOnDisk: number;
  bytesPerEvent: number;
  processes: ProcessStats[];
  hottest: HotSite[];
}

export function computeStats(rec: Recording, top = 10): Stats {
  const byKind: Record<string, number> = {};
  for (const k of Object.values(Kind)) if (k !== Kind.TIME) byKind[kindNames[k]!] = 0;
  const counts = new Int32Array(MAX_KIND + 1);
  let dropped = 0;
  let sampledOut = 0;
  let evicted = 0;
  let bytes = 0;
  let firstTime = Infinity;
  let lastTime = -Infinity;
  const hot: HotSite[] = [];
  let functions = 0;
  const processes: ProcessStats[] = [];
  const recordedPids = new Set(rec.processes.map((p) => p.pid));

  for (const proc of rec.processes) {
    const calls = new Map<number, number>();
    let events = 0;
    const scan: SegmentScan = { frames: 0, truncatedBytes: 0 };
    const origin = proc.info.timeOrigin;
    for (const chunk of proc.chunks(scan)) {
      visitChunk(chunk, (kind, site, _seq, time) => {
        events++;
        counts[kind]!++;
        if (kind === Kind.CALL) calls.set(site, (calls.get(site) ?? 0) + 1);
        const wall = origin + time / 1000;
        if (wall < firstTime) firstTime = wall;
        if (wall > lastTime) lastTime = wall;
      });
    }
    functions += calls.size;
    const sites = proc.sites();
    for (const [site, n] of calls) {
      const s = sites.get(site);
      hot.push({ site, pid: proc.pid, name: s?.name ?? `site ${site}`, location: s ? `${s.file}:${s.line}:${s.column + 1}` : '?', calls: n });
    }
    const c = proc.info.counters;
    dropped += c.dropped;
    sampledOut += c.sampledOut;
    evicted += c.evicted;
    for (const seg of proc.segmentFiles()) bytes += fs.statSync(seg).size;
    processes.push({
      pid: proc.pid,
      parentPid: recordedPids.has(proc.info.ppid) ? proc.info.ppid : null,
      argv: proc.info.argv,
      events,
      threads: proc.info.threads,
      complete: proc.info.complete && !scan.missingChunks,
      exitCode: proc.info.exitCode,
      endReason: proc.info.endReason,
      truncatedBytes: scan.truncatedBytes,
      missingChunks: scan.missingChunks ?? 0,
      skippedFiles: proc.skipped(),
      dropped: c.dropped,
      diskError: typeof proc.info.diskError === 'string' ? proc.info.diskError : null,
    });
  }
  for (const k of Object.values(Kind)) if (k !== Kind.TIME) byKind[kindNames[k]!] = counts[k]!;
  const events = processes.reduce((n, p) => n + p.events, 0);
  const m = rec.manifest;
  const durationMs = m.endedAt !== null ? m.endedAt - m.startedAt : lastTime >= firstTime ? lastTime - firstTime : 0;
  return {
    recording: rec.dir,
    command: m.command,
    mode: m.mode,
    complete: rec.complete && processes.every((p) => p.complete),
    exitCode: m.exitCode,
    events,
    byKind,
    functions,
    durationMs: Math.round(durationMs * 1000) / 1000,
    dropped,
    sampledOut,
    evicted,
    bytesOnDisk: bytes,
    bytesPerEvent: events > 0 ? Math.round((bytes / events) * 1000) / 1000 : 0,
    processes,
    hottest: hot.sort((a, b) => b.calls - a.calls).slice(0, top),
  };
}
