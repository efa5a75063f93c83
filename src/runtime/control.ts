/**
 * Levels changed while the program runs (`cinema control <pid>`): the CLI appends a request line to
 * the process's control file; a timer of the recorder (unref'd, not the program's causality) sees
 * the file grow, sets the levels of the matching sites in the shared table, records a MARK event
 * saying what changed, and appends an acknowledgement. A process busy on the CPU applies the
 * request when its event loop next turns.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { levelNames, levelOf, type LevelName } from '../format/levels.js';
import type { LoadedModule } from '../format/sites.js';
import { appendPrivateLine, files, makePrivateDir, writePrivateFile } from '../recording/layout.js';
import type { RuntimeConfig } from './config.js';
import { owners } from '../format/site-owners.js';
import type { ThreadProbes } from './thread-probes.js';

export const CONTROL_FILE = 'control.jsonl';
export const CONTROL_ACK_FILE = 'control-ack.jsonl';
const POLL_MS = 100;

export interface ControlRequest {
  id: string;
  level: LevelName;
  /** File globs (relative to the program's cwd, or absolute); none: every file. */
  include?: string[];
  /** Function names or globs (`Cart.add`, `Cart.*`); none: every function. */
  function?: string[];
}

export interface ControlAck {
  id: string;
  /** Functions whose level was set. */
  functions: number;
  error?: string;
}

/** Where a recorded process announces its recording folder, by pid (owner-only folder). */
export function registryDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(os.tmpdir(), `execution-cinema-${uid}`);
}

export function registryFile(pid: number): string {
  return path.join(registryDir(), `${pid}.json`);
}

export function startControl(table: Uint8Array, procDir: string, probes: ThreadProbes, config: RuntimeConfig): NodeJS.Timeout {
  const requests = path.join(procDir, CONTROL_FILE);
  const acks = path.join(procDir, CONTROL_ACK_FILE);
  const registry = registryFile(process.pid);
  try {
    makePrivateDir(registryDir());
    writePrivateFile(registry, JSON.stringify({ pid: process.pid, procDir, recording: config.recording, startedAt: Date.now() }));
    process.on('exit', () => fs.rmSync(registry, { force: true }));
  } catch {
    // no registry: `cinema control --recording DIR` still finds the process
  }
  let offset = 0;
  let partial = '';
  const timer = setInterval(() => {
    try {
      const size = fs.statSync(requests, { throwIfNoEntry: false })?.size ?? 0;
      if (size <= offset) return;
      const fd = fs.openSync(requests, 'r');
      const buf = Buffer.alloc(size - offset);
      try {
        fs.readSync(fd, buf, 0, buf.length, offset);
      } finally {
        fs.closeSync(fd);
      }
      offset = size;
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.trim()) appendPrivateLine(acks, JSON.stringify(apply(line)));
    } catch {
      // the recording folder went away: the program runs on
    }
  }, POLL_MS);
  timer.unref();
  return timer;

  function apply(line: string): ControlAck {
    let req: ControlRequest;
    try {
      req = JSON.parse(line) as ControlRequest;
    } catch {
      return { id: '?', functions: 0, error: 'request is not JSON' };
    }
    if (!levelNames.includes(req.level)) return { id: String(req.id), functions: 0, error: `unknown level '${String(req.level)}'` };
    const functions = setLevels(table, path.join(procDir, files.sites), config.cwd, req);
    const scope = [req.include?.length ? `include ${req.include.join(',')}` : '', req.function?.length ? `function ${req.function.join(',')}` : ''].filter(Boolean).join(' ');
    probes.mark(0, `cinema control: level ${req.level}${scope ? ' ' + scope : ''} (${functions} functions)`);
    probes.flush();
    return { id: String(req.id), functions };
  }
}

/** Sets the level of the matching functions (and their await, yield and write sites); returns how many functions. */
export function setLevels(table: Uint8Array, sitesFile: string, cwd: string, req: ControlRequest): number {
  const apply = moduleLevels(req, cwd);
  let count = 0;
  for (const line of fs.readFileSync(sitesFile, 'utf8').split('\n')) {
    let mod: LoadedModule;
    try {
      mod = JSON.parse(line) as LoadedModule;
    } catch {
      continue; // an empty or cut-off last line
    }
    count += apply(table, mod);
  }
  return count;
}

/** A request as a function that sets the levels of one module's matching sites and returns how many functions matched. */
function moduleLevels(req: ControlRequest, cwd: string): (table: Uint8Array, mod: Pick<LoadedModule, 'file' | 'sites' | 'base'>) => number {
  const level = levelOf(req.level);
  const opts = { dot: true };
  const file = req.include?.length ? picomatch(req.include, opts) : null;
  const fn = req.function?.length ? picomatch(req.function, opts) : null;
  return (table, mod) => {
    const rel = path.relative(cwd, mod.file);
    if (file !== null && !file(mod.file) && !file(rel)) return 0;
    const own = owners(mod.sites);
    let count = 0;
    for (let k = 0; k < mod.sites.length; k++) {
      const o = own[k]!;
      if (fn !== null && (o < 0 || !fn(mod.sites[o]!.name))) continue;
      const id = mod.base + k;
      if (id < table.length) table[id] = level;
      if (o === k) count++;
    }
    return count;
  };
}

/**
 * A module loading after `cinema control` changes: the changes apply to it too, in order (read
 * from the control file, so every thread sees them). No control file: nothing to do.
 */
export function applyEarlierControl(table: Uint8Array, procDir: string, cwd: string, mod: Pick<LoadedModule, 'file' | 'sites' | 'base'>): void {
  let text: string;
  try {
    text = fs.readFileSync(path.join(procDir, CONTROL_FILE), 'utf8');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    try {
      const req = JSON.parse(line) as ControlRequest;
      if (levelNames.includes(req.level)) moduleLevels(req, cwd)(table, mod);
    } catch {
      // an empty or cut-off line
    }
  }
}
