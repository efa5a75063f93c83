/**
 * What a recorded process is told by `cinema record` (or the library's `record`): one JSON
 * document in an environment variable, read once at start-up.
 */
import { defaultGeometry, type RingGeometry } from '../format/layout.js';
import { defaultLimits, defaultRedactPattern, type ValueLimits } from '../format/values.js';
import type { Mode } from '../recording/manifest.js';
import type { PlanDocument } from '../format/levels.js';

export const CONFIG_ENV = 'EXECUTION_CINEMA';
/** `1` turns causality recording on, `light` on in light mode, `0` off, whatever the config says. */
export const CAUSALITY_ENV = 'EXECUTION_CINEMA_CAUSALITY';

export interface RuntimeConfig {
  /** Absolute path of the recording directory. */
  recording: string;
  mode: Mode;
  /** Capture argument, return and thrown values. */
  values: boolean;
  /** With values: also record state writes (property and binding writes, deletes, mutating calls). */
  writes?: boolean;
  /** Globs (relative to `cwd` or absolute) of files to instrument, and to leave alone. */
  include: string[];
  exclude: string[];
  cwd: string;
  limits: ValueLimits;
  /** Case-insensitive pattern of keys whose values are redacted at capture. */
  redact: string;
  /** Mask credential-shaped strings and secret environment values in captured strings (default true). */
  redactValues?: boolean;
  /** Flight mode: compressed bytes kept in memory. */
  flightBytes: number;
  /** Cap on each process's segment files on disk, bytes (0: none): the oldest data goes first. */
  maxBytes: number;
  /** Sampled mode: record `burstMs` out of every `periodMs`. */
  sample: { burstMs: number; periodMs: number };
  /** Resolution of the shared clock while the program records events fast (capture/ticker-worker.ts). */
  tickMs: number;
  /** How often the ticker looks at the event rate while producers read the time themselves. */
  idleTickMs: number;
  /** Longest a partial chunk waits before it is published while the program idles. */
  idleFlushMs: number;
  geometry: RingGeometry;
  /**
   * Causality: async context (async_hooks), HTTP (diagnostics_channel), messages, process life
   * and health. Off unless `true` here or EXECUTION_CINEMA_CAUSALITY=1 in the environment (the
   * default flips once every suite expects the extra events). `'light'`: no async_hooks and no
   * emitter or socket links; each incoming HTTP request is one async context (runtime/causality.ts).
   */
  causality?: boolean | 'light';
  /** Instrumentation plan (validated by the CLI): a level per function, applied at compile and run time. */
  plan?: PlanDocument;
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
    maxBytes: 0,
    sample: { burstMs: 10, periodMs: 100 },
    tickMs: 0.1,
    idleTickMs: 10,
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
    const config = { ...defaultConfig(parsed.recording), ...parsed };
    const causality = env[CAUSALITY_ENV];
    if (causality === '1' || causality === '0') config.causality = causality === '1';
    else if (causality === 'light') config.causality = 'light';
    return config;
  } catch {
    return null;
  }
}
