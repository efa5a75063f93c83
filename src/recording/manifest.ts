/** The JSON documents of a recording: the recording manifest and one document per process. */
import { FORMAT_NAME, FORMAT_VERSION } from './layout.js';

export type Mode = 'lossless' | 'flight' | 'sampled';

export interface Counters {
  /** Events written to segments. */
  events: number;
  /** Events lost because a ring was full (flight and sampled modes) or a write failed. */
  dropped: number;
  /** Events skipped by sampling, by design. */
  sampledOut: number;
  /** Events that aged out of the flight recorder's memory before a dump. */
  evicted: number;
  chunks: number;
  bytes: number;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** pid of the recorded parent process, when this process was started by one. */
  parentPid: number | null;
  argv: string[];
  node: string;
  mode: Mode;
  codec: string;
  /** Wall-clock time (ms since epoch) of the process's time origin; event times are µs after it. */
  timeOrigin: number;
  startedAt: number;
  endedAt: number | null;
  threads: number[];
  complete: boolean;
  exitCode: number | null;
  /** Why the last data was written: exit, uncaughtException, signal, request. */
  endReason: string | null;
  counters: Counters;
  /** Files that were loaded uninstrumented, with the reason. */
  skippedFiles: number;
  /** The first error the disk gave while writing events (their loss is in counters.dropped). */
  diskError?: string;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  version: number;
  id: string;
  command: string[];
  cwd: string;
  mode: Mode;
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  complete: boolean;
  /** pids of the processes recorded, in start order. */
  processes: number[];
}

export function newManifest(command: string[], mode: Mode, id: string): Manifest {
  return {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    id,
    command,
    cwd: process.cwd(),
    mode,
    startedAt: Date.now(),
    endedAt: null,
    exitCode: null,
    signal: null,
    complete: false,
    processes: [],
  };
}

export function emptyCounters(): Counters {
  return { events: 0, dropped: 0, sampledOut: 0, evicted: 0, chunks: 0, bytes: 0 };
}
