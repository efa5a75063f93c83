/**
 * Opening a recording: checks its manifest and format version, finds its processes, reads
 * their site tables and iterates their chunks. Damage is reported as RecordingError with a
 * one-line message; a recording still being written or cut short by a kill reads up to its
 * last whole chunk.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedModule, Site } from '../format/sites.js';
import { RecordingError } from './errors.js';
import { files } from './layout.js';
import type { Manifest, ProcessInfo } from './manifest.js';
import { readSegment, type Chunk, type SegmentScan } from './segment-reader.js';
import { checkManifest, checkProcessInfo, skippedLine } from './validate.js';

export interface SiteInfo extends Site {
  id: number;
  file: string;
}

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RecordingError(code === 'ENOENT' ? `${what} not found: ${file}` : `cannot read ${file} (${code})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RecordingError(`${file} is damaged (not valid JSON)`);
  }
}

export class ProcessRecording {
  #sites: Map<number, SiteInfo> | null = null;

  constructor(
    readonly dir: string,
    readonly info: ProcessInfo,
  ) {}

  get pid(): number {
    return this.info.pid;
  }

  /** Every site of every module this process loaded, by site id. */
  sites(): Map<number, SiteInfo> {
    if (this.#sites) return this.#sites;
    const map = new Map<number, SiteInfo>();
    for (const mod of readJsonLines<LoadedModule>(path.join(this.dir, files.sites))) {
      if (mod === null || typeof mod !== 'object' || !Array.isArray(mod.sites) || !Number.isSafeInteger(mod.base) || typeof mod.file !== 'string') continue;
      mod.sites.forEach((site, k) => map.set(mod.base + k, { ...site, id: mod.base + k, file: mod.file }));
    }
    return (this.#sites = map);
  }

  /** Files that ran uninstrumented, and why. */
  skipped(): { file: string; reason: string }[] {
    return readJsonLines(path.join(this.dir, files.skipped)).map(skippedLine).filter((l) => l !== null);
  }

  /** The process's chunks in file order (per thread, in stream order). */
  chunks(scan?: SegmentScan): Iterable<Chunk> {
    const segments = this.segmentFiles();
    if (segments.length === 0) return [];
    const c = this.info.counters;
    const lossless = this.info.mode === 'lossless' && c.dropped === 0 && c.evicted === 0;
    // A complete lossless process says how many chunks it wrote: chunks lost at the end of the
    // file (cut after the fact) are reported in `scan.missingChunks`; more than it wrote is damage.
    const expected = lossless && this.info.complete ? c.chunks : null;
    const last = segments.at(-1)!;
    return inThreadOrder(allSegments(segments, scan), last, lossless, expected, scan);
  }

  /**
   * The process's segment files, oldest first: events.seg, events.1.seg, … (a size cap deletes
   * the oldest, so the first one present may be any of them).
   */
  segmentFiles(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .map((n) => [n, /^events(?:\.(\d+))?\.seg$/.exec(n)] as const)
      .filter(([, m]) => m !== null)
      .sort(([, a], [, b]) => Number(a![1] ?? 0) - Number(b![1] ?? 0))
      .map(([n]) => path.join(this.dir, n));
  }
}

/** Chunks of several segment files in order; only the last may end cut short (a kill). */
function* allSegments(segments: string[], scan?: SegmentScan): Generator<Chunk> {
  for (let i = 0; i < segments.length; i++) {
    const s: SegmentScan = { frames: 0, truncatedBytes: 0 };
    yield* readSegment(segments[i]!, s);
    if (i < segments.length - 1 && s.truncatedBytes > 0) throw new RecordingError(`${segments[i]}: damaged (cut short, yet a later segment follows)`);
    if (scan) {
      scan.frames += s.frames;
      scan.truncatedBytes = s.truncatedBytes;
    }
  }
}

/**
 * Checks that each thread's chunks come in stream order: sequence numbers and positions only go
 * up, and where nothing was dropped (lossless), each chunk starts where the one before ended.
 * Checksums cannot see a duplicated, swapped or missing frame; this can.
 */
function* inThreadOrder(chunks: Iterable<Chunk>, file: string, contiguous: boolean, expected: number | null, scan?: SegmentScan): Generator<Chunk> {
  const last = new Map<number, { seq: number; end: number }>();
  let count = 0;
  for (const c of chunks) {
    count++;
    const prev = last.get(c.thread);
    if (prev === undefined && contiguous && (c.chunkSeq !== 0 || c.position !== 0)) {
      throw new RecordingError(`${file} at byte ${c.offset}: damaged (thread ${c.thread} starts at chunk ${c.chunkSeq}, its first chunks are missing)`);
    }
    if (prev !== undefined) {
      const inOrder = c.chunkSeq > prev.seq && c.position >= prev.end;
      const joined = !contiguous || (c.chunkSeq === prev.seq + 1 && c.position === prev.end);
      if (!inOrder || !joined) throw new RecordingError(`${file} at byte ${c.offset}: damaged (chunk ${c.chunkSeq} of thread ${c.thread} out of order)`);
    }
    last.set(c.thread, { seq: c.chunkSeq, end: c.position + c.words });
    yield c;
  }
  if (expected !== null && count > expected) throw new RecordingError(`${file}: damaged (${count} chunks, the process wrote ${expected})`);
  if (scan && expected !== null) scan.missingChunks = expected - count;
}

/** Lines of a JSONL file; a line cut short by a kill (the last one) is left out. */
function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // a partial line from a killed process
    }
  }
  return out;
}

export class Recording {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly processes: ProcessRecording[],
  ) {}

  static open(dir: string): Recording {
    const abs = path.resolve(dir);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new RecordingError(`no recording at ${dir}`);
    }
    if (!stat.isDirectory()) throw new RecordingError(`${dir} is not a recording directory`);
    const manifestFile = path.join(abs, files.manifest);
    const manifest = checkManifest(readJson<unknown>(manifestFile, 'manifest.json'), manifestFile, abs);
    const procRoot = path.join(abs, files.processes);
    let pids: string[] = [];
    try {
      pids = fs.readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new RecordingError(`${procRoot} is damaged (not a readable directory)`);
    }
    const processes = pids
      .map((pid) => {
        const file = path.join(procRoot, pid, files.process);
        return new ProcessRecording(path.join(procRoot, pid), checkProcessInfo(readJson<unknown>(file, 'process.json'), file));
      })
      .sort((a, b) => a.info.startedAt - b.info.startedAt);
    return new Recording(abs, manifest, processes);
  }

  /** The recording is complete when the command ended and every process wrote its last chunk. */
  get complete(): boolean {
    return this.manifest.complete && this.processes.every((p) => p.info.complete);
  }
}
