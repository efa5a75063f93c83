/**
 * ESM loader hooks for `module.register` (Node < 22.15, where they run in a separate hooks
 * thread). Newer Node uses the same `loadHook` synchronously through `module.registerHooks`.
 */
import type { RuntimeConfig } from './config.js';
import { createInstrumenter, type Instrument } from './instrumenter.js';

export interface HooksData {
  config: RuntimeConfig;
  procDir: string;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}

/** Formats whose source we instrument here; CommonJS goes through Module.prototype._compile. */
const esmFormats = new Set(['module', 'module-typescript']);

export function transformLoaded(instrument: Instrument, url: string, r: LoadResult): LoadResult {
  if (!esmFormats.has(r.format ?? '') || r.source == null) return r;
  const code = typeof r.source === 'string' ? r.source : Buffer.from(r.source as ArrayBuffer).toString('utf8');
  const out = instrument(code, url, 'esm');
  return out === code ? r : { ...r, source: out };
}

let instrument: Instrument | null = null;

export function initialize(data: HooksData): void {
  instrument = createInstrumenter(data.config, data.procDir);
}

export async function load(
  url: string,
  context: object,
  nextLoad: (url: string, context: object) => Promise<LoadResult>,
): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  return instrument ? transformLoaded(instrument, url, r) : r;
}
