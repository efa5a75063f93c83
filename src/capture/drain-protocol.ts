/** Messages between the recorded program's threads and the drain worker. */
import type { RingGeometry } from '../format/layout.js';
import type { Counters, Mode, ProcessInfo } from '../recording/manifest.js';

export interface DrainData {
  pid: number;
  shared: SharedArrayBuffer;
  /** The process's recording directory: segment files go there. */
  procDir: string;
  /** Cap on the process's segment files, bytes (0: none); the oldest files go first. */
  maxBytes: number;
  /** process.json: the drain keeps its counters current and marks it complete at the end. */
  processFile: string;
  info: ProcessInfo;
  mode: Mode;
  codec: number;
  /** Flight mode: compressed bytes kept in memory. */
  flightBytes: number;
  /** Longest the drain sleeps when no producer rings its doorbell. */
  pollMs: number;
}

export type DrainRequest =
  | { type: 'ring'; sab: SharedArrayBuffer; geometry: RingGeometry }
  | { type: 'flush' }
  /** The thread that owned this ring ended without closing it (terminated): keep what it wrote. */
  | { type: 'salvage'; sab: SharedArrayBuffer }
  | { type: 'finish'; reason: string; exitCode: number | null };

export interface DrainReply {
  type: 'counters';
  counters: Counters;
  threads: number[];
}

/** Worker threads of the program reach the drain over this channel (they have no port to it). */
export function channelName(pid: number): string {
  return `execution-cinema:drain:${pid}`;
}
