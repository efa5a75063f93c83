/**
 * What a recorded process is told by `cinema record` (or the library's `record`): one JSON
 * document in an environment variable, read once at start-up.
 */
import { defaultGeometry, type RingGeometry } from '../format/layout.js';
import { defaultLimits, defaultRedactPattern, type ValueLimits } from '../format/values.js';
import type { Mode } from '../recording/manifest.js';

export const CONFIG_ENV = 'EXECUTION_CINEMA';

export interface RuntimeConfig {
  /** Absolute path of the recording directory. */
  recording: string;
  mode: Mode;
  /** Capture argument, return and thrown values. */
  values: boolean;
  /** Globs (relative to `cwd` or absolute) of files to instrument, and to leave alone. */
  include: string[];
  exclude: string[];
  cwd: string;
  limits: ValueLimits;
  /** Case-insensitive pattern of keys whose values are redacted at capture. */
  redact: string;
  /** Flight mode: compressed bytes kept in memory. */
  flightBytes: number;
  /** Sampled mode: record `burstMs` out of every `periodMs`. */
  sample: { burstMs: number; periodMs: number };
  /** Resolution of the shared clock while the program records events. */
  tickMs: number;
  /** Resolution of the shared clock while no thread records events. */
  idleTickMs: number;
  /** Longest a partial chunk waits before it is published while the program idles. */
  idleFlushMs: number;
  geometry: RingGeometry;
  /** Transform cache folder; null turns it off; absent: the default place (runtime/transform-cache.ts). */
  cache?: string | null;
}

export function defaultConfig(recording: string): RuntimeConfig {
  return {
    recording,
    mode: 'lossless',
    values: true,
    include: ['**'],
    exclude: ['**/node_modules/**'],
    cwd: process.cwd(),
    limits: defaultLimits,
    redact: defaultRedactPattern,
    flightBytes: 64 * 1024 * 1024,
    sample: { burstMs: 10, periodMs: 100 },
    tickMs: 0.1,
    idleTickMs: 2,
    idleFlushMs: 100,
    geometry: defaultGeometry,
  };
}

/** The config of this process, or null when it is not being recorded. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig | null {
  const raw = env[CONFIG_ENV];
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<RuntimeConfig>;
    if (typeof parsed.recording !== 'string') return null;
    return { ...defaultConfig(parsed.recording), ...parsed };
  } catch {
    return null;
  }
}
