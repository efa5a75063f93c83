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
import { FORMAT_NAME, FORMAT_VERSION, files } from './layout.js';
import type { Manifest, ProcessInfo } from './manifest.js';
import { readSegment, type Chunk, type SegmentScan } from './segment-reader.js';

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
      if (!Array.isArray(mod.sites) || typeof mod.base !== 'number') continue;
      mod.sites.forEach((site, k) => map.set(mod.base + k, { ...site, id: mod.base + k, file: mod.file }));
    }
    return (this.#sites = map);
  }

  /** Files that ran uninstrumented, and why. */
  skipped(): { file: string; reason: string }[] {
    return readJsonLines(path.join(this.dir, files.skipped));
  }

  /** The process's chunks in file order (per thread, in stream order). */
  chunks(scan?: SegmentScan): Iterable<Chunk> {
    const file = path.join(this.dir, files.segment);
    if (!fs.existsSync(file)) return [];
    return readSegment(file, scan);
  }
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
    const manifest = readJson<Manifest>(path.join(abs, files.manifest), 'manifest.json');
    checkManifest(manifest, abs);
    const procRoot = path.join(abs, files.processes);
    const pids = fs.existsSync(procRoot) ? fs.readdirSync(procRoot).filter((n) => /^\d+$/.test(n)) : [];
    const processes = pids
      .map((pid) => {
        const procDir = path.join(procRoot, pid);
        return new ProcessRecording(procDir, readJson<ProcessInfo>(path.join(procDir, files.process), 'process.json'));
      })
      .sort((a, b) => a.info.startedAt - b.info.startedAt);
    return new Recording(abs, manifest, processes);
  }

  /** The recording is complete when the command ended and every process wrote its last chunk. */
  get complete(): boolean {
    return this.manifest.complete && this.processes.every((p) => p.info.complete);
  }
}

function checkManifest(m: Manifest, dir: string): void {
  if (m === null || typeof m !== 'object' || m.format !== FORMAT_NAME) throw new RecordingError(`${dir} is not an Execution Cinema recording (bad manifest.json)`);
  if (!Number.isInteger(m.version) || m.version < 1) throw new RecordingError(`${dir}: bad format version in manifest.json`);
  if (m.version > FORMAT_VERSION) {
    throw new RecordingError(`${dir}: recording format version ${m.version} is newer than this cinema reads (${FORMAT_VERSION}); upgrade execution-cinema`);
  }
}
